// Property: directories are isolated. In random worlds (directories, users, groups, role
// assignments, Lighthouse delegations) authorize() allows a caller an action on a scope only if
// an independently computed path exists: a role assignment in the owning directory to the caller
// (or one of its groups) at the scope or above whose role allows the action, or a delegation of
// the scope (or above) to the caller's own directory naming the caller (or one of its groups)
// with a role that allows it. And it allows whenever such a path exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { openDatabase } from '../src/db/database.ts';
import { applyEnvironmentText } from '../src/bootstrap/apply-environment.ts';
import { authorize } from '../src/access/authorize.ts';
import type { Caller } from '../src/access/caller.ts';
import { findBuiltinRoleByName, ROLE_IDS } from '../src/access/builtin-roles.ts';
import { roleAllowsAction } from '../src/access/action-match.ts';

const ROLES = [
  'Owner', 'Contributor', 'Reader', 'Log Analytics Reader', 'Log Analytics Contributor',
  'Microsoft Sentinel Reader', 'Microsoft Sentinel Responder', 'Microsoft Sentinel Contributor', 'User Access Administrator',
] as const;
const DELEGABLE = ROLES.filter((r) => r !== 'Owner');
const ACTIONS = [
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/write',
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Resources/subscriptions/resourceGroups/write',
  'Microsoft.SecurityInsights/dataConnectors/write',
  'Microsoft.SecurityInsights/incidents/delete',
  'Microsoft.Authorization/roleAssignments/write',
] as const;
const UAA_DELEGATED_ROLES = ['Reader'];

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');
const id = (kind: number, d: number, i: number) => `${hex(kind, 8)}-${hex(d, 4)}-4000-8000-${hex(i, 12)}`;

interface PrincipalSpec { kind: 'user' | 'group'; members: number[] }
interface AssignmentSpec { principal: number; role: number; level: 0 | 1 | 2 }
interface DelegationSpec { managedBy: number; atResourceGroup: boolean; authorizations: { principal: number; role: number }[] }
interface SubSpec { assignments: AssignmentSpec[]; delegation: DelegationSpec | null }
interface DirSpec { principals: PrincipalSpec[]; subs: SubSpec[] }

const principalArb = fc.record({ kind: fc.constantFrom<'user' | 'group'>('user', 'group'), members: fc.uniqueArray(fc.nat(2), { maxLength: 3 }) });
const assignmentArb = fc.record({ principal: fc.nat(2), role: fc.nat(ROLES.length - 1), level: fc.constantFrom<0 | 1 | 2>(0, 1, 2) });
const delegationArb = fc.record({
  managedBy: fc.nat(3),
  atResourceGroup: fc.boolean(),
  authorizations: fc.uniqueArray(fc.record({ principal: fc.nat(2), role: fc.nat(DELEGABLE.length - 1) }), { minLength: 1, maxLength: 3, selector: (a) => `${a.principal}/${a.role}` }),
});
const subArb = fc.record({
  assignments: fc.uniqueArray(assignmentArb, { maxLength: 4, selector: (a) => `${a.principal}/${a.role}/${a.level}` }),
  delegation: fc.option(delegationArb, { nil: null }),
});
const dirArb = fc.record({
  principals: fc.array(principalArb, { minLength: 1, maxLength: 3 }),
  subs: fc.array(subArb, { minLength: 1, maxLength: 2 }),
});
const worldArb = fc.array(dirArb, { minLength: 2, maxLength: 4 });

/** Normalizes a generated world: references wrap to existing entities; every directory has a user. */
function normalize(world: DirSpec[]): DirSpec[] {
  return world.map((dir, d) => {
    const principals = dir.principals.map((p, i) => (i === 0 ? { kind: 'user' as const, members: [] } : p));
    const users = principals.map((p, i) => (p.kind === 'user' ? i : -1)).filter((i) => i >= 0);
    const fixed = principals.map((p) => (p.kind === 'group' ? { kind: 'group' as const, members: [...new Set(p.members.map((m) => users[m % users.length]!))] } : { kind: 'user' as const, members: [] }));
    const subs = dir.subs.map((s) => {
      const assignments = dedupe(s.assignments.map((a) => ({ ...a, principal: a.principal % fixed.length })), (a) => `${a.principal}/${a.role}/${a.level}`);
      let delegation: DelegationSpec | null = null;
      if (s.delegation !== null) {
        const others = world.map((_, i) => i).filter((i) => i !== d);
        const managedBy = others[s.delegation.managedBy % others.length]!;
        const n = world[managedBy]!.principals.length;
        delegation = { ...s.delegation, managedBy, authorizations: dedupe(s.delegation.authorizations.map((a) => ({ ...a, principal: a.principal % n })), (a) => `${a.principal}/${a.role}`) };
      }
      return { assignments, delegation };
    });
    return { principals: fixed, subs };
  });
}
function dedupe<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}

const dirId = (d: number) => id(0xd, d, 1);
const subId = (d: number, s: number) => id(0x5, d, s + 1);
const principalId = (d: number, p: number) => id(0x9, d, p + 1);
const pName = (world: DirSpec[], d: number, p: number) => `${world[d]!.principals[p]!.kind === 'user' ? 'u' : 'g'}${p}`;
const scopes = (d: number, s: number) => {
  const sub = `/subscriptions/${subId(d, s)}`;
  const rg = `${sub}/resourcegroups/rg`;
  return [sub, rg, `${rg}/providers/microsoft.operationalinsights/workspaces/ws-main`] as const;
};

