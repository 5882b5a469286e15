// The Sentinel workspaces of the selected subscriptions, through the ARM list APIs the Azure
// portal uses: subscriptions, then each subscription's Log Analytics workspaces, then whether
// Sentinel is onboarded on each (onboardingStates).
import { armList } from './arm-client.ts';
import type { DirectoryFilter } from './directory-filter.ts';

/** As ARM lists a subscription: tenantId is the directory signed in to, homeTenantId the one that owns it. */
export interface ArmSubscription { subscriptionId: string; displayName: string; tenantId: string; homeTenantId?: string; managedByTenants?: { tenantId: string }[] }
interface ArmWorkspace { id: string; name: string; location: string; properties?: { customerId?: string } }

export interface SentinelWorkspace {
  id: string;
  name: string;
  /** The workspace id (properties.customerId), which the Log Analytics query API takes and TenantId holds in every row. */
  customerId: string;
  location: string;
  resourceGroup: string;
  subscriptionId: string;
  subscriptionName: string;
  directoryId: string;
  directoryName: string;
  /** The workspace is in another directory, reached through a delegation. */
  delegated: boolean;
}

export interface WorkspaceListing {
  workspaces: SentinelWorkspace[];
  /** Subscriptions whose workspaces could not be listed, with the API's reason. */
  failures: { subscription: string; message: string }[];
}

const resourceGroupOf = (id: string) => /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '';

export async function listSentinelWorkspaces(filter: DirectoryFilter, homeTenantId: string): Promise<WorkspaceListing> {
  const subscriptions = await armList<ArmSubscription>('/subscriptions?api-version=2022-12-01');
  const selected = subscriptions.filter((s) => filter.subscriptions.includes(s.subscriptionId.toLowerCase()));
  const directoryName = (id: string) => filter.available.directories.find((d) => d.id === id.toLowerCase())?.displayName ?? id;
  const failures: WorkspaceListing['failures'] = [];
  const perSubscription = await Promise.all(selected.map(async (sub) => {
    const home = (sub.homeTenantId ?? sub.tenantId).toLowerCase();
    try {
      const workspaces = await armList<ArmWorkspace>(`/subscriptions/${sub.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=2025-07-01`);
      const sentinel = await Promise.all(workspaces.map(async (w) => {
        const states = await armList<unknown>(`${w.id}/providers/Microsoft.SecurityInsights/onboardingStates?api-version=2025-09-01`);
        return states.length > 0;
      }));
      return workspaces.filter((_w, i) => sentinel[i]).map((w): SentinelWorkspace => ({
        id: w.id,
        name: w.name,
        customerId: w.properties?.customerId ?? '',
        location: w.location,
        resourceGroup: resourceGroupOf(w.id),
        subscriptionId: sub.subscriptionId,
        subscriptionName: sub.displayName,
        directoryId: home,
        directoryName: directoryName(home),
        delegated: home !== homeTenantId.toLowerCase(),
      }));
    } catch (error) {
      failures.push({ subscription: sub.displayName, message: (error as Error).message });
      return [];
    }
  }));
  const workspaces = perSubscription.flat().sort((a, b) => a.directoryName.localeCompare(b.directoryName) || a.name.localeCompare(b.name));
  return { workspaces, failures };
}
