// npm run bench:ingest: ingestion throughput and latency of a real Vigil server (a child
// process, over HTTPS and TCP on loopback), against DuckDB's own bulk load of the same rows in
// the same run. Prints a table, then one line of JSON with the figures.
//
//   HTTP:    the Logs Ingestion API (what @azure/monitor-ingestion calls), gzip bodies of
//            SecurityEvent-shaped events into the standard SecurityEvent table.
//   Syslog:  RFC 3164 messages over TCP connections into a Syslog connector.
//   Import:  `vigil import` of a Log Analytics CSV export.
//   Latency: send -> 204. The 204 is sent after the commit, so this is ingestion-to-queryable.
//   Memory:  the server's peak RSS (VmHWM) and its RSS sampled through the run.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbLogStore } from '../src/logstore/duckdb/duckdb-store.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';
import { VIGIL_BIN as VIGIL, applyEnvironment, childEnv, freePort, startChildServer, stopChildServer } from '../test/child-server.ts';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const HTTP_EVENTS = Number(args.get('http-events') ?? 600_000);
const SYSLOG_MESSAGES = Number(args.get('syslog-messages') ?? 2_000_000);
const IMPORT_ROWS = Number(args.get('import-rows') ?? 200_000);
const EVENTS_PER_CALL = 2_000;
const HTTP_CONCURRENCY = Number(args.get("http-concurrency") ?? 8);
const SYSLOG_CONNECTIONS = Number(args.get("syslog-connections") ?? 4);

const TENANT = 'be11be11-0000-4000-8000-000000000001';
const SUB = 'be11be11-0000-4000-8000-0000000000aa';
// One workspace per path, as different customers' sources land in different workspaces: each
// path is measured without the previous path's data waiting to be checkpointed.
const WS_ID = 'be11be11-0000-4000-8000-0000000000ee';
const SYSLOG_WS_ID = 'be11be11-0000-4000-8000-0000000000ef';
const IMPORT_WS_ID = 'be11be11-0000-4000-8000-0000000000f0';
const APP = { id: 'be11be11-0000-4000-8000-0000000000a1', secret: 'bench-secret-0123456789' };
const WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-bench`;
const SYSLOG_WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-syslog`;
const IMPORT_WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws-import`;
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
        resourceGroups: [{ name: rg, workspaces: [{ name: ws-bench, customerId: ${WS_ID} }, { name: ws-syslog, customerId: ${SYSLOG_WS_ID} }, { name: ws-import, customerId: ${IMPORT_WS_ID} }] }]
        roleAssignments:
          - { principal: admin, role: Owner }
          - { principal: ingest, role: Monitoring Metrics Publisher, scope: rg }
`;
/** SecurityEvent columns a Windows logon event fills, with their types in the standard schema. */
const STREAM_COLUMNS = [
  ['TimeGenerated', 'datetime'], ['Computer', 'string'], ['EventID', 'int'], ['Activity', 'string'], ['Account', 'string'],
  ['AccountType', 'string'], ['IpAddress', 'string'], ['LogonType', 'int'], ['TargetUserName', 'string'], ['TargetDomainName', 'string'],
  ['SubjectUserName', 'string'], ['Channel', 'string'], ['Level', 'string'], ['EventSourceName', 'string'], ['WorkstationName', 'string'],
] as const;

const env = childEnv('warn');
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
let child: ChildProcess | undefined;
let url = '';

function event(i: number, base: number): Record<string, unknown> {
  const failed = i % 10 === 0;
  return {
    TimeGenerated: new Date(base + i).toISOString(), Computer: `DC${i % 20}.contoso.example`, EventID: failed ? 4625 : 4624,
    Activity: failed ? '4625 - An account failed to log on.' : '4624 - An account was successfully logged on.',
    Account: `CONTOSO\\user${i % 500}`, AccountType: 'User', IpAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, LogonType: 3,
    TargetUserName: `user${i % 500}`, TargetDomainName: 'CONTOSO', SubjectUserName: '-', Channel: 'Security', Level: '8',
    EventSourceName: 'Microsoft-Windows-Security-Auditing', WorkstationName: `WS${i % 300}`,
  };
}

