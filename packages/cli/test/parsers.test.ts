// `vigil parsers import` as users run it: Sentinel's own parser files, from the content
// corpus, saved through the HTTPS saved-searches API, then called by a query.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, SHARED, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import type { ParsersImportSummary } from '../src/parsers-command.ts';

const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
const PARSERS = fileURLToPath(new URL('corpus/sentinel/parsers/', SHARED));
const vigil = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [VIGIL, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});

const F = WORLD.fabrikam;
const WORKSPACE = ws(F.subscription, F.rg, F.workspace);
const signIn = (user: { upn: string; password: string }) => ['--workspace', WORKSPACE, '--tenant', F.tenant, '--username', user.upn, '--password', user.password];

let t: TestServer;
let folder: string;

before(async () => {
  t = await startTestServer();
  // A folder as users have one: an ASIM YAML pair, a solution's text parser, documentation, a broken file.
  folder = mkdtempSync(join(tmpdir(), 'vigil-parsers-'));
  mkdirSync(join(folder, 'ASimDns'));
  mkdirSync(join(folder, 'Solutions', 'SlackAudit', 'Parsers'), { recursive: true });
  copyFileSync(join(PARSERS, 'Parsers/ASimDns/Parsers/vimDnsMicrosoftOMS.yaml'), join(folder, 'ASimDns', 'vimDnsMicrosoftOMS.yaml'));
  copyFileSync(join(PARSERS, 'Parsers/ASimDns/Parsers/vimDnsEmpty.yaml'), join(folder, 'ASimDns', 'vimDnsEmpty.yaml'));
  copyFileSync(join(PARSERS, 'Solutions/SlackAudit/Parsers/SlackAudit.txt'), join(folder, 'Solutions', 'SlackAudit', 'Parsers', 'SlackAudit.txt'));
  writeFileSync(join(folder, 'README.md'), '# notes');
  writeFileSync(join(folder, 'broken.yaml'), 'ParserName: [');
});
after(async () => { await t?.close(); });

test('parser files become the workspace\'s functions, under every name rules call them by', async () => {
  const run = await vigil(['parsers', 'import', folder, ...signIn(WORLD.users.fabrikamAdmin), '--url', t.url, '--json']);
  assert.equal(run.status, 1, `a broken file makes the exit code 1: ${run.stderr}`);
  const summary = JSON.parse(run.stdout) as ParsersImportSummary;
  const saved = summary.functions.filter((f) => f.outcome === 'saved').map((f) => f.alias).sort();
  assert.deepEqual(saved, ['SlackAudit', 'Slack_Audit', '_Im_Dns_Empty', '_Im_Dns_MicrosoftOMS', 'vimDnsEmpty', 'vimDnsMicrosoftOMS'].sort());
  assert.deepEqual(summary.skipped.map((s) => s.path), ['broken.yaml']);
  assert.match(summary.skipped[0]!.reason, /unreadable/);

  // The functions are there, with their parameters, and a query calls them (the DNS parser
  // over the standard DnsEvents table, with a parameter by name).
  const list = await t.request('GET', `${WORKSPACE}/savedSearches?api-version=2020-08-01`, { token: await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password) });
  const oms = (list.body.value as { properties: { functionAlias?: string; functionParameters?: string } }[]).find((s) => s.properties.functionAlias === '_Im_Dns_MicrosoftOMS');
  assert.match(oms?.properties.functionParameters ?? '', /^starttime:datetime = datetime\(null\), endtime:datetime = datetime\(null\), srcipaddr:string = /);
  const token = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password, 'https://api.loganalytics.io/.default');
  const customerId = (await t.request('GET', `${WORKSPACE}?api-version=2025-07-01`, { token: await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password) })).body.properties.customerId as string;
  const res = await t.request('POST', `/v1/workspaces/${customerId}/query`, { token, body: { query: '_Im_Dns_MicrosoftOMS(starttime=ago(1d)) | union vimDnsEmpty | count' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.tables[0].rows, [[0]]);

  // Importing again replaces, and says so the same way.
  const again = await vigil(['parsers', 'import', join(folder, 'ASimDns'), ...signIn(WORLD.users.fabrikamAdmin), '--url', t.url]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /4 function\(s\) saved, 0 refused, from 2 file\(s\)/);
});

test('a user of another directory reaches nothing: the workspace is refused before anything is sent', async () => {
  const N = WORLD.northwind;
  const run = await vigil(['parsers', 'import', join(folder, 'ASimDns', 'vimDnsEmpty.yaml'), '--workspace', WORKSPACE, '--tenant', N.tenant,
    '--username', WORLD.users.northwindAdmin.upn, '--password', WORLD.users.northwindAdmin.password, '--url', t.url]);
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /cannot be used \((403|404)/);
  const list = await t.request('GET', `${WORKSPACE}/savedSearches?api-version=2020-08-01`, { token: await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password) });
  assert.equal((list.body.value as unknown[]).length, 6, 'nothing was added or changed');
});
