import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.ts';
import { checkRuleColumns, placeholders } from './rule-columns.ts';
import { parseRuleProperties } from './rule-model.ts';

const COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Account', type: 'string' },
  { name: 'IPAddress', type: 'string' },
  { name: 'Sev', type: 'string' },
  { name: 'Tactic', type: 'string' },
  { name: 'Count', type: 'long' },
];

const rule = (more: Record<string, unknown>) => parseRuleProperties('NRT', { displayName: 'r', severity: 'Low', enabled: true, query: 'T', ...more });

function error(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

const EVERYTHING = {
  entityMappings: [
    { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'Account' }] },
    { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] },
  ],
  customDetails: { Attempts: 'Count' },
  alertDetailsOverride: { alertDisplayNameFormat: '{{Count}} failures for {{Account}}', alertDescriptionFormat: 'From {{ IPAddress }} at {{TimeGenerated}}', alertSeverityColumnName: 'Sev', alertTacticsColumnName: 'Tactic' },
};

test('a rule naming only columns the query outputs passes', () => {
  checkRuleColumns(rule(EVERYTHING), COLUMNS);
  checkRuleColumns(rule({}), []);
});

test('every column that is missing is named by its field, with the columns the query does output', () => {
  const e = error(() => checkRuleColumns(rule(EVERYTHING), COLUMNS.filter((c) => c.name !== 'IPAddress' && c.name !== 'Count')));
  assert.equal(e.code, 'InvalidRequestContent');
  assert.equal(e.target, 'properties.entityMappings[1].fieldMappings[0].columnName');
  assert.deepEqual(e.details.map((d) => d.target), [
    'properties.entityMappings[1].fieldMappings[0].columnName',
    'properties.customDetails.Attempts',
    'properties.alertDetailsOverride.alertDisplayNameFormat',
    'properties.alertDetailsOverride.alertDescriptionFormat',
  ]);
  assert.match(e.details[0]!.message, /column 'IPAddress' \(the IP entity's Address\) is not among the query's result columns/);
  assert.match(e.details[2]!.message, /column 'Count' \(placeholder \{\{Count\}\}\)/);
  assert.match(e.message, /The query outputs: TimeGenerated \(datetime\), Account \(string\), Sev \(string\), Tactic \(string\)\./);
});

test('the severity and tactics columns are checked, and a column differing in case is suggested', () => {
  const e = error(() => checkRuleColumns(rule({ alertDetailsOverride: { alertSeverityColumnName: 'sev', alertTacticsColumnName: 'Tactics' } }), COLUMNS));
  assert.deepEqual(e.details.map((d) => d.target), ['properties.alertDetailsOverride.alertTacticsColumnName', 'properties.alertDetailsOverride.alertSeverityColumnName']);
  assert.match(e.details[1]!.message, /did you mean 'Sev'\?/);
  assert.doesNotMatch(e.details[0]!.message, /did you mean/);
});

test('the alert name format takes at most three placeholders; the description format more', () => {
  const four = '{{Account}} {{IPAddress}} {{Sev}} {{Count}}';
  const e = error(() => checkRuleColumns(rule({ alertDetailsOverride: { alertDisplayNameFormat: four } }), COLUMNS));
  assert.equal(e.target, 'properties.alertDetailsOverride.alertDisplayNameFormat');
  assert.match(e.message, /uses 4 columns .* it takes at most 3/);
  checkRuleColumns(rule({ alertDetailsOverride: { alertDisplayNameFormat: '{{Account}} {{Account}} {{Sev}}', alertDescriptionFormat: four } }), COLUMNS);
});

test('placeholders are read as Sentinel writes them', () => {
  assert.deepEqual(placeholders('a {{X}} b {{ Y }} {{X}} {single} {{}}'), ['X', 'Y', '']);
});
