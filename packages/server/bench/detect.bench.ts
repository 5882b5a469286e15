// npm run bench:detect: does the rule scheduler keep up, and how fast do near-real-time rules
// alert? A real Vigil server (a child process, `vigil serve`, over HTTPS) with 20 workspaces,
// each holding SecurityEvent rows sent through the Logs Ingestion API, and 500 enabled Scheduled
// rules (25 per workspace) at a 5-minute frequency, saved through ARM as users save them.
//
//   Lag:     how late each window started after it was due (its end + the 5-minute delay, or
//            the moment its rule was saved, whichever is later), over --cycles cycles.
//   Engine:  the same 500 queries sent back to back through the query API in the same run: the
//            time the engine needs for one cycle's work, against the scheduler's cycle time.
//   NRT:     an NRT rule; single events sent one by one; latency = the alert row's ingestion
//            time minus the event's (ingestion_time() of both), p50 and p99.
// Prints a table, then one line of JSON with the figures.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { applyEnvironment, childEnv, freePort, startChildServer, stopChildServer } from '../test/child-server.ts';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const WORKSPACES = Number(args.get('workspaces') ?? 20);
const RULES_PER_WORKSPACE = Number(args.get('rules-per-workspace') ?? 25);
const ROWS_PER_WORKSPACE = Number(args.get('rows') ?? 20_000);
const CYCLES = Number(args.get('cycles') ?? 2);
const NRT_EVENTS = Number(args.get('nrt-events') ?? 60);
const FREQUENCY_MIN = 5;
const DELAY_S = 300;

const TENANT = 'de7ec700-0000-4000-8000-000000000001';
const SUB = 'de7ec700-0000-4000-8000-0000000000aa';
const APP = { id: 'de7ec700-0000-4000-8000-0000000000a1', secret: 'bench-secret-0123456789' };
const wsName = (i: number) => `ws-${String(i).padStart(2, '0')}`;
const wsPath = (i: number) => `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/${wsName(i)}`;
const ENV = `directories:
  - name: b
    id: ${TENANT}
    displayName: Bench
    domain: bench.example
    users: [{ name: admin, upn: admin@bench.example, password: Admin-Passw0rd! }]
    servicePrincipals: [{ name: ingest, appId: ${APP.id}, secret: ${APP.secret} }]
    subscriptions:
      - name: s
        id: ${SUB}
        providers: [Microsoft.OperationalInsights, Microsoft.SecurityInsights, Microsoft.Insights]
        resourceGroups: [{ name: rg, workspaces: [${Array.from({ length: WORKSPACES }, (_, i) => `{ name: ${wsName(i)} }`).join(', ')}] }]
        roleAssignments:
          - { principal: admin, role: Owner }
          - { principal: ingest, role: Monitoring Metrics Publisher, scope: rg }
`;

/** Rule queries of the kinds Sentinel's rules are made of: filter and count, summarize by keys, dcount, a join. */
const QUERIES = [
  'SecurityEvent | where EventID == 4625 | summarize Failures = count() by Account, Computer | where Failures > 20',
  'SecurityEvent | where EventID == 4625 | summarize Accounts = dcount(Account) by IpAddress | where Accounts > 30',
  'SecurityEvent | where EventID == 4688 and CommandLine has "-enc" | project TimeGenerated, Computer, Account, CommandLine',
  'SecurityEvent | where EventID == 4624 and LogonType == 10 | summarize count() by Computer, Account | where count_ > 50',
  "SecurityEvent | where EventID == 4625 | summarize f = count() by Account | join kind=inner (SecurityEvent | where EventID == 4624 | summarize s = count() by Account) on Account | where f > 10 and s > 0",
];

const env = childEnv('warn');
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-detect-'));
let child: ChildProcess | undefined;
let url = '';

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' || body instanceof Buffer ? body : JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function token(form: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  return ((await res.json()) as { access_token: string }).access_token;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function event(i: number, now: number): Record<string, unknown> {
  const id = [4624, 4625, 4688, 4624, 4634][i % 5]!;
  return {
    TimeGenerated: new Date(now - (i % 1800) * 1000).toISOString(), Computer: `HOST${i % 50}`, EventID: id, Account: `CONTOSO\\user${i % 300}`,
    IpAddress: `10.0.${(i >> 8) & 255}.${i & 255}`, LogonType: i % 7 === 0 ? 10 : 3, CommandLine: i % 97 === 0 ? 'powershell -enc SQBFAFgA' : 'svchost.exe -k netsvcs',
  };
}

