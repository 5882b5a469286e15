import { allowsAction, permissionsOf } from '../api/permissions.ts';
import { useLoad } from './use-load.ts';

export interface Permissions {
  /** Still being read: the actions that depend on them wait. */
  loading: boolean;
  /** False only when the permissions were read and do not allow the action (unreadable: the server decides, and its refusal is shown). */
  allows(action: string): boolean;
}

/** The caller's permissions at a scope (a workspace's ARM id, say), as a page's actions need them. */
export function usePermissions(scope: string): Permissions {
  const [permissions] = useLoad(() => permissionsOf(scope), scope);
  return {
    loading: permissions.status === 'loading',
    allows: (action: string) => (permissions.status === 'ready' ? allowsAction(permissions.value, action) : permissions.status === 'failed'),
  };
}
