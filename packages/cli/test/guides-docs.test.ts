// Every command example of the guides, run as written (doc-examples.ts): docs/mssp-guide.md and
// docs/operator-guide.md, each in a temporary folder of its own with its own `vigil serve`, which
// makes its own self-signed certificate in data/tls as a reader's would (not the test
// certificate): the pages say how to trust it, and the examples do so. Each block must exit 0, and
// what a block shows as refused must be refused for the reason the page gives.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCS, DocSession } from './doc-examples.ts';

const sessions: DocSession[] = [];
after(async () => { await Promise.all(sessions.map((s) => s.close())); });

function outputOf(ran: Array<{ code: string; output: string }>, marker: string): string {
  const block = ran.find((b) => b.code.includes(marker));
  assert.ok(block !== undefined, `no example holds ${marker}`);
  return block.output;
}

describe('docs/mssp-guide.md', () => {
  test('every command example runs, in order, and the refusals are the ones the guide describes', async () => {
    const session = new DocSession({ ownCertificate: true });
    sessions.push(session);
    const page = readFileSync(join(DOCS, 'mssp-guide.md'), 'utf8');
    const ran = await session.runPage('docs/mssp-guide.md', page);
    assert.ok(ran.length >= 12, `examples found: ${ran.length}`);
    // Registration, then the three onboardings.
    assert.match(outputOf(ran, 'Microsoft.ManagedServices/register'), /^NotRegistered\nRegistered\n/m);
    assert.match(outputOf(ran, 'vigil onboard'), /Deployment lighthouse-onboarding: Succeeded/);
    assert.match(outputOf(ran, 'Microsoft.Resources/deployments/lighthouse-onboarding'), /^Succeeded$/m);
    // Eli's subscriptions: his own and the three customers', delegated.
    const subscriptions = outputOf(ran, '/subscriptions?api-version');
    for (const name of ['Fabrikam production', 'Northwind production', 'Tailspin production']) {
      assert.match(subscriptions, new RegExp(`^${name} .*managed by 22222222-2222-2222-2222-222222222222$`, 'm'), subscriptions);
    }
    // Both customers' incidents in Ana's queue, changed together.
    const queue = outputOf(ran, 'bulkUpdate');
    assert.match(queue, /High {2}1 {2}Failed logons on dc01 {2}Fabrikam/);
    assert.match(queue, /Medium {2}1 {2}Impossible travel for the CFO {2}Northwind Traders/);
    assert.match(queue, /^2 changed, 0 refused$/m);
    // One query over both customers.
    const query = outputOf(ran, "workspace('ws-northwind')");
    assert.match(query, /fab-dc01\.fabrikam\.example\s+4/);
    assert.match(query, /nw-dc01\.northwind\.example\s+4/);
    // The connector: refused through the delegation, deployed with the direct sign-in.
    const connector = outputOf(ran, 'dataConnectors/syslog-firewalls');
    assert.match(connector, /DelegatedConnectorDeploymentNotSupported/);
    assert.match(connector, /refused through the delegation/);
    assert.match(connector, /^listening on udp\/\d+$/m);
    // Just in time: refused, pending, approved, then allowed.
    const jit = outputOf(ran, 'roleAssignmentScheduleRequests');
    assert.match(jit, /AuthorizationFailed[\s\S]*refused: not active yet\nPendingApproval\nProvisioned until \S+\nSucceeded/);
    // The customer's activity log shows the MSSP's changes as delegated; the revocation ends Ana's access.
    const revoke = outputOf(ran, 'registrationAssignments/$ASSIGNMENT');
    assert.match(revoke, /resourceGroups\/write {2}Succeeded {2}lee@contososoc\.example {2}delegated/);
    assert.match(revoke, /no workspace of that name[\s\S]*vigil query exited 2/);
  });
});

