// Running a documentation page's command examples as written: each ```sh cli-example block in
// order, with bash (set -euo pipefail), in a temporary folder where docs/ is the repository's
// and `vigil` is on the path. Used by cli-docs.test.ts (docs/cli.md) and guides-docs.test.ts
// (docs/mssp-guide.md, docs/operator-guide.md).
//
// The tag after `cli-example` says how a block runs:
//   (none)   run it; it must exit 0.
//   server   a `vigil serve` that keeps running: its last `vigil serve` line is exec'd, the block
//            is done when the server says where it listens, and later blocks get that URL as
//            VIGIL_URL. A server already running is stopped first.
//   stopped  stop the running server, then run the block.
//   env      run it, and put it before every later block too (exports and shell functions, as
//            a reader's terminal keeps them).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, VIGIL } from './cli-process.ts';

export const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));

export interface Example { tag: string; code: string; line: number }

export function examples(markdown: string): Example[] {
  const out: Example[] = [];
  const re = /^```sh cli-example(?: (\w+))?\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    out.push({ tag: m[1] ?? '', code: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

export interface DocSessionOptions {
  /** Serve with a certificate of the data directory's own (generated, or the page's), not the test certificate. */
  ownCertificate?: boolean;
}

/** A temporary folder where a page's examples run, and the server they started. */
export class DocSession {
  readonly dir: string;
  readonly env: Record<string, string> = {};
  serverOutput = '';
  private server: ChildProcess | undefined;
  private readonly prelude: string[] = [];

  constructor(private readonly options: DocSessionOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'vigil-docs-'));
    symlinkSync(DOCS, join(this.dir, 'docs'));
    const bin = join(this.dir, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'vigil'), `#!/bin/sh\nexec "${process.execPath}" "${VIGIL}" "$@"\n`);
    chmodSync(join(bin, 'vigil'), 0o755);
    // The server picks a free port; the examples' defaults are otherwise untouched.
    Object.assign(this.env, { PATH: `${bin}:${process.env.PATH}`, VIGIL_PORT: '0' });
  }

  private childEnv(): NodeJS.ProcessEnv {
    const env = childEnv(this.env);
    if (this.options.ownCertificate === true) {
      delete env.VIGIL_TLS_CERT;
      delete env.VIGIL_TLS_KEY;
    }
    return env;
  }

  /** Runs every example of a page in order, and returns each with what it printed; throws with the page's line and the output of the first that fails. */
  async runPage(page: string, markdown: string): Promise<Array<Example & { output: string }>> {
    const blocks = examples(markdown);
    const ran: Array<Example & { output: string }> = [];
    for (const block of blocks) {
      const where = `${page}:${block.line}`;
      if (block.tag === 'server') {
        await this.stopServer();
        this.env.VIGIL_URL = await this.startServer(this.prelude.join('\n') + '\n' + block.code, where);
        ran.push({ ...block, output: this.serverOutput });
        continue;
      }
      if (block.tag === 'stopped') await this.stopServer();
      const res = await this.run(this.prelude.join('\n') + '\n' + block.code);
      if (res.status !== 0) {
        throw new Error(`${where} failed (exit ${res.status}):\n${block.code}\n--- output:\n${res.output}\n--- server:\n${this.serverOutput.slice(-2000)}`);
      }
      if (block.tag === 'env') this.prelude.push(block.code);
      ran.push({ ...block, output: res.output });
    }
    return ran;
  }

  async stopServer(): Promise<void> {
    const server = this.server;
    if (server === undefined || server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    this.server = undefined;
  }

  private startServer(code: string, where: string): Promise<string> {
    // The last `vigil serve` replaces the shell, so that stopping it stops the server.
    const lines = code.trimEnd().split('\n');
    let last = lines.length - 1;
    while (last >= 0 && !/^\s*vigil serve\b/.test(lines[last]!)) last--;
    if (last < 0) throw new Error(`${where}: a server example must end with a vigil serve line`);
    lines[last] = lines[last]!.replace(/^(\s*)vigil serve/, '$1exec vigil serve');
    this.serverOutput = '';
    return new Promise((resolve, reject) => {
      const server = spawn('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], { cwd: this.dir, env: this.childEnv() });
      this.server = server;
      const timer = setTimeout(() => reject(new Error(`${where}: the serve example did not start: ${this.serverOutput}`)), 60_000);
      const onData = (d: Buffer) => {
        this.serverOutput += String(d);
        const m = /Vigil is listening on (https:\/\/\S+)/.exec(this.serverOutput);
        if (m !== null) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (status) => { clearTimeout(timer); reject(new Error(`${where}: the serve example exited (${status}): ${this.serverOutput}`)); });
    });
  }

  run(code: string): Promise<{ status: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('bash', ['-euo', 'pipefail', '-c', code], { cwd: this.dir, env: this.childEnv() });
      let output = '';
      child.stdout.on('data', (d) => { output += String(d); });
      child.stderr.on('data', (d) => { output += String(d); });
      child.on('close', (status) => resolve({ status, output }));
    });
  }

  async close(): Promise<void> {
    await this.stopServer();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
