import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.ts';
import { parseRuleProperties } from './rule-model.ts';
import { ALERT_RULE_TYPE, rulesFromArmTemplate, rulesToArmTemplate, type NamedRule } from './rule-arm-template.ts';

const scheduled = (displayName: string, more: Record<string, unknown> = {}) => parseRuleProperties('Scheduled', {
  displayName, severity: 'Medium', enabled: true, query: 'SigninLogs | where ResultType != 0', queryFrequency: 'PT1H', queryPeriod: 'P1D', ...more,
});

// As Sentinel's Export writes a rule (the resource's id, nulls, an api-version of its own).
const SENTINEL_EXPORT = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: { workspace: { type: 'String' } },
  resources: [{
    id: "[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),'/alertRules/b8b8ba09-1e89-45a1-8bd7-691cd23bfa32')]",
    name: "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/b8b8ba09-1e89-45a1-8bd7-691cd23bfa32')]",
    type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
    kind: 'Scheduled',
    apiVersion: '2023-12-01-preview',
    properties: {
      displayName: 'Brute force attack against Azure Portal', description: 'Failed sign-ins, then one that works.', severity: 'Medium', enabled: true,
      query: 'SigninLogs\n| where ResultType != "0"', queryFrequency: 'P1D', queryPeriod: 'P1D', triggerOperator: 'GreaterThan', triggerThreshold: 0,
      suppressionDuration: 'PT5H', suppressionEnabled: false, startTimeUtc: null, tactics: ['CredentialAccess'], techniques: ['T1110'], subTechniques: [],
      alertRuleTemplateName: '28b42356-45af-40a6-a0b4-a554cdfd5d8a',
      incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', groupByEntities: [], groupByAlertDetails: [], groupByCustomDetails: [] } },
      eventGroupingSettings: { aggregationKind: 'SingleAlert' }, alertDetailsOverride: null, customDetails: null,
      entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] }],
      sentinelEntitiesMappings: null, templateVersion: '2.0.1',
    },
  }],
};

