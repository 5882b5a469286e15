// `vigil import`: loads Log Analytics exports (CSV, JSON) and raw syslog/CEF line files into a
// workspace table. The workspace's log store is held open by the running server, so the rows go
// through its HTTPS API (POST .../tables/{table}/import), signed in as a user who may write the
// table. Rows are read and typed here first, so every rejected row is named with its reason;
// what the server takes is all or nothing per chunk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../server/src/config.ts';
import { readExport, type ExportFile } from '../../server/src/ingest/file-import/read-export.ts';
import { customSchemaFromFile, describeRejection, prepareRows, type Rejection } from '../../server/src/ingest/file-import/prepare-rows.ts';
import { parseSyslog } from '../../server/src/ingest/syslog/parse-syslog.ts';
import { parseCef } from '../../server/src/ingest/syslog/parse-cef.ts';
import { cefRow, syslogRow, type RowContext } from '../../server/src/ingest/syslog/to-rows.ts';
import { typeRows } from '../../server/src/ingest/type-rows.ts';
import { CUSTOM_TABLE, SYSTEM_COLUMNS, columnType, findStandardTable, type ColumnType, type TableSchema, withSystemColumns } from '../../server/src/logstore/schema.ts';
import type { Typed } from '../../server/src/logstore/coerce.ts';

const IMPORT_API = '2025-01-01';
const ARM_API = '2022-10-01';
/** Rows per upload call, and bytes per call at most (the server takes 32 MB). */
const CHUNK_ROWS = 5000;
const CHUNK_BYTES = 16 * 1024 * 1024;
/** Rejections listed per file in the summary (the count is always complete). */
const LISTED_REJECTIONS = 100;

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

export interface FileRejection {
  row: number;
  line?: number;
  column?: string;
  problem: string;
  /** The rejection in words: file, row, column, problem. */
  text: string;
}

export interface FileSummary {
  file: string;
  format: ExportFile['format'];
  /** The table(s) the file went to ("Syslog+CommonSecurityLog" for mixed raw lines). */
  table?: string;
  /** Rows committed, per table. */
  tables: Record<string, number>;
  status: 'loaded' | 'partly' | 'not loaded';
  loaded: number;
  /** Rows refused here, each with its reason (see rejections). */
  rejected: number;
  /** Rows not stored because the server refused the call carrying them (see refused). */
  notSent: number;
  /** Why nothing of the file could load (not rows, no TimeGenerated, no table...). */
  problem?: string;
  /** The server's refusal, when it refused a chunk of this file. */
  refused?: string;
  rejections: FileRejection[];
  /** Rejections beyond those listed. */
  moreRejections?: number;
  createdTable?: string;
  /** Loaded rows older than the table's retention: the server's retention job will delete them. */
  olderThanRetention?: number;
  notes: string[];
}

export interface ImportSummary {
  workspace: string;
  files: FileSummary[];
  totals: { files: number; loadedFully: number; loadedPartly: number; notLoaded: number; rowsLoaded: number; rowsRejected: number; rowsNotSent: number; refusedFiles: number };
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

/** 0 everything loaded; 1 something was rejected (the rest loaded); 3 the server refused a chunk. */
export function exitCode(summary: ImportSummary): number {
  if (summary.totals.refusedFiles > 0) return 3;
  return summary.files.every((f) => f.status === 'loaded') ? 0 : 1;
}

// ------------------------------------------------------------------ the run

interface Target {
  schema: TableSchema;
  created?: string;
  /** How long the table keeps rows (its total retention), when the server said. */
  retentionDays?: number;
}

async function runImport(inputs: string[], options: ImportOptions): Promise<ImportSummary> {
  const password = options.password ?? process.env.VIGIL_PASSWORD;
  if (password === undefined) throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
  const workspacePath = parseWorkspace(options.workspace);
  const files = expandFiles(inputs);
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

  const targets = new Map<string, Target | { refused: string } | { problem: string }>();
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

function parseWorkspace(id: string): string {
  const m = /^\/?subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/(?:providers\/microsoft\.operationalinsights\/)?workspaces\/([^/]+)\/?$/i.exec(id.trim());
  if (m === null) {
    throw new ConfigError(`--workspace ${id} is not a workspace id: give /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.OperationalInsights/workspaces/{name}.`);
  }
  return `/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.OperationalInsights/workspaces/${m[3]}`;
}

function expandFiles(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, top: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      if (top) throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
      return;
    }
    if (!stat.isDirectory()) {
      out.push(path);
      return;
    }
    for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) walk(join(path, name), false);
  };
  for (const input of inputs) walk(input, true);
  if (out.length === 0) throw new ConfigError(`No files to import in ${inputs.join(', ')}.`);
  return out;
}

