import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../errors.ts';
import { parseRuleProperties } from './rule-model.ts';
import { relevantTechniques, ruleFromYaml, ruleToYaml, type ImportedRule } from './rule-yaml.ts';

const RULE = `id: 6a2e2ff4-5568-475e-bef2-b95f12b9367b
name: Password spray
description: |
  'Many accounts, one source.'
severity: Medium
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - SigninLogs
queryFrequency: 1h
queryPeriod: 14d
triggerOperator: gt
triggerThreshold: 5
status: Available
tactics:
  - CredentialAccess
relevantTechniques:
  - T1110.003
  - T1078
query: |
  SigninLogs
  | summarize n = dcount(UserPrincipalName) by IPAddress
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: false
    lookbackDuration: 3d
    matchingMethod: AllEntities
suppressionEnabled: true
suppressionDuration: 2h
version: 1.0.2
kind: Scheduled
tags:
  - Schema: ASimAuthentication
    SchemaVersion: 0.1.0
`;

function error(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test("reads Sentinel's forms: short durations, gt, sub-techniques, the id as the template", () => {
  const rule = ruleFromYaml(RULE, 'spray.yaml');
  assert.equal(rule.id, '6a2e2ff4-5568-475e-bef2-b95f12b9367b');
  assert.equal(rule.definition.kind, 'Scheduled');
  const p = rule.definition.kind === 'Scheduled' ? rule.definition.properties : assert.fail('kind');
  assert.equal(p.displayName, 'Password spray');
  assert.equal(p.description, "'Many accounts, one source.'\n");
  assert.equal(p.queryFrequency, 'PT1H');
  assert.equal(p.queryPeriod, 'P14D');
  assert.equal(p.triggerOperator, 'GreaterThan');
  assert.equal(p.triggerThreshold, 5);
  assert.deepEqual(p.techniques, ['T1110', 'T1078']);
  assert.deepEqual(p.subTechniques, ['T1110.003']);
  assert.equal(p.enabled, true, 'a YAML rule without enabled is imported enabled');
  assert.equal(p.alertRuleTemplateName, rule.id);
  assert.equal(p.templateVersion, '1.0.2');
  assert.equal(p.suppressionEnabled, true);
  assert.equal(p.suppressionDuration, 'PT2H');
  assert.equal(p.incidentConfiguration.groupingConfiguration.lookbackDuration, 'P3D');
  assert.equal(p.query, 'SigninLogs\n| summarize n = dcount(UserPrincipalName) by IPAddress');
  assert.deepEqual(rule.requiredDataConnectors, [{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] }]);
  assert.deepEqual(rule.tags, [{ Schema: 'ASimAuthentication', SchemaVersion: '0.1.0' }]);
  assert.equal(rule.status, 'Available');
  assert.deepEqual(rule.warnings, []);
});

test('the long operator names, enabled: false and an unquoted version are taken as written', () => {
  const text = RULE.replace('triggerOperator: gt', 'triggerOperator: LessThan').replace('version: 1.0.2', 'version: 1.0\nenabled: false');
  const p = ruleFromYaml(text).definition.properties;
  assert.equal((p as { triggerOperator: string }).triggerOperator, 'LessThan');
  assert.equal(p.enabled, false);
  assert.equal(p.templateVersion, '1.0');
});

test('an error names the file, line:column and the YAML field, and says how to fix it', () => {
  const e = error(() => ruleFromYaml(RULE.replace('identifier: Address', 'identifier: Adress'), 'spray.yaml'));
  assert.equal(e.code, 'InvalidRequestContent');
  assert.equal(e.target, 'entityMappings[0].fieldMappings[0].identifier');
  assert.match(e.message, /spray\.yaml:26:21: entityMappings\[0\]\.fieldMappings\[0\]\.identifier: 'Adress' is not an identifier of IP entities; use one of Address, AddressScope/);
});

