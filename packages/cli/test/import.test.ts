// `vigil import` as users run it: a separate process, signed in through the HTTPS API, loading
// every file of Microsoft's Sentinel sample data into a workspace and saying what did not load.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, SHARED, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { readExport, type ExportFile } from '../../server/src/ingest/file-import/read-export.ts';
import { customSchemaFromFile, prepareRows } from '../../server/src/ingest/file-import/prepare-rows.ts';
import { findStandardTable } from '../../server/src/logstore/schema.ts';
import { workspaceCatalog } from '../../server/src/logstore/log-store.ts';
import type { ImportSummary } from '../src/import-summary.ts';

const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
const SAMPLES = fileURLToPath(new URL('corpus/sentinel/sample-data/', SHARED));
const env = { ...process.env, VIGIL_LOG_LEVEL: 'silent' };
const vigil = (args: string[], cwd?: string) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [VIGIL, ...args], { env, ...(cwd === undefined ? {} : { cwd }) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const F = WORLD.fabrikam;
const WORKSPACE = ws(F.subscription, F.rg, F.workspace);
const admin = ['--workspace', WORKSPACE, '--tenant', F.tenant, '--username', WORLD.users.fabrikamAdmin.upn, '--password', WORLD.users.fabrikamAdmin.password];

let t: TestServer;
let tmp: string;
let workspaceId: string;
const T = (table: string) => `"${workspaceCatalog(workspaceId)}".main."${table}"`;
const count = async (table: string): Promise<number> => {
  const exists = (await t.server.services.logStore.tables(workspaceId)).some((x) => x.name.toLowerCase() === table.toLowerCase());
  if (!exists) return 0;
  const res = await t.server.services.logStore.query({ sql: `SELECT count(*) FROM ${T(table)}`, workspaces: [workspaceId] });
  return Number(res.rows[0]![0]);
};

before(async () => {
  t = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'vigil-import-'));
  workspaceId = (await t.server.services.db.selectFrom('workspaces').select('customer_id').where('name', '=', F.workspace).executeTakeFirstOrThrow()).customer_id;
  // The samples are years old: keep them from the retention job (its first run comes seconds
  // after start) so the store can be compared with the summary. The last test covers the warning.
  await t.server.services.db.updateTable('workspaces').set({ retention_days: 36500 }).where('customer_id', '=', workspaceId).execute();
});
after(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('vigil import loads the whole sample corpus: every file loaded or refused with its reason, no row lost or invented', async () => {
  const files = walk(SAMPLES).map((p) => relative(SAMPLES, p));
  assert.ok(files.length > 90, `expected the sample corpus at ${SAMPLES}`);
  const res = await vigil(['import', ...files, ...admin, '--url', t.url, '--json'], SAMPLES);
  assert.equal(res.status, 1, `something is rejected, the rest loads (exit 1): ${res.stderr}`);
  const summary = JSON.parse(res.stdout) as ImportSummary;
  assert.deepEqual(summary.files.map((f) => f.file), files);
  // Without a terminal, one line per file on stderr.
  assert.equal(res.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l)).length, files.length);

  const tally = { full: 0, partial: 0, none: 0, notRows: 0, raw: 0 };
  for (const f of summary.files) {
    const file: ExportFile = readExport({ name: f.file, text: readFileSync(join(SAMPLES, f.file), 'utf8') });
    assert.equal(f.format, file.format, f.file);
    assert.equal(f.refused, undefined, `${f.file}: refused: ${f.refused}`);
    for (const r of f.rejections) assert.ok(r.text.startsWith(`${f.file}, row ${r.row}`) && r.problem.length > 0, r.text);
    if (file.format === 'unsupported') {
      assert.equal(f.status, 'not loaded');
      assert.ok(f.problem?.startsWith(`${f.file}: `) && f.problem.includes(file.reason!), `${f.file}: ${f.problem}`);
      tally.notRows++;
      continue;
    }
    if (file.format === 'raw-lines') {
      // Raw syslog/CEF lines go through the syslog path: every non-blank line is a row.
      const lines = readFileSync(join(SAMPLES, f.file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').length;
      assert.equal(f.status, 'loaded', `${f.file}: ${f.problem ?? f.rejections[0]?.text}`);
      assert.equal(f.loaded, lines, f.file);
      const expected = f.file.startsWith('CEF/') ? 'CommonSecurityLog' : 'Syslog';
      assert.deepEqual(Object.keys(f.tables), [expected], f.file);
      tally.raw++;
      tally.notRows++;
      continue;
    }
    // CSV and JSON: exactly what the file-import module prepares, loaded or rejected, row for row.
    const schema = findStandardTable(file.tableHint!) ?? customSchemaFromFile(file.tableHint!, file);
    const prepared = prepareRows(file, schema, { fileName: f.file });
    assert.equal(f.table, schema.name, f.file);
    assert.equal(f.loaded, prepared.rows.length, f.file);
    assert.equal(f.rejected, prepared.rejected.length, f.file);
    if (prepared.problem !== undefined) {
      assert.equal(f.problem, prepared.problem);
      assert.ok(f.problem.includes(f.file));
    }
    if (f.loaded > 0) assert.deepEqual(f.tables, { [schema.name]: f.loaded });
    if (f.loaded > 0 && f.rejected === 0) tally.full++;
    else if (f.loaded > 0) tally.partial++;
    else tally.none++;
    assert.equal(f.status, f.loaded === 0 ? 'not loaded' : f.rejected > 0 ? 'partly' : 'loaded', f.file);
  }
  // The file-import module's own account of the corpus; the raw line files now load too.
  assert.deepEqual(tally, { full: 59, partial: 1, none: 26, notRows: 9, raw: 7 });
  const totals = summary.totals;
  assert.deepEqual([totals.loadedFully, totals.loadedPartly, totals.notLoaded], [66, 1, 28]);
  assert.equal(totals.rowsLoaded, summary.files.reduce((n, f) => n + f.loaded, 0));
  assert.equal(totals.rowsRejected, summary.files.reduce((n, f) => n + f.rejected, 0));
  assert.equal(totals.rowsNotSent, 0);

  // What the summary says was loaded is in the store, table by table.
  const perTable = new Map<string, number>();
  for (const f of summary.files) for (const [table, n] of Object.entries(f.tables)) perTable.set(table, (perTable.get(table) ?? 0) + n);
  for (const [table, n] of perTable) assert.equal(await count(table), n, table);
  assert.ok(summary.files.some((f) => f.createdTable === 'Okta_CL'));
  const usage = await t.server.services.db.selectFrom('ingestion_stats').select(['events']).where('workspace_id', '=', workspaceId).where('source', '=', 'FileImport').execute();
  assert.equal(usage.reduce((n, u) => n + Number(u.events), 0), totals.rowsLoaded);
});

test('raw lines without a PRI are read as <13> and said so; the human summary names rejected rows', async () => {
  const raw = join(tmp, 'appliance.log');
  writeFileSync(raw, 'Jun 21 11:17:33 host1 sshd[12]: Accepted password for bob\n\n<999>Jun 21 11:17:34 host1 bad pri\nCEF:0|Acme|Box|1.0|100|Blocked|5|src=10.0.0.1 dpt=443\n');
  const csv = join(tmp, 'Events_CL.csv');
  writeFileSync(csv, 'TimeGenerated,Computer\n2024-05-01T10:00:00Z,a\nnot a time,b\n');
  const before = await count('Syslog');
  const res = await vigil(['import', raw, csv, ...admin, '--url', t.url]);
  assert.equal(res.status, 1, res.stderr);
  assert.match(res.stdout, /appliance\.log, row 3: PRI 999 is out of range/);
  assert.match(res.stdout, /Events_CL\.csv, row 2 \(line 3\), column TimeGenerated: expected a datetime/);
  assert.match(res.stdout, /2 line\(s\) had no <PRI>: read as <13>/);
  assert.match(res.stdout, /created the custom table Events_CL/);
  assert.match(res.stdout, /2 file\(s\): 0 loaded fully, 2 partly, 0 not loaded; 3 row\(s\) loaded, 2 rejected/);
  assert.equal(await count('Syslog'), before + 1);
  assert.equal(await count('Events_CL'), 1);
  const rows = await t.server.services.logStore.query({ sql: `SELECT ProcessName, ProcessID, Computer FROM ${T('Syslog')} WHERE SyslogMessage = 'Accepted password for bob'`, workspaces: [workspaceId] });
  assert.deepEqual(rows.rows.map((r) => r.map(String)), [['sshd', '12', 'host1']]);
});

test('a Log Analytics Reader (the MSSP analyst through delegation) is refused with exit 3; nothing is stored', async () => {
  const before = await count('CommonSecurityLog');
  const res = await vigil(['import', 'CEF/AkamaiSIEM.csv', '--workspace', WORKSPACE, '--tenant', WORLD.soc.tenant, '--username', WORLD.users.ana.upn, '--password', WORLD.users.ana.password, '--url', t.url, '--json'], SAMPLES);
  assert.equal(res.status, 3, res.stderr);
  assert.match(res.stderr, /refused rows of CEF\/AkamaiSIEM\.csv: 403 AuthorizationFailed: .*does not have authorization to perform action 'Microsoft\.OperationalInsights\/workspaces\/tables\/write'/);
  const summary = JSON.parse(res.stdout) as ImportSummary;
  assert.deepEqual([summary.files[0]!.loaded, summary.files[0]!.notSent, summary.totals.refusedFiles], [0, 29, 1]);
  assert.equal(await count('CommonSecurityLog'), before);
});

test('a wrong password or a bad workspace id is a usage error (exit 2)', async () => {
  const wrong = await vigil(['import', join(SAMPLES, 'CEF/AkamaiSIEM.csv'), ...admin.slice(0, -1), 'wrong', '--url', t.url]);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /Sign-in failed: AADSTS50126/);
  const badId = await vigil(['import', join(SAMPLES, 'CEF/AkamaiSIEM.csv'), ...admin, '--workspace', 'ws-fabrikam', '--url', t.url]);
  assert.equal(badId.status, 2);
  assert.match(badId.stderr, /--workspace ws-fabrikam is not a workspace id/);
  const missing = await vigil(['import', join(tmp, 'nope.csv'), ...admin, '--url', t.url]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /Cannot read .*nope\.csv/);
});

