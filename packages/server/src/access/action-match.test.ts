import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actionMatches, roleAllowsAction, roleAllowsDataAction } from './action-match.ts';
import type { RoleDefinition } from './builtin-roles.ts';

function customRole(permissions: RoleDefinition['permissions']): RoleDefinition {
  return { id: '00000000-0000-0000-0000-000000000001', roleName: 'Test', description: '', roleType: 'BuiltInRole', permissions };
}

test('a pattern without wildcards matches exactly, ignoring case', () => {
  assert.equal(actionMatches('Microsoft.OperationalInsights/workspaces/read', 'Microsoft.OperationalInsights/workspaces/read'), true);
  assert.equal(actionMatches('Microsoft.OperationalInsights/workspaces/read', 'microsoft.operationalinsights/WORKSPACES/Read'), true);
  assert.equal(actionMatches('Microsoft.OperationalInsights/workspaces/read', 'Microsoft.OperationalInsights/workspaces/write'), false);
  assert.equal(actionMatches('Microsoft.OperationalInsights/workspaces/read', 'Microsoft.OperationalInsights/workspaces/read/extra'), false);
  assert.equal(actionMatches('Microsoft.OperationalInsights/workspaces/read', 'Microsoft.OperationalInsights/workspaces'), false);
});

test('dots and other regex characters in a pattern are literal', () => {
  assert.equal(actionMatches('Microsoft.Foo/bar/read', 'MicrosoftXFoo/bar/read'), false);
  assert.equal(actionMatches('Microsoft.Foo/*', 'MicrosoftXFoo/bar/read'), false);
  assert.equal(actionMatches('Microsoft.Foo/(a|b)/read', 'Microsoft.Foo/a/read'), false);
  assert.equal(actionMatches('Microsoft.Foo/(a|b)/read', 'Microsoft.Foo/(a|b)/read'), true);
});

test('* alone matches every action', () => {
  assert.equal(actionMatches('*', 'Microsoft.Authorization/roleAssignments/write'), true);
  assert.equal(actionMatches('*', 'x'), true);
});

test('*/read matches reads of any depth and nothing else', () => {
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/read'), true);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/baz/qux/read'), true);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/write'), false);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/readonly/action'), false);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/unread'), false);
  assert.equal(actionMatches('*/READ', 'microsoft.foo/bar/Read'), true);
});

test('a trailing /* covers everything below the prefix, but not the prefix alone or a longer name', () => {
  assert.equal(actionMatches('Microsoft.Support/*', 'Microsoft.Support/supportTickets/write'), true);
  assert.equal(actionMatches('Microsoft.Support/*', 'Microsoft.Support/register/action'), true);
  assert.equal(actionMatches('Microsoft.Support/*', 'Microsoft.SupportX/register/action'), false);
  assert.equal(actionMatches('Microsoft.Support/*', 'Microsoft.Support'), false);
  assert.equal(actionMatches('Microsoft.SecurityInsights/incidents/*', 'Microsoft.SecurityInsights/incidents/comments/write'), true);
  assert.equal(actionMatches('Microsoft.SecurityInsights/incidents/*', 'Microsoft.SecurityInsights/alertRules/write'), false);
});

test('workspaces/*/read covers child reads and, as Azure applies it, workspaces/read itself', () => {
  const p = 'Microsoft.OperationalInsights/workspaces/*/read';
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspaces/query/read'), true);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspaces/query/SecurityEvent/read'), true);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspaces/read'), true);
  assert.equal(actionMatches(p, 'microsoft.operationalinsights/Workspaces/READ'), true);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspaces/write'), false);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspaces/sharedKeys/action'), false);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/workspacesX/read'), false);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/clusters/read'), false);
  assert.equal(actionMatches(p, 'Microsoft.OperationalInsights/read'), false);
});

test('an inner /*/ in a NotAction excludes the parent operation too (incidents/*/Delete)', () => {
  const p = 'Microsoft.SecurityInsights/incidents/*/Delete';
  assert.equal(actionMatches(p, 'Microsoft.SecurityInsights/incidents/delete'), true);
  assert.equal(actionMatches(p, 'Microsoft.SecurityInsights/incidents/comments/delete'), true);
  assert.equal(actionMatches(p, 'Microsoft.SecurityInsights/incidents/write'), false);
  assert.equal(actionMatches(p, 'Microsoft.SecurityInsights/incidents/comments/write'), false);
});

