// What the caller may do at a scope, read as the Azure portal reads it: the caller's permissions
// (GET {scope}/providers/Microsoft.Authorization/permissions: one block per grant, own or
// delegated), matched with Azure RBAC's rules as the server's access/action-match.ts applies them:
// case-insensitive; `*` any run of characters; a whole inner segment `/*/` also no segment;
// within one block, actions minus notActions; any block may allow it. The pages disable what the
// server would refuse instead of sending requests bound to fail (each would be a refused request
// in the browser's console), and say which role allows it.
import { activeSession } from '../auth/session.ts';
import { armList } from './arm-client.ts';

export interface Permission { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }

const API_VERSION = 'api-version=2022-04-01';

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

export function allowsAction(permissions: readonly Pick<Permission, 'actions' | 'notActions'>[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((a) => matches(a, action)));
}

// Read once per scope and directory signed in to: several parts of a page ask for the same scope.
// forgetPermissions() drops them when they may have changed (an activated role, a page opened anew).
const cache = new Map<string, Promise<Permission[]>>();

export function permissionsOf(scope: string): Promise<Permission[]> {
  const key = `${activeSession()?.tenantId ?? ''}|${scope.toLowerCase()}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = armList<Permission>(`${scope}/providers/Microsoft.Authorization/permissions?${API_VERSION}`);
    // A failure is not kept: Try again asks again.
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export function forgetPermissions(): void {
  cache.clear();
}
