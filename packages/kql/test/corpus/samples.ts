// The corpus's sample logs as rows of the tables they belong to.
//
//   - CSV and JSON exports are read and typed by the server's own import path (readExport +
//     prepareRows: ` [UTC]` header suffixes, `11/13/2020, 2:07:03.477 PM` times, values coerced
//     to the column types, unknown columns dropped, rows that do not coerce rejected and counted).
//   - Raw lines (.txt, extension-less) go through the server's syslog receiver parsers: files
//     under CEF/ become CommonSecurityLog rows (parseSyslog + parseCef + cefRow), the others
//     Syslog rows (parseSyslog + syslogRow). Lines arrive without their PRI on disk; they are
//     read as <134> (local0.info), and TimeGenerated is the message's own timestamp.
//   - The table of a file is INVENTORY.md's `table` column ("Syslog (vendor)" is Syslog).
//   - Custom (_CL) tables have no schema anywhere: their columns are derived from the sample
//     files that hold them (see customSchema), so that the rules reading them can compile.
//     A custom-table JSON file without TimeGenerated and without any type-suffixed column is a
//     payload as a connector posts it to the HTTP Data Collector API (SenservaPro, Cisco
//     Umbrella, Cognni...): its fields take the API's type suffixes (_s, _d, _b, _t, _g; the
//     server's toSuffixedRows), which are the names rules and parsers use.
//   - Zip archives are skipped (and listed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coerce, parseDatetime, type Typed } from '../../../server/src/logstore/coerce.ts';
import { CUSTOM_TABLE, COLUMN_NAME, findStandardTable, withSystemColumns, type Column, type ColumnType, type TableSchema } from '../../../server/src/logstore/schema.ts';
import { readExport, type ExportFile } from '../../../server/src/ingest/file-import/read-export.ts';
import { isStoreSet, prepareRows } from '../../../server/src/ingest/file-import/prepare-rows.ts';
import { parseCef } from '../../../server/src/ingest/syslog/parse-cef.ts';
import { parseSyslog } from '../../../server/src/ingest/syslog/parse-syslog.ts';
import { cefRow, syslogRow } from '../../../server/src/ingest/syslog/to-rows.ts';
import { toSuffixedRows } from '../../../server/src/ingest/data-collector.ts';

export interface SampleFileReport {
  path: string;
  table: string;
  format: string;
  rows: number;
  rejected: number;
  /** Why the file loaded nothing, or what was skipped. */
  problem?: string;
  /** First rejection reasons, for the report. */
  examples: string[];
}

export interface SampleTable {
  schema: TableSchema;
  /** Typed rows as the log store holds them (datetime: µs since the epoch as bigint; dynamic: JSON text). */
  rows: Record<string, Typed>[];
  /** Latest TimeGenerated among the rows (µs), if any. */
  maxTime?: bigint;
}

export interface LoadedSamples {
  tables: Map<string, SampleTable>;
  files: SampleFileReport[];
}

interface InventoryEntry {
  path: string;
  table: string;
  format: string;
}

/** `copied_to` files of INVENTORY.md with their table. */
function inventory(root: string): InventoryEntry[] {
  const text = readFileSync(join(root, 'INVENTORY.md'), 'utf8');
  const out: InventoryEntry[] = [];
  // Some rows span two lines (a newline inside the format cell): join them first.
  const rows = text.replace(/\n(?!\|)/g, ' ').split('\n');
  for (const line of rows) {
    const cells = line.split('|').map((c) => c.trim());
    const copied = cells[7] ?? '';
    if (!copied.startsWith('sample-data/')) continue;
    const table = (cells[6] ?? '').replace(/\s*\(.*\)$/, '').replace(/\/.*$/, '').trim();
    out.push({ path: copied.slice('sample-data/'.length), table, format: cells[3] ?? '' });
  }
  return out;
}

const SUFFIX_TYPES: Record<string, ColumnType> = { s: 'string', d: 'real', b: 'bool', t: 'datetime', g: 'guid' };

/**
 * Column types of a custom table from the export: Log Analytics' HTTP Data Collector suffixes
 * (`_s` string, `_d` real, `_b` bool, `_t` datetime, `_g` guid) where a name carries one,
 * otherwise what every value of the column agrees on (JSON objects/arrays dynamic, whole numbers
 * long, numbers real, true/false bool, datetimes for columns named like times), else string. A
 * type that any value fails to take falls back to string.
 */
