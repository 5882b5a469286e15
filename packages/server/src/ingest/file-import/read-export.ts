// Reads a file a user exported from Log Analytics (the portal's "Export to CSV", or query
// results saved as JSON) into columns and rows of raw values, before any schema is involved.
// Raw syslog/CEF text and archives are recognised and named so the caller can route them.
import { CUSTOM_TABLE, findStandardTable, standardTables } from '../../logstore/schema.ts';

export type ExportFormat = 'csv' | 'json' | 'raw-lines' | 'unsupported';

export interface RowProblem {
  /** 1-based data row (the header is not a row), as a user counts rows in the file. */
  row: number;
  problem: string;
}

export interface ExportFile {
  format: ExportFormat;
  /** Why the file is not rows (raw-lines, unsupported). */
  reason?: string;
  /** Header names without the ` [UTC]` / ` [Local Time]` / ` [<time zone>]` suffix, BOM and outer spaces. */
  columns: string[];
  /** rows[i] is data row i + 1. A row listed in badRows is kept in place (possibly partial) so numbers hold. */
  rows: Record<string, unknown>[];
  /** The target table: from a Type/$table column when every row agrees, else from the file or folder name. */
  tableHint?: string;
  tableHintFrom?: 'column' | 'name';
  /** Rows the reader could not split properly (a CSV row with the wrong number of fields, a JSON element that is not an object). */
  badRows: RowProblem[];
  /** CSV: the physical line (1-based) each data row starts on, for messages. */
  lines?: number[];
  /** Columns whose header named a time zone other than UTC (column -> zone text, e.g. "Local Time"). */
  zones: Record<string, string>;
  /** Things worth telling the user that are not errors (duplicate headers, blank lines skipped). */
  notes: string[];
}

export interface ReadOptions {
  format?: 'csv' | 'json' | 'auto';
}

export const RAW_LINES_REASON = 'raw log lines: import through the syslog/CEF path';

/** Folder names used by Microsoft's sample data that are not table names themselves. */
const FOLDER_TABLES: Record<string, string> = { cef: 'CommonSecurityLog' };

export function readExport(input: { name: string; text: string }, opts: ReadOptions = {}): ExportFile {
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text;
  const format = opts.format ?? 'auto';
  let file: ExportFile;
  if (format === 'csv') file = readCsv(text);
  else if (format === 'json') file = readJson(text);
  else file = sniff(input.name, text);
  if (file.format === 'csv' || file.format === 'json') {
    const hint = hintFromColumn(file) ?? hintFromName(input.name);
    if (hint !== undefined) {
      file.tableHint = hint.table;
      file.tableHintFrom = hint.from;
    }
  } else if (file.format === 'raw-lines') {
    const hint = hintFromName(input.name);
    if (hint !== undefined) {
      file.tableHint = hint.table;
      file.tableHintFrom = hint.from;
    }
  }
  return file;
}

function empty(format: ExportFormat, reason?: string): ExportFile {
  const file: ExportFile = { format, columns: [], rows: [], badRows: [], zones: {}, notes: [] };
  if (reason !== undefined) file.reason = reason;
  return file;
}

function extension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

const SYSLOG_LINE = [
  /^<\d{1,3}>/, // PRI
  /^(CEF|LEEF):\s?\d/, // bare CEF/LEEF
  /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /, // RFC 3164 timestamp
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S* \S+ /, // RFC 5424-style timestamp then host
];

function looksLikeLogLine(line: string): boolean {
  return SYSLOG_LINE.some((re) => re.test(line)) || /\bCEF:\s?\d\|/.test(line.slice(0, 200));
}

function firstLine(text: string): string {
  for (const line of text.split(/\r?\n|\r/, 20)) if (line.trim() !== '') return line.trim();
  return '';
}

function sniff(name: string, text: string): ExportFile {
  const head = text.slice(0, 4096);
  if (head.startsWith('PK\u0003\u0004') || head.startsWith('PK\u0005\u0006')) {
    return empty('unsupported', 'a zip archive: unpack it and import the files inside one by one');
  }
  if (head.startsWith('\u001f\ufffd') || head.includes('\u0000') || (head.match(/\ufffd/g)?.length ?? 0) > 8) {
    return empty('unsupported', 'a binary file (not text): import CSV or JSON exports, or raw log lines');
  }
  const first = firstLine(text);
  if (first === '') return empty('unsupported', 'the file is empty');
  const ext = extension(name);
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson' || first.startsWith('[') || first.startsWith('{')) {
    return readJson(text);
  }
  if (looksLikeLogLine(first)) return empty('raw-lines', RAW_LINES_REASON);
  if (ext === 'csv' || ext === 'tsv') return readCsv(text);
  if (ext === 'txt' || ext === 'log') return empty('raw-lines', RAW_LINES_REASON);
  // Unknown extension: a CSV only when the first two records agree on a field count above one.
  const probe = parseCsv(text.slice(0, 65536), 2);
  const [a, b] = probe.records;
  if (probe.error === undefined && a !== undefined && b !== undefined && a.fields.length > 1 && a.fields.length === b.fields.length) {
    return readCsv(text);
  }
  return empty('unsupported', `not a CSV or JSON export, nor log lines (the file starts ${JSON.stringify(first.slice(0, 40))})`);
}

// ---------------------------------------------------------------- headers

const SUFFIX = /\s*\[([^\]]*)\]\s*$/;

