// `vigil query` as users run it: a separate process signed in over HTTPS, workspaces named by
// name across the MSSP's own and delegated directories, rows sent by each customer's ingesting
// app through the Logs Ingestion API. Bad inputs: an unknown name, a name two customers share,
// a workspace of another customer, KQL the server refuses, a bad timespan, a wrong password.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { startTestServer, eventually, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { INGEST, queryWorld, securityEventsRule, upload } from '../../server/test/query-fixtures.ts';

const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
const vigil = (args: string[], input?: string) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [VIGIL, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
  child.stdin.end(input ?? '');
});

const F = WORLD.fabrikam;
const N = WORLD.northwind;
let t: TestServer;
let tmp: string;
const eli = () => ['--tenant', 'contososoc.example', '--username', WORLD.users.eli.upn, '--password', WORLD.users.eli.password, '--url', t.url];
const fabrikamAdmin = () => ['--tenant', 'fabrikam.example', '--username', WORLD.users.fabrikamAdmin.upn, '--password', WORLD.users.fabrikamAdmin.password, '--url', t.url];

/** queryWorld() plus a workspace named "shared-name" in both customers. */
function world(): string {
  const doc = parse(queryWorld()) as { directories: any[] };
  for (const name of ['fabrikam', 'northwind']) doc.directories.find((d) => d.name === name).subscriptions[0].resourceGroups[0].workspaces.push({ name: 'shared-name' });
  return stringify(doc);
}

before(async () => {
  t = await startTestServer({ environment: world() });
  tmp = mkdtempSync(join(tmpdir(), 'vigil-query-'));
  const now = Date.now();
  const rows = (computer: string, n: number) => Array.from({ length: n }, (_v, i) => ({
    TimeGenerated: new Date(now - (i + 1) * 60_000).toISOString(), Computer: computer, EventID: 4625, Account: `CONTOSO\\user${i}`,
    Activity: '4625 - An account failed to log on, "bad password"',
  }));
  for (const [c, app, admin, computer, n] of [[F, INGEST.fabrikam, WORLD.users.fabrikamAdmin, 'fab-dc01', 3], [N, INGEST.northwind, WORLD.users.northwindAdmin, 'nw-web01', 2]] as const) {
    const token = await t.userToken(c.tenant, admin.upn, admin.password);
    const rule = await securityEventsRule(t, token, c, ws(c.subscription, c.rg, c.workspace), `dcr-cli-${computer}`);
    await upload(t, app, rule, rows(computer, n));
  }
});
after(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

const COUNT = 'SecurityEvent | summarize n = count() by Computer | order by Computer asc';

test('vigil query reads workspaces by name across the MSSP\'s delegated directories, as JSON, CSV and a table', async () => {
  // Rows arrive through the ingestion pipeline: wait until both customers' are queryable.
  const json = await eventually(async () => {
    const res = await vigil(['query', COUNT, '-w', F.workspace, '--workspace', N.workspace, '--format', 'json', ...eli()]);
    assert.equal(res.status, 0, res.stderr);
    return JSON.parse(res.stdout) as { tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[] };
  }, (b) => b.tables[0]!.rows.length === 2, 'both customers\' rows');
  assert.deepEqual(json.tables[0]!.columns, [{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }]);
  assert.deepEqual(json.tables[0]!.rows, [['fab-dc01', 3], ['nw-web01', 2]]);

  // CSV per RFC 4180: CRLF, quotes doubled, fields with commas quoted.
  const csv = await vigil(['query', 'SecurityEvent | where Computer == "fab-dc01" | take 1 | project Computer, EventID, Activity', '-w', F.workspace, '--format', 'csv', ...eli()]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, 'Computer,EventID,Activity\r\nfab-dc01,4625,"4625 - An account failed to log on, ""bad password"""\r\n');

  // A table: aligned, numbers to the right, cut to the width with an ellipsis.
  const table = await vigil(['query', 'SecurityEvent | summarize n = count() by Computer, Activity | order by Computer asc', '-w', F.workspace, '-w', N.workspace, '--width', '40', ...eli()]);
  assert.equal(table.status, 0, table.stderr);
  const lines = table.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4, table.stdout);
  assert.match(lines[0]!, /^Computer\s+Activity\s+n$/);
  assert.match(lines[1]!, /^-+ {2}-+ {2}-+$/);
  assert.match(lines[2]!, /^fab-dc01\s+4625 - An account.*… +3$/);
  assert.match(lines[3]!, /^nw-web01 .* +2$/);
  for (const l of lines) assert.ok(l.length <= 40, `"${l}" fits 40 columns`);
  assert.equal(lines[2]!.indexOf('4625'), lines[0]!.indexOf('Activity'), 'columns aligned');
  assert.match(table.stderr, /\(2 rows\)/);

  // The same query from a file and from standard input; the workspace by id and by resource id.
  const file = join(tmp, 'count.kql');
  writeFileSync(file, COUNT);
  const id = JSON.parse(JSON.stringify((await t.server.services.db.selectFrom('workspaces').select('customer_id').where('name', '=', F.workspace).executeTakeFirstOrThrow()))).customer_id as string;
  const fromFile = await vigil(['query', '-f', file, '-w', id, '--format', 'csv', ...eli()]);
  assert.equal(fromFile.stdout, 'Computer,n\r\nfab-dc01,3\r\n', fromFile.stderr);
  const fromStdin = await vigil(['query', '-', '-w', ws(F.subscription, F.rg, F.workspace), '--format', 'csv', '--timespan', 'PT1H', ...eli()], COUNT);
  assert.equal(fromStdin.stdout, 'Computer,n\r\nfab-dc01,3\r\n', fromStdin.stderr);
});

