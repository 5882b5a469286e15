// What `vigil import` reports: per file and in total, as text for people or JSON (--json), and the
// exit code that goes with it.
import type { ExportFile } from '../../server/src/ingest/file-import/read-export.ts';

/** Rejections listed per file in the summary (the count is always complete). */
export const LISTED_REJECTIONS = 100;

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

/** 0 everything loaded; 1 something was rejected (the rest loaded); 3 the server refused a chunk. */
export function exitCode(summary: ImportSummary): number {
  if (summary.totals.refusedFiles > 0) return 3;
  return summary.files.every((f) => f.status === 'loaded') ? 0 : 1;
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
