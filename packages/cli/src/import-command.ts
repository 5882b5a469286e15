// `vigil import`: loads Log Analytics exports (CSV, JSON) and raw syslog/CEF line files into a
// workspace table. The workspace's log store is held open by the running server, so the rows go
// through its HTTPS API (POST .../tables/{table}/import), signed in as a user who may write the
// table. Rows are read and typed here first, so every rejected row is named with its reason;
// what the server takes is all or nothing per chunk.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../server/src/config.ts';
import { readExport } from '../../server/src/ingest/file-import/read-export.ts';
import { describeRejection, prepareRows, type Rejection } from '../../server/src/ingest/file-import/prepare-rows.ts';
import { CUSTOM_TABLE, findStandardTable } from '../../server/src/logstore/schema.ts';
import { ARM_API, errorCode, errorMessage, signIn, upload, type Api } from './api-client.ts';
import { Progress, type FileProgress } from './import-progress.ts';
import { exitCode, formatSummary, LISTED_REJECTIONS, type FileRejection, type FileSummary, type ImportSummary } from './import-summary.ts';
import { resolveTable, type TableLookup } from './import-tables.ts';
import { toJsonRow } from './json-rows.ts';
import { rawLineRows } from './raw-lines.ts';
import { inputFiles, parseWorkspace } from './inputs.ts';

export interface ImportOptions {
  workspace: string;
  table?: string;
  format: 'csv' | 'json' | 'auto';
  timeColumn?: string;
  importTime?: boolean;
  tenant: string;
  username: string;
  password?: string;
  url: string;
  json?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Load Log Analytics exports (CSV, JSON) and raw syslog/CEF line files into a workspace table, through the HTTPS API, signed in as a user who may write the table.')
    .argument('<file...>', 'files (or folders, walked recursively) to import')
    .requiredOption('--workspace <id>', 'the workspace: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}')
    .option('--table <name>', "the target table (default: the file's Type column, else its file or folder name)")
    .addOption(new Option('--format <format>', 'how to read the files').choices(['csv', 'json', 'auto']).default('auto'))
    .option('--time-column <column>', 'when a file has no TimeGenerated column: the column to take it from')
    .option('--import-time', 'when a file has no TimeGenerated column (and no --time-column): stamp its rows with the import time')
    .requiredOption('--tenant <id>', 'the directory (tenant id or domain) to sign in to')
    .requiredOption('--username <upn>', 'a user who may write the table (Owner, Contributor, Log Analytics Contributor)')
    .option('--password <password>', 'their password (or VIGIL_PASSWORD)')
    .option('--url <url>', 'the Vigil server', 'https://127.0.0.1:8443')
    .addOption(new Option('--json', 'print the summary as JSON'))
    .action(async (files: string[], options: ImportOptions) => {
      const summary = await runImport(files, options);
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(formatSummary(summary));
      process.exitCode = exitCode(summary);
    });
}

// ------------------------------------------------------------------ the run

