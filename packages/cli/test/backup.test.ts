// `vigil backup` and `vigil restore` as an operator runs them, against a real `vigil serve`
// process: refused while the server runs, then a backup of the stopped server's data directory
// restored elsewhere serves the same users and the same log rows. Bad inputs: a non-empty
// target without --force, a damaged file, a missing file, a cut archive, a folder that is not
// a backup, and restoring onto a directory a running server uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORLD } from '../../server/test/harness.ts';
import { serve, vigil, type ServeProcess } from './cli-process.ts';
import type { BackupManifest } from '../src/backup-command.ts';

const EXAMPLE = fileURLToPath(new URL('../../../docs/examples/mssp.yaml', import.meta.url));
const F = WORLD.fabrikam;
const admin = ['--tenant', 'fabrikam.example', '--username', WORLD.users.fabrikamAdmin.upn, '--password', WORLD.users.fabrikamAdmin.password];

let tmp: string;
let data: string;
let server: ServeProcess | undefined;

const count = async (url: string) => {
  const res = await vigil(['query', 'SecurityEvent | summarize n = count()', '-w', F.workspace, '--format', 'csv', ...admin, '--url', url]);
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
};

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vigil-backup-'));
  data = join(tmp, 'data');
  const applied = await vigil(['apply', EXAMPLE, '--data-dir', data]);
  assert.equal(applied.status, 0, applied.stderr);
  server = await serve(['--data-dir', data]);
  const csv = join(tmp, 'SecurityEvent.csv');
  const now = Date.now();
  writeFileSync(csv, ['TimeGenerated,Computer,EventID,Account', ...Array.from({ length: 25 }, (_v, i) => `${new Date(now - i * 60_000).toISOString()},fab-dc01,4625,CONTOSO\\user${i}`)].join('\n'));
  const imported = await vigil(['import', csv, '--table', 'SecurityEvent', '--workspace', `/subscriptions/${F.subscription}/resourceGroups/${F.rg}/providers/Microsoft.OperationalInsights/workspaces/${F.workspace}`, ...admin, '--url', server.url]);
  assert.equal(imported.status, 0, imported.stderr + imported.stdout);
});
after(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('backup is refused while the server runs; taken from the stopped server, restored elsewhere it serves the same data', async () => {
  assert.equal(await count(server!.url), 'n\r\n25\r\n');
  const busy = await vigil(['backup', join(tmp, 'busy.tar.gz'), '--data-dir', data]);
  assert.equal(busy.status, 5, busy.stderr);
  assert.match(busy.stderr, /The data directory .*data is in use: another process has control\.sqlite open \(a running server\?\)\. Stop the Vigil server/);
  assert.equal(existsSync(join(tmp, 'busy.tar.gz')), false, 'nothing written');
  assert.deepEqual(readdirSync(tmp).filter((n) => n.includes('partial') || n.startsWith('.vigil')), []);

  assert.equal(await server!.stop(), 0);
  server = undefined;
  const archive = join(tmp, 'vigil.tar.gz');
  const made = await vigil(['backup', archive, '--data-dir', data, '--json']);
  assert.equal(made.status, 0, made.stderr);
  const manifest = JSON.parse(made.stdout) as BackupManifest;
  assert.equal(manifest.format, 'vigil-backup');
  const logStores = readdirSync(join(data, 'workspaces')).filter((n) => n.endsWith('.duckdb'));
  assert.ok(logStores.length >= 1, 'Fabrikam\'s log store at least');
  assert.equal(manifest.workspaces, logStores.length);
  assert.ok(manifest.migrations.includes('0001-control-plane'));
  assert.deepEqual(manifest.files.map((f) => f.path).sort(), ['control.sqlite', 'tls/cert.pem', 'tls/key.pem', ...logStores.map((n) => `workspaces/${n}`)].filter((p) => p.startsWith('tls/') ? existsSync(join(data, p)) : true).sort());
  for (const f of manifest.files) assert.match(f.sha256, /^[0-9a-f]{64}$/);
  assert.equal((statSync(archive).mode & 0o077), 0, 'the archive holds keys and password hashes: owner only');

  // Restored into a new directory, a server on it has the same users and the same rows.
  const restored = join(tmp, 'restored');
  const back = await vigil(['restore', archive, '--data-dir', restored]);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, /Restored .*restored from .*vigil\.tar\.gz \(made .* by Vigil .*\): \d+ files, \d+ workspace log stores?\./);
  server = await serve(['--data-dir', restored]);
  assert.equal(await count(server.url), 'n\r\n25\r\n');

  // Onto a directory a server uses, even with --force: refused, nothing changed.
  const onto = await vigil(['restore', archive, '--data-dir', restored, '--force']);
  assert.equal(onto.status, 5, onto.stderr);
  assert.match(onto.stderr, /is in use/);
  assert.equal(await count(server.url), 'n\r\n25\r\n');
  await server.stop();
  server = undefined;

  // Not empty: refused without --force; with it, replaced.
  const again = await vigil(['restore', archive, '--data-dir', restored]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /The data directory .*restored is not empty \(control\.sqlite.*\)\. Restore into a new or empty directory, or add --force/);
  writeFileSync(join(restored, 'stray.txt'), 'left from before');
  const forced = await vigil(['restore', archive, '--data-dir', restored, '--force']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.equal(existsSync(join(restored, 'stray.txt')), false, '--force replaces what was there');

  // A backup target that exists is refused.
  const exists = await vigil(['backup', archive, '--data-dir', data]);
  assert.equal(exists.status, 2);
  assert.match(exists.stderr, /vigil\.tar\.gz already exists: give a new file or directory for the backup/);
  const notData = await vigil(['backup', join(tmp, 'x.tar'), '--data-dir', join(tmp, 'nothing-here')]);
  assert.equal(notData.status, 2);
  assert.match(notData.stderr, /nothing-here is not a Vigil data directory \(it has no control\.sqlite\)/);
});

test('restore refuses a damaged, incomplete or foreign backup and changes nothing', async () => {
  const dir = join(tmp, 'as-dir');
  const made = await vigil(['backup', dir, '--data-dir', data]);
  assert.equal(made.status, 0, made.stderr);
  assert.ok(existsSync(join(dir, 'vigil-backup.json')));
  const target = join(tmp, 'target');
  const first = await vigil(['restore', dir, '--data-dir', target]);
  assert.equal(first.status, 0, first.stderr);
  const before = readFileSync(join(target, 'control.sqlite'));
  const refused = async (source: string, pattern: RegExp) => {
    const res = await vigil(['restore', source, '--data-dir', target, '--force']);
    assert.equal(res.status, 2, `${source}: ${res.stderr}`);
    assert.match(res.stderr, pattern);
    assert.match(res.stderr, /Nothing was changed\./);
    assert.deepEqual(readFileSync(join(target, 'control.sqlite')), before, 'the data directory is untouched');
    assert.deepEqual(readdirSync(target).filter((n) => n.startsWith('.vigil-restore')), []);
  };

  const workspaceFile = readdirSync(join(dir, 'workspaces'))[0]!;
  const damaged = join(tmp, 'damaged');
  cpSync(dir, damaged, { recursive: true });
  const bytes = readFileSync(join(damaged, 'workspaces', workspaceFile));
  bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
  writeFileSync(join(damaged, 'workspaces', workspaceFile), bytes);
  await refused(damaged, new RegExp(`damaged is not a usable backup: workspaces/${workspaceFile} does not match its checksum in the manifest \\(the file is damaged\\)`));

  const missing = join(tmp, 'missing');
  cpSync(dir, missing, { recursive: true });
  rmSync(join(missing, 'workspaces', workspaceFile));
  await refused(missing, new RegExp(`workspaces/${workspaceFile} is missing \\(the backup is incomplete\\)`));

  const noManifest = join(tmp, 'no-manifest');
  mkdirSync(noManifest);
  writeFileSync(join(noManifest, 'notes.txt'), 'not a backup');
  await refused(noManifest, /has no vigil-backup\.json \(was it made by vigil backup, and did the backup finish\?\)/);

  const newer = join(tmp, 'newer');
  cpSync(dir, newer, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(newer, 'vigil-backup.json'), 'utf8')) as BackupManifest;
  manifest.migrations.push('9999-from-the-future');
  writeFileSync(join(newer, 'vigil-backup.json'), JSON.stringify(manifest));
  await refused(newer, /made by a newer Vigil .* \(9999-from-the-future\); upgrade Vigil to restore it/);

  // Archives: one cut short (a copy interrupted), one that is not gzip at all.
  const archive = join(tmp, 'cut.tar.gz');
  assert.equal((await vigil(['backup', archive, '--data-dir', data])).status, 0);
  truncateSync(archive, Math.floor(statSync(archive).size / 2));
  await refused(archive, /cut\.tar\.gz is not a usable backup: (it is not a readable gzip archive|the archive ends early)/);
  const tar = join(tmp, 'plain.tar');
  assert.equal((await vigil(['backup', tar, '--data-dir', data])).status, 0);
  truncateSync(tar, statSync(tar).size - 3000);
  await refused(tar, /plain\.tar is not a usable backup: (the archive ends early \(it is incomplete\)|it has no vigil-backup\.json)/);
});
