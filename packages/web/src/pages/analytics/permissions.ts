// What the caller may do with a workspace's analytics rules: the caller's permissions at the
// workspace (api/permissions.ts).
import type { SentinelWorkspace } from '../../api/workspaces.ts';
import { usePermissions } from '../use-permissions.ts';

export const RULES_WRITE = 'Microsoft.SecurityInsights/alertRules/write';
export const RULES_DELETE = 'Microsoft.SecurityInsights/alertRules/delete';
/** Test with current data reads the workspace's logs: authorized as a query. */
export const QUERY_READ = 'Microsoft.OperationalInsights/workspaces/query/read';

export interface RulePermissions {
  /** Still being read: what depends on them waits. */
  loading: boolean;
  write: boolean;
  delete: boolean;
  test: boolean;
}

/** Unreadable permissions allow everything: the server decides, and its refusal is shown. */
export function useRulePermissions(workspace: SentinelWorkspace): RulePermissions {
  const permissions = usePermissions(workspace.id);
  return { loading: permissions.loading, write: permissions.allows(RULES_WRITE), delete: permissions.allows(RULES_DELETE), test: permissions.allows(QUERY_READ) };
}