function customColumns(files: ExportFile[]): Column[] {
  const order: string[] = [];
  const values = new Map<string, unknown[]>();
  for (const f of files) {
    for (const c of f.columns) {
      if (!COLUMN_NAME.test(c) || isStoreSet(c)) continue;
      // Names differing only in case are one column to the store (DuckDB folds case).
      if (!values.has(c) && order.some((o) => o.toLowerCase() === c.toLowerCase())) continue;
      if (!values.has(c)) { values.set(c, []); order.push(c); }
      const list = values.get(c)!;
      for (const r of f.rows) {
        const v = r[c];
        if (v !== undefined && v !== null && v !== '') list.push(v);
      }
    }
  }
  return order.map((name) => {
    const vs = values.get(name)!;
    const fits = (type: ColumnType) => vs.every((v) => coerce(type, v).ok);
    const suffix = /_([sdbtg])$/.exec(name)?.[1];
    let type: ColumnType = 'string';
    if (name === 'TimeGenerated') type = 'datetime';
    else if (suffix !== undefined) type = SUFFIX_TYPES[suffix]!;
    else if (vs.length > 0 && vs.every((v) => typeof v === 'object')) type = 'dynamic';
    else if (vs.length > 0 && vs.every((v) => typeof v === 'boolean')) type = 'bool';
    else if (vs.length > 0 && vs.every((v) => typeof v === 'number')) type = vs.every((v) => Number.isInteger(v)) ? 'long' : 'real';
    else if (vs.length > 0 && /time|date/i.test(name) && fits('datetime')) type = 'datetime';
    if (type !== 'string' && !fits(type)) type = 'string';
    return { name, type };
  });
}

function tableOf(name: string): string {
  return findStandardTable(name)?.name ?? name;
}

/**
 * When a file or line carries no event time at all: the corpus snapshot's date stands for the
 * import time. Rows stamped so do not count towards a table's latest time (see maxTime).
 */
export const IMPORT_TIME = new Date('2022-08-10T00:00:00Z');
const IMPORT_MICROS = BigInt(IMPORT_TIME.getTime()) * 1000n;

const LINE_CONTEXT = { receivedAt: IMPORT_TIME, sourceIp: '192.0.2.7', collectorHostName: 'vigil-collector' };

/**
 * An export without TimeGenerated loads as `vigil import --time-column` would have it: from the
 * first column holding datetimes; with none, every row takes the import time.
 */
function timeOptions(file: ExportFile): { timeColumn: string } | { missingTime: 'ingestion-time'; now: () => Date } | Record<string, never> {
  if (file.columns.some((c) => c.toLowerCase() === 'timegenerated')) return {};
  const candidate = file.columns.find((c) => {
    const first = file.rows.find((r) => r[c] !== undefined && r[c] !== null && r[c] !== '');
    return first !== undefined && typeof first[c] === 'string' && parseDatetime(first[c]) !== undefined;
  });
  return candidate !== undefined ? { timeColumn: candidate } : { missingTime: 'ingestion-time', now: () => IMPORT_TIME };
}

/** Fields as a connector sends them: no TimeGenerated, no column carrying a type suffix. */
function isPayload(file: ExportFile): boolean {
  return file.format === 'json' && !file.columns.some((c) => c.toLowerCase() === 'timegenerated' || /_[sdbtg]$/.test(c));
}

/** A payload file as the Data Collector API stores it: suffixed columns, TimeGenerated from the first datetime field. */
function asDataCollectorRows(file: ExportFile): ExportFile {
  const time = timeOptions(file);
  const { rows, columns } = toSuffixedRows(file.rows, 'timeColumn' in time ? time.timeColumn : undefined);
  const names = [...('timeColumn' in time ? ['TimeGenerated'] : []), ...columns.keys()];
  return { ...file, columns: names, rows, zones: {}, notes: [...file.notes, 'loaded as HTTP Data Collector API records (type-suffixed columns)'] };
}

/** Raw syslog / CEF lines -> untyped rows of Syslog or CommonSecurityLog. */
function rawLineRows(text: string, cef: boolean): { rows: Record<string, unknown>[]; rejected: string[] } {
  const rows: Record<string, unknown>[] = [];
  const rejected: string[] = [];
  text.split(/\r?\n/).filter((l) => l.trim() !== '').forEach((line, n) => {
    const p = parseSyslog(/^<\d{1,3}>/.test(line) ? line : `<134>${line}`, LINE_CONTEXT);
    if ('error' in p) { rejected.push(`line ${n + 1}: ${p.error}`); return; }
    const ctx = { ...LINE_CONTEXT, receivedAt: p.timestamp };
    if (cef) {
      const c = parseCef(p.message);
      if ('error' in c) { rejected.push(`line ${n + 1}: ${c.error}`); return; }
      rows.push(cefRow(c, p, ctx));
    } else {
      rows.push(syslogRow(p, ctx));
    }
  });
  return { rows, rejected };
}

