// Raw syslog/CEF line files, read as the syslog collector reads lines off the wire.
import { hostname } from 'node:os';
import type { Rejection } from '../../server/src/ingest/file-import/prepare-rows.ts';
import { parseSyslog } from '../../server/src/ingest/syslog/parse-syslog.ts';
import { parseCef } from '../../server/src/ingest/syslog/parse-cef.ts';
import { cefRow, syslogRow, type RowContext } from '../../server/src/ingest/syslog/to-rows.ts';
import { typeRows } from '../../server/src/ingest/type-rows.ts';
import { findStandardTable } from '../../server/src/logstore/schema.ts';

/** Raw syslog/CEF lines -> Syslog and CommonSecurityLog rows, as the syslog collector makes them. */
export function rawLineRows(path: string, text: string, table: string | undefined):
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
