import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/database.ts';
import { applyEnvironmentText } from '../bootstrap/apply-environment.ts';
import { pruneRuleRuns } from './prune-runs.ts';

test("run history: quiet old runs go, runs with alerts or errors and each rule's newest stay", async () => {
  const { db, close } = await openDatabase(':memory:');
  await applyEnvironmentText(db, `directories:
  - name: d
    displayName: D
    domain: d.example
    subscriptions:
      - name: s
        providers: [Microsoft.OperationalInsights, Microsoft.SecurityInsights]
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-prune, customerId: 88888888-0000-4000-8000-000000000001 }] }]
`, 'prune.yaml');
  const ws = '88888888-0000-4000-8000-000000000001';
  for (const rule of ['r1', 'r2']) {
    await db.insertInto('alert_rules').values({
      id: rule, workspace_id: ws, name: rule, kind: 'NRT', properties: '{}', enabled: 1, etag: 'e', run_as_principal_id: 'p',
      created_at: '', created_by: '', updated_at: '', updated_by: '', schedule_from: '2026-01-01T00:00:00.000Z', disabled_reason: null,
    }).execute();
  }
  const run = (rule: string, end: string, status: 'Succeeded' | 'Failed', alerts: number) => db.insertInto('rule_runs').values({
    rule_id: rule, window_start: end, window_end: end, started_at: end, duration_ms: 1, status, rows: 0, alerts, error: status === 'Failed' ? 'x' : null,
  }).execute();
  await run('r1', '2026-09-01T00:00:00.000Z', 'Succeeded', 0); // old and quiet: goes
  await run('r1', '2026-09-02T00:00:00.000Z', 'Succeeded', 2); // raised alerts: stays
  await run('r1', '2026-09-03T00:00:00.000Z', 'Failed', 0); // failed: stays
  await run('r1', '2026-11-20T00:00:00.000Z', 'Succeeded', 0); // recent: stays
  await run('r2', '2026-09-01T00:00:00.000Z', 'Succeeded', 0); // old and quiet, but r2's newest: stays
  assert.equal(await pruneRuleRuns(db, new Date('2026-11-27T00:00:00Z')), 1);
  const left = await db.selectFrom('rule_runs').select(['rule_id', 'window_end']).orderBy('rule_id').orderBy('window_end').execute();
  assert.deepEqual(left.map((r) => `${r.rule_id} ${r.window_end.slice(0, 10)}`), ['r1 2026-09-02', 'r1 2026-09-03', 'r1 2026-11-20', 'r2 2026-09-01']);
  await close();
});