/** Strips BOM, spaces and a trailing `[UTC]`-style suffix; returns the zone when it is not UTC. */
export function cleanHeader(raw: string): { name: string; zone?: string } {
  let name = raw.replace(/^\uFEFF/, '').trim();
  const m = SUFFIX.exec(name);
  if (m === null || m.index === 0) return { name };
  name = name.slice(0, m.index).trim();
  const zone = m[1]!.trim();
  return /^(utc|gmt|z|coordinated universal time)$/i.test(zone) ? { name } : { name, zone };
}

function setColumns(file: ExportFile, raw: string[]): string[] {
  const seen = new Map<string, number>();
  const names: string[] = [];
  raw.forEach((header, i) => {
    const { name: clean, zone } = cleanHeader(header);
    let name = clean === '' ? `Column${i + 1}` : clean;
    if (clean === '') file.notes.push(`column ${i + 1} has no header; it is called ${name}`);
    const key = name.toLowerCase();
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) {
      const renamed = `${name}_${count + 1}`;
      file.notes.push(`the header ${JSON.stringify(header)} appears more than once; the copy in column ${i + 1} is called ${renamed}`);
      name = renamed;
    }
    if (zone !== undefined) file.zones[name] = zone;
    names.push(name);
  });
  return names;
}

// ---------------------------------------------------------------- CSV

interface CsvRecord {
  fields: string[];
  line: number;
}

interface CsvParse {
  records: CsvRecord[];
  error?: string;
}

/**
 * RFC 4180: comma-separated, fields optionally in double quotes, `""` for a quote inside quotes,
 * line breaks (CRLF, LF or CR) inside quotes belong to the field. Lenient where Excel is: a quote
 * in the middle of an unquoted field is an ordinary character. Strict where data would be lost:
 * an unclosed quote, or text after a closing quote, is an error naming the line and column.
 */
function parseCsv(text: string, limit = Infinity): CsvParse {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let col = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ fields, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < n && records.length < limit) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const openLine = line;
      const openCol = col;
      i++;
      col++;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            col += 2;
            continue;
          }
          i++;
          col++;
          closed = true;
          break;
        }
        if (q === '\r' || q === '\n') {
          if (q === '\r' && text[i + 1] === '\n') {
            field += '\r\n';
            i++;
          } else field += q;
          i++;
          line++;
          col = 1;
          continue;
        }
        field += q;
        i++;
        col++;
      }
      if (!closed) return { records, error: `line ${openLine}, column ${openCol}: a quoted field is never closed (the quote opened there runs to the end of the file)` };
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        return { records, error: `line ${line}, column ${col}: unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")` };
      }
      // A quoted empty field must still count as a field even though `field` is ''.
      if (next === undefined) {
        endRecord();
        break;
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      i++;
      col++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      col = 1;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
    col++;
  }
  // The last record when the text does not end with a line break (a quoted last field was ended above).
  if (records.length < limit && (field !== '' || fields.length > 0)) endRecord();
  return { records };
}

function readCsv(text: string): ExportFile {
  const parsed = parseCsv(text);
  if (parsed.error !== undefined) return empty('unsupported', `broken CSV: ${parsed.error}`);
  // Blank lines (a record of one empty field) carry nothing: skip them, wherever they are.
  const blank = (r: CsvRecord): boolean => r.fields.length === 1 && r.fields[0] === '';
  const records = parsed.records;
  const headerAt = records.findIndex((r) => !blank(r));
  if (headerAt === -1) return empty('unsupported', 'the file is empty');
  const file = empty('csv');
  const header = records[headerAt]!;
  file.columns = setColumns(file, header.fields);
  const lines: number[] = [];
  let skipped = 0;
  for (const record of records.slice(headerAt + 1)) {
    if (blank(record)) {
      skipped++;
      continue;
    }
    const row: Record<string, unknown> = {};
    const width = Math.min(record.fields.length, file.columns.length);
    for (let k = 0; k < width; k++) row[file.columns[k]!] = record.fields[k];
    file.rows.push(row);
    lines.push(record.line);
    if (record.fields.length !== file.columns.length) {
      const more = record.fields.length > file.columns.length;
      file.badRows.push({
        row: file.rows.length,
        problem: `line ${record.line}: ${record.fields.length} fields where the header has ${file.columns.length}${more ? ' (too many: an unquoted comma?)' : ' (too few: a cut or unquoted line break?)'}`,
      });
    }
  }
  // Trailing blank lines are normal; blank lines inside the data are worth a word.
  const trailing = records.length - 1 - [...records].reverse().findIndex((r) => !blank(r));
  const inner = skipped - (records.length - 1 - trailing);
  if (inner > 0) file.notes.push(`${inner} blank line(s) between rows were skipped`);
  file.lines = lines;
  return file;
}

