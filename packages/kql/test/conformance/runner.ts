// The documentation conformance run: every self-contained example of Microsoft's KQL reference
// (../shared/corpus/kql-docs/cases.jsonl) compiled and run on DuckDB, its result compared with
// the table the page prints. The figures say how much of documented Kusto behaves as documented.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileQuery, KqlError, type KqlColumn } from '../../src/index.ts';
import { duckdb } from '../../src/sql/duckdb.ts';
import { FixtureEngine } from '../fixture-engine.ts';
import { cellMatches, cleanExpected, displayCell, type Cell } from './cells.ts';

export interface ConformanceCase {
  id: string;
  page: string;
  query: string;
  columns: string[];
  rows: string[][];
  ordered: boolean;
  category: string;
}

export interface CaseResult {
  id: string;
  category: string;
  status: 'passed' | 'failed' | 'doc-error';
  /** Why it failed (the compile error, or the first cell that differs); for doc errors, the docs' mistake. */
  reason?: string;
}

export interface ConformanceResult {
  cases: number;
  passed: number;
  failed: number;
  /** Cases whose documented output is provably wrong (known-doc-errors.json), counted apart. */
  docErrors: number;
  byCategory: Record<string, { passed: number; total: number }>;
  results: CaseResult[];
}

export const DEFAULT_CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/kql-docs/cases.jsonl', import.meta.url));
const KNOWN_DOC_ERRORS = fileURLToPath(new URL('./known-doc-errors.json', import.meta.url));

export function loadCases(path = DEFAULT_CORPUS): ConformanceCase[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ConformanceCase);
}

function knownDocErrors(): Record<string, string> {
  if (!existsSync(KNOWN_DOC_ERRORS)) return {};
  return JSON.parse(readFileSync(KNOWN_DOC_ERRORS, 'utf8')) as Record<string, string>;
}

/** The SELECT list that reads a column exactly: µs for datetimes (JS Dates stop at ms), JSON text for dynamic. */
function exactColumn(c: KqlColumn): string {
  const id = duckdb.ident(c.name);
  switch (c.type) {
    case 'datetime': return `epoch_us(${id}) AS ${id}`;
    case 'dynamic': case 'guid': return `CAST(${id} AS VARCHAR) AS ${id}`;
    default: return id;
  }
}

async function execute(engine: FixtureEngine, query: string): Promise<{ columns: KqlColumn[]; rows: Cell[][] }> {
  // Data-dependent schemas (bag_unpack, pivot) are found on the data, as the server does.
  const compiled = await compileQuery(query, engine.env({ discover: (sql) => engine.sql(sql) }));
  const list = compiled.columns.map(exactColumn).join(', ');
  // A projection over the compiled statement keeps its row order (DuckDB preserves it).
  const rows = await engine.sql(`SELECT ${list || '*'} FROM (${compiled.sql}) AS conformance`);
  return { columns: compiled.columns, rows: rows as Cell[][] };
}

const quote = (s: string) => (s.length > 80 ? `'${s.slice(0, 77)}...'` : `'${s}'`);

function rowMatches(expected: string[], actual: Cell[], columns: KqlColumn[]): number {
  for (let i = 0; i < columns.length; i++) if (!cellMatches(expected[i] ?? '', actual[i] ?? null, columns[i]!.type)) return i;
  return -1;
}

/** Undefined when the result is what the page prints; otherwise the first difference. */
export function compare(c: ConformanceCase, columns: KqlColumn[], rows: Cell[][]): string | undefined {
  const expectedNames = c.columns.map((n) => cleanExpected(n));
  const names = columns.map((x) => x.name);
  if (expectedNames.join('\u0000') !== names.join('\u0000')) {
    return `columns: expected [${expectedNames.join(', ')}], got [${names.join(', ')}]`;
  }
  if (c.rows.length !== rows.length) return `expected ${c.rows.length} row(s), got ${rows.length}`;
  const differs = (expected: string[], actual: Cell[], at: number, index: number) => {
    const col = columns[at]!;
    return `row ${index + 1}, column ${col.name} (${col.type}): expected ${quote(expected[at] ?? '')}, got ${quote(displayCell(actual[at] ?? null, col.type))}`;
  };
  if (c.ordered) {
    for (let r = 0; r < rows.length; r++) {
      const at = rowMatches(c.rows[r]!, rows[r]!, columns);
      if (at >= 0) return differs(c.rows[r]!, rows[r]!, at, r);
    }
    return undefined;
  }
  const used = new Set<number>();
  for (let r = 0; r < c.rows.length; r++) {
    const expected = c.rows[r]!;
    const found = rows.findIndex((row, i) => !used.has(i) && rowMatches(expected, row, columns) < 0);
    if (found >= 0) {
      used.add(found);
      continue;
    }
    // Report against the unused row that matches the most leading cells (the likeliest counterpart).
    let best = -1;
    let bestAt = -1;
    rows.forEach((row, i) => {
      if (used.has(i)) return;
      const at = rowMatches(expected, row, columns);
      if (at > bestAt) { best = i; bestAt = at; }
    });
    if (best < 0) return `expected row ${r + 1} has no counterpart`;
    return `${differs(expected, rows[best]!, bestAt, r)} (rows compared in any order)`;
  }
  return undefined;
}

