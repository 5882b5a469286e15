// `vigil rules import|export|test` as users run them, against a real server over HTTPS:
// Sentinel's own rules from the content corpus imported (and the server's refusals shown),
// exported as YAML and as an ARM template and imported into another customer's workspace by an
// MSSP engineer, and a corpus rule tested over SecurityEvent rows sent through the Logs
// Ingestion API. The documented examples in docs/detection.md are these commands.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, SHARED, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { INGEST, queryWorld, upload } from '../../server/test/query-fixtures.ts';
import type { RulesExportSummary, RulesImportSummary } from '../src/rules-command.ts';

const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));
const DETECTIONS = fileURLToPath(new URL('corpus/sentinel/rules/Detections/', SHARED));
const vigil = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [VIGIL, ...args], { env: { ...process.env, VIGIL_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += String(d); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  child.on('close', (status) => resolve({ status, stdout, stderr }));
});

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FABRIKAM = ws(F.subscription, F.rg, F.workspace);
const NORTHWIND = ws(N.subscription, N.rg, N.workspace);
const as = (workspace: string, tenant: string, user: { upn: string; password: string }) => ['--workspace', workspace, '--tenant', tenant, '--username', user.upn, '--password', user.password];
// Directories named by their domains, as docs/detection.md does.
const fabrikamAdmin = () => [...as(FABRIKAM, 'fabrikam.example', WORLD.users.fabrikamAdmin), '--url', t.url];
// Eli, a SOC engineer, signs in to the SOC's own directory and reaches both customers through Lighthouse.
const eli = (workspace: string) => [...as(workspace, 'contososoc.example', WORLD.users.eli), '--url', t.url];

/** The corpus rules imported: Scheduled and NRT, SecurityEvent and SigninLogs. */
const GOOD = {
  'SecurityEvent/gte_6_FailedLogons_10m.yaml': '0777f138-e5d8-4eab-bec1-e11ddfbc2be2',
  'SecurityEvent/MultipleFailedFollowedBySuccess.yaml': 'cf3ede88-a429-493b-9108-3e46d3c741f7',
  'SecurityEvent/NRT_execute_base64_decodedpayload.yaml': '7ad4c32b-d0d2-411c-a0e8-b557afa12fce',
  'SigninLogs/SigninBruteForce-AzurePortal.yaml': '28b42356-45af-40a6-a0b4-a554cdfd5d8a',
  'SigninLogs/MFARejectedbyUser.yaml': 'd99cf5c3-d660-436c-895b-8a8f8448da23',
} as const;
/** A corpus rule the server refuses: its query names a column SigninLogs does not have. */
const REFUSED = 'SigninLogs/PrivilegedUserLogonfromnewASN.yaml';
const FAILED_LOGONS = GOOD['SecurityEvent/gte_6_FailedLogons_10m.yaml'];

// The server's clock stands still, so the windows of "test with current data" are known.
const clock = new Date('2026-11-27T10:00:00Z');
let t: TestServer;
let folder: string;
let out: string;

