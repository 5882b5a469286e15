// The `vigil` command as users run it: a separate process, real files, exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, SHARED, WORLD, type TestServer } from '../../server/test/harness.ts';

const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../docs/examples/mssp.yaml', import.meta.url));
const env = { ...process.env, VIGIL_LOG_LEVEL: 'silent' };
const vigil = (args: string[]) => spawnSync(process.execPath, [VIGIL, ...args], { encoding: 'utf8', env });
// Against the in-process test server the child must run asynchronously, or the server cannot answer it.
const vigilAsync = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [VIGIL, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});

let t: TestServer;
let tmp: string;
before(async () => {
  t = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
});
after(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('vigil apply creates the documented example, and a second apply changes nothing', () => {
  const dataDir = join(tmp, 'data');
  const first = vigil(['apply', EXAMPLE, '--data-dir', dataDir, '--json']);
  assert.equal(first.status, 0, first.stderr);
  const summary = JSON.parse(first.stdout) as { created: string[]; updated: string[] };
  assert.ok(summary.created.some((c) => c.startsWith('directory Contoso SOC')));
  assert.deepEqual(summary.updated, []);
  const second = vigil(['apply', EXAMPLE, '--data-dir', dataDir, '--json']);
  assert.equal(second.status, 0, second.stderr);
  const again = JSON.parse(second.stdout) as { created: string[]; updated: string[]; unchanged: number };
  assert.deepEqual([again.created, again.updated], [[], []]);
  assert.ok(again.unchanged > 0);
});

test('vigil apply points at the line of a bad entry and writes nothing', () => {
  const dataDir = join(tmp, 'bad');
  const file = join(tmp, 'bad.yaml');
  writeFileSync(file, [
    'directories:',
    '  - name: d1',
    '    displayName: One',
    '    domain: one.example',
    '    subscriptions:',
    '      - name: s1',
    '        roleAssignments:',
    '          - { principal: nobody, role: Reader }',
    '',
  ].join('\n'));
  const res = vigil(['apply', file, '--data-dir', dataDir]);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /bad\.yaml:8:\d+: directories\[0\]\.subscriptions\[0\]\.roleAssignments\[0\]: 'nobody' is not a user, group or service principal/);
  const ok = vigil(['apply', EXAMPLE, '--data-dir', dataDir, '--json']);
  assert.ok(!(JSON.parse(ok.stdout) as { created: string[] }).created.includes('directory One'), 'the failed apply left nothing behind');
});

test('vigil onboard deploys Microsoft\'s Lighthouse template as the customer Owner; the published placeholders fail clearly', async () => {
  const db = t.server.services.db;
  const tier1 = (await db.selectFrom('principals').select('id').where('display_name', '=', 'SOC Tier 1').executeTakeFirstOrThrow()).id;
  const dir = new URL('fixtures/lighthouse/delegated-resource-management/subscription/', SHARED);
  const published = readFileSync(new URL('subscription.parameters.json', dir), 'utf8');
  const params = join(tmp, 'params.json');
  writeFileSync(params, published.replace('<insert managing tenant id>', WORLD.soc.tenant).replaceAll('00000000-0000-0000-0000-000000000000', tier1).replace('Relecloud Managed Services', 'Relecloud via CLI'));
  const common = ['--subscription', WORLD.northwind.subscription, '--tenant', 'northwind.example', '--username', WORLD.users.northwindAdmin.upn, '--password', WORLD.users.northwindAdmin.password, '--url', t.url];
  const ok = await vigilAsync(['onboard', fileURLToPath(new URL('subscription.json', dir)), '--parameters', params, ...common]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Deployment lighthouse-onboarding: Succeeded/);
  assert.match(ok.stdout, /registrationAssignments\//);

  const bad = await vigilAsync(['onboard', fileURLToPath(new URL('subscription.json', dir)), '--parameters', fileURLToPath(new URL('subscription.parameters.json', dir)), ...common, '--name', 'as-published']);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /managedByTenantId '<insert managing tenant id>' is not a tenant id/);

  const wrongUser = await vigilAsync(['onboard', fileURLToPath(new URL('subscription.json', dir)), '--parameters', params, ...common.slice(0, -4), '--password', 'wrong', '--url', t.url]);
  assert.equal(wrongUser.status, 2);
  assert.match(wrongUser.stderr, /Sign-in failed: AADSTS50126/);
});

test('vigil kql explain prints each stage, and a refused query exits 4 with the position and a caret', () => {
  const query = 'SecurityEvent | where EventID == 4625 | summarize n=count() by Account';
  const sql = vigil(['kql', 'explain', query]);
  assert.equal(sql.status, 0, sql.stderr);
  assert.match(sql.stdout, /^SELECT .*FROM .*"SecurityEvent"/);
  const plan = vigil(['kql', 'explain', '--stage', 'plan', query]);
  assert.match(plan.stdout, /^Aggregate n=count\(\) by Account=Account\n\s+Filter /);
  const syntax = vigil(['kql', 'explain', '--stage', 'syntax', query]);
  assert.match(syntax.stdout, /FilterOperator/);
  const bad = vigil(['kql', 'explain', 'SecurityEvent\n| where Acount == 1']);
  assert.equal(bad.status, 4);
  assert.match(bad.stderr, /2:9: KS\d+ .*Acount[^]*\| where Acount == 1\n\s+\^{6}/);
  const usage = vigil(['kql', 'explain', '--stage', 'bytecode', query]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--stage bytecode is not one of syntax, plan, sql/);
});

test('vigil kql functions lists the catalogue, the same list the compiler accepts', () => {
  const out = vigil(['kql', 'functions', '--json']);
  assert.equal(out.status, 0, out.stderr);
  const list = JSON.parse(out.stdout) as { operators: string[]; functions: string[]; aggregates: string[] };
  assert.ok(list.operators.includes('has') && list.operators.includes('!in~'));
  assert.ok(list.functions.includes('tostring') && !list.functions.includes('convert'));
  assert.ok(list.aggregates.includes('dcount'));
  // Something the catalogue lacks is refused by the compiler with its coded error.
  const missing = vigil(['kql', 'explain', 'print x = geo_point_to_s2cell(1.0, 2.0)']);
  assert.equal(missing.status, 4);
  assert.match(missing.stderr, /VQ001 The function 'geo_point_to_s2cell' is not supported/);
  assert.ok(!list.functions.includes('geo_point_to_s2cell'));
});
