// Export of a result table as CSV (RFC 4180): a header of column names, every field quoted when
// it holds a comma, a quote or a line break (quotes doubled), CRLF line ends, UTF-8 with a byte
// order mark so that spreadsheet programs read the accents right. Values as the grid shows them,
// but datetime in full ISO 8601 and dynamic as its JSON text.
import type { QueryTable } from '../../api/query.ts';

function field(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(table: QueryTable): string {
  const lines = [table.columns.map((c) => field(c.name)).join(',')];
  for (const row of table.rows) lines.push(row.map(field).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Saves `table` as a CSV file through the browser's download. */
export function downloadCsv(table: QueryTable, fileName: string): void {
  const blob = new Blob(['\uFEFF', toCsv(table)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
