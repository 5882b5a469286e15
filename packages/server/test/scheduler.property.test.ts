// Property: the rule scheduler evaluates every window of every enabled rule exactly once, and
// its alerts are determined by the data. Random rule sets (frequency, lookback, grouping),
// random events arriving through the Logs Ingestion API before their windows are due, and
// random downtime (stretches with no ticks, and a restart on the same data directory) run on a
// clock the test moves; afterwards every rule's recorded windows must be exactly the sequence
// schedule_from, +frequency, ... up to the last due one, and each window's alerts what an
// independent count of the events in it says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { INGEST, queryWorld, securityEventsRule, upload } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/alertRules`;
const V = 'api-version=2022-09-01-preview';
const MIN = 60_000;
const DELAY_MS = 5 * MIN;
const STEP_MS = MIN;
const HORIZON_STEPS = 30;

let clock = new Date('2026-11-27T10:00:00Z');
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-sched-prop-'));
let t: TestServer;
let admin: string;
let target: { immutableId: string; stream: string };

const start = () => startTestServer({ environment: queryWorld(), now: () => clock, dataDir, config: { schedulerTickSeconds: 300 } });
const signIn = async () => { admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password); };

before(async () => {
  t = await start();
  await signIn();
  target = await securityEventsRule(t, admin, F, FWS, 'dcr-prop');
});
after(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface RuleSpec { frequencyMin: number; extraPeriodMin: number; perResult: boolean }
interface EventSpec { atStep: number; offsetSec: number; lateSec: number }
interface Scenario { rules: RuleSpec[]; events: EventSpec[]; downFrom: number; downSteps: number; restartAt: number | null }

const scenario = fc.record({
  rules: fc.array(fc.record({ frequencyMin: fc.constantFrom(1, 2, 5, 10), extraPeriodMin: fc.integer({ min: 0, max: 20 }), perResult: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  // Each event happens at a step plus some seconds, and arrives up to 4 minutes later: always
  // before its windows are due (the delay is 5 minutes), so what a window sees is determined.
  events: fc.array(fc.record({ atStep: fc.integer({ min: 0, max: HORIZON_STEPS - 1 }), offsetSec: fc.integer({ min: 0, max: 59 }), lateSec: fc.integer({ min: 0, max: 240 }) }), { maxLength: 12 }),
  downFrom: fc.integer({ min: 0, max: HORIZON_STEPS }),
  downSteps: fc.integer({ min: 0, max: 15 }),
  restartAt: fc.option(fc.integer({ min: 1, max: HORIZON_STEPS - 1 }), { nil: null }),
});

let runNumber = 0;

async function play(s: Scenario): Promise<void> {
  const run = ++runNumber;
  const t0 = clock.getTime();
  const prefix = `p${run}-`;
  const names = s.rules.map((_, i) => `prop-${run}-${i}`);
  for (const [i, r] of s.rules.entries()) {
    const res = await t.request('PUT', `${RULES}/${names[i]}?${V}`, { token: admin, body: { kind: 'Scheduled', properties: {
      displayName: names[i], severity: 'Medium', enabled: true,
      query: `SecurityEvent | where Computer startswith '${prefix}' | project TimeGenerated, Computer`,
      queryFrequency: `PT${r.frequencyMin}M`, queryPeriod: `PT${r.frequencyMin + r.extraPeriodMin}M`, triggerOperator: 'GreaterThan', triggerThreshold: 0,
      eventGroupingSettings: { aggregationKind: r.perResult ? 'AlertPerResult' : 'SingleAlert' },
      incidentConfiguration: { createIncident: false },
    } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const events = s.events.map((e, i) => ({ happened: t0 + e.atStep * STEP_MS + e.offsetSec * 1000, arrives: t0 + e.atStep * STEP_MS + e.offsetSec * 1000 + e.lateSec * 1000, computer: `${prefix}${i}` }));
  const sent = new Set<number>();
  for (let step = 1; step <= HORIZON_STEPS + 10 + s.downSteps; step++) {
    clock = new Date(t0 + step * STEP_MS);
    const due = events.map((e, i) => [e, i] as const).filter(([e, i]) => !sent.has(i) && e.arrives <= clock.getTime());
    if (due.length > 0) {
      await upload(t, INGEST.fabrikam, target, due.map(([e]) => ({ TimeGenerated: new Date(e.happened).toISOString(), Computer: e.computer, EventID: 4688 })));
      for (const [, i] of due) sent.add(i);
    }
    if (s.restartAt === step) {
      await t.close();
      t = await start();
      await signIn();
    } else if (step % 50 === 0) {
      await signIn();
    }
    const down = step >= s.downFrom && step < s.downFrom + s.downSteps;
    if (!down) await t.server.scheduler.tick();
  }
  // Catch up completely (20 windows per rule per tick).
  for (let i = 0; i < 3; i++) await t.server.scheduler.tick();

  for (const [i, r] of s.rules.entries()) {
    const row = await t.server.services.db.selectFrom('alert_rules').selectAll().where('name', '=', names[i]!).executeTakeFirstOrThrow();
    const runs = await t.server.services.db.selectFrom('rule_runs').selectAll().where('rule_id', '=', row.id).orderBy('window_end').execute();
    const from = Date.parse(row.schedule_from);
    const freq = r.frequencyMin * MIN;
    const period = (r.frequencyMin + r.extraPeriodMin) * MIN;
    const lastDue = from + Math.floor((clock.getTime() - DELAY_MS - from) / freq) * freq;
    const expected: number[] = [];
    for (let end = from; end <= lastDue; end += freq) expected.push(end);
    assert.deepEqual(runs.map((x) => Date.parse(x.window_end)), expected, `rule ${i}: every window once, none missing`);
    for (const x of runs) {
      const end = Date.parse(x.window_end);
      const inWindow = events.filter((e) => e.happened >= end - period && e.happened < end).length;
      const alerts = inWindow === 0 ? 0 : r.perResult ? Math.min(inWindow, 150) : 1;
      assert.equal(x.status, 'Succeeded');
      assert.equal(x.rows, inWindow, `rule ${i} window ending ${x.window_end}: rows`);
      assert.equal(x.alerts, alerts, `rule ${i} window ending ${x.window_end}: alerts`);
    }
    // Done with this scenario's rules: they must not run during the next one.
    assert.equal((await t.request('DELETE', `${RULES}/${names[i]}?${V}`, { token: admin })).status, 200);
  }
  clock = new Date(clock.getTime() + 60 * MIN);
  await signIn();
}

test('every window of every rule exactly once, alerts determined by the data, through downtime and restarts', async () => {
  await fc.assert(fc.asyncProperty(scenario, play), { numRuns: 6, seed: 20261127, endOnFailure: true });
});
