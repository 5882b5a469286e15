// `vigil backup` and `vigil restore`: the data directory (control database, log store, TLS
// material) to a directory or a .tar/.tar.gz archive with a manifest of versions and SHA-256
// checksums, and back.
//
// The server must be stopped. The log store's DuckDB files are held open (and locked) by the
// running server and written at any moment; a copy taken beside it would not match the control
// database. So backup takes the control database's lock (SQLite, exclusive: refused while a
// server or another vigil command has it open, and it keeps a server from starting meanwhile),
// copies it with SQLite's online backup API, then opens each workspace file with DuckDB (its
// own lock), folds its write-ahead log in (CHECKPOINT) and copies it. Restore checks every file
// against the manifest before it replaces anything, and refuses a non-empty data directory
// unless --force, and one a server is using.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import SQLite from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Command } from 'commander';
import { CliError, dataDirConfig, EXIT, formatBytes, ProgressLine, withExit, type DataDirOptions } from './cli-common.ts';
import { tarAddBuffer, tarAddFile, tarEnd, tarExtract, TarFormatError } from './tar.ts';

export const MANIFEST = 'vigil-backup.json';
const FORMAT_VERSION = 1;
const CONTROL = 'control.sqlite';
/** What is not backed up: the database's side files (its content is in the copy), DuckDB's spill space, restores in progress. */
const SKIP = [/^control\.sqlite-(wal|shm|journal)$/, /^duckdb-temp(\/|$)/, /^workspaces\/[^/]+\.duckdb\.wal$/, /^\.vigil-(restore|backup)-/];
const WORKSPACE_FILE = /^workspaces\/[0-9a-f-]{36}\.duckdb$/;

export interface ManifestFile { path: string; bytes: number; sha256: string }
export interface BackupManifest {
  format: 'vigil-backup';
  formatVersion: number;
  vigilVersion: string;
  createdAt: string;
  dataDir: string;
  /** The control database's applied migrations: a backup from a newer Vigil is refused by an older one. */
  migrations: string[];
  sqliteVersion: string;
  duckdbVersion: string;
  workspaces: number;
  files: ManifestFile[];
}

function vigilVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The migrations this build knows (it migrates older data directories up on start). */
async function knownMigrations(): Promise<Set<string>> {
  const { openDatabase } = await import('../../server/src/db/database.ts');
  const { db, close } = await openDatabase(':memory:');
  try {
    const rows = await db.selectFrom('kysely_migration' as never).select('name' as never).execute() as { name: string }[];
    return new Set(rows.map((r) => r.name));
  } finally {
    await close();
  }
}

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Back up the data directory (control database, log store, TLS material) to a new directory or a .tar / .tar.gz archive, with a manifest of versions and checksums. The server must be stopped.')
    .argument('<target>', 'a directory that does not exist yet (or is empty), or a file ending in .tar, .tar.gz or .tgz')
    .option('-c, --config <file>', 'configuration file (JSON or YAML)')
    .option('-d, --data-dir <dir>', 'data directory (default ./data, or VIGIL_DATA_DIR)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText('after', `
Examples:
  vigil backup /var/backups/vigil-2026-11-27.tar.gz --data-dir /var/lib/vigil
  vigil backup ./backup-dir

The backup holds the TLS private key and the directory's password hashes: keep it as safe as
the data directory. Exit codes: 0 done, 2 bad usage (target exists, not a data directory),
5 the data directory is in use (stop the server first).`)
    .action(withExit(async (target: string, options: DataDirOptions & { json?: boolean }) => {
      const dataDir = dataDirConfig(options).dataDir;
      const manifest = await backup(dataDir, target, new ProgressLine());
      if (options.json) process.stdout.write(`${JSON.stringify(manifest)}\n`);
      else {
        const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
        process.stdout.write(`Backed up ${dataDir} to ${target}: ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}, ${formatBytes(total)} (control database, ${manifest.workspaces} workspace log store${manifest.workspaces === 1 ? '' : 's'}); Vigil ${manifest.vigilVersion}.\n`);
      }
    }));

  program
    .command('restore')
    .description('Restore a data directory from a backup made by `vigil backup`, after checking every file against its manifest. Refuses a non-empty data directory unless --force, and one a running server uses.')
    .argument('<source>', 'the backup: a directory or a .tar / .tar.gz archive')
    .option('-c, --config <file>', 'configuration file (JSON or YAML)')
    .option('-d, --data-dir <dir>', 'data directory to restore into (default ./data, or VIGIL_DATA_DIR)')
    .option('--force', 'replace what the data directory holds (everything in it is deleted)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText('after', `