test('vigil query refuses an ambiguous or unknown name, and another customer\'s workspace, with what it knows (exit 2)', async () => {
  const ambiguous = await vigil(['query', COUNT, '-w', 'shared-name', ...eli()]);
  assert.equal(ambiguous.status, 2);
  assert.match(ambiguous.stderr, /--workspace shared-name is the name of 2 workspaces; give the id or resource id of the one you mean/);
  assert.match(ambiguous.stderr, /shared-name in Fabrikam \(fabrikam\.example\), subscription Fabrikam production\n\s+id [0-9a-f-]{36}\n\s+\/subscriptions\/00000000-0000-0000-0000-00000000aa01\/resourceGroups\/rg-sentinel\/providers\/Microsoft\.OperationalInsights\/workspaces\/shared-name/);
  assert.match(ambiguous.stderr, /shared-name in Northwind Traders \(northwind\.example\)/);
  assert.equal(ambiguous.stdout, '');

  const unknown = await vigil(['query', COUNT, '-w', 'ws-nowhere', ...eli()]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--workspace ws-nowhere: no workspace of that name in the directories you reach \(.*ws-fabrikam.*ws-northwind.*ws-soc\)/);

  // Fabrikam's admin reaches only Fabrikam: Northwind's workspace is not a name they know, nor is its id.
  const other = await vigil(['query', COUNT, '-w', N.workspace, ...fabrikamAdmin()]);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /no workspace of that name in the directories you reach \(shared-name, ws-fabrikam\)/);
  const nwId = (await t.server.services.db.selectFrom('workspaces').select('customer_id').where('name', '=', N.workspace).executeTakeFirstOrThrow()).customer_id;
  const byId = await vigil(['query', COUNT, '-w', nwId, ...fabrikamAdmin()]);
  assert.equal(byId.status, 3);
  assert.match(byId.stderr, /the server refused the query \(404 WorkspaceNotFoundError\)/);
  assert.doesNotMatch(byId.stdout, /nw-web01/);
});

test('vigil query shows the server\'s refusal of a query with its code and position (exit 4), and usage errors exit 2', async () => {
  const bad = await vigil(['query', 'SecurityEvent\n| where Acount == "x"', '-w', F.workspace, ...eli()]);
  assert.equal(bad.status, 4, bad.stderr);
  assert.match(bad.stderr, /the server refused the query \(400 BadArgumentError \/ SemanticError \/ KS\d+\)/);
  assert.match(bad.stderr, /2:9: KS\d+ .*Acount.*\n {2}\| where Acount == "x"\n {10}\^/);

  const syntax = await vigil(['query', 'SecurityEvent | summarize by', '-w', F.workspace, ...eli()]);
  assert.equal(syntax.status, 4, syntax.stderr);
  assert.match(syntax.stderr, /SyntaxError/);

  const timespan = await vigil(['query', COUNT, '-w', F.workspace, '--timespan', 'yesterday', ...eli()]);
  assert.equal(timespan.status, 2, timespan.stderr);
  assert.match(timespan.stderr, /400 BadArgumentError.*timespan/);

  const password = await vigil(['query', COUNT, '-w', F.workspace, ...eli().slice(0, 5), 'wrong', '--url', t.url]);
  assert.equal(password.status, 2);
  assert.match(password.stderr, /Sign-in failed: AADSTS50126/);

  const noQuery = await vigil(['query', '-w', F.workspace, ...eli()]);
  assert.equal(noQuery.status, 2);
  assert.match(noQuery.stderr, /Give the query as an argument, with --file <file>, or as - /);
  const noWorkspace = await vigil(['query', COUNT, ...eli()]);
  assert.equal(noWorkspace.status, 2);
  assert.match(noWorkspace.stderr, /--workspace/);
  const format = await vigil(['query', COUNT, '-w', F.workspace, '--format', 'xml', ...eli()]);
  assert.equal(format.status, 2);
  assert.match(format.stderr, /Allowed choices are table, csv, json/);
});