export function loadSamples(root: string): LoadedSamples {
  const entries = inventory(root);
  const files: SampleFileReport[] = [];
  const parsed: { entry: InventoryEntry; file?: ExportFile; lines?: { rows: Record<string, unknown>[]; rejected: string[] } }[] = [];
  for (const entry of entries) {
    const table = tableOf(entry.table);
    const text = readFileSync(join(root, entry.path), 'latin1').startsWith('PK') ? undefined : readFileSync(join(root, entry.path), 'utf8');
    if (text === undefined) {
      files.push({ path: entry.path, table, format: 'zip', rows: 0, rejected: 0, problem: 'a zip archive: skipped', examples: [] });
      continue;
    }
    const file = readExport({ name: entry.path, text });
    if (file.format === 'raw-lines') {
      parsed.push({ entry: { ...entry, table }, lines: rawLineRows(text, /^CEF\//.test(entry.path) || table === 'CommonSecurityLog') });
    } else if (file.format === 'csv' || file.format === 'json') {
      parsed.push({ entry: { ...entry, table }, file: CUSTOM_TABLE.test(table) && isPayload(file) ? asDataCollectorRows(file) : file });
    } else {
      files.push({ path: entry.path, table, format: file.format, rows: 0, rejected: 0, problem: file.reason ?? 'not rows', examples: [] });
    }
  }

  // Schemas: standard ones from the catalogue; custom ones from every file that holds the table.
  const schemas = new Map<string, TableSchema>();
  const byTable = new Map<string, ExportFile[]>();
  for (const p of parsed) {
    if (p.file !== undefined) byTable.set(p.entry.table, [...(byTable.get(p.entry.table) ?? []), p.file]);
  }
  for (const p of parsed) {
    const name = p.entry.table;
    if (schemas.has(name.toLowerCase())) continue;
    const standard = findStandardTable(name);
    if (standard !== undefined) schemas.set(name.toLowerCase(), standard);
    else if (CUSTOM_TABLE.test(name)) schemas.set(name.toLowerCase(), withSystemColumns(name, customColumns(byTable.get(name) ?? []), 'custom'));
  }

  const tables = new Map<string, SampleTable>();
  for (const p of parsed) {
    const schema = schemas.get(p.entry.table.toLowerCase());
    const report: SampleFileReport = { path: p.entry.path, table: p.entry.table, format: p.file?.format ?? 'raw-lines', rows: 0, rejected: 0, examples: [] };
    files.push(report);
    if (schema === undefined) {
      report.problem = `no schema for table ${p.entry.table}`;
      continue;
    }
    let typed: Record<string, Typed>[] = [];
    if (p.file !== undefined) {
      const options = timeOptions(p.file);
      const prepared = prepareRows(p.file, schema, { fileName: p.entry.path }, options);
      if (prepared.problem !== undefined) report.problem = prepared.problem;
      else if ('timeColumn' in options) report.problem = `no TimeGenerated: taken from ${options.timeColumn}`;
      else if ('missingTime' in options) report.problem = 'no TimeGenerated nor any datetime column: rows stamped with the import time';
      typed = prepared.rows;
      report.rejected = prepared.rejected.length;
      report.examples = prepared.rejected.slice(0, 3).map((r) => `row ${r.row}${r.column ? ` ${r.column}` : ''}: ${r.problem}`);
    } else {
      report.rejected = p.lines!.rejected.length;
      report.examples = p.lines!.rejected.slice(0, 3);
      for (const raw of p.lines!.rows) {
        const row: Record<string, Typed> = {};
        let problem: string | undefined;
        for (const [name, value] of Object.entries(raw)) {
          const column = schema.columns.find((c) => c.name === name);
          if (column === undefined) continue;
          const r = coerce(column.type, value);
          if (r.ok) row[column.name] = r.value;
          else problem ??= `${name}: ${r.reason}`;
        }
        if (problem !== undefined) {
          report.rejected++;
          if (report.examples.length < 3) report.examples.push(problem);
        } else typed.push(row);
      }
    }
    // The store's own columns, as ingestion sets them.
    for (const row of typed) row['Type'] = schema.name;
    report.rows = typed.length;
    let table = tables.get(schema.name.toLowerCase());
    if (table === undefined) {
      table = { schema, rows: [] };
      tables.set(schema.name.toLowerCase(), table);
    }
    for (const row of typed) {
      table.rows.push(row);
      const t = row['TimeGenerated'];
      if (typeof t === 'bigint' && t !== IMPORT_MICROS && (table.maxTime === undefined || t > table.maxTime)) table.maxTime = t;
    }
  }
  return { tables, files };
}
