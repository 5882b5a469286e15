// What the caller may do in a workspace, read as the Azure portal reads it: the caller's
// permissions at the workspace's resource group (GET .../providers/Microsoft.Authorization/permissions,
// one block per grant, own or delegated), matched with Azure RBAC's rules (the server's
// action-match.ts): case-insensitive, `*` any run of characters, a whole inner `/*/` also no
// segment; within a block, actions minus notActions; any block may allow it. The pages disable
// what the server would refuse instead of sending requests bound to fail.
import { armRequest } from '../../api/arm-client.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { useLoad } from '../use-load.ts';

interface Permission { actions: string[]; notActions: string[] }

function matches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase().replace(/\*+/g, '*');
  if (p === '*') return true;
  let source = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c !== '*') { source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&'); continue; }
    if (p[i - 1] === '/' && p[i + 1] === '/') { source += '(?:.*/)?'; i++; } else source += '.*';
  }
  return new RegExp(`^${source}$`, 's').test(action.toLowerCase());
}

export function allowsAction(permissions: readonly Permission[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((a) => matches(a, action)));
}

export interface Permissions {
  /** Still being read: the actions that depend on them wait. */
  loading: boolean;
  /** False only when the permissions were read and do not allow the action (unreadable: the server decides, and its refusal is shown). */
  allows(action: string): boolean;
}

export function usePermissions(workspace: SentinelWorkspace): Permissions {
  const scope = `/subscriptions/${workspace.subscriptionId}/resourceGroups/${workspace.resourceGroup}`;
  const [permissions] = useLoad(
    () => armRequest<{ value?: Permission[] }>('GET', `${scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`).then((r) => r.value ?? []),
    scope,
  );
  return {
    loading: permissions.status === 'loading',
    allows: (action: string) => (permissions.status === 'ready' ? allowsAction(permissions.value, action) : true),
  };
}