function describeError(e: unknown): string {
  if (e instanceof KqlError) return `${e.code} (${e.kind}): ${e.message}${e.diagnostic.hint ? ` [hint: ${e.diagnostic.hint}]` : ''}`;
  const message = e instanceof Error ? e.message : String(e);
  return `engine: ${message.split('\n')[0]}`;
}

export async function runConformance(options: { corpus?: string; filter?: string } = {}): Promise<ConformanceResult> {
  const cases = loadCases(options.corpus).filter((c) => options.filter === undefined || c.id.includes(options.filter) || c.category.includes(options.filter));
  const docErrors = knownDocErrors();
  const engine = await FixtureEngine.create([{ id: '00000000-0000-0000-0000-00000000c0de', name: 'conformance', tenantId: '00000000-0000-0000-0000-000000000001', tables: [] }]);
  // A runaway example (a huge range) must not take the machine down.
  await engine.sql("SET memory_limit = '2GB'");
  const results: CaseResult[] = [];
  for (const c of cases) {
    let reason: string | undefined;
    try {
      const { columns, rows } = await execute(engine, c.query);
      reason = compare(c, columns, rows);
    } catch (e) {
      reason = describeError(e);
    }
    const docError = docErrors[c.id];
    if (reason === undefined) results.push({ id: c.id, category: c.category, status: 'passed' });
    else if (docError !== undefined) results.push({ id: c.id, category: c.category, status: 'doc-error', reason: docError });
    else results.push({ id: c.id, category: c.category, status: 'failed', reason });
  }
  const byCategory: Record<string, { passed: number; total: number }> = {};
  for (const r of results) {
    const entry = (byCategory[r.category] ??= { passed: 0, total: 0 });
    if (r.status === 'doc-error') continue;
    entry.total++;
    if (r.status === 'passed') entry.passed++;
  }
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  return { cases: results.length, passed: count('passed'), failed: count('failed'), docErrors: count('doc-error'), byCategory, results };
}

/** The readable report: per category, then every failure with its reason, then one JSON line. */
export function formatReport(result: ConformanceResult): string {
  const lines: string[] = [];
  const categories = Object.entries(result.byCategory).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...categories.map(([c]) => c.length), 8);
  lines.push(`${'category'.padEnd(width)}  passed / total`);
  for (const [category, { passed, total }] of categories) {
    lines.push(`${category.padEnd(width)}  ${String(passed).padStart(6)} / ${total}`);
  }
  lines.push(`${'all'.padEnd(width)}  ${String(result.passed).padStart(6)} / ${result.cases - result.docErrors}  (${result.docErrors} documented output(s) known wrong, not counted)`);
  const failures = result.results.filter((r) => r.status === 'failed');
  if (failures.length > 0) {
    lines.push('', `Failures (${failures.length}):`);
    for (const f of failures.sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id))) {
      lines.push(`  ${f.id} [${f.category}]`, `    ${f.reason}`);
    }
  }
  const docErrors = result.results.filter((r) => r.status === 'doc-error');
  if (docErrors.length > 0) {
    lines.push('', 'Known documentation errors:');
    for (const d of docErrors) lines.push(`  ${d.id}: ${d.reason}`);
  }
  lines.push('', JSON.stringify({ cases: result.cases, passed: result.passed, failed: result.failed, docErrors: result.docErrors,
    byCategory: Object.fromEntries(categories) }));
  return lines.join('\n');
}