before(async () => {
  t = await startTestServer({ environment: queryWorld(), now: () => clock, pageSize: 2 });
  folder = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  out = mkdtempSync(join(tmpdir(), 'vigil-rules-out-'));
  for (const file of [...Object.keys(GOOD), REFUSED]) {
    mkdirSync(join(folder, file.split('/')[0]!), { recursive: true });
    copyFileSync(join(DETECTIONS, file), join(folder, file));
  }
  // Beside them, as in a clone of Sentinel's repository: documentation, a hunting query, and a
  // rule with a wrong severity (line 5).
  writeFileSync(join(folder, 'README.md'), '# Detections');
  writeFileSync(join(folder, 'hunting.yaml'), 'id: 6b1b7c7e-0000-4000-8000-000000000001\nname: Rare processes\nquery: SecurityEvent | take 10\n');
  writeFileSync(join(folder, 'broken.yaml'), readFileSync(join(DETECTIONS, 'SigninLogs/ExplicitMFADeny.yaml'), 'utf8').replace('severity: Medium', 'severity: Severe'));
});
after(async () => {
  await t?.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

async function rulesOf(workspace: string): Promise<Map<string, { kind: string; properties: Record<string, unknown> }>> {
  const token = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const ownToken = workspace === FABRIKAM ? token : await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const found = new Map<string, { kind: string; properties: Record<string, unknown> }>();
  let next: string | undefined = `${workspace}/providers/Microsoft.SecurityInsights/alertRules?api-version=2023-02-01`;
  while (next !== undefined) {
    const res = await t.request('GET', next, { token: ownToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const r of res.body.value) {
      const { lastModifiedUtc: _, ...properties } = r.properties;
      found.set(r.name, { kind: r.kind, properties });
    }
    next = res.body.nextLink === undefined ? undefined : new URL(res.body.nextLink).pathname + new URL(res.body.nextLink).search;
  }
  return found;
}

test('import: corpus rules saved, the server\'s refusal and a broken file named with their field and line, other files skipped', async () => {
  const run = await vigil(['rules', 'import', folder, ...fabrikamAdmin(), '--json']);
  assert.equal(run.status, 1, `a refusal makes the exit code 1: ${run.stderr}`);
  const summary = JSON.parse(run.stdout) as RulesImportSummary;
  const saved = summary.rules.filter((r) => r.outcome === 'saved');
  assert.deepEqual(saved.map((r) => r.name).sort(), Object.values(GOOD).sort());
  assert.deepEqual(saved.map((r) => r.file).sort(), Object.keys(GOOD).sort());

  const refused = summary.rules.filter((r) => r.outcome !== 'saved');
  assert.equal(refused.length, 1);
  assert.equal(refused[0]!.file, REFUSED);
  const outcome = refused[0]!.outcome as Exclude<RulesImportSummary['rules'][number]['outcome'], 'saved'>;
  assert.equal(outcome.status, 400);
  assert.equal(outcome.code, 'InvalidRequestContent');
  assert.match(outcome.message, /^properties\.query: .*'IpAddress' does not refer to any known column/);

  assert.deepEqual(summary.skipped.map((s) => [s.path, s.failed]), [['README.md', false], ['broken.yaml', true], ['hunting.yaml', false]]);
  assert.match(summary.skipped[0]!.reason, /^not a rule file/);
  assert.equal(summary.skipped[1]!.reason, 'invalid: broken.yaml:5:11: severity: severity must be one of High, Medium, Low, Informational; got "Severe"');
  assert.match(summary.skipped[2]!.reason, /^a hunting query/);
  assert.deepEqual(summary.totals, { files: 9, saved: 5, refused: 1, skipped: 3 });

  const stored = await rulesOf(FABRIKAM);
  assert.deepEqual([...stored.keys()].sort(), Object.values(GOOD).sort());
  const failedLogons = stored.get(FAILED_LOGONS)!;
  assert.equal(failedLogons.properties['displayName'], 'Failed logon attempts by valid accounts within 10 mins');
  assert.equal(failedLogons.properties['queryFrequency'], 'PT10M');
  assert.equal(failedLogons.properties['alertRuleTemplateName'], FAILED_LOGONS);
  assert.equal(failedLogons.properties['enabled'], true);
  assert.equal(stored.get(GOOD['SecurityEvent/NRT_execute_base64_decodedpayload.yaml'])!.kind, 'NRT');

  // The text summary says the same, with the server's message.
  const text = await vigil(['rules', 'import', join(folder, REFUSED), join(folder, 'broken.yaml'), ...fabrikamAdmin()]);
  assert.equal(text.status, 3, 'none saved: 3');
  assert.match(text.stdout, /0 saved, 1 refused, from 2 file\(s\)/);
  assert.match(text.stdout, /REFUSED {2}55073036-bb86-47d3-a85a-b113ac3d9396 {2}Privileged User Logon from new ASN {2}\(PrivilegedUserLogonfromnewASN\.yaml\): 400 InvalidRequestContent: properties\.query: /);
  assert.match(text.stdout, /broken\.yaml: invalid: broken\.yaml:5:11: severity: /);

  // --disabled saves them disabled; importing again replaces (and enables) them.
  const disabled = await vigil(['rules', 'import', join(folder, 'SigninLogs', 'MFARejectedbyUser.yaml'), ...fabrikamAdmin(), '--disabled']);
  assert.equal(disabled.status, 0, disabled.stdout + disabled.stderr);
  assert.match(disabled.stdout, /1 saved, 0 refused, from 1 file\(s\)/);
  assert.equal((await rulesOf(FABRIKAM)).get(GOOD['SigninLogs/MFARejectedbyUser.yaml'])!.properties['enabled'], false);
  const again = await vigil(['rules', 'import', join(folder, 'SigninLogs'), ...fabrikamAdmin()]);
  assert.equal(again.status, 1, 'the refused rule is in that folder too');
  assert.equal((await rulesOf(FABRIKAM)).get(GOOD['SigninLogs/MFARejectedbyUser.yaml'])!.properties['enabled'], true);
});

test('export as YAML and as an ARM template; importing either into another workspace gives the same rules back', async () => {
  const before = await rulesOf(FABRIKAM);
  assert.equal(before.size, 5, 'listed over three pages of two');

  // YAML: one file per rule, named after its display name.
  const yamlDir = join(out, 'yaml');
  const yaml = await vigil(['rules', 'export', ...eli(FABRIKAM), '--out', yamlDir, '--json']);
  assert.equal(yaml.status, 0, yaml.stderr);
  const exported = JSON.parse(yaml.stdout) as RulesExportSummary;
  assert.equal(exported.rules.length, 5, 'every page followed');
  assert.deepEqual(readdirSync(yamlDir).sort(), [
    'Brute force attack against Azure Portal.yaml', 'Failed logon attempts by valid accounts within 10 mins.yaml', 'MFA Rejected by User.yaml',
    'NRT Process executed from binary hidden in Base64 encoded file.yaml', 'SecurityEvent - Multiple authentication failures followed by a success.yaml',
  ]);
  assert.match(readFileSync(join(yamlDir, 'MFA Rejected by User.yaml'), 'utf8'), /^id: d99cf5c3-d660-436c-895b-8a8f8448da23\nname: MFA Rejected by User\n/);

  // Into Northwind, by the same engineer: the same rules.
  const intoNorthwind = await vigil(['rules', 'import', yamlDir, ...eli(NORTHWIND)]);
  assert.equal(intoNorthwind.status, 0, intoNorthwind.stdout + intoNorthwind.stderr);
  assert.match(intoNorthwind.stdout, /5 saved, 0 refused, from 5 file\(s\)/);
  assert.deepEqual(await rulesOf(NORTHWIND), before);

  // ARM: to a file and to stdout (the summary then on stderr), the same template.
  const armFile = join(out, 'rules.json');
  const arm = await vigil(['rules', 'export', ...eli(FABRIKAM), '--format', 'arm', '--out', armFile]);
  assert.equal(arm.status, 0, arm.stderr);
  assert.match(arm.stdout, /Exported 5 rule\(s\) of .*ws-fabrikam as an ARM template to .*rules\.json/);
  const stdout = await vigil(['rules', 'export', ...eli(FABRIKAM), '--format', 'arm']);
  assert.equal(stdout.status, 0, stdout.stderr);
  assert.deepEqual(JSON.parse(stdout.stdout), JSON.parse(readFileSync(armFile, 'utf8')));
  assert.match(stdout.stderr, /Exported 5 rule\(s\) .* to stdout/);
  const template = JSON.parse(stdout.stdout) as { resources: { name: string; type: string }[] };
  assert.deepEqual(template.resources.map((r) => r.type), Array(5).fill('Microsoft.OperationalInsights/workspaces/providers/alertRules'));

  // Delete Northwind's rules, then import the template: the same rules again.
  const northwindAdmin = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  for (const name of before.keys()) {
    const res = await t.request('DELETE', `${NORTHWIND}/providers/Microsoft.SecurityInsights/alertRules/${name}?api-version=2023-02-01`, { token: northwindAdmin });
    assert.equal(res.status, 200);
  }
  assert.equal((await rulesOf(NORTHWIND)).size, 0);
  const fromArm = await vigil(['rules', 'import', armFile, ...eli(NORTHWIND), '--json']);
  assert.equal(fromArm.status, 0, fromArm.stdout + fromArm.stderr);
  assert.equal((JSON.parse(fromArm.stdout) as RulesImportSummary).totals.saved, 5);
  assert.deepEqual(await rulesOf(NORTHWIND), before);

  // A template with a wrong rule: the file is named with the line of the field at fault.
  const bad = JSON.parse(readFileSync(armFile, 'utf8'));
  bad.resources[1].properties.queryFrequency = 'every hour';
  writeFileSync(join(out, 'bad.json'), JSON.stringify(bad, null, 2));
  const refused = await vigil(['rules', 'import', join(out, 'bad.json'), ...eli(NORTHWIND)]);
  assert.equal(refused.status, 3);
  assert.match(refused.stdout, /bad\.json: invalid: bad\.json:\d+:\d+: resources\[1\]\.properties\.queryFrequency: 'every hour' is not an ISO 8601 duration/);
  const line = Number(/bad\.json:(\d+):/.exec(refused.stdout.split('invalid: ')[1]!)![1]);
  assert.match(readFileSync(join(out, 'bad.json'), 'utf8').split('\n')[line - 1]!, /"queryFrequency": "every hour"/);
});

test('test with current data: a corpus rule over the last day\'s SecurityEvent rows, from its file or by its name', async () => {
  // SecurityEvent rows sent as customers send them: a data collection rule and the Logs Ingestion API.
  const admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const dcr = await t.request('PUT', `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-security-events?api-version=2023-03-11`, {
    token: admin,
    body: { location: 'westeurope', properties: {
      destinations: { logAnalytics: [{ workspaceResourceId: FABRIKAM, name: 'la' }] },
      dataFlows: [{ streams: ['Microsoft-SecurityEvent'], destinations: ['la'], outputStream: 'Microsoft-SecurityEvent' }],
    } },
  });
  assert.equal(dcr.status, 201, JSON.stringify(dcr.body));
  // 25 failed logons of one user at 08:00 (the rule wants 20 in its 10 minutes), 5 of another.
  const failed = (account: string, n: number) => Array.from({ length: n }, () => ({
    TimeGenerated: '2026-11-27T08:00:00Z', Computer: 'dc01', EventID: 4625, Activity: '4625 - An account failed to log on.', Account: account,
    AccountType: 'User', SubStatus: '0xc000006a', Status: '0xc000006d', LogonType: 3, IpAddress: '203.0.113.7',
  }));
  await upload(t, INGEST.fabrikam, { immutableId: dcr.body.properties.immutableId, stream: 'Microsoft-SecurityEvent' }, [...failed('CONTOSO\\bob', 25), ...failed('CONTOSO\\amy', 5)]);

  const file = join(folder, 'SecurityEvent', 'gte_6_FailedLogons_10m.yaml');
  const run = await vigil(['rules', 'test', file, ...fabrikamAdmin(), '--days', '1']);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `Rule '${FAILED_LOGONS}' (${file}) over the last 1 day(s): 1 alert(s) in 1 of 144 window(s).`);
  // Ten-minute windows ending every ten minutes back from 09:55 (10:00 less the 5-minute delay).
  assert.equal(lines[1], '  window start              window end                rows  alerts');
  assert.equal(lines[2], '  2026-11-27T07:55:00.000Z  2026-11-27T08:05:00.000Z     1       1');
  assert.equal(lines.length, 3);

  // By its saved name, with the server's answer as JSON.
  const json = await vigil(['rules', 'test', FAILED_LOGONS, ...fabrikamAdmin(), '--days', '1', '--json']);
  assert.equal(json.status, 0, json.stderr);
  const answer = JSON.parse(json.stdout);
  assert.deepEqual([answer.days, answer.windows.length, answer.totalAlerts, answer.windowsWithAlerts, answer.truncated], [1, 144, 1, 1, false]);

  // Refusals: the server's (days out of range, a query that does not compile), the file's own.
  const days = await vigil(['rules', 'test', FAILED_LOGONS, ...fabrikamAdmin(), '--days', '30']);
  assert.equal(days.status, 3);
  assert.match(days.stderr, /refused \(400 InvalidParameter\): days must be a whole number from 1 to 14/);
  const query = await vigil(['rules', 'test', join(folder, REFUSED), ...fabrikamAdmin()]);
  assert.equal(query.status, 3);
  assert.match(query.stderr, /refused \(400 InvalidRequestContent\): properties\.query: .*'IpAddress'/);
  const broken = await vigil(['rules', 'test', join(folder, 'broken.yaml'), ...fabrikamAdmin()]);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /the rule is refused: .*broken\.yaml:5:11: severity: severity must be one of/);

  // Bad usage: no such rule, a workspace that is not there, no workspace at all.
  const missing = await vigil(['rules', 'test', 'no-such-rule', ...fabrikamAdmin()]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /There is no analytics rule 'no-such-rule' in .*ws-fabrikam, and no file no-such-rule/);
  const elsewhere = await vigil(['rules', 'test', FAILED_LOGONS, ...as(ws(F.subscription, F.rg, 'ws-gone'), F.tenant, WORLD.users.fabrikamAdmin), '--url', t.url]);
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /The workspace .*ws-gone cannot be used \(404/);
  const none = await vigil(['rules', 'export', '--tenant', F.tenant, '--username', 'x', '--out', out, '--url', t.url]);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /required option '--workspace <id>' not specified/);
});

test('help names the formats, the roles needed and the exit codes', async () => {
  const help = await vigil(['rules', 'import', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Sentinel's YAML files/);
  assert.match(help.stdout, /--disabled/);
  assert.match(help.stdout, /Exit codes: 0 every rule saved; 1 some refused/);
  assert.match((await vigil(['rules', 'export', '--help'])).stdout, /--format <format> +yaml \(one file per rule/);
  assert.match((await vigil(['rules', 'test', '--help'])).stdout, /--days <n> +how many days back, 1 to 14/);
});