async function runImport(inputs: string[], options: ImportOptions): Promise<ImportSummary> {
  const password = options.password ?? process.env.VIGIL_PASSWORD;
  if (password === undefined) throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
  const workspacePath = parseWorkspace(options.workspace);
  const files = inputFiles(inputs, 'import').map((f) => f.path);
  if (options.table !== undefined && !CUSTOM_TABLE.test(options.table) && findStandardTable(options.table) === undefined) {
    throw new ConfigError(`--table ${options.table} is neither a standard table nor a custom table name (<letters, digits, _>_CL).`);
  }
  const api = await signIn(options.url, options.tenant, options.username, password);

  const ws = await api.call('GET', `${workspacePath}?api-version=${ARM_API}`);
  if (ws.status === 404) throw new ConfigError(`The workspace ${workspacePath} was not found: ${errorMessage(ws.body)}`);
  if (ws.status !== 200) {
    const message = `vigil: the server refused access to the workspace (${ws.status} ${errorCode(ws.body)}): ${errorMessage(ws.body)}`;
    process.stderr.write(`${message}\n`);
    const refused = `${ws.status} ${errorCode(ws.body)}: ${errorMessage(ws.body)}`;
    const summaries = files.map((file): FileSummary => ({ file, format: 'unsupported', tables: {}, status: 'not loaded', loaded: 0, rejected: 0, notSent: 0, refused, rejections: [], notes: [] }));
    return { workspace: workspacePath, files: summaries, totals: { files: files.length, loadedFully: 0, loadedPartly: 0, notLoaded: files.length, rowsLoaded: 0, rowsRejected: 0, rowsNotSent: 0, refusedFiles: files.length } };
  }

  const targets = new Map<string, TableLookup>();
  const progress = new Progress(files.length, process.stderr.isTTY === true);
  const summaries: FileSummary[] = [];
  const refusals = new Set<string>();
  for (const [i, path] of files.entries()) {
    const summary = await importFile(path, options, api, workspacePath, targets, progress.forFile(i, path));
    if (summary.refused !== undefined && !refusals.has(summary.refused)) {
      refusals.add(summary.refused);
      progress.clear();
      process.stderr.write(`vigil: the server refused rows of ${path}: ${summary.refused}\n`);
    }
    progress.fileDone(summary);
    summaries.push(summary);
  }
  progress.clear();
  const totals = { files: summaries.length, loadedFully: 0, loadedPartly: 0, notLoaded: 0, rowsLoaded: 0, rowsRejected: 0, rowsNotSent: 0, refusedFiles: 0 };
  for (const s of summaries) {
    if (s.status === 'loaded') totals.loadedFully++;
    else if (s.status === 'partly') totals.loadedPartly++;
    else totals.notLoaded++;
    totals.rowsLoaded += s.loaded;
    totals.rowsRejected += s.rejected;
    totals.rowsNotSent += s.notSent;
    if (s.refused !== undefined) totals.refusedFiles++;
  }
  return { workspace: workspacePath, files: summaries, totals };
}


// ------------------------------------------------------------------ one file

