// A watchlist's rawContent (CSV or TSV text, as Sentinel takes it) -> its columns and items.
// All or nothing: every bad line is reported, with its line number in the text as sent and
// why, and no item comes out of content with any bad line. Splitting fields is csv-parse's
// (RFC 4180: quotes, "" inside quotes, line breaks inside quotes); what a line means is ours.
import { parse, CsvError } from 'csv-parse/sync';
import { ApiError } from '../errors.ts';

export interface WatchlistContent {
  /** The header's column names, in order. */
  columns: string[];
  /** One per data line, in order: the line it starts on and its fields by column. */
  items: { line: number; fields: Record<string, string> }[];
}

export interface ContentOptions {
  /** 'text/csv' or 'text/tsv' (any case, parameters such as charset ignored). */
  contentType: string;
  /** Lines before the header (a title, a comment) that are not data. */
  numberOfLinesToSkip: number;
  /** The column that keys items (properties.itemsSearchKey): must be in the header. */
  searchKey: string;
}

/** At most this many problems are listed in the message (all are in the error's details). */
const LISTED = 20;

/** The delimiter a content type means, or undefined when it is not one Sentinel takes. */
export function delimiterOf(contentType: string): ',' | '\t' | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'text/csv' ? ',' : type === 'text/tsv' ? '\t' : undefined;
}

export function parseWatchlistContent(raw: string, options: ContentOptions): WatchlistContent {
  const delimiter = delimiterOf(options.contentType);
  if (delimiter === undefined) {
    throw new ApiError('InvalidParameter', `properties.contentType '${options.contentType}' is not a content type watchlists take: use 'text/csv' (or 'text/tsv' for tab-separated text).`, { target: 'properties.contentType' });
  }
  const kind = delimiter === ',' ? 'CSV' : 'TSV';
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const skip = options.numberOfLinesToSkip;
  if (text.trim() === '') {
    throw new ApiError('InvalidParameter', `properties.rawContent is empty: a watchlist's ${kind} needs a header line naming its columns (one of them '${options.searchKey}', the itemsSearchKey) and a line per item. Send the file's text, or leave rawContent out to create an empty watchlist and add items through watchlistItems.`, { target: 'properties.rawContent' });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter, info: true, relax_column_count: true, skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'], from_line: skip + 1,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = errorLine(text, error);
      throw new ApiError('InvalidParameter', `properties.rawContent is not valid ${kind}${line !== undefined ? ` at line ${line}` : ''}: ${csvReason(error)}. Nothing was saved; fix the text and send it again.`, { target: 'properties.rawContent' });
    }
    throw error;
  }
  // Each record starts on the line after the previous one ended (info.lines is where it ends).
  let nextLine = skip + 1;
  const lines = records.map((r) => {
    const start = nextLine;
    nextLine = r.info.lines + 1;
    return { line: start, fields: r.record };
  }).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  const header = lines[0];
  if (header === undefined) {
    throw new ApiError('InvalidParameter', `properties.rawContent has no header line: all ${skip} line(s) were skipped (numberOfLinesToSkip) or blank. Lower numberOfLinesToSkip, or send content with a header naming its columns.`, { target: 'properties.rawContent' });
  }
  const problems: string[] = [];
  const columns = header.fields.map((c) => c.trim());
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c === '') problems.push(`line ${header.line}: column ${i + 1} of the header has no name`);
    else if (seen.has(c.toLowerCase())) problems.push(`line ${header.line}: column '${c}' appears twice in the header (columns ${seen.get(c.toLowerCase())! + 1} and ${i + 1}); names must be unique, whatever their case`);
    else seen.set(c.toLowerCase(), i);
  });
  if (!columns.includes(options.searchKey)) {
    const near = columns.find((c) => c.toLowerCase() === options.searchKey.toLowerCase());
    problems.push(`line ${header.line}: the header has no column '${options.searchKey}', the itemsSearchKey${near !== undefined ? ` (it has '${near}': names are matched exactly)` : ''}; its columns are ${columns.map((c) => `'${c}'`).join(', ')}`);
  }
  const items: WatchlistContent['items'] = [];
  for (const { line, fields } of lines.slice(1)) {
    if (fields.length !== columns.length) {
      const more = fields.length > columns.length;
      problems.push(`line ${line}: ${fields.length} field(s) where the header has ${columns.length}${more ? ` (too many: an unquoted '${delimiter === ',' ? ',' : '\\t'}' inside a value? Quote that value)` : ' (too few: a cut line, or a line break inside an unquoted value?)'}`);
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => { row[c] = fields[i]!; });
    items.push({ line, fields: row });
  }
  if (lines.length === 1) {
    problems.push(`line ${header.line}: the header is the last line; there are no items after it (leave rawContent out to create an empty watchlist)`);
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED).join('; ');
    const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more (all in details)` : '';
    throw new ApiError('InvalidParameter', `properties.rawContent has ${problems.length} problem(s), so nothing was saved: ${listed}${more}. Fix these lines and send the whole content again.`, {
      target: 'properties.rawContent',
      details: problems.map((message) => ({ code: 'InvalidWatchlistLine', message, target: 'properties.rawContent' })),
    });
  }
  return { columns, items };
}

/** csv-parse's message without its own line number (ours is in front) and library wording. */
function csvReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': return 'a quoted value is never closed (a missing closing \'"\')';
    case 'CSV_INVALID_CLOSING_QUOTE': return 'text follows a closing quote (inside a quoted value, write a quote as "")';
    default: return error.message.replace(/\s*at line \d+/, '');
  }
}

/**
 * The line a CSV error is on. An unclosed quote is only found at the end of the text: the line
 * that matters is the one its record starts on, just after the last complete record.
 */
function errorLine(text: string, error: CsvError): number | undefined {
  const e = error as CsvError & { lines?: number; bytes_records?: number };
  if (error.code === 'CSV_QUOTE_NOT_CLOSED' && e.bytes_records !== undefined) {
    const before = Buffer.from(text, 'utf8').subarray(0, e.bytes_records).toString('utf8');
    return (before.match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
  }
  return e.lines;
}
