import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_ROLES, ROLE_IDS, findBuiltinRole, findBuiltinRoleByName, hasDataActions, roleDefinitionGuid, type RoleDefinition } from './builtin-roles.ts';
import { roleAllowsAction, roleAllowsDataAction } from './action-match.ts';

function get(id: string): RoleDefinition {
  const r = findBuiltinRole(id);
  assert.ok(r, `role ${id} is in the catalogue`);
  return r;
}

const allows = (id: string, action: string): boolean => roleAllowsAction(get(id), action);

const OI = 'Microsoft.OperationalInsights/workspaces';
const SI = 'Microsoft.SecurityInsights';

test('role ids are the published GUIDs (shared REFERENCE table and Microsoft docs)', () => {
  const expected: Record<string, string> = {
    Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    'Log Analytics Contributor': '92aaf0da-9dab-42b6-94a3-d43ce8d16293',
    'Log Analytics Reader': '73c42c96-874c-492b-b04d-ab87d138a893',
    'Microsoft Sentinel Contributor': 'ab8e14d6-4a74-4a29-9ba8-549422addade',
    'Microsoft Sentinel Responder': '3e150937-b8fe-4cfb-8069-0eaf05ecd056',
    'Microsoft Sentinel Reader': '8d289c81-5878-46d4-8554-54e1e3d8b5cb',
    'Microsoft Sentinel Automation Contributor': 'f4c81013-99ee-4d62-a7ee-b3f1f648599a',
    'Microsoft Sentinel Playbook Operator': '51d6186e-6489-4900-b93f-92e23144cca5',
    'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
    'Managed Services Registration assignment Delete Role': '91c1777a-f3dc-4fae-b103-61d183457e46',
    'Resource Policy Contributor': '36243c78-bf99-498c-9df9-86d9f8d28608',
    'Monitoring Reader': '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
    'Monitoring Contributor': '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
    'Security Reader': '39bc4728-0917-49c7-9d2c-d95423bc2eb4',
    'Security Admin': 'fb1c8493-542b-48eb-b624-b4c8fea62acd',
  };
  for (const [name, id] of Object.entries(expected)) {
    assert.equal(findBuiltinRoleByName(name)?.id, id, name);
  }
  assert.equal(BUILTIN_ROLES.length, Object.keys(expected).length);
});

test('catalogue is consistent: lower-case unique ids, unique names, ROLE_IDS covers every role', () => {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const r of BUILTIN_ROLES) {
    assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(r.roleType, 'BuiltInRole');
    assert.ok(r.description.length > 0, r.roleName);
    assert.ok(r.permissions.length >= 1, r.roleName);
    ids.add(r.id);
    names.add(r.roleName.toLowerCase());
  }
  assert.equal(ids.size, BUILTIN_ROLES.length);
  assert.equal(names.size, BUILTIN_ROLES.length);
  assert.deepEqual(new Set(Object.values(ROLE_IDS)), ids);
});

test('the catalogue is immutable', () => {
  const owner = get(ROLE_IDS.owner);
  assert.throws(() => (BUILTIN_ROLES as RoleDefinition[]).push(owner));
  assert.throws(() => (owner.permissions[0]?.actions as string[]).push('x'));
  assert.throws(() => {
    (owner as { roleName: string }).roleName = 'x';
  });
  assert.throws(() => {
    (ROLE_IDS as { owner: string }).owner = 'x';
  });
});

test('findBuiltinRole accepts bare GUIDs and full role definition ids, case-insensitively', () => {
  const g = ROLE_IDS.sentinelResponder;
  for (const ref of [
    g,
    g.toUpperCase(),
    ` ${g} `,
    `/providers/Microsoft.Authorization/roleDefinitions/${g}`,
    `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${g}`,
    `/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEDEFINITIONS/${g.toUpperCase()}`,
    `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/${g}`,
    `/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleDefinitions/${g}`,
    `//subscriptions/00000000-0000-0000-0000-000000000001//providers/Microsoft.Authorization/roleDefinitions/${g}/`,
  ]) {
    assert.equal(findBuiltinRole(ref)?.roleName, 'Microsoft Sentinel Responder', ref);
  }
});

