// Turns an export's raw rows into typed rows of one table: columns matched to the schema
// (ignoring case), values coerced to the column types. A row with any value that cannot be
// coerced is rejected whole, with its number, the column and the reason: nothing half-loads.
import { coerce, parseDatetime, type Typed } from '../../logstore/coerce.ts';
import { COLUMN_NAME, SYSTEM_COLUMNS, withSystemColumns, type Column, type TableSchema } from '../../logstore/schema.ts';
import type { ExportFile } from './read-export.ts';

export interface Rejection {
  /** 1-based data row, as a user counts rows in the file (the header is not a row). */
  row: number;
  /** CSV: the line the row starts on. */
  line?: number;
  column?: string;
  problem: string;
}

export interface PreparedRows {
  rows: Record<string, Typed>[];
  /** The data row number of each prepared row (rows[i] came from row rowNumbers[i]). */
  rowNumbers: number[];
  rejected: Rejection[];
  /** Export columns not loaded: absent from the schema, or set by the store (TenantId, Type, _ResourceId...). Not an error. */
  ignoredColumns: string[];
  /** Set when the file as a whole cannot load (no TimeGenerated column, not rows, a time zone we cannot place); then rows is empty. */
  problem?: string;
  /** Plain-language remarks for the user: what was ignored and why, time zones converted. */
  notes: string[];
}

export interface PrepareOptions {
  /** When the file has no TimeGenerated column: the export column to take it from. */
  timeColumn?: string;
  /** When the file has no TimeGenerated column and no timeColumn: refuse (default) or stamp the import time. */
  missingTime?: 'reject' | 'ingestion-time';
  /** The import time, for missingTime 'ingestion-time'. */
  now?: () => Date;
}

/** Columns the store sets for the target workspace (or the export tool added): never taken from a file. */
const STORE_SET = new Set(
  [...SYSTEM_COLUMNS.map((c) => c.name), '$table', '_SubscriptionId', '_IsBillable']
    .filter((n) => n !== 'TimeGenerated')
    .map((n) => n.toLowerCase()),
);

export function isStoreSet(column: string): boolean {
  return STORE_SET.has(column.toLowerCase());
}

export function describeRejection(fileName: string, r: Rejection): string {
  return `${fileName}, row ${r.row}${r.line !== undefined ? ` (line ${r.line})` : ''}${r.column !== undefined ? `, column ${r.column}` : ''}: ${r.problem}`;
}

/**
 * A schema for a custom (`_CL`) table made from the export's own columns, all strings, plus the
 * system columns (TimeGenerated datetime). Columns whose names Log Analytics would refuse are left
 * out (they then show as ignored).
 */
export function customSchemaFromFile(table: string, file: ExportFile): TableSchema {
  const columns: Column[] = file.columns
    .filter((c) => COLUMN_NAME.test(c) && !isStoreSet(c))
    .map((name) => ({ name, type: 'string' }));
  return withSystemColumns(table, columns, 'custom');
}