// ------------------------------------------------------------------ one file

async function importFile(
  path: string,
  options: ImportOptions,
  api: Api,
  workspacePath: string,
  targets: Map<string, Target | { refused: string } | { problem: string }>,
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

/** Raw syslog/CEF lines -> Syslog and CommonSecurityLog rows, as the syslog collector makes them. */
function rawLineRows(path: string, text: string, table: string | undefined):
  | { batches: { table: string; rows: unknown[]; rowNumbers: number[] }[]; rejected: Rejection[]; notes: string[] }
  | { problem: string } {
  const only = table === undefined ? undefined : findStandardTable(table)?.name;
  if (table !== undefined && only !== 'Syslog' && only !== 'CommonSecurityLog') {
    return { problem: `${path}: raw log lines load into Syslog or CommonSecurityLog, not ${table}` };
  }
  const receivedAt = new Date();
  const ctx: RowContext = { receivedAt, sourceIp: '', collectorHostName: hostname() };
  const rejected: Rejection[] = [];
  const byTable = new Map<string, { rows: Record<string, unknown>[]; rowNumbers: number[] }>();
  const add = (name: string, row: Record<string, unknown>, lineNo: number): void => {
    let b = byTable.get(name);
    if (b === undefined) byTable.set(name, (b = { rows: [], rowNumbers: [] }));
    b.rows.push(row);
    b.rowNumbers.push(lineNo);
  };
  let noPri = 0;
  let undated = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, k) => {
    const lineNo = k + 1;
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '') return;
    let frame = line;
    if (!/^<\d{1,3}>/.test(frame)) {
      frame = `<13>${frame}`;
      noPri++;
    }
    const parsed = parseSyslog(frame, { receivedAt, sourceIp: '' });
    if ('error' in parsed) {
      rejected.push({ row: lineNo, problem: parsed.error });
      return;
    }
    if (parsed.timestamp === receivedAt) undated++;
    let row: Record<string, unknown> | undefined;
    let target = 'Syslog';
    if (only !== 'Syslog' && parsed.message.includes('CEF:')) {
      const cef = parseCef(parsed.message);
      if (!('error' in cef)) {
        row = cefRow(cef, parsed, ctx);
        target = 'CommonSecurityLog';
      } else if (only === 'CommonSecurityLog') {
        rejected.push({ row: lineNo, problem: cef.error });
        return;
      }
    } else if (only === 'CommonSecurityLog') {
      rejected.push({ row: lineNo, problem: 'not a CEF message: no "CEF:" in the line' });
      return;
    }
    row ??= syslogRow(parsed, ctx);
    // An imported line has no sender address: leave those columns empty rather than invent one.
    for (const c of ['Computer', 'HostName', 'HostIP']) if (row[c] === '') delete row[c];
    // The event's own time: a file is history, not traffic arriving now.
    row.TimeGenerated = parsed.timestamp.toISOString();
    add(target, row, lineNo);
  });
  const notes: string[] = [];
  if (noPri > 0) notes.push(`${noPri} line(s) had no <PRI>: read as <13> (facility user, severity notice)`);
  notes.push(undated > 0
    ? `TimeGenerated is each line's own timestamp; ${undated} line(s) without one were stamped with the import time`
    : "TimeGenerated is each line's own timestamp");
  // Type the rows here as the server will, so a line that cannot load is named, not a whole call refused.
  const batches: { table: string; rows: unknown[]; rowNumbers: number[] }[] = [];
  for (const [name, b] of byTable) {
    const typed = typeRows(findStandardTable(name)!, b.rows, { workspaceId: 'local', receivedAt, bytes: 0 });
    const bad = new Set(typed.rejected.map((r) => r.index));
    for (const r of typed.rejected) {
      const rej: Rejection = { row: b.rowNumbers[r.index]!, problem: r.problem.replace(/^row \d+, /, '') };
      if (r.column !== undefined) rej.column = r.column;
      rejected.push(rej);
    }
    batches.push({ table: name, rows: b.rows.filter((_r, i) => !bad.has(i)), rowNumbers: b.rowNumbers.filter((_n, i) => !bad.has(i)) });
  }
  rejected.sort((a, b) => a.row - b.row);
  return { batches, rejected, notes };
}