test('findBuiltinRole returns undefined for unknown or malformed references', () => {
  assert.equal(findBuiltinRole('00000000-0000-0000-0000-000000000000'), undefined);
  assert.equal(findBuiltinRole('/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000'), undefined);
  assert.equal(findBuiltinRole(''), undefined);
  assert.equal(findBuiltinRole('Owner'), undefined);
  assert.equal(findBuiltinRole('8e3af657a8ff443ca75c2fe8c4bcb635'), undefined);
  assert.equal(findBuiltinRole(`/providers/Microsoft.Authorization/roleAssignments/${ROLE_IDS.owner}`), undefined);
  assert.equal(findBuiltinRole(`/subscriptions/${ROLE_IDS.owner}`), undefined);
  assert.equal(roleDefinitionGuid(`/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.owner.toUpperCase()}`), ROLE_IDS.owner);
});

test('findBuiltinRoleByName is case-insensitive', () => {
  assert.equal(findBuiltinRoleByName('microsoft sentinel reader')?.id, ROLE_IDS.sentinelReader);
  assert.equal(findBuiltinRoleByName('MANAGED SERVICES REGISTRATION ASSIGNMENT DELETE ROLE')?.id, ROLE_IDS.registrationAssignmentDeleteRole);
  assert.equal(findBuiltinRoleByName('Azure Sentinel Reader'), undefined);
  assert.equal(findBuiltinRoleByName(''), undefined);
});

test('only Monitoring Metrics Publisher carries data actions (so it alone cannot be delegated through Lighthouse)', () => {
  for (const r of BUILTIN_ROLES) {
    assert.equal(hasDataActions(r), r.id === ROLE_IDS.monitoringMetricsPublisher, r.roleName);
  }
  const mmp = get(ROLE_IDS.monitoringMetricsPublisher);
  assert.equal(roleAllowsDataAction(mmp, 'Microsoft.Insights/Telemetry/Write'), true, 'Logs Ingestion API / DCR upload');
  assert.equal(roleAllowsDataAction(mmp, 'Microsoft.Insights/Metrics/Write'), true);
  assert.equal(roleAllowsDataAction(mmp, 'microsoft.insights/telemetry/write'), true);
  assert.equal(roleAllowsAction(mmp, 'Microsoft.Insights/Telemetry/Write'), false, 'data actions are not control-plane actions');
  assert.equal(roleAllowsAction(mmp, `${OI}/read`), false);
  assert.equal(roleAllowsAction(mmp, 'Microsoft.Resources/subscriptions/resourceGroups/read'), true);
});

test('Owner can do everything on the control plane, including role assignments, but gets no data actions', () => {
  assert.equal(allows(ROLE_IDS.owner, 'Microsoft.Authorization/roleAssignments/write'), true);
  assert.equal(allows(ROLE_IDS.owner, 'Microsoft.ManagedServices/registrationDefinitions/write'), true);
  assert.equal(roleAllowsDataAction(get(ROLE_IDS.owner), 'Microsoft.Insights/Telemetry/Write'), false);
});

test('Contributor manages resources but not access', () => {
  const c = ROLE_IDS.contributor;
  assert.equal(allows(c, 'Microsoft.Authorization/roleAssignments/write'), false);
  assert.equal(allows(c, 'Microsoft.Authorization/roleAssignments/delete'), false);
  assert.equal(allows(c, 'Microsoft.Authorization/elevateAccess/action'), false);
  assert.equal(allows(c, 'Microsoft.Authorization/roleAssignments/read'), true);
  assert.equal(allows(c, `${OI}/write`), true);
  assert.equal(allows(c, `${SI}/incidents/delete`), true);
  assert.equal(allows(c, 'Microsoft.ManagedServices/registrationAssignments/write'), true);
});

test('Reader reads everything and writes nothing', () => {
  const r = ROLE_IDS.reader;
  assert.equal(allows(r, `${OI}/read`), true);
  assert.equal(allows(r, `${OI}/write`), false);
  assert.equal(allows(r, `${OI}/query/read`), true);
  assert.equal(allows(r, `${SI}/incidents/read`), true);
  assert.equal(allows(r, `${SI}/incidents/write`), false);
  assert.equal(allows(r, 'Microsoft.Resources/subscriptions/read'), true);
  assert.equal(allows(r, 'Microsoft.Authorization/roleAssignments/write'), false);
});

test('User Access Administrator manages access but not resources', () => {
  const u = ROLE_IDS.userAccessAdministrator;
  assert.equal(allows(u, 'Microsoft.Authorization/roleAssignments/write'), true);
  assert.equal(allows(u, 'Microsoft.Authorization/roleAssignments/delete'), true);
  assert.equal(allows(u, `${OI}/read`), true);
  assert.equal(allows(u, `${OI}/write`), false);
});

