// Whether the caller's permissions at a scope (GET {scope}/providers/Microsoft.Authorization/permissions)
// allow an action, with Azure RBAC's matching, as the server's action-match.ts applies it:
// case-insensitive; `*` matches any run of characters; a whole inner segment `/*/` also matches
// no segment; within one block, actions minus notActions; any block may allow it.
import { activeSession } from '../../auth/session.ts';
import { getPermissions, type Permission } from '../../api/settings.ts';

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

export const PROVIDERS_READ = 'Microsoft.Resources/subscriptions/providers/read';
export const registerAction = (namespace: string) => `${namespace}/register/action`;
export const ACTIVITY_READ = 'Microsoft.Insights/eventtypes/values/read';

// The caller's permissions per scope, read once per page visit (the page clears them when it
// opens, and after an activation changes them): several parts of the page ask for the same scope.

const cache = new Map<string, Promise<Permission[]>>();

export function permissionsOf(scope: string): Promise<Permission[]> {
  const key = `${activeSession()?.tenantId ?? ''}|${scope.toLowerCase()}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = getPermissions(scope);
    // A failure is not kept: Try again asks again.
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export function forgetPermissions(): void {
  cache.clear();
}
