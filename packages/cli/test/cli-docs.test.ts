// Every example of docs/cli.md, run as written: each ```sh cli-example block in order, with bash
// (set -euo pipefail), in a temporary folder where docs/ is the repository's, `vigil` on the
// path, and `vigil serve` (the block tagged `server`) a real process on a free port whose URL the
// later blocks get as VIGIL_URL; a block tagged `stopped` runs after that server is stopped.
// Each must exit 0. And every command `vigil --help` lists must have an example there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, VIGIL, vigil } from './cli-process.ts';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const PAGE = readFileSync(join(DOCS, 'cli.md'), 'utf8');

interface Example { tag: string; code: string; line: number }

export function examples(markdown: string): Example[] {
  const out: Example[] = [];
  const re = /^```sh cli-example(?: (\w+))?\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    out.push({ tag: m[1] ?? '', code: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

let tmp: string;
let server: ChildProcess | undefined;
let serverOutput = '';
const env: Record<string, string> = {};

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'vigil-docs-'));
  symlinkSync(DOCS, join(tmp, 'docs'));
  const bin = join(tmp, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'vigil'), `#!/bin/sh\nexec "${process.execPath}" "${VIGIL}" "$@"\n`);
  chmodSync(join(bin, 'vigil'), 0o755);
  // The server picks a free port; the examples' defaults are otherwise untouched.
  Object.assign(env, { PATH: `${bin}:${process.env.PATH}`, VIGIL_PORT: '0' });
});
after(async () => {
  await stopServer();
  rmSync(tmp, { recursive: true, force: true });
});

async function stopServer(): Promise<void> {
  if (server === undefined || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await exited;
  server = undefined;
}

function startServer(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server = spawn('bash', ['-euo', 'pipefail', '-c', `exec ${code.trim()}`], { cwd: tmp, env: childEnv(env) });
    const timer = setTimeout(() => reject(new Error(`the serve example did not start: ${serverOutput}`)), 60_000);
    const onData = (d: Buffer) => {
      serverOutput += String(d);
      const m = /Vigil is listening on (https:\/\/\S+)/.exec(serverOutput);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the serve example exited (${code}): ${serverOutput}`)); });
  });
}

function run(code: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', code], { cwd: tmp, env: childEnv(env) });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    child.on('close', (status) => resolve({ status, output }));
  });
}

test('every example of docs/cli.md runs and exits 0', async () => {
  const blocks = examples(PAGE);
  assert.ok(blocks.length >= 10, `examples found: ${blocks.length}`);
  assert.equal(blocks.filter((b) => b.tag === 'server').length, 1, 'one example starts the server');
  for (const block of blocks) {
    const where = `docs/cli.md:${block.line}`;
    if (block.tag === 'server') {
      env.VIGIL_URL = await startServer(block.code);
      continue;
    }
    if (block.tag === 'stopped') await stopServer();
    const res = await run(block.code);
    assert.equal(res.status, 0, `${where} failed (exit ${res.status}):\n${block.code}\n--- output:\n${res.output}\n--- server:\n${serverOutput.slice(-2000)}`);
  }
  // What the examples did is there: the CSV they wrote, the restored data directory.
  const csv = readFileSync(join(tmp, 'failed-logons.csv'), 'utf8');
  assert.ok(csv.startsWith('Account,IpAddress,Failures,Computers\r\n') && csv.includes(',203.0.113.7,3,1\r\n'), csv);
  const users = await vigil(['users', 'list', '--directory', 'contososoc.example', '--json', '--data-dir', join(tmp, 'data-restored')]);
  assert.ok(users.stdout.includes('tier2@contososoc.example'), `the restored directory has the user the examples added: ${users.stdout}${users.stderr}`);
});

test('every command vigil --help lists has an example in docs/cli.md', async () => {
  const code = examples(PAGE).map((b) => b.code).join('\n');
  const commandsOf = (help: string) => (help.split(/^Commands:\n/m)[1] ?? '').split('\n\n')[0]!.split('\n').map((l) => /^ {2}(\S+)/.exec(l)?.[1]).filter((c): c is string => c !== undefined && c !== 'help');
  const top = await vigil(['--help']);
  const missing: string[] = [];
  for (const command of commandsOf(top.stdout)) {
    const sub = await vigil([command, '--help']);
    const leaves = commandsOf(sub.stdout);
    for (const leaf of leaves.length === 0 ? [''] : leaves) {
      const name = leaf === '' ? command : `${command} ${leaf}`;
      if (!new RegExp(`(^|[\\s|])vigil ${name.replace(/-/g, '\\-')}(\\s|$)`, 'm').test(code)) missing.push(name);
    }
  }
  assert.deepEqual(missing, [], 'commands without an example in docs/cli.md');
});