Examples:
  vigil restore /var/backups/vigil-2026-11-27.tar.gz --data-dir /var/lib/vigil
  vigil restore ./backup-dir --data-dir ./data --force

Exit codes: 0 done, 2 bad usage or a corrupt, incomplete or newer backup (nothing changed),
5 the data directory is in use (stop the server first).`)
    .action(withExit(async (source: string, options: DataDirOptions & { force?: boolean; json?: boolean }) => {
      const dataDir = dataDirConfig(options).dataDir;
      const manifest = await restore(source, dataDir, options.force === true, new ProgressLine());
      if (options.json) process.stdout.write(`${JSON.stringify(manifest)}\n`);
      else process.stdout.write(`Restored ${dataDir} from ${source} (made ${manifest.createdAt} by Vigil ${manifest.vigilVersion}): ${manifest.files.length} files, ${manifest.workspaces} workspace log store${manifest.workspaces === 1 ? '' : 's'}.\n`);
    }));
}

// ------------------------------------------------------------------ locks

const inUse = (dataDir: string, detail: string) => new CliError(
  `The data directory ${dataDir} is in use: ${detail}. Stop the Vigil server (and any other vigil command on it), then try again. Backup and restore run with the server stopped, so that the log store and the control database are copied at the same moment.`,
  EXIT.busy);

/** Opens the control database holding an exclusive lock until closed; refused while anyone else has it open. */
function lockControlDatabase(dataDir: string): SQLite.Database {
  const file = join(dataDir, CONTROL);
  const db = new SQLite(file, { timeout: 0, fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw inUse(dataDir, `another process has ${CONTROL} open (a running server?)`);
    throw error;
  }
  return db;
}

/** Restore's check of the directory it replaces: only a server using it matters (a damaged database is being replaced anyway). */
function assertNotInUse(dataDir: string): void {
  if (!existsSync(join(dataDir, CONTROL))) return;
  try {
    lockControlDatabase(dataDir).close();
  } catch (error) {
    if (error instanceof CliError) throw error;
  }
}

async function openWorkspaceFile(dataDir: string, file: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file);
  } catch (error) {
    const message = (error as Error).message;
    const holder = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?\./.exec(message);
    if (holder !== null) throw inUse(dataDir, `${holder[1]}${holder[2] === undefined ? '' : ` (process ${holder[2]})`} holds the log store file ${relative(dataDir, file)}`);
    throw new CliError(`Cannot open the log store file ${file}: ${message}`, EXIT.unexpected);
  }
}

// ------------------------------------------------------------------ backup

interface Sink {
  add(name: string, file: string, advance: (n: number) => void): Promise<ManifestFile>;
  finish(manifest: BackupManifest): Promise<void>;
  abort(): void;
}

function isArchive(path: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(path);
}

function hashingCopy(from: string, to: string, advance: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  const tap = new Transform({ transform(chunk: Buffer, _enc, done) { hash.update(chunk); advance(chunk.length); done(null, chunk); } });
  mkdirSync(dirname(to), { recursive: true });
  return pipeline(createReadStream(from), tap, createWriteStream(to, { mode: 0o600 })).then(() => hash.digest('hex'));
}

function directorySink(target: string): Sink {
  const partial = `${target}.partial-${process.pid}`;
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  return {
    async add(name, file, advance) {
      const bytes = statSync(file).size;
      const sha256 = await hashingCopy(file, join(partial, name), advance);
      return { path: name, bytes, sha256 };
    },
    async finish(manifest) {
      writeFileSync(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      if (existsSync(target)) rmSync(target, { recursive: true }); // empty: checked before
      renameSync(partial, target);
    },
    abort() {
      rmSync(partial, { recursive: true, force: true });
    },
  };
}

function archiveSink(target: string): Sink {
  const partial = `${target}.partial-${process.pid}`;
  const file = createWriteStream(partial, { mode: 0o600 });
  const gzip = /\.(tar\.gz|tgz)$/i.test(target) ? createGzip({ level: 6 }) : undefined;
  const out: Writable = gzip ?? file;
  const done = gzip === undefined ? new Promise<void>((resolve, reject) => { file.on('finish', resolve); file.on('error', reject); }) : pipeline(gzip, file);
  done.catch(() => undefined);
  return {
    async add(name, path, advance) {
      const stat = statSync(path);
      const sha256 = await tarAddFile(out, name, path, stat.size, stat.mtime, advance);
      return { path: name, bytes: stat.size, sha256 };
    },
    async finish(manifest) {
      // The manifest is the last entry: an archive cut short has none, and is refused whole.
      await tarAddBuffer(out, MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), new Date(manifest.createdAt));
      await tarEnd(out);
      out.end();
      await done;
      renameSync(partial, target);
    },
    abort() {
      out.destroy();
      rmSync(partial, { force: true });
    },
  };
}

/** Files of the data directory other than the control database and the workspaces' log stores, relative, with / separators. */
function otherFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(dataDir, path).split(sep).join('/');
      if (SKIP.some((re) => re.test(rel))) continue;
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && rel !== CONTROL && !WORKSPACE_FILE.test(rel)) out.push(rel);
    }
  };
  walk(dataDir);
  return out;
}

export async function backup(dataDir: string, target: string, progress: ProgressLine): Promise<BackupManifest> {
  if (!existsSync(join(dataDir, CONTROL))) {
    throw new CliError(`${dataDir} is not a Vigil data directory (it has no ${CONTROL}). Give the data directory with --data-dir, --config or VIGIL_DATA_DIR.`, EXIT.usage);
  }
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new CliError(`${target} already exists${statSync(target).isDirectory() ? ' and is not empty' : ''}: give a new file or directory for the backup.`, EXIT.usage);
  }
  if (!existsSync(dirname(target))) throw new CliError(`The folder ${dirname(target)} for the backup does not exist.`, EXIT.usage);
  if (isArchive(target) && existsSync(target)) throw new CliError(`${target} is a directory; an archive name must be a file.`, EXIT.usage);

  const control = lockControlDatabase(dataDir);
  const sink = isArchive(target) ? archiveSink(target) : directorySink(target);
  const scratch = join(dirname(target), `.vigil-backup-${randomBytes(4).toString('hex')}.sqlite`);
  try {
    const workspaceFiles = existsSync(join(dataDir, 'workspaces'))
      ? readdirSync(join(dataDir, 'workspaces')).filter((n) => WORKSPACE_FILE.test(`workspaces/${n}`)).sort().map((n) => `workspaces/${n}`)
      : [];
    const others = otherFiles(dataDir);
    const totalFiles = 1 + workspaceFiles.length + others.length;
    const size = (rel: string) => statSync(join(dataDir, rel)).size;
    let totalBytes = size(CONTROL) + workspaceFiles.reduce((n, f) => n + size(f), 0) + others.reduce((n, f) => n + size(f), 0);
    let doneBytes = 0;
    let doneFiles = 0;
    const show = (name: string) => progress.show(`backup: ${doneFiles}/${totalFiles} files, ${formatBytes(doneBytes)} of ${formatBytes(totalBytes)}  ${name}`);
    const advance = (name: string) => (n: number) => { doneBytes += n; show(name); };
    const files: ManifestFile[] = [];

    // The control database through SQLite's online backup API: a consistent copy whatever its journal holds.
    show(CONTROL);
    await control.backup(scratch, { progress: ({ totalPages, remainingPages }) => { progress.show(`backup: ${CONTROL} ${totalPages - remainingPages}/${totalPages} pages`); return 256; } });
    totalBytes += statSync(scratch).size - size(CONTROL);
    files.push(await sink.add(CONTROL, scratch, advance(CONTROL)));
    rmSync(scratch, { force: true });
    doneFiles++;
    const migrations = (control.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    const sqliteVersion = (control.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;

    let duckdbVersion = '';
    for (const rel of workspaceFiles) {
      const file = join(dataDir, rel);
      const before = size(rel);
      const instance = await openWorkspaceFile(dataDir, file);
      try {
        const connection = await instance.connect();
        try {
          await connection.run('CHECKPOINT');
          duckdbVersion ||= String((await connection.runAndReadAll('SELECT version()')).getRows()[0]![0]);
        } finally {
          connection.closeSync();
        }
        totalBytes += size(rel) - before; // the checkpoint may have grown it
        files.push(await sink.add(rel, file, advance(rel))); // copied while DuckDB's lock is held
      } finally {
        instance.closeSync();
      }
      doneFiles++;
    }
    for (const rel of others) {
      files.push(await sink.add(rel, join(dataDir, rel), advance(rel)));
      doneFiles++;
    }
    progress.clear();
    const manifest: BackupManifest = {
      format: 'vigil-backup', formatVersion: FORMAT_VERSION, vigilVersion: vigilVersion(), createdAt: new Date().toISOString(), dataDir,
      migrations, sqliteVersion, duckdbVersion: duckdbVersion || duckdbLibraryVersion(), workspaces: workspaceFiles.length, files,
    };
    await sink.finish(manifest);
    return manifest;
  } catch (error) {
    progress.clear();
    sink.abort();
    rmSync(scratch, { force: true });
    throw error;
  } finally {
    control.close();
  }
}

function duckdbLibraryVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../node_modules/@duckdb/node-api/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// ------------------------------------------------------------------ restore

const corrupt = (source: string, problem: string) => new CliError(`${source} is not a usable backup: ${problem}. Nothing was changed.`, EXIT.usage);

function readManifest(source: string, text: string | undefined): BackupManifest {
  if (text === undefined) throw corrupt(source, `it has no ${MANIFEST} (was it made by vigil backup, and did the backup finish?)`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch (error) {
    throw corrupt(source, `its ${MANIFEST} is not valid JSON (${(error as Error).message})`);
  }
  if (manifest.format !== 'vigil-backup' || !Array.isArray(manifest.files) || !Array.isArray(manifest.migrations)) throw corrupt(source, `its ${MANIFEST} is not a Vigil backup manifest`);
  if (manifest.formatVersion > FORMAT_VERSION) throw corrupt(source, `it was made by a newer Vigil (${manifest.vigilVersion}, backup format ${manifest.formatVersion}); upgrade Vigil to restore it`);
  return manifest;
}

async function checkAgainstManifest(source: string, manifest: BackupManifest, found: Map<string, { bytes: number; sha256: string }>): Promise<void> {
  for (const f of manifest.files) {
    const got = found.get(f.path);
    if (got === undefined) throw corrupt(source, `${f.path} is missing (the backup is incomplete)`);
    if (got.bytes !== f.bytes) throw corrupt(source, `${f.path} has ${got.bytes} bytes where the manifest says ${f.bytes} (the backup is incomplete or damaged)`);
    if (got.sha256 !== f.sha256) throw corrupt(source, `${f.path} does not match its checksum in the manifest (the file is damaged)`);
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const extra = [...found.keys()].filter((p) => p !== MANIFEST && !listed.has(p));
  if (extra.length > 0) throw corrupt(source, `it holds files its manifest does not list (${extra.slice(0, 5).join(', ')})`);
  if (!listed.has(CONTROL)) throw corrupt(source, `it has no control database (${CONTROL})`);
  const known = await knownMigrations();
  const newer = manifest.migrations.filter((m) => !known.has(m));
  if (newer.length > 0) throw corrupt(source, `it was made by a newer Vigil (${manifest.vigilVersion}) whose database has changes this version does not know (${newer.join(', ')}); upgrade Vigil to restore it`);
}

export async function restore(source: string, dataDir: string, force: boolean, progress: ProgressLine): Promise<BackupManifest> {
  if (!existsSync(source)) throw new CliError(`The backup ${source} does not exist.`, EXIT.usage);
  const existing = existsSync(dataDir) ? readdirSync(dataDir).filter((n) => !n.startsWith('.vigil-restore-')) : [];
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new CliError(`${dataDir} is a file, not a data directory.`, EXIT.usage);
  if (existing.length > 0 && !force) {
    throw new CliError(`The data directory ${dataDir} is not empty (${existing.slice(0, 4).join(', ')}${existing.length > 4 ? ', ...' : ''}). Restore into a new or empty directory, or add --force to replace what it holds.`, EXIT.usage);
  }
  assertNotInUse(dataDir);

  mkdirSync(dataDir, { recursive: true });
  const staging = join(dataDir, `.vigil-restore-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  try {
    let manifest: BackupManifest;
    const found = new Map<string, { bytes: number; sha256: string }>();
    if (statSync(source).isDirectory()) {
      manifest = readManifest(source, existsSync(join(source, MANIFEST)) ? readFileSync(join(source, MANIFEST), 'utf8') : undefined);
      const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
      let done = 0;
      for (const f of manifest.files) {
        if (f.path.startsWith('/') || f.path.split('/').includes('..')) throw corrupt(source, `the manifest names ${f.path}, outside the data directory`);
        const from = join(source, ...f.path.split('/'));
        if (!existsSync(from)) continue; // reported as missing below
        const bytes = statSync(from).size;
        const sha256 = await hashingCopy(from, join(staging, ...f.path.split('/')), (n) => { done += n; progress.show(`restore: ${formatBytes(done)} of ${formatBytes(total)}  ${f.path}`); });
        found.set(f.path, { bytes, sha256 });
      }
    } else {
      const head = Buffer.alloc(2);
      const fd = openSync(source, 'r');
      readSync(fd, head, 0, 2, 0);
      closeSync(fd);
      const gzipped = head[0] === 0x1f && head[1] === 0x8b;
      const total = statSync(source).size;
      let read = 0;
      const input = createReadStream(source);
      input.on('data', (chunk) => { read += chunk.length; progress.show(`restore: ${formatBytes(read)} of ${formatBytes(total)} read  ${basename(source)}`); });
      let extracted;
      try {
        extracted = await tarExtract((gzipped ? input.pipe(createGunzip()) : input) as AsyncIterable<Buffer>, staging, () => undefined);
      } catch (error) {
        if (error instanceof TarFormatError) throw corrupt(source, (error as Error).message);
        if ((error as { code?: string }).code?.startsWith('Z_') === true) throw corrupt(source, `it is not a readable gzip archive (${(error as Error).message})`);
        throw error;
      }
      for (const f of extracted) found.set(f.name, { bytes: f.bytes, sha256: f.sha256 });
      const manifestPath = join(staging, MANIFEST);
      manifest = readManifest(source, existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : undefined);
      rmSync(manifestPath);
    }
    await checkAgainstManifest(source, manifest, found);
    const check = new SQLite(join(staging, CONTROL), { readonly: true, fileMustExist: true });
    try {
      const result = check.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw corrupt(source, `its control database fails SQLite's check (${String(result)})`);
    } finally {
      check.close();
    }
    // A read-only open leaves an empty write-ahead log and its index behind: not part of the backup.
    const wal = join(staging, `${CONTROL}-wal`);
    if (!existsSync(wal) || statSync(wal).size === 0) for (const side of ['-wal', '-shm']) rmSync(join(staging, `${CONTROL}${side}`), { force: true });
    progress.clear();

    // Verified: replace what the directory held (a server may have started meanwhile: check again).
    assertNotInUse(dataDir);
    for (const name of readdirSync(dataDir)) if (join(dataDir, name) !== staging) rmSync(join(dataDir, name), { recursive: true, force: true });
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(dataDir, name));
    rmSync(staging, { recursive: true, force: true });
    return manifest;
  } catch (error) {
    progress.clear();
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
