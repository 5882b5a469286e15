// The README's quick start, as a newcomer runs it: a fresh clone in a temporary directory,
// `npm install`, `npm start` (which builds the portal and serves it with the demo world on an
// empty data directory), the portal answers, the demo's incidents appear, then stop.
// It runs the clone of the repository's HEAD (committed work: CI's checkout is exactly that).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, machineLock } from '../../server/test/child-server.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The demo's MSSP directory and its tier-1 analyst (docs/examples/demo.yaml, printed by `npm start`). */
const SOC_TENANT = '5a0c0000-0000-4000-8000-000000000001';
const ANA = { upn: 'ana@contososoc.example', password: 'Tier1-Passw0rd!' };

/**
 * A newcomer's shell: this process runs under `npm test`, whose npm_* variables (npm_config_*
 * among them) would steer the clone's `npm install` (devDependencies such as Vite were left out).
 */
function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE_ENV' && k !== 'INIT_CWD')), ...extra };
}

/** Runs a command to its end; its output is kept for the failure message. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: newcomerEnv() });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs / 1000} s:\n${out.slice(-4000)}`)); }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`));
    });
  });
}

/** HTTPS trusting the certificate the server made on first start (data/tls/cert.pem). */
function https(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca }, (res) => {
      let text = '';
      res.on('data', (d) => { text += String(d); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.once('error', reject);
    req.end(options.body);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  // npm start runs node as its child: the whole process group is stopped, as Ctrl+C would.
  process.kill(-child.pid, 'SIGINT');
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 30_000);
  await exited;
  clearTimeout(timer);
}

test('the quick start on a fresh clone: npm install && npm start, the portal answers, the demo\'s incidents appear', { timeout: 20 * 60_000 }, async (t) => {
  const unlock = await machineLock('vigil-demo-ports');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-quickstart-'));
  let server: ChildProcess | undefined;
  try {
    const clone = join(dir, 'vigil');
    const cloned = spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' });
    assert.equal(cloned.status, 0, cloned.stderr);

    let started = Date.now();
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], clone, 12 * 60_000);
    t.diagnostic(`npm install: ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // npm start, on a port of its own (the README's default, 8443, may be taken on this machine).
    const port = await freePort();
    started = Date.now();
    server = spawn('npm', ['start'], { cwd: clone, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: newcomerEnv({ VIGIL_PORT: String(port), VIGIL_LOG_LEVEL: 'warn' }) });
    let out = '';
    const portal = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no portal URL within 5 minutes:\n${out.slice(-4000)}`)), 5 * 60_000);
      const read = (d: unknown) => {
        out += String(d);
        const url = /Portal: (https:\/\/\S+)/.exec(out)?.[1];
        if (url !== undefined) { clearTimeout(timer); resolve(url); }
      };
      server!.stdout!.on('data', read);
      server!.stderr!.on('data', read);
      server!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited (${code}):\n${out.slice(-4000)}`)); });
    });
    t.diagnostic(`npm start to the demo's banner: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    assert.match(out, /Contoso SOC/, 'the banner names the demo MSSP');
    assert.match(out, new RegExp(ANA.upn.replace('.', '\\.')), "the banner prints Ana's sign-in");
    assert.equal(portal.replace(/\/$/, ''), `https://127.0.0.1:${port}`);

    const ca = readFileSync(join(clone, 'data', 'tls', 'cert.pem'), 'utf8');
    const home = await https(`${portal}/`, ca);
    assert.equal(home.status, 200);
    assert.match(home.text, /<script type="module"[^>]* src="\/assets\//, 'the portal page loads its script');

    const token = await https(`${portal}/${SOC_TENANT}/oauth2/v2.0/token`, ca, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: ANA.upn, password: ANA.password, scope: 'https://management.azure.com/.default' }).toString(),
    });
    assert.equal(token.status, 200, token.text);
    const accessToken = (JSON.parse(token.text) as { access_token: string }).access_token;

    // The demo's first attacks come 20 s after start; its near-real-time rules make incidents at once.
    let incidents: { properties: { title: string } }[] = [];
    for (const deadline = Date.now() + 5 * 60_000; incidents.length === 0 && Date.now() < deadline;) {
      const queue = await https(`${portal}/providers/Vigil.SecurityInsights/incidents?api-version=2025-01-01`, ca, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(queue.status, 200, queue.text);
      incidents = (JSON.parse(queue.text) as { value: typeof incidents }).value;
      if (incidents.length === 0) await new Promise((r) => setTimeout(r, 2000));
    }
    assert.ok(incidents.length > 0, `no incident in Ana's queue 5 minutes after the banner:\n${out.slice(-4000)}`);
    t.diagnostic(`first incidents after ${((Date.now() - started) / 1000).toFixed(0)} s: ${incidents.map((i) => i.properties.title).join('; ')}`);

    await stop(server);
    assert.notEqual(server.exitCode ?? server.signalCode, null, 'npm start stopped');
  } finally {
    if (server !== undefined) await stop(server).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    unlock();
  }
});