async function main(): Promise<void> {
  applyEnvironment(dir, ENV, env);
  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  child = await startChildServer(dir, port, { env });
  const admin = await token({ grant_type: 'password', username: 'admin@bench.example', password: 'Admin-Passw0rd!', scope: 'https://management.azure.com/.default' });
  const ingest = await token({ grant_type: 'client_credentials', client_id: APP.id, client_secret: APP.secret, scope: 'https://monitor.azure.com/.default' });
  const reader = await token({ grant_type: 'password', username: 'admin@bench.example', password: 'Admin-Passw0rd!', scope: 'https://api.loganalytics.io/.default' });

  const customerIds: string[] = [];
  const immutableIds: string[] = [];
  for (let w = 0; w < WORKSPACES; w++) {
    customerIds.push((await api('GET', `${wsPath(w)}?api-version=2022-10-01`, admin)).properties.customerId);
    const dcr = await api('PUT', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/dcr-${w}?api-version=2023-03-11`, admin, {
      location: 'westeurope',
      properties: { destinations: { logAnalytics: [{ workspaceResourceId: wsPath(w), name: 'la' }] }, dataFlows: [{ streams: ['Microsoft-SecurityEvent'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }] },
    });
    immutableIds.push(dcr.properties.immutableId);
  }
  const send = (w: number, rows: object[]) => api('POST', `/dataCollectionRules/${immutableIds[w]}/streams/Microsoft-SecurityEvent?api-version=2023-01-01`, ingest, gzipSync(JSON.stringify(rows)), { 'content-encoding': 'gzip' });
  const now = Date.now();
  for (let w = 0; w < WORKSPACES; w++) {
    for (let i = 0; i < ROWS_PER_WORKSPACE; i += 2000) await send(w, Array.from({ length: Math.min(2000, ROWS_PER_WORKSPACE - i) }, (_, k) => event(i + k, now)));
  }

  // --- 500 scheduled rules ---
  const ruleQuery = (r: number) => QUERIES[r % QUERIES.length]!.replace('> 20', `> ${20 + (r % 7)}`);
  const savedAt = new Map<string, number>();
  for (let w = 0; w < WORKSPACES; w++) {
    for (let r = 0; r < RULES_PER_WORKSPACE; r++) {
      const name = `rule-${w}-${r}`;
      await api('PUT', `${wsPath(w)}/providers/Microsoft.SecurityInsights/alertRules/${name}?api-version=2023-02-01`, admin, { kind: 'Scheduled', properties: {
        displayName: name, severity: 'Medium', enabled: true, query: ruleQuery(r), queryFrequency: `PT${FREQUENCY_MIN}M`, queryPeriod: 'PT1H',
        triggerOperator: 'GreaterThan', triggerThreshold: 0, incidentConfiguration: { createIncident: false },
      } });
      savedAt.set(`${wsPath(w).toLowerCase()}/providers/microsoft.securityinsights/alertrules/${name}`, Date.now());
    }
  }
  const rules = WORKSPACES * RULES_PER_WORKSPACE;

  // --- the engine's time for one cycle's work: the same queries through the query API ---
  const engineStarted = performance.now();
  for (let w = 0; w < WORKSPACES; w++) {
    for (let r = 0; r < RULES_PER_WORKSPACE; r++) await api('POST', `/v1/workspaces/${customerIds[w]}/query`, reader, { query: ruleQuery(r), timespan: 'PT1H' });
  }
  const engineCycleS = (performance.now() - engineStarted) / 1000;

  // --- wait for the cycles: the first (due at once) and the next ones every 5 minutes ---
  const db = new SQLite(join(dir, 'control.sqlite'), { readonly: true, fileMustExist: true });
  const countRuns = () => (db.prepare('SELECT count(*) AS n FROM rule_runs').get() as { n: number }).n;
  const deadline = Date.now() + (CYCLES * FREQUENCY_MIN + 3) * 60_000;
  while (countRuns() < rules * CYCLES && Date.now() < deadline) await sleep(2000);
  const runs = db.prepare('SELECT rule_id, window_end, started_at, duration_ms, status FROM rule_runs ORDER BY started_at').all() as { rule_id: string; window_end: string; started_at: string; duration_ms: number; status: string }[];
  const lags = runs.map((r) => (Date.parse(r.started_at) - Math.max(Date.parse(r.window_end) + DELAY_S * 1000, savedAt.get(r.rule_id) ?? 0)) / 1000).map((s) => Math.max(0, s)).sort((a, b) => a - b);
  const failed = runs.filter((r) => r.status !== 'Succeeded').length;
  const byCycle = new Map<string, number[]>();
  for (const r of runs) byCycle.set(r.window_end.slice(0, 16), [...(byCycle.get(r.window_end.slice(0, 16)) ?? []), Date.parse(r.started_at) + r.duration_ms]);
  const cycleSpans = [...byCycle.values()].filter((v) => v.length > rules / 10).map((v) => (Math.max(...v) - Math.min(...v)) / 1000);

  // --- NRT latency ---
  await api('PUT', `${wsPath(0)}/providers/Microsoft.SecurityInsights/alertRules/nrt-bench?api-version=2023-02-01`, admin, { kind: 'NRT', properties: {
    displayName: 'nrt-bench', severity: 'High', enabled: true, query: "SecurityEvent | where EventID == 1102 and Computer startswith 'NRT-' | project TimeGenerated, Computer",
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' }, entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    incidentConfiguration: { createIncident: false },
  } });
  for (let i = 0; i < NRT_EVENTS; i++) {
    await send(0, [{ TimeGenerated: new Date().toISOString(), Computer: `NRT-${i}`, EventID: 1102 }]);
    await sleep(250);
  }
  const latencyQuery = `SecurityAlert | where AlertName == 'nrt-bench' | extend Host = tostring(parse_json(Entities)[0].HostName), alerted = ingestion_time()
    | join kind=inner (SecurityEvent | where Computer startswith 'NRT-' | project Host = Computer, arrived = ingestion_time()) on Host
    | project ms = datetime_diff('millisecond', alerted, arrived)`;
  let latencies: number[] = [];
  for (let tries = 0; tries < 60; tries++) {
    const res = await api('POST', `/v1/workspaces/${customerIds[0]}/query`, reader, { query: latencyQuery });
    latencies = (res.tables[0].rows as [number][]).map(([ms]) => ms / 1000).sort((a, b) => a - b);
    if (latencies.length >= NRT_EVENTS) break;
    await sleep(1000);
  }
  db.close();

  const figures = {
    rules, workspaces: WORKSPACES, frequency_min: FREQUENCY_MIN, cycles: byCycle.size, runs: runs.length, failed_runs: failed,
    lag_p50_s: percentile(lags, 50), lag_p99_s: percentile(lags, 99), lag_max_s: lags.at(-1) ?? 0,
    cycle_s: Math.max(0, ...cycleSpans), engine_cycle_s: engineCycleS,
    nrt_events: NRT_EVENTS, nrt_alerts: latencies.length, nrt_latency_p50_s: percentile(latencies, 50), nrt_latency_p99_s: percentile(latencies, 99),
  };
  const rows: [string, string][] = [
    ['rules / workspaces', `${rules} / ${WORKSPACES} (every ${FREQUENCY_MIN} min, lookback 1 h, ${ROWS_PER_WORKSPACE} rows each)`],
    ['windows run (failed)', `${runs.length} (${failed}) over ${byCycle.size} cycles`],
    ['scheduling lag p50 / p99 / max', `${figures.lag_p50_s.toFixed(1)} / ${figures.lag_p99_s.toFixed(1)} / ${figures.lag_max_s.toFixed(1)} s (target p99 < 60 s)`],
    ['one cycle: scheduler / engine alone', `${figures.cycle_s.toFixed(1)} s / ${engineCycleS.toFixed(1)} s (the 500 queries back to back through the query API)`],
    ['NRT alerts', `${latencies.length} of ${NRT_EVENTS} events`],
    ['NRT latency p50 / p99', `${figures.nrt_latency_p50_s.toFixed(2)} / ${figures.nrt_latency_p99_s.toFixed(2)} s (target p50 < 5 s; Sentinel: 1-3 min)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nbench:detect\n');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log(`\n${JSON.stringify(figures)}`);
}

main()
  .catch((error: unknown) => { console.error(error); process.exitCode = 1; })
  .finally(async () => {
    if (child !== undefined) await stopChildServer(child);
    rmSync(dir, { recursive: true, force: true });
  });
