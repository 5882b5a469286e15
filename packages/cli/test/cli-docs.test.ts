// Every example of docs/cli.md, run as written (doc-examples.ts): each ```sh cli-example block in
// order, with bash (set -euo pipefail), in a temporary folder where docs/ is the repository's,
// `vigil` on the path, and `vigil serve` (the block tagged `server`) a real process on a free port
// whose URL the later blocks get as VIGIL_URL; a block tagged `stopped` runs after that server is
// stopped. Each must exit 0. And every command `vigil --help` lists must have an example there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vigil } from './cli-process.ts';
import { DOCS, DocSession, examples } from './doc-examples.ts';

const PAGE = readFileSync(join(DOCS, 'cli.md'), 'utf8');

let session: DocSession;

before(() => { session = new DocSession(); });
after(async () => { await session.close(); });

test('every example of docs/cli.md runs and exits 0', async () => {
  const blocks = examples(PAGE);
  assert.ok(blocks.length >= 10, `examples found: ${blocks.length}`);
  assert.equal(blocks.filter((b) => b.tag === 'server').length, 1, 'one example starts the server');
  await session.runPage('docs/cli.md', PAGE);
  // What the examples did is there: the CSV they wrote, the restored data directory.
  const csv = readFileSync(join(session.dir, 'failed-logons.csv'), 'utf8');
  assert.ok(csv.startsWith('Account,IpAddress,Failures,Computers\r\n') && csv.includes(',203.0.113.7,3,1\r\n'), csv);
  const users = await vigil(['users', 'list', '--directory', 'contososoc.example', '--json', '--data-dir', join(session.dir, 'data-restored')]);
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
