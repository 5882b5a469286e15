// A Vigil server as its own process (`vigil serve`), for tests and benchmarks that must kill
// it, restart it, or measure it apart from the load generator.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