export function prepareRows(file: ExportFile, schema: TableSchema, source: { fileName: string }, opts: PrepareOptions = {}): PreparedRows {
  const out: PreparedRows = { rows: [], rowNumbers: [], rejected: [], ignoredColumns: [], notes: [] };
  const fail = (problem: string): PreparedRows => ({ ...out, rows: [], rowNumbers: [], problem });
  if (file.format !== 'csv' && file.format !== 'json') {
    return fail(`${source.fileName}: ${file.reason ?? `not rows (${file.format})`}`);
  }

  // Export column -> schema column, ignoring case; the first export column wins a name.
  const bySchemaName = new Map(schema.columns.map((c) => [c.name.toLowerCase(), c]));
  const mapping: { from: string; to: Column; zone?: string }[] = [];
  const taken = new Set<string>();
  const storeSet: string[] = [];
  const unknown: string[] = [];
  for (const name of file.columns) {
    const key = name.toLowerCase();
    if (STORE_SET.has(key)) {
      storeSet.push(name);
      continue;
    }
    const column = bySchemaName.get(key);
    if (column === undefined || taken.has(key)) {
      unknown.push(name);
      continue;
    }
    taken.add(key);
    const zone = file.zones[name];
    mapping.push(zone === undefined ? { from: name, to: column } : { from: name, to: column, zone });
  }
  out.ignoredColumns = [...storeSet, ...unknown];
  if (storeSet.length > 0) out.notes.push(`ignored ${storeSet.join(', ')}: set by the store for the target workspace`);
  if (unknown.length > 0) {
    const list = unknown.length > 12 ? `${unknown.slice(0, 12).join(', ')} and ${unknown.length - 12} more` : unknown.join(', ');
    out.notes.push(`ignored ${unknown.length} column(s) that ${schema.name} does not have (not an error; the rest load): ${list}`);
  }

  // TimeGenerated: from its own column, from a column the caller names, or the import time.
  let stamp: bigint | undefined;
  if (!mapping.some((m) => m.to.name === 'TimeGenerated')) {
    if (opts.timeColumn !== undefined) {
      const from = file.columns.find((c) => c.toLowerCase() === opts.timeColumn!.toLowerCase());
      if (from === undefined) return fail(`${source.fileName} has no column ${JSON.stringify(opts.timeColumn)} to take TimeGenerated from (columns: ${file.columns.join(', ')})`);
      const zone = file.zones[from];
      const target: Column = { name: 'TimeGenerated', type: 'datetime' };
      // The named column loads as TimeGenerated and, when the schema has it, also as itself.
      mapping.unshift(zone === undefined ? { from, to: target } : { from, to: target, zone });
      out.ignoredColumns = out.ignoredColumns.filter((c) => c !== from);
      out.notes.push(`TimeGenerated taken from ${from}`);
    } else if (opts.missingTime === 'ingestion-time') {
      stamp = BigInt((opts.now?.() ?? new Date()).getTime()) * 1000n;
      out.notes.push('the file has no TimeGenerated column: every row is stamped with the import time');
    } else {
      const candidates = file.columns.filter((c) => {
        const first = file.rows.find((r) => r[c] !== undefined && r[c] !== null && r[c] !== '');
        return first !== undefined && parseDatetime(first[c]) !== undefined;
      });
      return fail(
        `${source.fileName} has no TimeGenerated column, so no row can be placed in time: name the column that holds the event time` +
          (candidates.length > 0 ? ` (these hold datetimes: ${candidates.join(', ')})` : ' (none of its columns holds datetimes)') +
          ', or import with the import time as TimeGenerated',
      );
    }
  }

  // Datetimes exported in a named time zone are converted to UTC; an unknown zone cannot be.
  const zoneIds = new Map<string, string>();
  for (const m of mapping) {
    if (m.zone === undefined || m.to.type !== 'datetime') continue;
    const id = timeZoneId(m.zone);
    if (id === undefined) {
      return fail(
        `${source.fileName}: column ${m.from} holds times in "${m.zone}", not UTC, and that zone is unknown here` +
          (/local/i.test(m.zone) ? ' (the exporting browser\'s zone is not recorded in the file)' : '') +
          ': export again with UTC times',
      );
    }
    zoneIds.set(m.from, id);
    out.notes.push(`${m.from} was exported in ${m.zone}; converted to UTC as ${id}`);
  }

  const bad = new Map(file.badRows.map((b) => [b.row, b.problem]));
  const nullTexts = new Map<string, number>();
  file.rows.forEach((raw, index) => {
    const rowNumber = index + 1;
    const line = file.lines?.[index];
    const reject = (problem: string, column?: string): void => {
      const r: Rejection = { row: rowNumber, problem };
      if (line !== undefined) r.line = line;
      if (column !== undefined) r.column = column;
      out.rejected.push(r);
    };
    const badProblem = bad.get(rowNumber);
    if (badProblem !== undefined) return reject(badProblem);
    const row: Record<string, Typed> = {};
    const failures: { column: string; reason: string }[] = [];
    const rowNullTexts: string[] = [];
    for (const m of mapping) {
      let value = raw[m.from];
      if (m.to.type !== 'string' && m.to.type !== 'dynamic' && typeof value === 'string') {
        if (value.trim().toLowerCase() === 'null') {
          // Exports write an empty number or date as the text "null": it is an empty value.
          value = null;
          rowNullTexts.push(m.from);
        } else if (m.to.type === 'datetime') value = otherDatetimeForms(value);
      }
      const result = coerce(m.to.type, value);
      if (!result.ok) {
        failures.push({ column: m.from, reason: result.reason });
        continue;
      }
      let typed = result.value;
      const zone = zoneIds.get(m.from);
      if (zone !== undefined && typeof typed === 'bigint' && !hasExplicitZone(value)) typed = wallTimeToUtc(typed, zone);
      row[m.to.name] = typed;
    }
    if (failures.length > 0) {
      const [first, ...more] = failures;
      const extra = more.length > 0 ? ` (also ${more.map((f) => f.column).join(', ')})` : '';
      return reject(`${first!.reason}${extra}`, first!.column);
    }
    if (stamp !== undefined) row.TimeGenerated = stamp;
    if (row.TimeGenerated === null || row.TimeGenerated === undefined) {
      const source = mapping.find((m) => m.to.name === 'TimeGenerated')!.from;
      return reject(source === 'TimeGenerated' ? 'no TimeGenerated' : `no TimeGenerated (${source} is empty)`, source);
    }
    for (const c of rowNullTexts) nullTexts.set(c, (nullTexts.get(c) ?? 0) + 1);
    out.rows.push(row);
    out.rowNumbers.push(rowNumber);
  });
  if (nullTexts.size > 0) {
    out.notes.push(`the text "null" in ${[...nullTexts].map(([c, n]) => `${c} (${n} row${n === 1 ? '' : 's'})`).join(', ')} was loaded as an empty value`);
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Datetime spellings seen in exported syslog columns that coerce() does not read, rewritten as ISO. */
function otherDatetimeForms(value: string): string {
  // "2011 Apr 19 17:11:12" (Cisco UCS): year, month name, day, time.
  const m = /^(\d{4}) ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?)$/.exec(value.trim());
  if (m === null) return value;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month === -1) return value;
  return `${m[1]}-${String(month + 1).padStart(2, '0')}-${m[3]!.padStart(2, '0')}T${m[4]}Z`;
}

