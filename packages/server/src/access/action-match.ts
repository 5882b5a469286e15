// Azure RBAC action matching.
//
// Semantics (Azure docs, "Understand Azure role definitions" / "Azure custom roles"):
// - Permission strings are case-insensitive.
// - `*` extends a permission to everything that matches the rest of the string; it may stand
//   anywhere and matches any run of characters, `/` included (`*` = everything, `*/read` = every
//   read operation of every provider, `Microsoft.Foo/*` = every operation of that provider).
// - A `*` that fills a whole inner segment (`a/*/b`) also matches no segment at all (`a/b`).
//   Plain glob matching would not give this, but Microsoft's documented behaviour of the built-in
//   roles needs it: Microsoft Sentinel Responder excludes `Microsoft.SecurityInsights/incidents/*/Delete`
//   and Microsoft documents that deleting an incident (`.../incidents/delete`) needs Microsoft
//   Sentinel Contributor; Key Vault Reader "reads metadata of key vaults" while granting only
//   `Microsoft.KeyVault/vaults/*/read`. Consequently `Microsoft.OperationalInsights/workspaces/*/read`
//   (Sentinel Reader/Responder/Contributor, Security Reader/Admin) covers `workspaces/read`.
// - Within one permission block the effective set is Actions minus NotActions (likewise for data
//   actions); a role allows an operation when any of its blocks does. NotActions are a
//   subtraction, not a deny: another role assignment can still grant the operation.
// - Actions never grant data actions and vice versa: Owner's `*` grants no data actions.
//
// Patterns are compiled once and cached, and each role's blocks are compiled once per role
// object, because authorization runs on every request.

import type { Permission, RoleDefinition } from './builtin-roles.ts';

/** Tests an already lower-cased action. */
type Matcher = (lowerAction: string) => boolean;

const MATCH_ALL: Matcher = () => true;
const MAX_CACHED_PATTERNS = 10_000;
const patternCache = new Map<string, Matcher>();

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function buildMatcher(pattern: string): Matcher {
  const p = pattern.toLowerCase().replace(/\*+/g, '*');
  if (p === '*') return MATCH_ALL;
  if (!p.includes('*')) return (a) => a === p;
  let source = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c !== '*') {
      source += escapeRegExp(c);
      continue;
    }
    // A whole inner segment "/*/" may also stand for zero segments.
    if (p[i - 1] === '/' && p[i + 1] === '/') {
      source += '(?:.*/)?';
      i++; // the following '/' is part of the optional group
    } else {
      source += '.*';
    }
  }
  const re = new RegExp(`^${source}$`, 's');
  return (a) => re.test(a);
}

function compile(pattern: string): Matcher {
  let m = patternCache.get(pattern);
  if (m === undefined) {
    if (patternCache.size >= MAX_CACHED_PATTERNS) patternCache.clear();
    m = buildMatcher(pattern);
    patternCache.set(pattern, m);
  }
  return m;
}

/** Whether an Azure permission pattern (from Actions, NotActions, DataActions or NotDataActions) covers an operation. */
export function actionMatches(pattern: string, action: string): boolean {
  return compile(pattern)(action.toLowerCase());
}

interface CompiledBlock {
  actions: readonly Matcher[];
  notActions: readonly Matcher[];
  dataActions: readonly Matcher[];
  notDataActions: readonly Matcher[];
}

const roleCache = new WeakMap<RoleDefinition, readonly CompiledBlock[]>();

function compileBlock(p: Permission): CompiledBlock {
  return {
    actions: p.actions.map(compile),
    notActions: p.notActions.map(compile),
    dataActions: p.dataActions.map(compile),
    notDataActions: p.notDataActions.map(compile),
  };
}

function compiledRole(role: RoleDefinition): readonly CompiledBlock[] {
  let blocks = roleCache.get(role);
  if (blocks === undefined) {
    blocks = role.permissions.map(compileBlock);
    roleCache.set(role, blocks);
  }
  return blocks;
}

function anyMatch(matchers: readonly Matcher[], lowerAction: string): boolean {
  for (const m of matchers) if (m(lowerAction)) return true;
  return false;
}

/** Whether some permission block of the role grants the control-plane action and does not exclude it. */
export function roleAllowsAction(role: RoleDefinition, action: string): boolean {
  const a = action.toLowerCase();
  return compiledRole(role).some((b) => anyMatch(b.actions, a) && !anyMatch(b.notActions, a));
}

/** Whether some permission block of the role grants the data-plane action and does not exclude it. */
export function roleAllowsDataAction(role: RoleDefinition, dataAction: string): boolean {
  const a = dataAction.toLowerCase();
  return compiledRole(role).some((b) => anyMatch(b.dataActions, a) && !anyMatch(b.notDataActions, a));
}
