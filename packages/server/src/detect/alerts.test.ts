import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAlerts, triggers, MAX_ALERTS_PER_RESULT } from './alerts.ts';
import { parseRuleProperties } from './rule-model.ts';
import type { KqlColumn } from '../../../kql/src/types.ts';

const columns: KqlColumn[] = [
  { name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'Account', type: 'string' },
  { name: 'Failures', type: 'long' }, { name: 'Sev', type: 'string' }, { name: 'Tac', type: 'string' },
];
const row = (i: number, account = `user${i}`): unknown[] => [new Date(Date.UTC(2026, 10, 27, 9, i % 60)), `host${i}`, account, BigInt(i), 'low', 'Execution,Persistence'];

const rule = (extra: Record<string, unknown> = {}) => parseRuleProperties('Scheduled', {
  displayName: 'Rule', description: 'Seen on {{Computer}}', severity: 'High', enabled: true, query: 'T',
  queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerThreshold: 0, tactics: ['CredentialAccess'],
  entityMappings: [
    { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
    { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'Account' }] },
  ],
  customDetails: { Failures: 'Failures' },
  ...extra,
});

test('the trigger compares the number of results with the threshold', () => {
  assert.equal(triggers('GreaterThan', 0, 0), false);
  assert.equal(triggers('GreaterThan', 0, 1), true);
  assert.equal(triggers('LessThan', 5, 4), true);
  assert.equal(triggers('LessThan', 5, 5), false);
  assert.equal(triggers('Equal', 3, 3), true);
  assert.equal(triggers('NotEqual', 3, 3), false);
  assert.deepEqual(buildAlerts(rule(), columns, []), []);
  // LessThan fires on an empty result: one alert with no entities (a source that went quiet).
  const quiet = buildAlerts(rule({ triggerOperator: 'LessThan', triggerThreshold: 1 }), columns, []);
  assert.equal(quiet.length, 1);
  assert.deepEqual(quiet[0]!.entities, []);
});

test('SingleAlert: one alert for all results, entities de-duplicated, custom details gathered', () => {
  const [alert, ...rest] = buildAlerts(rule(), columns, [row(1), row(2), row(1)]);
  assert.equal(rest.length, 0);
  assert.equal(alert!.resultCount, 3);
  assert.deepEqual(alert!.entities, [
    { Type: 'host', HostName: 'host1' }, { Type: 'account', Name: 'user1' },
    { Type: 'host', HostName: 'host2' }, { Type: 'account', Name: 'user2' },
  ]);
  assert.deepEqual(alert!.customDetails, { Failures: ['1', '2'] });
  assert.equal(alert!.description, 'Seen on {{Computer}}', 'no override: the description is the rule\'s own');
  assert.equal(alert!.startTime?.toISOString(), '2026-11-27T09:01:00.000Z');
  assert.equal(alert!.endTime?.toISOString(), '2026-11-27T09:02:00.000Z');
});

test('AlertPerResult: one alert per result up to 150, the 150th summarising the rest', () => {
  const perResult = rule({ eventGroupingSettings: { aggregationKind: 'AlertPerResult' } });
  assert.equal(buildAlerts(perResult, columns, Array.from({ length: 150 }, (_, i) => row(i))).length, 150);
  const many = buildAlerts(perResult, columns, Array.from({ length: 400 }, (_, i) => row(i)));
  assert.equal(many.length, MAX_ALERTS_PER_RESULT);
  assert.deepEqual(many.slice(0, 149).map((a) => a.resultCount), Array(149).fill(1));
  assert.equal(many[149]!.resultCount, 400 - 149);
  assert.equal(many[149]!.entities.length, 500, 'its 251 results map to 502 entities, capped at 500');
});

test('built-in account names known only by Name are dropped; at most 500 entities per alert', () => {
  const [alert] = buildAlerts(rule(), columns, [row(1, 'SYSTEM'), row(2, 'Administrator'), row(3, 'alice')]);
  assert.deepEqual(alert!.entities.filter((e) => e.Type === 'account'), [{ Type: 'account', Name: 'alice' }]);
  const [big] = buildAlerts(rule(), columns, Array.from({ length: 400 }, (_, i) => row(i)));
  assert.equal(big!.entities.length, 500);
});

test('alert details override: name and description from columns, severity and tactics from columns', () => {
  const r = rule({ alertDetailsOverride: { alertDisplayNameFormat: 'Failures on {{Computer}} ({{ Failures }})', alertDescriptionFormat: '{{Account}} on {{Nope}}', alertSeverityColumnName: 'Sev', alertTacticsColumnName: 'Tac' }, eventGroupingSettings: { aggregationKind: 'AlertPerResult' } });
  const [a] = buildAlerts(r, columns, [row(7)]);
  assert.equal(a!.displayName, 'Failures on host7 (7)');
  assert.equal(a!.description, 'user7 on ', 'a column the results lack fills in empty');
  assert.equal(a!.severity, 'Low');
  assert.deepEqual(a!.tactics, ['Execution', 'Persistence']);
  const bad = buildAlerts(r, columns, [[new Date(), 'h', 'a', 1n, 'catastrophic', 'Nonsense']]);
  assert.equal(bad[0]!.severity, 'High', 'an unknown severity keeps the rule\'s');
  assert.deepEqual(bad[0]!.tactics, ['CredentialAccess'], 'unknown tactics keep the rule\'s');
});

test('sentinelEntitiesMappings: a column of Sentinel entities (JSON) attaches them as they are', () => {
  const cols: KqlColumn[] = [{ name: 'Entities', type: 'string' }, { name: 'Computer', type: 'string' }];
  const r = rule({ sentinelEntitiesMappings: [{ columnName: 'Entities' }], entityMappings: [], customDetails: {} });
  const [a] = buildAlerts(r, cols, [
    [JSON.stringify([{ $id: '3', Type: 'host', HostName: 'iot-7', OSFamily: 'Linux' }, { Type: 'ip', Address: '10.1.2.3' }, { nope: 1 }]), 'x'],
    ['not json', 'y'],
  ]);
  assert.deepEqual(a!.entities, [{ Type: 'host', HostName: 'iot-7', OSFamily: 'Linux' }, { Type: 'ip', Address: '10.1.2.3' }]);
});