describe('docs/operator-guide.md', () => {
  let session: DocSession;

  test('every command example runs, in order, and shows what the guide says', async () => {
    session = new DocSession({ ownCertificate: true });
    sessions.push(session);
    const page = readFileSync(join(DOCS, 'operator-guide.md'), 'utf8');
    const ran = await session.runPage('docs/operator-guide.md', page);
    assert.equal(ran.filter((b) => b.tag === 'server').length, 3, 'the first start, your certificate, the restored data directory');
    // The generated certificate, then the guide's own CA's.
    const generated = outputOf(ran, 'openssl x509 -in data/tls/cert.pem');
    assert.match(generated, /DNS:localhost, IP Address:127\.0\.0\.1/);
    assert.match(generated, /-rw------- .* key\.pem/);
    assert.match(generated, /^HTTP 200$/m);
    assert.match(outputOf(ran, 'openssl verify'), /^tls\/vigil\.crt: OK$/m);
    const own = ran.find((b) => b.tag === 'server' && b.code.includes('--config') && !b.code.includes('data-restored'))!;
    assert.match(own.output, /TLS certificate: \S*tls\/vigil\.crt/);
    const trusted = outputOf(ran, 'curl -sS --cacert tls/ca.crt');
    assert.match(trusted, /^HTTP 200$/m);
    assert.match(trusted, /^\s*7\s*$/m, trusted);
    // The data directory, private.
    assert.match(outputOf(ran, 'chmod 700 data'), /^drwx------ .* data$/m);
    // The backup's manifest, and the restored server's rows.
    assert.match(outputOf(ran, 'vigil backup "$backup"'), /^Vigil \S+, \d+ migrations, \d+ log stores, \d+ files$/m);
    assert.match(outputOf(ran, "-w ws-fabrikam --tenant fabrikam.example"), /^\s*7\s*$/m);
    // Monitoring.
    const monitoring = outputOf(ran, 'SentinelHealth');
    assert.match(monitoring, /^up$/m);
    assert.match(monitoring, /SecurityEvent\s+7\s+\d+/);
  });

  test('the systemd unit passes systemd-analyze verify, and its ExecStart serves and stops cleanly on SIGTERM', async (t) => {
    assert.ok(session !== undefined, 'the guide ran first');
    const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
    const CONFIG = join(DOCS, 'examples', 'guides', 'vigil.yaml');
    const unit = readFileSync(join(DOCS, 'examples', 'guides', 'vigil.service'), 'utf8')
      .replaceAll('/usr/bin/node', process.execPath).replaceAll('/opt/vigil/', ROOT).replaceAll('/etc/vigil/vigil.yaml', CONFIG);
    const service = join(session.dir, 'vigil.service');
    writeFileSync(service, unit);
    const verify = spawnSync('systemd-analyze', ['verify', service], { encoding: 'utf8' });
    if (verify.error !== undefined) {
      t.diagnostic(`systemd-analyze is not installed (${verify.error.message}): the unit's syntax was not checked`);
    } else {
      assert.equal(verify.status, 0, verify.stderr);
      assert.equal(`${verify.stdout}${verify.stderr}`.trim(), '', 'no warnings');
    }
    const line = (key: string) => unit.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
    const [exec, ...args] = line('ExecStart')[0]!.split(' ');
    assert.ok(args.join(' ').includes('--max-semi-space-size=64'), 'the flag npm start passes');
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_PORT: '0' };
    delete env.VIGIL_TLS_CERT;
    delete env.VIGIL_TLS_KEY;
    for (const assignment of line('Environment')) env[assignment.split('=')[0]!] = assignment.slice(assignment.indexOf('=') + 1);
    assert.equal(env.VIGIL_DEMO, '0');
    // Run where the guide's examples left the configuration's relative paths: data/ and tls/.
    const child = spawn(exec!, args, { cwd: session.dir, env });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /Vigil is listening on (https:\/\/\S+)/.exec(out);
        if (m !== null) { clearInterval(timer); resolve(m[1]!); }
        if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`ExecStart exited ${child.exitCode}: ${out}`)); }
      }, 100);
    });
    const status = await new Promise<number>((resolve, reject) => {
      https.get(`${url}/openapi.json`, { ca: readFileSync(join(session.dir, 'tls', 'ca.crt')) }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
    });
    assert.equal(status, 200);
    child.kill('SIGTERM');
    const timeout = Number(line('TimeoutStopSec')[0]) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((r) => { timer = setTimeout(() => r('timeout'), timeout); })]);
    clearTimeout(timer);
    assert.equal(code, 0, `exit on SIGTERM within TimeoutStopSec: ${out.slice(-2000)}`);
  });
});