test('every problem is listed, each at its own position', () => {
  const text = RULE.replace('queryPeriod: 14d', 'queryPeriod: fortnight').replace('triggerOperator: gt', 'triggerOperator: gte').replace('  - T1078', '  - X1078');
  const e = error(() => ruleFromYaml(text, 'r.yaml'));
  assert.deepEqual(e.details.map((d) => d.message), [
    'r.yaml:11:14: queryPeriod: "fortnight" is not a duration; write a number and a unit: 30s, 5m, 1h or 14d',
    'r.yaml:12:18: triggerOperator: triggerOperator must be one of gt, lt, eq, ne (or GreaterThan, LessThan, Equal, NotEqual); got "gte"',
    'r.yaml:19:5: relevantTechniques[1]: "X1078" is not a MITRE ATT&CK technique such as T1110 or sub-technique such as T1110.003',
  ]);
});

test("the rule model's own checks come back at the YAML field they concern", () => {
  // queryFrequency longer than queryPeriod: a check across fields, made by parseRuleProperties.
  const e = error(() => ruleFromYaml(RULE.replace('queryFrequency: 1h', 'queryFrequency: 2d').replace('queryPeriod: 14d', 'queryPeriod: 1d'), 'r.yaml'));
  assert.match(e.message, /r\.yaml:10:17: queryFrequency: .*\(2 days\) must not be longer than queryPeriod \(1 day\)/);
  const name = error(() => ruleFromYaml(RULE.replace('name: Password spray', 'name: ""'), 'r.yaml'));
  assert.equal(name.target, 'name');
  assert.match(name.message, /r\.yaml:2:7: name: /);
  const severity = error(() => ruleFromYaml(RULE.replace('severity: Medium\n', ''), 'r.yaml'));
  assert.match(severity.message, /severity must be one of High, Medium, Low, Informational; got nothing/);
});

test('text that is not YAML, or not a mapping, is refused with its position', () => {
  assert.match(error(() => ruleFromYaml('id: x\nname: [unclosed\n', 'bad.yaml')).message, /bad\.yaml:\d+:\d+: not valid YAML/);
  assert.match(error(() => ruleFromYaml('- a\n- b\n', 'list.yaml')).message, /list\.yaml:1:1: an analytics rule is a YAML mapping/);
  assert.match(error(() => ruleFromYaml(RULE.replace(/^id: .*\n/, ''), 'r.yaml')).message, /r\.yaml:1:1: id: id is required/);
});