/** The schema of the target table: standard ones are known here; custom ones are asked for, or created. */
async function resolveTable(
  api: Api,
  workspacePath: string,
  name: string,
  file: ExportFile | undefined,
  targets: Map<string, Target | { refused: string } | { problem: string }>,
): Promise<Target | { refused: string } | { problem: string }> {
  const key = name.toLowerCase();
  const known = targets.get(key);
  if (known !== undefined) return known;
  let result: Target | { refused: string } | { problem: string };
  const standard = findStandardTable(name);
  const path = `${workspacePath}/tables/${encodeURIComponent(name)}?api-version=${ARM_API}`;
  if (standard !== undefined) {
    // Microsoft's columns are known here; the server is asked only how long the table keeps rows.
    const got = await api.call('GET', path);
    result = got.status === 200 ? withRetention({ schema: standard }, got.body) : { schema: standard };
  } else if (!CUSTOM_TABLE.test(name)) result = { problem: `'${name}' is neither a standard table nor a custom table name (<letters, digits, _>_CL); give the table with --table` };
  else {
    const got = await api.call('GET', path);
    if (got.status === 200) result = withRetention({ schema: fromAzureTable(name, got.body) }, got.body);
    else if (got.status === 404 && file !== undefined) {
      const schema = customSchemaFromFile(name, file);
      const columns = schema.columns
        .filter((c) => c.name === 'TimeGenerated' || !SYSTEM_COLUMNS.some((s) => s.name === c.name))
        .map((c) => ({ name: c.name, type: c.type === 'datetime' ? 'dateTime' : c.type }));
      const put = await api.call('PUT', path, { properties: { schema: { name, columns } } });
      if (put.status === 200 || put.status === 201) result = withRetention({ schema: fromAzureTable(name, put.body), created: name }, put.body);
      else if (put.status === 400) result = { problem: `the custom table ${name} could not be created: ${errorMessage(put.body)}` };
      else result = { refused: `${put.status} ${errorCode(put.body)}: ${errorMessage(put.body)}` };
    } else result = { refused: `${got.status} ${errorCode(got.body)}: ${errorMessage(got.body)}` };
  }
  targets.set(key, result);
  return result;
}

function withRetention(target: Target, body: unknown): Target {
  const days = (body as { properties?: { totalRetentionInDays?: unknown } } | undefined)?.properties?.totalRetentionInDays;
  if (typeof days === 'number' && days > 0) target.retentionDays = days;
  return target;
}

/** A table as the tables API presents it -> a schema (Azure's type names back to ours). */
function fromAzureTable(name: string, body: unknown): TableSchema {
  const schema = (body as { name?: string; properties?: { schema?: { columns?: { name: string; type: string }[] } } }).properties?.schema;
  const columns = (schema?.columns ?? []).map((c) => ({ name: c.name, type: columnType(c.type) ?? 'string' }));
  return withSystemColumns((body as { name?: string }).name ?? name, columns, 'custom');
}

// ------------------------------------------------------------------ typed values -> JSON

/** A prepared row as JSON values the server types back exactly: datetimes as ISO, big longs as digits. */
export function toJsonRow(row: Record<string, Typed>, types: Map<string, ColumnType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const type = types.get(name);
    if (value === null) out[name] = null;
    else if (typeof value === 'bigint') {
      if (type === 'datetime') out[name] = microsToIso(value);
      else if (type === 'timespan') out[name] = ticksToTimespan(value);
      else out[name] = value.toString();
    } else if (type === 'dynamic' && typeof value === 'string') {
      // prepareRows keeps dynamic values as JSON text; the server wants the value itself.
      try {
        out[name] = JSON.parse(value);
      } catch {
        out[name] = value;
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) out[name] = String(value); // NaN, Infinity
    else out[name] = value;
  }
  return out;
}