async function importFile(
  path: string,
  options: ImportOptions,
  api: Api,
  workspacePath: string,
  targets: Map<string, TableLookup>,
  progress: FileProgress,
): Promise<FileSummary> {
  const summary: FileSummary = { file: path, format: 'unsupported', tables: {}, status: 'not loaded', loaded: 0, rejected: 0, notSent: 0, rejections: [], notes: [] };
  const rejectAll = (rejections: Rejection[]): void => {
    summary.rejected += rejections.length;
    for (const r of rejections.slice(0, Math.max(0, LISTED_REJECTIONS - summary.rejections.length))) {
      const entry: FileRejection = { row: r.row, problem: r.problem, text: describeRejection(path, r) };
      if (r.line !== undefined) entry.line = r.line;
      if (r.column !== undefined) entry.column = r.column;
      summary.rejections.push(entry);
    }
  };
  const finish = (): FileSummary => {
    const tables = Object.keys(summary.tables);
    if (tables.length > 0 && summary.table === undefined) summary.table = tables.join('+');
    if (summary.rejected > summary.rejections.length) summary.moreRejections = summary.rejected - summary.rejections.length;
    summary.status = summary.loaded === 0 ? 'not loaded' : summary.rejected > 0 || summary.notSent > 0 || summary.refused !== undefined ? 'partly' : 'loaded';
    if (summary.status === 'not loaded' && summary.problem === undefined && summary.rejected === 0 && summary.refused === undefined) {
      summary.problem = `${path}: no rows to load`;
    }
    return summary;
  };

  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    summary.problem = `${path}: cannot be read: ${(error as Error).message}`;
    return finish();
  }
  const file = readExport({ name: path, text }, { format: options.format });
  summary.format = file.format;
  summary.notes.push(...file.notes);
  if (file.format === 'unsupported') {
    summary.problem = `${path}: ${file.reason ?? 'not a file that can be imported'}`;
    return finish();
  }

  // Rows to send, per table, already JSON-ready, with the file row each came from.
  const batches: { table: string; rows: unknown[]; rowNumbers: number[]; retentionDays?: number }[] = [];
  if (file.format === 'raw-lines') {
    const raw = rawLineRows(path, text, options.table);
    if ('problem' in raw) {
      summary.problem = raw.problem;
      return finish();
    }
    rejectAll(raw.rejected);
    summary.notes.push(...raw.notes);
    for (const b of raw.batches) {
      const target = await resolveTable(api, workspacePath, b.table, undefined, targets);
      batches.push({ ...b, ...('schema' in target && target.retentionDays !== undefined ? { retentionDays: target.retentionDays } : {}) });
    }
    if (batches.length > 0) summary.table = batches.map((b) => b.table).join('+');
  } else {
    const tableName = options.table ?? file.tableHint;
    if (tableName === undefined) {
      summary.problem = `${path}: no table to load it into: neither a Type column nor the file or folder name names one; give it with --table`;
      return finish();
    }
    const target = await resolveTable(api, workspacePath, tableName, file, targets);
    if ('refused' in target) {
      summary.refused = target.refused;
      summary.notSent = file.rows.length;
      summary.table = tableName;
      return finish();
    }
    if ('problem' in target) {
      summary.problem = `${path}: ${target.problem}`;
      return finish();
    }
    summary.table = target.schema.name;
    if (target.created !== undefined) {
      summary.createdTable = target.created;
      summary.notes.push(`created the custom table ${target.created} from the file's columns (strings, TimeGenerated dateTime)`);
      delete target.created; // said once, by the file that made it
    }
    const prepared = prepareRows(file, target.schema, { fileName: path }, {
      ...(options.timeColumn === undefined ? {} : { timeColumn: options.timeColumn }),
      ...(options.importTime ? { missingTime: 'ingestion-time' as const } : {}),
    });
    summary.notes.push(...prepared.notes);
    if (prepared.problem !== undefined) {
      summary.problem = prepared.problem;
      return finish();
    }
    rejectAll(prepared.rejected);
    const types = new Map(target.schema.columns.map((c) => [c.name, c.type]));
    batches.push({
      table: target.schema.name, rows: prepared.rows.map((r) => toJsonRow(r, types)), rowNumbers: prepared.rowNumbers,
      ...(target.retentionDays === undefined ? {} : { retentionDays: target.retentionDays }),
    });
  }

  progress.start(batches.reduce((n, b) => n + b.rows.length, 0));
  for (const batch of batches) {
    const result = await upload(api, workspacePath, batch.table, batch.rows, batch.rowNumbers, path, (n) => progress.advance(n));
    if (result.loaded > 0) summary.tables[batch.table] = (summary.tables[batch.table] ?? 0) + result.loaded;
    summary.loaded += result.loaded;
    if (result.refused !== undefined) {
      summary.refused = result.refused;
      summary.notSent += batch.rows.length - result.loaded;
    }
    // History older than the table keeps is loaded, then deleted by the retention job: say so.
    if (batch.retentionDays !== undefined && result.loaded > 0) {
      const cutoff = Date.now() - batch.retentionDays * 86_400_000;
      const old = batch.rows.slice(0, result.loaded).filter((r) => Date.parse(String((r as { TimeGenerated?: unknown }).TimeGenerated)) < cutoff).length;
      if (old > 0) {
        summary.olderThanRetention = (summary.olderThanRetention ?? 0) + old;
        summary.notes.push(`${old} loaded row(s) are older than ${batch.table}'s retention (${batch.retentionDays} days): the retention job will delete them; raise the table's totalRetentionInDays first to keep them`);
      }
    }
  }
  return finish();
}