test('rows older than the table keeps are flagged: the retention job would delete them', async () => {
  const token = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const put = await t.request('PUT', `${WORKSPACE}/tables/Syslog?api-version=2022-10-01`, { token, body: { properties: { retentionInDays: 30, totalRetentionInDays: 30 } } });
  assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body));
  const file = join(tmp, 'old.log');
  writeFileSync(file, `<13>2024-01-01T00:00:00Z host1 app: old\n<13>${new Date().toISOString()} host1 app: new\n`);
  const res = await vigil(['import', file, ...admin, '--url', t.url, '--json']);
  assert.equal(res.status, 0, res.stderr);
  const f = (JSON.parse(res.stdout) as ImportSummary).files[0]!;
  assert.deepEqual([f.loaded, f.olderThanRetention], [2, 1]);
  assert.ok(f.notes.some((n) => /1 loaded row\(s\) are older than Syslog's retention \(30 days\)/.test(n)), f.notes.join('; '));
});

test('the import endpoint is all or nothing per call: a row that does not fit refuses the call, naming row and column', async () => {
  const token = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const path = `${WORKSPACE}/tables/SecurityEvent/import?api-version=2025-01-01`;
  const before = await count('SecurityEvent');
  const bad = await t.request('POST', path, { token, body: [
    { TimeGenerated: '2024-05-01T10:00:00.123456Z', Computer: 'a', EventID: 4624 },
    { TimeGenerated: '2024-05-01T10:00:01Z', Computer: 'b', EventID: 'many' },
  ] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.target, '[1].EventID');
  assert.match(bad.body.error.message, /1 of 2 rows do not fit table 'SecurityEvent'; the first: row 1, column 'EventID' \(int\).*Nothing of this call was stored/);
  assert.equal(await count('SecurityEvent'), before);
  const ok = await t.request('POST', path, { token, body: [{ TimeGenerated: '2024-05-01T10:00:00.123456Z', Computer: 'a', EventID: '4624' }] });
  assert.deepEqual([ok.status, ok.body], [200, { rows: 1 }]);
  const stored = await t.server.services.logStore.query({ sql: `SELECT epoch_us(TimeGenerated) FROM ${T('SecurityEvent')} WHERE Computer = 'a' AND EventID = 4624`, workspaces: [workspaceId] });
  assert.deepEqual(stored.rows.map((r) => String(r[0])), [String(Date.parse('2024-05-01T10:00:00Z') * 1000 + 123456)]);
  const missing = await t.request('POST', `${WORKSPACE}/tables/Nope_CL/import?api-version=2025-01-01`, { token, body: [] });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error.message, /The custom table 'Nope_CL' does not exist/);
});
