import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scheduleRule, type QueryRun } from './scheduled.ts';

const RULE = `id: 11111111-2222-4333-8444-555555555555
name: Failed sign-ins
description: test
severity: Low
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 6h
triggerOperator: gt
triggerThreshold: 0
tactics: []
relevantTechniques: []
query: |
  SigninLogs | project TimeGenerated, IPAddress
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
version: 1.0.0
kind: Scheduled
`;

const who = { id: 'r', name: 'r', path: 'Detections/r.yaml' };
const dir = mkdtempSync(join(tmpdir(), 'vigil-scheduled-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

const ran = (columns: string[]): QueryRun => ({ compiled: true, executed: true, columns: columns.map((name) => ({ name, type: 'string' })) });

test('a rule that imports, runs over its window and outputs its mapped columns is scheduled', async () => {
  const asked: [string, number][] = [];
  const outcome = await scheduleRule(who, file(RULE), async (query, period) => {
    asked.push([query, period]);
    return ran(['TimeGenerated', 'IPAddress']);
  });
  assert.deepEqual(outcome, { imported: true, scheduled: true });
  assert.deepEqual(asked, [['SigninLogs | project TimeGenerated, IPAddress', 6 * 3_600_000]]);
});

test('an NRT rule runs over the last minute', async () => {
  let period = 0;
  await scheduleRule(who, file(RULE.replace('kind: Scheduled', 'kind: NRT')), async (_q, p) => {
    period = p;
    return ran(['IPAddress']);
  });
  assert.equal(period, 60_000);
});

test('each step that fails is reported with its stage and a reason that groups alike failures', async () => {
  const bad = await scheduleRule(who, file(RULE.replace('severity: Low', 'severity: Severe')), async () => ran([]));
  assert.equal(bad.imported, false);
  assert.equal(bad.failure?.stage, 'import');
  assert.match(bad.failure!.reason, /^import: severity: severity must be one of High, Medium, Low, Informational/);

  const columns = await scheduleRule(who, file(RULE), async () => ran(['TimeGenerated', 'IpAddress']), true);
  assert.deepEqual([columns.imported, columns.scheduled, columns.failure?.stage], [true, false, 'columns']);
  assert.equal(columns.failure!.reason, "columns (reads a custom table: the corpus knows its columns from samples or usage only): column '…' (the IP entity's Address) is not among the query's result columns");

  const failed = await scheduleRule(who, file(RULE), async () => ({ compiled: false, executed: false }));
  assert.equal(failed.failure?.stage, 'compile');
});