test('fields Vigil does not know are ignored and listed as warnings with their position', () => {
  const text = `${RULE}metadata:\n  author: someone\nfavouriteColour: blue\n`.replace('columnName: IPAddress', 'columnName: IPAddress\n        note: x').replace('  - CredentialAccess', '  - credentialaccess');
  const rule = ruleFromYaml(text);
  assert.deepEqual(rule.warnings.map((w) => `${w.line}:${w.column} ${w.path}`), [
    '43:1 metadata', '45:1 favouriteColour', '28:9 entityMappings[0].fieldMappings[0].note', '16:5 tactics[0]',
  ]);
  assert.match(rule.warnings[1]!.message, /'favouriteColour' is not a field of Sentinel's analytics rules that Vigil knows; ignored/);
  assert.deepEqual(rule.definition.properties.tactics, ['CredentialAccess']);
});

test('an NRT rule ignores the scheduling fields, with a warning each', () => {
  const rule = ruleFromYaml(RULE.replace('kind: Scheduled', 'kind: NRT'));
  assert.equal(rule.definition.kind, 'NRT');
  assert.equal('queryFrequency' in rule.definition.properties, false);
  assert.deepEqual(rule.warnings.map((w) => w.path), ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']);
});

test('relevantTechniques reads back as the same techniques and sub-techniques, in order', () => {
  const read = (list: string[]) => {
    const techniques: string[] = [];
    const subs: string[] = [];
    for (const t of list) {
      const parent = t.split('.')[0]!;
      if (!techniques.includes(parent)) techniques.push(parent);
      if (t.includes('.') && !subs.includes(t)) subs.push(t);
    }
    return { techniques, subs };
  };
  assert.deepEqual(relevantTechniques(['T1110'], ['T1110.003']), ['T1110.003']);
  assert.deepEqual(relevantTechniques(['T1078', 'T1110'], ['T1110.003']), ['T1078', 'T1110.003']);
  // Every list of up to four ids over two techniques and their sub-techniques.
  const ids = ['A', 'A.1', 'A.2', 'B', 'B.1'];
  const lists: string[][] = [[]];
  for (let n = 0; n < 4; n++) for (const l of [...lists]) if (l.length === n) for (const id of ids) lists.push([...l, id]);
  for (const list of lists) {
    const { techniques, subs } = read(list);
    assert.deepEqual(read(relevantTechniques(techniques, subs)), { techniques, subs }, list.join(','));
  }
});

test('ruleToYaml writes a rule that ruleFromYaml reads back equal, every setting away from its default', () => {
  const definition = parseRuleProperties('Scheduled', {
    displayName: 'Everything set', description: 'line one\nline two', severity: 'High', enabled: false,
    query: 'SecurityEvent\n| where EventID == 4625\n| extend Sev = "High", Tac = "Impact"',
    queryFrequency: 'PT5M', queryPeriod: 'P1DT12H', triggerOperator: 'NotEqual', triggerThreshold: 3,
    tactics: ['Impact', 'Execution'], techniques: ['T1059', 'T1110'], subTechniques: ['T1110.003', 'T1059.001'],
    suppressionEnabled: true, suppressionDuration: 'PT30M', startTimeUtc: '2024-01-01T00:00:00Z',
    alertRuleTemplateName: 'rule-1', templateVersion: '2.0.1',
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'TargetUserName' }, { identifier: 'NTDomain', columnName: 'TargetDomainName' }] }],
    customDetails: { Sev: 'Sev' },
    alertDetailsOverride: { alertDisplayNameFormat: 'Failed for {{TargetUserName}}', alertSeverityColumnName: 'Sev', alertTacticsColumnName: 'Tac' },
    incidentConfiguration: { createIncident: false, groupingConfiguration: { enabled: true, reopenClosedIncident: true, lookbackDuration: 'PT45M', matchingMethod: 'Selected', groupByEntities: ['Account'], groupByAlertDetails: ['Severity'], groupByCustomDetails: ['Sev'] } },
  });
  const rule: ImportedRule = { id: 'rule-1', definition, requiredDataConnectors: [{ connectorId: 'SecurityEvents', dataTypes: ['SecurityEvent'] }], tags: ['t'], status: 'Available', warnings: [] };
  const text = ruleToYaml(rule.id, rule.definition, rule);
  assert.match(text, /^queryFrequency: 5m$/m);
  assert.match(text, /^queryPeriod: 36h$/m);
  assert.match(text, /^triggerOperator: ne$/m);
  assert.match(text, /^enabled: false$/m);
  assert.deepEqual(ruleFromYaml(text), rule);
});

test('ruleToYaml leaves settings at their defaults out, and NRT rules have no schedule', () => {
  const definition = parseRuleProperties('NRT', { displayName: 'n', severity: 'Low', enabled: true, query: 'SecurityEvent', alertRuleTemplateName: 'n1' });
  const text = ruleToYaml('n1', definition);
  for (const absent of ['suppression', 'incidentConfiguration', 'customDetails', 'queryFrequency', 'version', 'enabled', 'tags']) assert.doesNotMatch(text, new RegExp(absent));
  assert.deepEqual(ruleFromYaml(text), { id: 'n1', definition, requiredDataConnectors: [], tags: [], status: null, warnings: [] });
});

const CORPUS = new URL('../../../../../shared/corpus/sentinel/rules/', import.meta.url).pathname;

test("every rule of Sentinel's corpus imports and round-trips", { skip: !existsSync(CORPUS) && 'the Sentinel corpus is not checked out' }, () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.yaml')) files.push(path);
    }
  };
  walk(CORPUS);
  assert.ok(files.length >= 500, `${files.length} rule files`);
  for (const file of files) {
    const rule = ruleFromYaml(readFileSync(file, 'utf8'), file);
    const back = ruleFromYaml(ruleToYaml(rule.id, rule.definition, rule), file);
    assert.deepEqual({ ...back, warnings: [] }, { ...rule, warnings: [] }, file);
  }
});