test('several wildcards and wildcards inside a segment', () => {
  assert.equal(actionMatches('Microsoft.CostManagement/*/query/*', 'Microsoft.CostManagement/externalBillingAccounts/query/action'), true);
  assert.equal(actionMatches('Microsoft.CostManagement/*/query/*', 'Microsoft.CostManagement/query/action'), true);
  assert.equal(actionMatches('Microsoft.CostManagement/*/query/*', 'Microsoft.CostManagement/exports/read'), false);
  assert.equal(actionMatches('Microsoft.Capacity/*/action', 'Microsoft.Capacity/reservationOrders/split/action'), true);
  assert.equal(actionMatches('Microsoft.Foo/bar*', 'Microsoft.Foo/barbaz/read'), true);
  assert.equal(actionMatches('Microsoft.Foo/bar*', 'Microsoft.Foo/ba/read'), false);
  assert.equal(actionMatches('Microsoft.Foo/**/read', 'Microsoft.Foo/read'), true);
});

test('property: a pattern without * matches exactly the same string in any case', () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9.]{1,12}$/);
  const action = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
  fc.assert(
    fc.property(action, action, (a, b) => {
      assert.equal(actionMatches(a, a.toUpperCase()), true);
      assert.equal(actionMatches('*', b), true);
      assert.equal(actionMatches(a, b), a.toLowerCase() === b.toLowerCase());
      assert.equal(actionMatches(`${a}/*`, `${a}/${b}`), true);
      assert.equal(actionMatches(`*/${b}`, `${a}/${b}`), true);
    }),
  );
});

test('results stay correct after the pattern cache has been cycled', () => {
  for (let i = 0; i < 10_100; i++) actionMatches(`Microsoft.P${i}/*`, `Microsoft.P${i}/x/read`);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/read'), true);
  assert.equal(actionMatches('*/read', 'Microsoft.Foo/bar/write'), false);
});

test('NotActions subtract within their own block; blocks are unioned', () => {
  const single = customRole([{ actions: ['Microsoft.Foo/*'], notActions: ['Microsoft.Foo/bar/delete'], dataActions: [], notDataActions: [] }]);
  assert.equal(roleAllowsAction(single, 'Microsoft.Foo/bar/write'), true);
  assert.equal(roleAllowsAction(single, 'Microsoft.Foo/BAR/Delete'), false);
  assert.equal(roleAllowsAction(single, 'Microsoft.Other/bar/write'), false);

  const two = customRole([
    { actions: ['Microsoft.Foo/*'], notActions: ['Microsoft.Foo/bar/delete'], dataActions: [], notDataActions: [] },
    { actions: ['Microsoft.Foo/bar/delete'], notActions: [], dataActions: [], notDataActions: [] },
  ]);
  assert.equal(roleAllowsAction(two, 'Microsoft.Foo/bar/delete'), true);
});

test('actions and data actions are separate planes', () => {
  const r = customRole([
    {
      actions: ['*'],
      notActions: [],
      dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
      notDataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'],
    },
  ]);
  assert.equal(roleAllowsAction(r, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'), true, '* in Actions matches the string');
  assert.equal(roleAllowsDataAction(r, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'), true);
  assert.equal(roleAllowsDataAction(r, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'), false);
  assert.equal(roleAllowsDataAction(r, 'Microsoft.Insights/Telemetry/Write'), false);

  const noData = customRole([{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }]);
  assert.equal(roleAllowsDataAction(noData, 'Microsoft.Insights/Telemetry/Write'), false);
});

test('a role with no permission blocks allows nothing', () => {
  const empty = customRole([]);
  assert.equal(roleAllowsAction(empty, 'Microsoft.Foo/bar/read'), false);
  assert.equal(roleAllowsDataAction(empty, 'Microsoft.Foo/bar/read'), false);
});
