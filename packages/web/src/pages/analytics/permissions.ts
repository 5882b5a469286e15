// What the caller may do with a workspace's analytics rules, read as the Azure portal reads it:
// the caller's permissions at the workspace (GET {workspace}/providers/Microsoft.Authorization/permissions,
// one block per grant, own or delegated), matched with Azure RBAC's rules (as the server's
// access/action-match.ts): case-insensitive, `*` any run of characters, a whole inner `/*/` also
// no segment; within a block, actions minus notActions; any block may allow. The page disables
// what the server would refuse rather than sending requests bound to fail.
import { armRequest } from '../../api/arm-client.ts';
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { useLoad } from '../use-load.ts';

interface Permission { actions: string[]; notActions: string[] }

export const RULES_WRITE = 'Microsoft.SecurityInsights/alertRules/write';
export const RULES_DELETE = 'Microsoft.SecurityInsights/alertRules/delete';
/** Test with current data reads the workspace's logs: authorized as a query. */
export const QUERY_READ = 'Microsoft.OperationalInsights/workspaces/query/read';

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

export interface RulePermissions {
  /** Still being read: what depends on them waits. */
  loading: boolean;
  write: boolean;
  delete: boolean;
  test: boolean;
}

/** Unreadable permissions allow everything: the server decides, and its refusal is shown. */
export function useRulePermissions(workspace: SentinelWorkspace): RulePermissions {
  const [permissions] = useLoad(
    () => armRequest<{ value?: Permission[] }>('GET', `${workspace.id}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`).then((r) => r.value ?? []),
    workspace.id,
  );
  const allows = (action: string) => (permissions.status === 'ready' ? allowsAction(permissions.value, action) : permissions.status === 'failed');
  return { loading: permissions.status === 'loading', write: allows(RULES_WRITE), delete: allows(RULES_DELETE), test: allows(QUERY_READ) };
}