function hasExplicitZone(value: unknown): boolean {
  return typeof value === 'string' && /(?:z|[+-]\d\d:?\d\d)\s*$/i.test(value.trim()) && /^\d{4}-/.test(value.trim());
}

// ---------------------------------------------------------------- time zones

/** The portal names zones as Windows does ("Pacific Time (US and Canada) Tijuana"); IANA ids also work. */
const WINDOWS_ZONES: [RegExp, string][] = [
  [/^pacific time.*tijuana/, 'America/Tijuana'],
  [/^pacific (standard )?time/, 'America/Los_Angeles'],
  [/^mountain (standard )?time.*arizona|^arizona/, 'America/Phoenix'],
  [/^mountain (standard )?time/, 'America/Denver'],
  [/^central (standard )?time/, 'America/Chicago'],
  [/^eastern (standard )?time/, 'America/New_York'],
  [/^atlantic (standard )?time/, 'America/Halifax'],
  [/^alaska/, 'America/Anchorage'],
  [/^hawaii/, 'Pacific/Honolulu'],
  [/^(gmt standard time|dublin|london|edinburgh)/, 'Europe/London'],
  [/^(w\.? europe|amsterdam|berlin)/, 'Europe/Berlin'],
  [/^(romance|brussels|copenhagen|madrid|paris)/, 'Europe/Paris'],
  [/^(central europe|belgrade|bratislava|budapest|prague)/, 'Europe/Budapest'],
  [/^(india|chennai|kolkata|mumbai|new delhi)/, 'Asia/Kolkata'],
  [/^(tokyo|osaka|sapporo)/, 'Asia/Tokyo'],
  [/^(aus eastern|canberra|melbourne|sydney)/, 'Australia/Sydney'],
];

/** An IANA id for a zone named in an export header, a fixed offset as Etc/GMT±h, or undefined. */
export function timeZoneId(zone: string): string | undefined {
  const text = zone.trim();
  const offset = /^\(?(?:utc|gmt)\s*([+-])(\d{1,2})(?::?(\d\d))?\)?/i.exec(text);
  if (offset !== null) {
    const rest = text.slice(offset[0].length).trim();
    if (rest !== '') {
      const named = timeZoneId(rest);
      if (named !== undefined) return named;
    }
    if ((offset[3] ?? '00') === '00') return `Etc/GMT${offset[1] === '+' ? '-' : '+'}${Number(offset[2])}`;
    return undefined;
  }
  if (text.includes('/')) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
  }
  const key = text.toLowerCase().replace(/&/g, 'and').replace(/[(),]/g, ' ').replace(/\s+/g, ' ').trim();
  return WINDOWS_ZONES.find(([re]) => re.test(key))?.[1];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** A wall-clock time in a zone (microseconds as if it were UTC) to true UTC microseconds. */
export function wallTimeToUtc(wallMicros: bigint, zone: string): bigint {
  const wallMs = Number(wallMicros / 1000n);
  const first = wallMs - offsetAt(wallMs, zone);
  const offset = offsetAt(first, zone);
  return wallMicros - BigInt(offset) * 1000n;
}