// ---------------------------------------------------------------- JSON

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${col}`;
}

function jsonError(text: string, err: unknown, lineOffset = 0): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(message);
  const where = m !== null ? position(text, Number(m[1])) : `line ${text.split('\n').length} (end of the text)`;
  const adjusted = lineOffset === 0 ? where : where.replace(/line (\d+)/, (_s, l: string) => `line ${Number(l) + lineOffset}`);
  return `${adjusted}: ${message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}

function readJson(text: string): ExportFile {
  const trimmed = text.trim();
  if (trimmed === '') return empty('unsupported', 'the file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // One JSON object per line (JSON lines) fails as a whole document; try it line by line.
    if (trimmed.startsWith('{')) {
      const lines = readJsonLines(text);
      if (lines !== undefined) return lines;
    }
    return empty('unsupported', `broken JSON: ${jsonError(text, err)}`);
  }
  if (Array.isArray(value)) return fromObjects(value, 'element');
  if (value !== null && typeof value === 'object') return fromObjects([value], 'element');
  return empty('unsupported', `the JSON is a ${value === null ? 'null' : typeof value}, not an array of row objects`);
}

/** JSON lines, or undefined when the first line is not a whole object (then it is broken JSON). */
function readJsonLines(text: string): ExportFile | undefined {
  const lines = text.split(/\r?\n/);
  const values: unknown[] = [];
  let firstParsed = false;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
      firstParsed = true;
    } catch (err) {
      if (!firstParsed) return undefined;
      return empty('unsupported', `broken JSON lines: ${jsonError(line, err, k)}`);
    }
  }
  return fromObjects(values, 'line');
}

function fromObjects(values: unknown[], unit: 'element' | 'line'): ExportFile {
  const file = empty('json');
  const order: string[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    for (const k of Object.keys(v)) if (!seen.has(k)) {
      seen.add(k);
      order.push(k);
    }
  }
  file.columns = setColumns(file, order);
  const rename = new Map(order.map((k, i) => [k, file.columns[i]!]));
  values.forEach((v, i) => {
    const row: Record<string, unknown> = {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      file.badRows.push({ row: i + 1, problem: `${unit} ${i + 1} is ${Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`}, not a row object` });
    } else {
      for (const [k, x] of Object.entries(v)) row[rename.get(k)!] = x;
    }
    file.rows.push(row);
  });
  return file;
}

// ---------------------------------------------------------------- table hint

function isTableName(name: string): string | undefined {
  if (CUSTOM_TABLE.test(name)) return name;
  return findStandardTable(name)?.name;
}

function hintFromColumn(file: ExportFile): { table: string; from: 'column' } | undefined {
  for (const col of ['$table', 'Type']) {
    const column = file.columns.find((c) => c.toLowerCase() === col.toLowerCase());
    if (column === undefined) continue;
    const values = new Set<string>();
    for (const row of file.rows) {
      const v = row[column];
      if (typeof v === 'string' && v.trim() !== '') values.add(v.trim());
    }
    if (values.size !== 1) continue;
    const table = isTableName([...values][0]!);
    if (table !== undefined) return { table, from: 'column' };
  }
  return undefined;
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

let normalised: Map<string, string> | undefined;

function standardByNormalisedName(key: string): string | undefined {
  if (normalised === undefined) {
    normalised = new Map();
    for (const table of standardTables().values()) normalised.set(norm(table.name), table.name);
  }
  return normalised.get(key);
}

/**
 * From the name, as Microsoft's sample data is laid out: a `..._CL` file name is that custom
 * table; a file named after a standard table (ignoring case, `_`/`-`, and trailing words such as
 * `office_activity_inbox_rule`) is that table; a name with the word `CEF` is CommonSecurityLog;
 * else the nearest folder named after a table (a `CEF` folder meaning CommonSecurityLog).
 */
export function hintFromName(path: string): { table: string; from: 'name' } | undefined {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const base = (parts.pop() ?? '').replace(/\.[^.]*$/, '').replace(/\.[^.]*$/, '');
  const custom = /^(.*?_CL)(?:[^A-Za-z0-9]|$)/.exec(base);
  if (custom !== null && CUSTOM_TABLE.test(custom[1]!)) return { table: custom[1]!, from: 'name' };
  const words = base.split(/[_\-\s.]+/).filter((w) => w !== '');
  for (let k = words.length; k > 0; k--) {
    const table = standardByNormalisedName(norm(words.slice(0, k).join('')));
    if (table !== undefined) return { table, from: 'name' };
  }
  for (const word of words) {
    const table = FOLDER_TABLES[word.toLowerCase()];
    if (table !== undefined) return { table, from: 'name' };
  }
  for (const folder of parts.reverse()) {
    const table = FOLDER_TABLES[folder.toLowerCase()] ?? findStandardTable(folder)?.name;
    if (table !== undefined) return { table, from: 'name' };
  }
  return undefined;
}
