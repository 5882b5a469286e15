// A Vigil server as its own process (`vigil serve`), for tests and benchmarks that must kill
// it, restart it, or measure it apart from the load generator.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIGIL_BIN = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));

/** The environment for child servers: the test certificate, the given log level. */
export function childEnv(logLevel = 'silent'): NodeJS.ProcessEnv {
  return { ...process.env, VIGIL_LOG_LEVEL: logLevel, VIGIL_TLS_CERT: process.env.VIGIL_TEST_TLS_CERT, VIGIL_TLS_KEY: process.env.VIGIL_TEST_TLS_KEY };
}

/** A port free right now on 127.0.0.1 (kept across restarts so that tokens' issuer stays the same). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** `vigil apply` of an environment file's text into a data directory. */
export function applyEnvironment(dataDir: string, yaml: string, env = childEnv()): void {
  const file = join(dataDir, 'environment.yaml');
  writeFileSync(file, yaml);
  const applied = spawnSync(process.execPath, [VIGIL_BIN, 'apply', file, '--data-dir', dataDir], { env, encoding: 'utf8' });
  if (applied.status !== 0) throw new Error(`vigil apply failed: ${applied.stderr}`);
}

/** V8 flags `vigil serve` runs with (bin/vigil.js's shebang and `npm start` pass the same). */
export const SERVE_NODE_ARGS = ['--max-semi-space-size=64'];

/** Starts `vigil serve` and resolves once it listens. */
export async function startChildServer(dataDir: string, port: number, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVE_NODE_ARGS, ...(options.nodeArgs ?? []), VIGIL_BIN, 'serve', '--data-dir', dataDir, '--port', String(port)], {
    env: options.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Vigil is listening')) { clearTimeout(timer); resolve(); }
    });
    child.stderr!.on('data', (d) => { out += String(d); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}`)); });
  });
  return child;
}

/** Stops a child server: SIGTERM (graceful) or SIGKILL, and waits for it to exit. */
export async function stopChildServer(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/**
 * A lock shared by the test processes of this machine (node --test runs two files at once):
 * taken by the tests that start the demo world, whose data connectors listen on fixed ports
 * (docs/examples/demo.yaml). A lock left by a process that died is taken over.
 */
export async function machineLock(name: string, waitMs = 15 * 60_000): Promise<() => void> {
  const dir = join(tmpdir(), `${name}.lock`);
  const owner = join(dir, 'pid');
  for (const deadline = Date.now() + waitMs; ;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSyncOr(owner));
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited ${waitMs / 1000} s for the lock ${dir} (held by process ${pid})`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function readFileSyncOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