test('Log Analytics Reader can query and search but not read shared keys or write', () => {
  const l = ROLE_IDS.logAnalyticsReader;
  assert.equal(allows(l, `${OI}/read`), true);
  assert.equal(allows(l, `${OI}/query/read`), true);
  assert.equal(allows(l, `${OI}/query/SecurityEvent/read`), true);
  assert.equal(allows(l, `${OI}/analytics/query/action`), true);
  assert.equal(allows(l, `${OI}/search/action`), true);
  assert.equal(allows(l, `${OI}/sharedKeys/read`), false);
  assert.equal(allows(l, `${OI}/sharedKeys/action`), false);
  assert.equal(allows(l, `${OI}/write`), false);
  assert.equal(allows(l, `${SI}/incidents/write`), false);
});

test('Log Analytics Contributor manages workspaces', () => {
  const l = ROLE_IDS.logAnalyticsContributor;
  assert.equal(allows(l, `${OI}/write`), true);
  assert.equal(allows(l, `${OI}/delete`), true);
  assert.equal(allows(l, `${OI}/sharedKeys/action`), true);
  assert.equal(allows(l, `${OI}/tables/write`), true);
  assert.equal(allows(l, 'Microsoft.Authorization/roleAssignments/write'), false);
  assert.equal(allows(l, `${SI}/incidents/write`), false);
});

test('Microsoft Sentinel Reader reads Sentinel and queries logs but changes nothing', () => {
  const r = ROLE_IDS.sentinelReader;
  assert.equal(allows(r, `${SI}/incidents/read`), true);
  assert.equal(allows(r, `${SI}/incidents/comments/read`), true);
  assert.equal(allows(r, `${SI}/alertRules/read`), true);
  assert.equal(allows(r, `${SI}/threatIntelligence/queryIndicators/action`), true);
  assert.equal(allows(r, `${SI}/incidents/write`), false);
  assert.equal(allows(r, `${SI}/incidents/comments/write`), false);
  assert.equal(allows(r, `${SI}/alertRules/write`), false);
  assert.equal(allows(r, `${OI}/query/read`), true);
  assert.equal(allows(r, `${OI}/query/SecurityEvent/read`), true);
  assert.equal(allows(r, `${OI}/analytics/query/action`), true);
  assert.equal(allows(r, `${OI}/read`), true, 'via workspaces/*/read');
  assert.equal(allows(r, `${OI}/write`), false);
  assert.equal(allows(r, `${OI}/sharedKeys/action`), false);
  assert.equal(allows(r, `${SI}/ConfidentialWatchlists/read`), false);
  assert.equal(allows(r, `${OI}/query/ConfidentialWatchlist/read`), false);
  assert.equal(allows(r, 'Microsoft.Resources/subscriptions/read'), false, 'no subscription read in the role');
});

test('Microsoft Sentinel Responder manages incidents but not analytics rules, and cannot delete incidents', () => {
  const r = ROLE_IDS.sentinelResponder;
  assert.equal(allows(r, `${SI}/incidents/write`), true);
  assert.equal(allows(r, `${SI}/incidents/comments/write`), true);
  assert.equal(allows(r, `${SI}/incidents/tasks/write`), true);
  assert.equal(allows(r, `${SI}/incidents/read`), true);
  assert.equal(allows(r, `${SI}/automationRules/write`), true);
  assert.equal(allows(r, `${SI}/entities/runPlaybook/action`), true);
  assert.equal(allows(r, `${SI}/alertRules/write`), false);
  assert.equal(allows(r, `${SI}/alertRules/read`), true);
  assert.equal(allows(r, `${SI}/watchlists/write`), false);
  assert.equal(allows(r, `${SI}/incidents/delete`), false, 'Microsoft documents incident deletion as Sentinel Contributor only');
  assert.equal(allows(r, `${SI}/incidents/comments/delete`), false);
  assert.equal(allows(r, `${SI}/cases/delete`), false);
  assert.equal(allows(r, `${OI}/read`), true, 'via workspaces/*/read');
  assert.equal(allows(r, `${OI}/query/read`), true);
  assert.equal(allows(r, `${OI}/write`), false);
});

test('Microsoft Sentinel Contributor manages all Sentinel content except confidential watchlists', () => {
  const c = ROLE_IDS.sentinelContributor;
  assert.equal(allows(c, `${SI}/alertRules/write`), true);
  assert.equal(allows(c, `${SI}/incidents/delete`), true);
  assert.equal(allows(c, `${SI}/watchlists/write`), true);
  assert.equal(allows(c, `${SI}/dataConnectors/write`), true);
  assert.equal(allows(c, `${SI}/ConfidentialWatchlists/write`), false);
  assert.equal(allows(c, `${OI}/savedSearches/write`), true);
  assert.equal(allows(c, `${OI}/read`), true);
  assert.equal(allows(c, `${OI}/write`), false, 'writing the workspace needs a Log Analytics role');
  assert.equal(allows(c, 'Microsoft.Authorization/roleAssignments/write'), false);
});