/** Microseconds since the epoch -> ISO 8601 with microseconds (what coerce reads back exactly). */
export function microsToIso(micros: bigint): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** 100-ns ticks -> [-]d.hh:mm:ss.fffffff, exact (a number of seconds would round long spans). */
export function ticksToTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = t % 10_000_000n;
  t /= 10_000_000n;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const two = (v: bigint) => v.toString().padStart(2, '0');
  return `${neg ? '-' : ''}${d > 0n ? `${d}.` : ''}${two(h)}:${two(m)}:${two(s)}.${frac.toString().padStart(7, '0')}`;
}

// ------------------------------------------------------------------ the API

interface Api {
  call(method: string, path: string, body?: unknown, rawBody?: string): Promise<{ status: number; body: unknown }>;
}

async function signIn(url: string, tenant: string, username: string, password: string): Promise<Api> {
  const base = url.replace(/\/$/, '');
  let tokenRes: Response;
  try {
    tokenRes = await fetch(`${base}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username, password, scope: `${base}/.default` }),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new ConfigError(`Cannot reach the Vigil server at ${base}${cause}. Check --url.`);
  }
  const token = (await tokenRes.json().catch(() => ({}))) as { access_token?: string; error_description?: string };
  if (token.access_token === undefined) throw new ConfigError(`Sign-in failed: ${token.error_description ?? tokenRes.status}`);
  const authorization = `Bearer ${token.access_token}`;
  return {
    async call(method, path, body, rawBody) {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(payload === undefined ? {} : { body: payload }),
        });
        const text = await res.text();
        // Busy (429) or briefly unable to commit (503): wait as told and send the same call again.
        if ((res.status === 429 || res.status === 503) && attempt < 5) {
          const wait = Number(res.headers.get('retry-after') ?? '1');
          await new Promise((r) => setTimeout(r, Math.min(30, Number.isFinite(wait) ? wait : 1) * 1000));
          continue;
        }
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch { /* not JSON */ }
        return { status: res.status, body: parsed };
      }
    },
  };
}

function errorCode(body: unknown): string {
  return (body as { error?: { code?: string } } | undefined)?.error?.code ?? 'Error';
}

function errorMessage(body: unknown): string {
  return (body as { error?: { message?: string } } | undefined)?.error?.message ?? (typeof body === 'string' && body !== '' ? body : 'no message');
}

/** Sends rows in chunks; stops at the first refused chunk (each chunk is all or nothing). */
async function upload(
  api: Api,
  workspacePath: string,
  table: string,
  rows: unknown[],
  rowNumbers: number[],
  file: string,
  advance: (n: number) => void,
): Promise<{ loaded: number; refused?: string }> {
  const path = `${workspacePath}/tables/${encodeURIComponent(table)}/import?api-version=${IMPORT_API}`;
  let loaded = 0;
  let i = 0;
  while (i < rows.length) {
    const parts: string[] = [];
    let bytes = 2;
    const start = i;
    while (i < rows.length && parts.length < CHUNK_ROWS) {
      const json = JSON.stringify(rows[i]);
      if (parts.length > 0 && bytes + json.length + 1 > CHUNK_BYTES) break;
      parts.push(json);
      bytes += json.length + 1;
      i++;
    }
    const res = await api.call('POST', path, undefined, `[${parts.join(',')}]`);
    if (res.status !== 200) {
      let message = `${res.status} ${errorCode(res.body)}: ${errorMessage(res.body)}`;
      const target = (res.body as { error?: { target?: string } } | undefined)?.error?.target;
      const at = target === undefined ? null : /^\[(\d+)\]/.exec(target);
      if (at !== null) message += ` (row ${rowNumbers[start + Number(at[1])]} of ${file})`;
      return { loaded, refused: message };
    }
    loaded += parts.length;
    advance(parts.length);
  }
  return { loaded };
}

// ------------------------------------------------------------------ progress and summary

interface FileProgress {
  start(rows: number): void;
  advance(n: number): void;
}

/** A progress bar on a terminal; one line per file otherwise (logs, CI). */
class Progress {
  private drawn = false;
  private current = { index: 0, name: '', rows: 0, done: 0 };

  constructor(private readonly files: number, private readonly tty: boolean) {}

  forFile(index: number, name: string): FileProgress {
    this.current = { index, name, rows: 0, done: 0 };
    this.draw();
    return {
      start: (rows) => {
        this.current.rows = rows;
        this.draw();
      },
      advance: (n) => {
        this.current.done += n;
        this.draw();
      },
    };
  }

  fileDone(s: FileSummary): void {
    if (this.tty) return this.draw();
    const where = `[${this.current.index + 1}/${this.files}] ${s.file}`;
    const what = s.loaded > 0
      ? `${s.loaded} row(s) loaded into ${s.table}${s.rejected > 0 ? `, ${s.rejected} rejected` : ''}${s.refused !== undefined ? `, ${s.notSent} refused by the server` : ''}`
      : s.refused !== undefined ? `refused by the server: ${s.refused}` : `not loaded: ${s.problem ?? `${s.rejected} row(s) rejected`}`;
    process.stderr.write(`${where}: ${what}\n`);
  }

  clear(): void {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.tty) return;
    const width = 24;
    const { index, name, rows, done } = this.current;
    const share = rows === 0 ? 0 : done / rows;
    const filled = Math.round(share * width);
    const label = name.length > 40 ? `…${name.slice(-39)}` : name;
    process.stderr.write(`\r\x1b[K[${index + 1}/${this.files}] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${rows} rows  ${label}`);
    this.drawn = true;
  }
}

export function formatSummary(s: ImportSummary): string {
  const out: string[] = [];
  const rows: string[][] = [['File', 'Table', 'Loaded', 'Rejected', 'Status']];
  for (const f of s.files) {
    rows.push([f.file, f.table ?? '-', String(f.loaded), String(f.rejected), f.refused !== undefined ? 'refused by the server' : f.status]);
  }
  const width = rows[0]!.map((_h, k) => Math.min(k === 0 ? 56 : 36, Math.max(...rows.map((r) => r[k]!.length))));
  const cell = (text: string, k: number) => (text.length > width[k]! ? `${text.slice(0, width[k]! - 1)}…` : k === 2 || k === 3 ? text.padStart(width[k]!) : text.padEnd(width[k]!));
  for (const r of rows) out.push(r.map(cell).join('  ').trimEnd());
  const reasons: string[] = [];
  for (const f of s.files) {
    if (f.problem !== undefined) reasons.push(f.problem);
    if (f.refused !== undefined) reasons.push(`${f.file}: refused by the server (${f.notSent} row(s) not stored): ${f.refused}`);
    for (const r of f.rejections.slice(0, 3)) reasons.push(r.text);
    if (f.rejected > 3) reasons.push(`${f.file}: ${f.rejected - 3} more rejected row(s) (--json lists up to ${LISTED_REJECTIONS})`);
  }
  if (reasons.length > 0) out.push('', 'Not loaded:', ...reasons.map((r) => `  ${r}`));
  // Ordinary remarks (columns the store sets) and the per-file retention warnings are left to --json.
  const notes = s.files.flatMap((f) => f.notes.filter((n) => !/set by the store|older than .*'s retention/.test(n)).map((n) => `${f.file}: ${n}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
  const old = s.files.filter((f) => (f.olderThanRetention ?? 0) > 0);
  if (old.length > 0) {
    const rows = old.reduce((n, f) => n + f.olderThanRetention!, 0);
    out.push('', `Warning: ${rows} loaded row(s) of ${old.length} file(s) are older than their table's retention: the retention job will delete them. Raise the tables' totalRetentionInDays first to keep them (--json lists them per file).`);
  }
  const t = s.totals;
  out.push('', `${t.files} file(s): ${t.loadedFully} loaded fully, ${t.loadedPartly} partly, ${t.notLoaded} not loaded; ${t.rowsLoaded} row(s) loaded, ${t.rowsRejected} rejected${t.rowsNotSent > 0 ? `, ${t.rowsNotSent} refused by the server` : ''}.`);
  return `${out.join('\n')}\n`;
}