function error(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test("Sentinel's export imports: the name's workspace prefix taken off, the rule checked", () => {
  const [rule, ...rest] = rulesFromArmTemplate(structuredClone(SENTINEL_EXPORT), 'soc');
  assert.equal(rest.length, 0);
  assert.equal(rule!.name, 'b8b8ba09-1e89-45a1-8bd7-691cd23bfa32');
  assert.equal(rule!.definition.kind, 'Scheduled');
  assert.equal(rule!.definition.properties.displayName, 'Brute force attack against Azure Portal');
  assert.equal(rule!.definition.properties.templateVersion, '2.0.1');
  assert.deepEqual(rule!.definition.properties.customDetails, {});
});

test('export writes the deployment template Sentinel does, with a workspace parameter', () => {
  const template = rulesToArmTemplate([{ name: 'r1', definition: scheduled('One') }]);
  assert.deepEqual(template['parameters'], { workspace: { type: 'String' } });
  const [resource] = template['resources'] as Record<string, unknown>[];
  assert.equal(resource!['name'], "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/r1')]");
  assert.equal(resource!['type'], ALERT_RULE_TYPE);
  assert.equal(resource!['kind'], 'Scheduled');
  assert.equal((resource!['properties'] as Record<string, unknown>)['queryPeriod'], 'P1D');
});

test('export then import gives the same rules back, through JSON, whatever their text', () => {
  const rules: NamedRule[] = [
    { name: "o'brien-rule", definition: scheduled('[Preview] looks like [an expression]', { description: '[[already escaped]', customDetails: { Who: 'UserPrincipalName' } }) },
    { name: '2f0e7c5a-8f6e-4b7b-9a57-3d5d1b8e6a10', definition: parseRuleProperties('NRT', { displayName: 'Near real time', severity: 'High', enabled: false, query: 'print x = "[a]"', tactics: ['Impact'] }) },
  ];
  const json = JSON.parse(JSON.stringify(rulesToArmTemplate(rules)));
  assert.deepEqual(rulesFromArmTemplate(json, 'soc'), rules);
});

test("the template's expressions are evaluated: parameters, variables, guid()", () => {
  const template = {
    $schema: SENTINEL_EXPORT.$schema,
    contentVersion: '1.0.0.0',
    parameters: { workspace: { type: 'string' }, severity: { type: 'string', defaultValue: 'High' } },
    variables: { ruleId: "[guid('brute-force')]", prefix: '[toUpper(\'bf\')]' },
    resources: [
      {
        name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', variables('ruleId'))]",
        type: ALERT_RULE_TYPE, kind: 'NRT', apiVersion: '2023-02-01',
        properties: { displayName: "[concat(variables('prefix'), ' on ', parameters('workspace'))]", severity: "[parameters('severity')]", enabled: true, query: 'SigninLogs' },
      },
      { condition: false, name: 'ignored', type: 'Microsoft.Web/sites', apiVersion: '2022-01-01' },
    ],
  };
  const [rule, ...rest] = rulesFromArmTemplate(template, 'soc', { parameters: { severity: 'Low' } });
  assert.equal(rest.length, 0, 'a resource whose condition is false is not imported');
  assert.match(rule!.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(rule!.definition.properties.displayName, 'BF on soc');
  assert.equal(rule!.definition.properties.severity, 'Low');
});

test('a bad rule is refused naming the resource index and the field', () => {
  const template = rulesToArmTemplate([{ name: 'a', definition: scheduled('A') }, { name: 'b', definition: scheduled('B') }]);
  ((template['resources'] as Record<string, Record<string, unknown>>[])[1]!['properties']!)['queryFrequency'] = 'P30D';
  const e = error(() => rulesFromArmTemplate(template, 'soc'));
  assert.equal(e.code, 'InvalidRequestContent');
  assert.equal(e.target, 'resources[1].properties.queryFrequency');
  assert.match(e.message, /resources\[1\]\.properties\.queryFrequency: .*from 1 minute to 14 days/);
});

test('resources that are not rules, rules Vigil does not run, and names that do not fit are refused', () => {
  const base = () => structuredClone(SENTINEL_EXPORT) as { resources: Record<string, unknown>[]; parameters: Record<string, unknown> };
  const cases: [string, (t: ReturnType<typeof base>) => void, RegExp][] = [
    ['resources[0].type', (t) => { t.resources[0]!['type'] = 'Microsoft.OperationalInsights/workspaces/providers/metadata'; }, /is not an analytics rule: this import takes resources of type/],
    ['resources[0].kind', (t) => { t.resources[0]!['kind'] = 'Fusion'; }, /"Fusion"; Vigil runs analytics rules of kind Scheduled and NRT/],
    ['resources[0].name', (t) => { t.resources[0]!['name'] = 'other/Microsoft.SecurityInsights/x'; }, /a rule of the workspace 'other', but the rules are imported into 'soc'/],
    ['resources[0].name', (t) => { t.resources[0]!['name'] = "[parameters('workspace')]"; }, /must be of the form '<workspace>\/Microsoft.SecurityInsights\/<rule name>'/],
    ['resources[1].name', (t) => { t.resources.push(structuredClone(t.resources[0]!)); }, /names the rule 'b8b8ba09-1e89-45a1-8bd7-691cd23bfa32', as resources\[0\] does/],
    ['resources[0].properties.displayName', (t) => { (t.resources[0]!['properties'] as Record<string, unknown>)['displayName'] = "[concat('a',)]"; }, /is not valid/],
    ['parameters.region', (t) => { t.parameters['region'] = { type: 'string' }; }, /Parameter 'region' is required by the template but was not supplied/],
  ];
  for (const [target, change, message] of cases) {
    const template = base();
    change(template);
    const e = error(() => rulesFromArmTemplate(template, 'soc'));
    assert.equal(e.target, target, e.message);
    assert.match(e.message, message);
  }
});