async function startServer(port: number): Promise<void> {
  const profile = [...(process.env.VIGIL_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.VIGIL_BENCH_PROFILE] : []), ...(process.env.VIGIL_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  child = await startChildServer(dir, port, { env, nodeArgs: profile });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | 'self'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function memory(): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${child!.pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function token(form: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  return ((await res.json()) as { access_token: string }).access_token;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  applyEnvironment(dir, ENV, env);
  const port = await freePort();
  url = `https://127.0.0.1:${port}`;
  await startServer(port);
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(memory().rssMb), 250);

  const admin = await token({ grant_type: 'password', username: 'admin@bench.example', password: 'Admin-Passw0rd!', scope: 'https://management.azure.com/.default' });
  const rule = await api('PUT', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/bench?api-version=2023-03-11`, admin, {
    location: 'westeurope',
    properties: {
      streamDeclarations: { 'Custom-WinLogon': { columns: STREAM_COLUMNS.map(([name, type]) => ({ name, type })) } },
      destinations: { logAnalytics: [{ workspaceResourceId: WS, name: 'la' }] },
      dataFlows: [{ streams: ['Custom-WinLogon'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }],
    },
  });
  const immutableId: string = rule.properties.immutableId;
  const bearer = await token({ grant_type: 'client_credentials', client_id: APP.id, client_secret: APP.secret, scope: 'https://monitor.azure.com/.default' });

  // --- HTTP: bodies made and compressed before the clock starts, as a client library would ---
  const base = Date.now() - 3_600_000;
  const calls = Math.ceil(HTTP_EVENTS / EVENTS_PER_CALL);
  const plain: string[] = [];
  const bodies: Buffer[] = [];
  for (let c = 0; c < calls; c++) {
    const json = JSON.stringify(Array.from({ length: EVENTS_PER_CALL }, (_, i) => event(c * EVENTS_PER_CALL + i, base)));
    plain.push(json);
    bodies.push(gzipSync(json));
  }
  const uncompressedPerCall = Buffer.byteLength(plain[0]!);
  const latencies: number[] = [];
  let next = 0;
  const httpStart = performance.now();
  const cpuBefore = { server: cpuSeconds(child!.pid!), client: cpuSeconds('self') };
  await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, async () => {
    while (next < calls) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const res = await fetch(`${url}/dataCollectionRules/${immutableId}/streams/Custom-WinLogon?api-version=2023-01-01`, {
        method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(body),
      });
      if (res.status !== 204) throw new Error(`ingestion answered ${res.status}: ${await res.text()}`);
      latencies.push(performance.now() - t0);
    }
  }));
  const httpSeconds = (performance.now() - httpStart) / 1000;
  const httpCpu = { server: cpuSeconds(child!.pid!) - cpuBefore.server, client: cpuSeconds('self') - cpuBefore.client };
  const httpEvents = calls * EVENTS_PER_CALL;
  latencies.sort((a, b) => a - b);

  // --- Syslog over TCP: several senders, each one connection writing as fast as it may ---
  const connector = await api('PUT', `${SYSLOG_WS}/providers/Microsoft.SecurityInsights/dataConnectors/bench-tcp?api-version=2024-09-01`, admin, { kind: 'Syslog', properties: { protocol: 'tcp', port: 0 } });
  const syslogPort: number = connector.properties.connectivity.listening.port;
  const perConnection = Math.ceil(SYSLOG_MESSAGES / SYSLOG_CONNECTIONS);
  const payloads = Array.from({ length: SYSLOG_CONNECTIONS }, (_, c) =>
    Buffer.from(Array.from({ length: perConnection }, (_, i) => `<38>Nov 27 10:${String(i % 60).padStart(2, '0')}:00 web${c} sshd[${1000 + (i % 900)}]: Accepted publickey for deploy from 10.0.${c}.${i % 250} port ${40000 + (i % 20000)} ssh2\n`).join('')));
  const syslogStart = performance.now();
  await Promise.all(payloads.map((p) => new Promise<void>((resolve, reject) => {
    const socket = connect(syslogPort, '127.0.0.1', () => socket.end(p));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  })));
  const syslogTotal = perConnection * SYSLOG_CONNECTIONS;
  // A connection closes once its last frames are committed: the senders above finish then.
  const syslogSeconds = (performance.now() - syslogStart) / 1000;
  const status = await api('GET', `${SYSLOG_WS}/providers/Microsoft.SecurityInsights/dataConnectors/bench-tcp?api-version=2024-09-01`, admin);
  const syslogCounted: number = status.properties.connectivity.days.reduce((n: number, d: { events: number }) => n + d.events, 0);

  // --- File import: a Log Analytics CSV export through `vigil import` ---
  const csv = join(dir, 'SecurityEvent.csv');
  const header = STREAM_COLUMNS.map(([n]) => (n === 'TimeGenerated' ? 'TimeGenerated [UTC]' : n));
  const lines = [header.join(',')];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const e = event(i, base);
    const d = new Date(e.TimeGenerated as string);
    const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
    e.TimeGenerated = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}.${String(d.getUTCMilliseconds()).padStart(3, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
    lines.push(STREAM_COLUMNS.map(([n]) => { const v = String(e[n]); return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v; }).join(','));
  }
  writeFileSync(csv, lines.join('\n'));
  const importStart = performance.now();
  const imported = spawnSync(process.execPath, [VIGIL, 'import', csv, '--workspace', IMPORT_WS, '--table', 'SecurityEvent', '--tenant', TENANT, '--username', 'admin@bench.example', '--password', 'Admin-Passw0rd!', '--url', url, '--json'], { env: { ...env, NODE_EXTRA_CA_CERTS: process.env.VIGIL_TEST_TLS_CERT }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const importSeconds = (performance.now() - importStart) / 1000;
  if (imported.status !== 0) throw new Error(`vigil import failed (${imported.status}): ${imported.stderr}`);

  clearInterval(sampler);
  const mem = memory();
  await stopChildServer(child!);

  // --- What the store holds, read back from its files ---
  const store = new DuckDbLogStore(dir);
  const count = async (ws: string, table: string) => Number(((await store.query({ sql: `SELECT count(*) FROM "${workspaceCatalog(ws)}".main."${table}"`, workspaces: [ws] })).rows[0] as [bigint])[0]);
  const storedSecurityEvents = await count(WS_ID, 'SecurityEvent');
  const storedSyslog = await count(SYSLOG_WS_ID, 'Syslog');
  const storedImported = await count(IMPORT_WS_ID, 'SecurityEvent');
  await store.close();

  // --- DuckDB's own bulk load of the HTTP rows (read_json), same columns, same machine ---
  const ndjson = join(dir, 'events.ndjson');
  writeFileSync(ndjson, plain.map((p) => (JSON.parse(p) as unknown[]).map((r) => JSON.stringify(r)).join('\n')).join('\n'));
  const duck = await DuckDBInstance.create(join(dir, 'bulk.duckdb'));
  const conn = await duck.connect();
  const DUCK: Record<string, string> = { datetime: 'TIMESTAMP', string: 'VARCHAR', int: 'INTEGER' };
  await conn.run(`CREATE TABLE SecurityEvent (${STREAM_COLUMNS.map(([n, t]) => `"${n}" ${DUCK[t]}`).join(', ')})`);
  const bulkStart = performance.now();
  await conn.run(`INSERT INTO SecurityEvent SELECT * FROM read_json('${ndjson}', format = 'newline_delimited', columns = {${STREAM_COLUMNS.map(([n, t]) => `'${n}': '${DUCK[t]}'`).join(', ')}})`);
  const bulkSeconds = (performance.now() - bulkStart) / 1000;
  const bulkRows = Number(((await conn.runAndReadAll('SELECT count(*) FROM SecurityEvent')).getRows()[0] as [bigint])[0]);
  conn.closeSync();
  duck.closeSync();

  const figures = {
    http_events_per_s: Math.round(httpEvents / httpSeconds),
    syslog_tcp_msgs_per_s: Math.round(syslogTotal / syslogSeconds),
    import_rows_per_s: Math.round(IMPORT_ROWS / importSeconds),
    latency_p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
    latency_p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
    peak_rss_mb: Math.round(mem.peakMb),
    rss_first_mb: Math.round(rss[0] ?? 0),
    rss_mid_mb: Math.round(rss[Math.floor(rss.length / 2)] ?? 0),
    rss_last_mb: Math.round(rss.at(-1) ?? 0),
    duckdb_bulk_rows_per_s: Math.round(bulkRows / bulkSeconds),
    ratio_to_duckdb_bulk: Math.round((httpEvents / httpSeconds) / (bulkRows / bulkSeconds) * 1000) / 1000,
    http_server_cores: Math.round(httpCpu.server / httpSeconds * 100) / 100,
    http_client_cores: Math.round(httpCpu.client / httpSeconds * 100) / 100,
    http_events: httpEvents,
    http_calls: calls,
    http_uncompressed_bytes_per_call: uncompressedPerCall,
    syslog_messages: syslogTotal,
    import_rows: IMPORT_ROWS,
    stored_security_events: storedSecurityEvents,
    stored_imported: storedImported,
    stored_syslog: storedSyslog,
    syslog_counted_by_connector: syslogCounted,
  };
  const rows: [string, string][] = [
    ['HTTP Logs Ingestion (SecurityEvent, gzip)', `${figures.http_events_per_s.toLocaleString('en')} events/s (${httpEvents.toLocaleString('en')} events, ${calls} calls of ${EVENTS_PER_CALL}, ${HTTP_CONCURRENCY} in flight)`],
    ['Syslog over TCP (RFC 3164)', `${figures.syslog_tcp_msgs_per_s.toLocaleString('en')} messages/s (${syslogTotal.toLocaleString('en')} over ${SYSLOG_CONNECTIONS} connections)`],
    ['vigil import (CSV export)', `${figures.import_rows_per_s.toLocaleString('en')} rows/s (${IMPORT_ROWS.toLocaleString('en')} rows, CLI start included)`],
    ['CPU during HTTP: server / load generator', `${figures.http_server_cores} / ${figures.http_client_cores} cores (of 2)`],
    ['Ingestion -> queryable, p50 / p99', `${figures.latency_p50_ms} ms / ${figures.latency_p99_ms} ms per call of ${EVENTS_PER_CALL} events`],
    ['Server peak RSS (VmHWM)', `${figures.peak_rss_mb} MB`],
    ['Server RSS through the run (MB)', rss.filter((_, i) => i % Math.max(1, Math.floor(rss.length / 12)) === 0).map((m) => Math.round(m)).join(' ')],
    ['DuckDB read_json bulk load, same rows', `${figures.duckdb_bulk_rows_per_s.toLocaleString('en')} rows/s`],
    ['HTTP ingestion / DuckDB bulk', `${figures.ratio_to_duckdb_bulk}`],
    ['Stored: HTTP / syslog / imported rows', `${storedSecurityEvents.toLocaleString('en')} / ${storedSyslog.toLocaleString('en')} / ${storedImported.toLocaleString('en')}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nVigil ingestion benchmark (${new Date().toISOString()}, ${process.version})\n`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  if (storedSecurityEvents !== httpEvents || storedImported !== IMPORT_ROWS || storedSyslog !== syslogTotal) {
    console.log(`\nWARNING: stored rows differ from what was acknowledged`);
  }
  console.log(JSON.stringify(figures));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