test('Sentinel automation roles are limited to playbooks', () => {
  const op = ROLE_IDS.sentinelPlaybookOperator;
  assert.equal(allows(op, 'Microsoft.Logic/workflows/read'), true);
  assert.equal(allows(op, 'Microsoft.Logic/workflows/triggers/listCallbackUrl/action'), true);
  assert.equal(allows(op, 'Microsoft.Logic/workflows/write'), false);
  assert.equal(allows(op, `${SI}/incidents/read`), false);

  const auto = ROLE_IDS.sentinelAutomationContributor;
  assert.equal(allows(auto, 'Microsoft.Logic/workflows/triggers/read'), true);
  assert.equal(allows(auto, 'Microsoft.Logic/workflows/runs/read'), true);
  assert.equal(allows(auto, 'Microsoft.Authorization/roleAssignments/read'), true);
  assert.equal(allows(auto, 'Microsoft.Logic/workflows/write'), false);
  assert.equal(allows(auto, `${SI}/incidents/write`), false);
});

test('Managed Services Registration assignment Delete Role can only read and delete registration assignments', () => {
  const d = ROLE_IDS.registrationAssignmentDeleteRole;
  assert.equal(allows(d, 'Microsoft.ManagedServices/registrationAssignments/delete'), true);
  assert.equal(allows(d, 'Microsoft.ManagedServices/registrationAssignments/read'), true);
  assert.equal(allows(d, 'Microsoft.ManagedServices/operationStatuses/read'), true);
  assert.equal(allows(d, 'Microsoft.ManagedServices/registrationAssignments/write'), false);
  assert.equal(allows(d, 'Microsoft.ManagedServices/registrationDefinitions/delete'), false);
  assert.equal(allows(d, `${OI}/read`), false);
});

test('Resource Policy Contributor manages policy but not role assignments', () => {
  const p = ROLE_IDS.resourcePolicyContributor;
  assert.equal(allows(p, 'Microsoft.Authorization/policyAssignments/write'), true);
  assert.equal(allows(p, 'Microsoft.Authorization/policyDefinitions/delete'), true);
  assert.equal(allows(p, 'Microsoft.PolicyInsights/remediations/write'), true);
  assert.equal(allows(p, 'Microsoft.Resources/deployments/write'), true);
  assert.equal(allows(p, 'Microsoft.Authorization/roleAssignments/write'), false);
  assert.equal(allows(p, `${OI}/read`), true);
  assert.equal(allows(p, `${OI}/write`), false);
});

test('Monitoring roles', () => {
  const r = ROLE_IDS.monitoringReader;
  assert.equal(allows(r, `${OI}/read`), true);
  assert.equal(allows(r, `${OI}/search/action`), true);
  assert.equal(allows(r, `${OI}/write`), false);

  const c = ROLE_IDS.monitoringContributor;
  assert.equal(allows(c, `${OI}/write`), true);
  assert.equal(allows(c, 'Microsoft.Insights/dataCollectionRules/write'), true);
  assert.equal(allows(c, 'Microsoft.Insights/scheduledqueryrules/write'), true);
  assert.equal(allows(c, `${OI}/delete`), false);
  assert.equal(allows(c, `${SI}/incidents/write`), false);
  assert.equal(roleAllowsDataAction(get(c), 'Microsoft.Insights/Telemetry/Write'), false);
});

test('Security roles', () => {
  const r = ROLE_IDS.securityReader;
  assert.equal(allows(r, 'Microsoft.Security/alerts/read'), true);
  assert.equal(allows(r, 'Microsoft.Security/alerts/write'), false);
  assert.equal(allows(r, `${OI}/read`), true);
  assert.equal(allows(r, `${SI}/incidents/read`), false);

  const a = ROLE_IDS.securityAdmin;
  assert.equal(allows(a, 'Microsoft.Security/alerts/dismiss/action'), true);
  assert.equal(allows(a, 'Microsoft.Authorization/policyAssignments/write'), true);
  assert.equal(allows(a, 'Microsoft.Authorization/roleAssignments/write'), false);
  assert.equal(allows(a, `${SI}/incidents/write`), false);
});
