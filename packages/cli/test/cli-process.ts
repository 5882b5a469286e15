// Running `vigil` as users do, for the CLI tests: a separate process (through bin/vigil.js),
// and `vigil serve` as a long-running process on a free port with the test certificate.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const VIGIL = fileURLToPath(new URL('../../../bin/vigil.js', import.meta.url));

export interface Run { status: number | null; stdout: string; stderr: string }

/** The environment of every child: quiet logs, no demo, the test certificate for `serve`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_LOG_LEVEL: 'silent', VIGIL_DEMO: '0', ...extra };
  if (process.env.VIGIL_TEST_TLS_CERT !== undefined) env.VIGIL_TLS_CERT = process.env.VIGIL_TEST_TLS_CERT;
  if (process.env.VIGIL_TEST_TLS_KEY !== undefined) env.VIGIL_TLS_KEY = process.env.VIGIL_TEST_TLS_KEY;
  return env;
}

export function vigil(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VIGIL, ...args], { env: childEnv(options.env), ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface ServeProcess { url: string; child: ChildProcess; output: () => string; stop(): Promise<number | null> }

/** `vigil serve` on a free port; resolves once it says where it listens. */
export function serve(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VIGIL, 'serve', '--port', '0', ...args], { env: childEnv(options.env), ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`vigil serve did not start: ${out}`)); }, 60_000);
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /Vigil is listening on (https:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({
          url: m[1]!, child, output: () => out,
          stop: async () => { if (child.exitCode === null) child.kill('SIGTERM'); return exited; },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { out += String(d); });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`vigil serve exited (${code}): ${out}`)); });
  });
}