function toYaml(world: DirSpec[]): string {
  return stringify({
    directories: world.map((dir, d) => ({
      name: `d${d}`, id: dirId(d), displayName: `Directory ${d}`, domain: `d${d}.example`,
      users: dir.principals.flatMap((p, i) => (p.kind === 'user' ? [{ name: `u${i}`, id: principalId(d, i), upn: `u${i}@d${d}.example`, password: 'Property-Passw0rd!' }] : [])),
      groups: dir.principals.flatMap((p, i) => (p.kind === 'group' ? [{ name: `g${i}`, id: principalId(d, i), members: p.members.map((m) => `u${m}`) }] : [])),
      subscriptions: dir.subs.map((s, k) => ({
        name: `s${k}`, id: subId(d, k),
        providers: ['Microsoft.OperationalInsights', 'Microsoft.SecurityInsights', 'Microsoft.ManagedServices'],
        resourceGroups: [{ name: 'rg', workspaces: [{ name: 'ws-main' }] }],
        roleAssignments: s.assignments.map((a) => ({
          principal: pName(world, d, a.principal), role: ROLES[a.role],
          ...(a.level === 1 ? { scope: 'rg' } : a.level === 2 ? { scope: 'rg/ws-main' } : {}),
        })),
        delegations: s.delegation === null ? [] : [{
          offer: `offer-${d}-${k}`, managedBy: `d${s.delegation.managedBy}`,
          ...(s.delegation.atResourceGroup ? { resourceGroup: 'rg' } : {}),
          authorizations: s.delegation.authorizations.map((a) => ({
            principal: pName(world, s.delegation!.managedBy, a.principal), role: DELEGABLE[a.role],
            ...(DELEGABLE[a.role] === 'User Access Administrator' ? { delegatedRoles: UAA_DELEGATED_ROLES } : {}),
          })),
        }],
      })),
    })),
  });
}

const allows = (roleName: string, action: string) => roleAllowsAction(findBuiltinRoleByName(roleName)!, action);
const atOrAbove = (assigned: string, scope: string) => scope === assigned || scope.startsWith(`${assigned}/`);

/** The independent oracle. */
function expected(world: DirSpec[], cd: number, cp: number, action: string, od: number, os: number, scope: string): boolean {
  const groupsOf = (d: number, p: number) => world[d]!.principals.map((g, i) => (g.kind === 'group' && g.members.includes(p) ? i : -1)).filter((i) => i >= 0);
  const ids = new Set([cp, ...groupsOf(cd, cp)]);
  const sub = world[od]!.subs[os]!;
  const levels = scopes(od, os);
  if (cd === od) {
    return sub.assignments.some((a) => ids.has(a.principal) && atOrAbove(levels[a.level], scope) && allows(ROLES[a.role]!, action));
  }
  const del = sub.delegation;
  if (del === null || del.managedBy !== cd) return false;
  if (!atOrAbove(del.atResourceGroup ? levels[1] : levels[0], scope)) return false;
  return del.authorizations.some((a) => {
    if (!ids.has(a.principal)) return false;
    const role = DELEGABLE[a.role]!;
    if (!allows(role, action)) return false;
    // The check below passes the Reader role as the role being assigned.
    if (role === 'User Access Administrator' && action === 'Microsoft.Authorization/roleAssignments/write') return UAA_DELEGATED_ROLES.includes('Reader');
    return true;
  });
}

test('authorize() allows exactly along role-assignment and delegation paths', { timeout: 120_000 }, async () => {
  let checks = 0;
  let allowedDelegated = 0;
  await fc.assert(
    fc.asyncProperty(worldArb, async (raw) => {
      const world = normalize(raw);
      const { db, close } = await openDatabase(':memory:');
      try {
        await applyEnvironmentText(db, toYaml(world), 'generated.yaml');
        const ctx = { db, now: () => new Date() };
        for (const [cd, dir] of world.entries()) {
          for (const [cp, p] of dir.principals.entries()) {
            if (p.kind !== 'user') continue;
            const groupIds = dir.principals.map((g, i) => (g.kind === 'group' && g.members.includes(cp) ? principalId(cd, i) : undefined)).filter((x): x is string => x !== undefined);
            const caller: Caller = { principalId: principalId(cd, cp), directoryId: dirId(cd), kind: 'User', displayName: `u${cp}`, name: `u${cp}@d${cd}.example`, groupIds };
            for (const [od, odir] of world.entries()) {
              for (const os of odir.subs.keys()) {
                for (const scope of scopes(od, os)) {
                  for (const action of ACTIONS) {
                    const decision = await authorize(ctx, caller, action, scope, { assignedRoleDefinitionId: ROLE_IDS.reader });
                    const want = expected(world, cd, cp, action, od, os, scope);
                    checks++;
                    if (decision.allowed && cd !== od) allowedDelegated++;
                    assert.equal(decision.allowed, want, `d${cd}/u${cp} ${action} on ${scope}: authorize=${decision.allowed} oracle=${want}\n${toYaml(world)}`);
                    if (decision.allowed) {
                      assert.equal(decision.grant.kind, cd === od ? 'direct' : 'delegated');
                      assert.equal(decision.ownerDirectoryId, dirId(od));
                    }
                  }
                }
              }
            }
          }
        }
      } finally {
        await close();
      }
    }),
    { numRuns: 30 },
  );
  assert.ok(checks > 1000, `checked ${checks} decisions`);
  assert.ok(allowedDelegated > 0, 'the generated worlds exercise delegated access');
});
