// The Sentinel corpus end to end: every parser and every rule analysed, planned, turned into SQL
// and executed on DuckDB over the sample data (the fixture engine), with every failure kept with
// its stage, code, message and position.
//
// Choices (see also samples.ts and parsers.ts):
//   - The workspace has every standard table (standardTables(), empty where no sample exists)
//     and the custom tables the sample data holds (columns derived from the files). A custom
//     table no sample holds is created empty with a schema inferred from the queries naming it
//     (infer-tables.ts), reported as such and counted apart; one whose inference fails leaves
//     its rules under "needs custom table schema" with the table names. A custom table a sample
//     holds gets the columns the queries name that its rows lack, the same way (reported apart).
//   - Every parser is a workspace function (also under its ASIM built-in name, and a solution's
//     text parser under its file name).
//   - A parser compiles on its own as a call, `Alias(<required arguments>)`: required scalars
//     get a typed null ('' for strings), tabular parameters an empty datatable of their
//     columns; a scalar-valued function is called in `print Result = Alias(...)`.
//   - `now` is per query: the latest TimeGenerated of the sample rows of the tables it reads
//     (plus one second), so that samples fall inside the lookbacks; a query reading no sample
//     gets the latest time of all samples. A rule runs as the scheduler would run it: its
//     queryPeriod is the time range, ending at now.
//   - externaldata's http(s) addresses are read from a mirror directory made for the run, each
//     an empty file: the feeds are not available offline, as empty tables stand for missing
//     samples. (The server reads an administrator's mirror the same way, never the network.)
import { KqlError, compileQuery, type CompileEnv, type KqlColumn, type TableDef } from '../../src/index.ts';
import { standardTables } from '../../../server/src/logstore/schema.ts';
import { FixtureEngine, type FixtureTable } from '../fixture-engine.ts';
import { loadParsers, type CorpusParser, type SkippedParser } from './parsers.ts';
import { loadRules, type CorpusRule } from './rules.ts';
import { scheduleRule, type ScheduleFailure } from './scheduled.ts';
import { loadSamples, type SampleFileReport } from './samples.ts';
import { loadRows } from './load-rows.ts';
import { foldCaseClashes } from './case-clashes.ts';
import { inferCustomTables, sampledTable, type InferenceQuery, type InferredTable } from './infer-tables.ts';
import { duckdb } from '../../src/sql/duckdb.ts';
import { catalogOf } from '../fixture-engine.ts';
import { SYSTEM_FUNCTIONS } from '../../src/system-functions.ts';
import { mirroredPath } from '../../src/plan/lower/sources.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** compile: compileQuery (analysis, plan, SQL; discovery of data-dependent schemas); execute: DuckDB. */
export type Stage = 'compile' | 'execute';

export interface Failure {
  kind: 'rule' | 'parser';
  /** Rule id or parser alias. */
  id: string;
  name: string;
  path: string;
  stage: Stage;
  /** The compiler's error kind (syntax, semantic, unsupported, not-found), 'crash' for an uncoded exception, 'engine' for DuckDB. */
  kindOfError: string;
  code: string;
  message: string;
  /** 1-based line and column in the query text (the rule's query, or the parser's call). */
  line?: number;
  column?: number;
  /** What blocks it, in a form that groups alike failures (for the ranking). */
  cause: string;
  /** Parsers the query calls that fail themselves with the same code. */
  via?: string[];
  /** Custom (_CL) tables the query or the parsers it calls name, which no schema has. */
  missingTables?: string[];
  /** The cause it is ranked under: its own, or that of the failing parser it fails through. */
  rankedCause?: string;
}

export interface Outcome {
  compiled: boolean;
  executed: boolean;
  rows?: number;
  compileMs?: number;
  executeMs?: number;
  /** The result's columns, when it compiled. */
  columns?: KqlColumn[];
  failure?: Failure;
}

export interface CorpusReport {
  rules: number;
  rules_compiled: number;
  rules_executed: number;
  /** Rules whose YAML imports through ruleFromYaml (Vigil's import, the rule model's checks). */
  rules_imported: number;
  /** Imported rules that compile and execute over one window as the scheduler runs them, and pass checkRuleColumns. */
  rules_scheduled: number;
  scheduleFailures: ScheduleFailure[];
  parsers: number;
  parsers_compiled: number;
  parsers_executed: number;
  failures_by_code: Record<string, number>;
  /** Rules that fail because a custom table they read has no schema: table -> rule count. */
  needs_custom_table_schema: Record<string, number>;
  /**
   * Custom tables no sample holds, with the columns inferred from the queries that name them
   * (from usage, not from data: see infer-tables.ts), beyond the system ones; empty in the run.
   * `queries`: how many rules and parsers needed the table or its columns to compile.
   */
  inferredTables: { name: string; columns: KqlColumn[]; queries: number }[];
  /**
   * Custom tables a sample holds, with the columns the queries name that its rows lack (inferred
   * from usage as above; null in the sample's rows). `queries`: those that needed them.
   */
  extendedTables: { name: string; columns: KqlColumn[]; queries: number }[];
  /** Rules reaching (in their text or the parsers they call) a table of inferredTables, and how many of them compiled and executed. */
  /**
   * http(s) addresses that externaldata reads in the rules and parsers: each is mirrored in the
   * run's external data directory as an empty file (the feeds' content is not available offline),
   * as an administrator mirrors them for the server (see docs/kql.md).
   */
  externalDataMirrored: number;
  rules_on_inferred_tables: number;
  rules_on_inferred_tables_compiled: number;
  rules_on_inferred_tables_executed: number;
  /**
   * Failures grouped by cause, ranked by the rules whose first error it is. `using`: for an
   * unsupported function or operator, the failing rules whose text or called parsers use it at
   * all (a query stops at its first error, so this is how many it may block behind others).
   */
  causes: { cause: string; rules: number; parsers: number; using?: number; example: string }[];
  failures: Failure[];
  skippedParsers: SkippedParser[];
  /** Standard-table columns left out of the fixture because another differs only in case. */
  caseClashes: string[];
  sampleFiles: SampleFileReport[];
  sampleRows: number;
  sampleRejected: number;
  /** Compile times (analyse + plan + SQL) of each rule that compiled, ms. */
  ruleCompileMs: number[];
  /** The slowest queries (compile + execute), for the report. */
  slowest: { what: string; ms: number; compileMs?: number | undefined; executeMs?: number | undefined }[];
  elapsedMs: number;
}

/** ../shared/corpus/sentinel beside the checkout, or $SENTINEL_CORPUS. */
export const CORPUS_ROOT = process.env['SENTINEL_CORPUS']?.replace(/\/?$/, '/') ?? new URL('../../../../../shared/corpus/sentinel/', import.meta.url).pathname;

const WORKSPACE = { id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'corpus', tenantId: '5e0c0de0-0000-4000-8000-0000000000aa' };

/** `1h`, `14d`, `5m`, `30s`, `1.5d`: Sentinel's queryPeriod as milliseconds. */
export function periodMs(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  if (m === null) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

function quotedName(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/**
 * The missing custom tables that explain a failure, if it is one they explain: an unknown name
 * that is such a table (the analyser's KS204 and friends, or a name of kind None inside a parser
 * body), or what unresolved names inside a body become when lowered (a column of unknown type, a
 * union none of whose inputs exist). Other errors are not blamed on missing tables.
 */
function explainedByMissing(code: string, message: string, missing: string[]): string[] {
  const name = quotedName(message);
  const named = name !== undefined ? missing.filter((m) => m.toLowerCase() === name.toLowerCase()) : [];
  if (code === 'KS204' || code === 'KS142' || code === 'KS208') return named;
  if (code !== 'VQ001') return [];
  if (/^The name '[^']*' \(a None\)/.test(message)) return named;
  if (/^A union none of whose inputs exist/.test(message) || /^The column type of '[^']*' \(unknown\)/.test(message) || /of type 'unknown'/.test(message)) return missing;
  return [];
}

/** The cause a failure is grouped under: unknown names by name, unsupported constructs by construct. */
function causeOf(code: string, fullMessage: string, customTables: Set<string>, missing: string[] = [], bagUnpack = false): string {
  // An error inside a parser is reported at the call, "(in the body of X)": the cause is the same.
  const message = fullMessage.replace(/ \(in the body of [^)]*\)/g, '');
  const explained = explainedByMissing(code, message, missing);
  if (explained.length > 0) return `needs custom table schema: ${explained.join(', ')}`;
  // bag_unpack's columns come from the data (discovered on the samples here): a column the
  // query names that no sample row has is unknown, as it would be in Log Analytics on such data.
  if (bagUnpack && (code === 'KS142' || (code === 'VQ001' && /^The name '[^']*' \(a None\)/.test(message)))) {
    return 'a column the query names is absent from the bag_unpack schema discovered on the sample data';
  }
  if (code === 'KS204' || code === 'KS208' || code === 'KS142' || code === 'KS211') {
    const name = quotedName(message);
    if (name !== undefined && /_CL$/i.test(name) && !customTables.has(name.toLowerCase())) return `needs custom table schema: ${name}`;
    if (name !== undefined) return `${code} unknown name: ${name}`;
  }
  if (code === 'VQ001') {
    return `unsupported: ${message.replace(/ is not supported$/, '').replace(/ \(in [^)]*\)$/, '').replace(/^The default of parameter '[^']*'/, "The default of parameter '…'")}`;
  }
  if (code.startsWith('DUCKDB')) return `${code}: ${message.split('\n')[0]!.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").slice(0, 140)}`;
  if (code.startsWith('KS')) return `${code}: ${message.replace(/'[^']*'/g, "'…'").slice(0, 120)}`;
  return `${code}: ${message.split('\n')[0]!.slice(0, 140)}`;
}

function duckdbCode(error: Error): string {
  const m = /^([A-Za-z ]+?) Error:/.exec(error.message);
  return m === null ? 'DUCKDB' : `DUCKDB_${m[1]!.toUpperCase().replace(/\s+/g, '_')}`;
}

export interface RunOptions {
  /** Only rules whose id, name or path contains this (for debugging). */
  filter?: string;
  /** Skip execution (compile only). */
  compileOnly?: boolean;
}

export async function runCorpus(options: RunOptions = {}): Promise<CorpusReport> {
  const started = performance.now();
  const { parsers, skipped, functions } = loadParsers(`${CORPUS_ROOT}parsers`);
  const rules = loadRules(`${CORPUS_ROOT}rules.jsonl`);
  const samples = loadSamples(`${CORPUS_ROOT}sample-data`);

  // Tables: every standard one, then the custom ones the samples hold.
  const tables: FixtureTable[] = [];
  const caseClashes: string[] = [];
  const texts = [...rules.map((r) => r.query), ...parsers.map((p) => p.def.body)];
  for (const schema of standardTables().values()) {
    // DuckDB folds identifier case: of columns differing only in case (AzureDiagnostics has
    // clientIP_s and clientIp_s) the fixture keeps the one the queries name (case-clashes.ts).
    const { columns, leftOut } = foldCaseClashes(schema.columns.map((c) => ({ name: c.name, type: c.type })), texts);
    caseClashes.push(...leftOut.map((name) => `${schema.name}.${name}`));
    tables.push({ name: schema.name, columns, rows: [] });
  }
  const customTables = new Set<string>();
  for (const t of samples.tables.values()) {
    if (t.schema.kind !== 'custom') continue;
    customTables.add(t.schema.name.toLowerCase());
    tables.push({ name: t.schema.name, columns: t.schema.columns.map((c) => ({ name: c.name, type: c.type })), rows: [] });
  }
  // Sentinel's built-in functions (_GetWatchlist) are in every workspace, beside the parsers.
  // externaldata: every http(s) address the queries read, mirrored as an empty file.
  const externalDirectory = mkdtempSync(join(tmpdir(), 'vigil-corpus-external-'));
  const addresses = new Set<string>();
  for (const text of [...rules.map((r) => r.query), ...parsers.map((p) => p.def.body)]) {
    for (const block of text.matchAll(/externaldata\s*\([^)]*\)\s*\[([^\]]*)\]/gi)) {
      for (const m of block[1]!.matchAll(/@?["'](https?:\/\/[^"']+)["']/g)) addresses.add(m[1]!);
    }
  }
  for (const address of addresses) {
    const relativePath = mirroredPath(address);
    if (relativePath === null) continue;
    const file = resolve(externalDirectory, relativePath);
    if (!file.startsWith(`${externalDirectory}/`)) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
  const engine = await FixtureEngine.create([{ ...WORKSPACE, tables, functions: [...functions, ...SYSTEM_FUNCTIONS.filter((s) => !functions.some((f) => f.name.toLowerCase() === s.name.toLowerCase()))] }]);
  const defs = new Map<string, TableDef>(engine.workspaces[0]!.tables.map((t) => [t.name, t]));
  let sampleRows = 0;
  for (const t of samples.tables.values()) {
    const def = defs.get(t.schema.name)!;
    await loadRows(engine, WORKSPACE.id, def, t.rows);
    sampleRows += t.rows.length;
  }
  const tableNames = new Set(tables.map((t) => t.name));
  const maxTime = new Map<string, bigint>();
  let latest = 0n;
  for (const t of samples.tables.values()) {
    if (t.maxTime === undefined) continue;
    maxTime.set(t.schema.name, t.maxTime);
    if (t.maxTime > latest) latest = t.maxTime;
  }

  /** now for a plan: one second after the latest sample row of the tables it reads. */
  const nowFor = (tablesRead: string[]): Date => {
    let m = 0n;
    for (const t of tablesRead) {
      const x = maxTime.get(t);
      if (x !== undefined && x > m) m = x;
    }
    if (m === 0n) m = latest;
    return new Date(Number(m / 1000n) + 1000);
  };

  // Which custom tables a query reaches: named in its text or in the parsers it calls, transitively.
  // A function's text as a reader sees it: its parameter list (with defaults), then its body.
  const bodies = new Map(functions.map((f) => [f.name.toLowerCase(),
    `(${f.parameters.map((p) => `${p.name}:${typeof p.type === 'string' ? p.type : 'table'}${p.defaultValue !== undefined ? ` = ${p.defaultValue}` : ''}`).join(', ')}) ${f.body}`]));
  /** The query's text and the bodies of the parsers it calls, transitively. */
  const reach = (text: string): string[] => {
    const texts = [text];
    const seen = new Set<string>();
    for (let i = 0; i < texts.length; i++) {
      for (const word of texts[i]!.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
        const key = word.toLowerCase();
        const body = bodies.get(key);
        if (body !== undefined && !seen.has(key)) { seen.add(key); texts.push(body); }
      }
    }
    return texts;
  };
  const missingFor = (text: string): string[] => {
    const missing = new Set<string>();
    for (const t of reach(text)) {
      for (const word of t.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
        const key = word.toLowerCase();
        if (/_cl$/.test(key) && !customTables.has(key) && !bodies.has(key)) missing.add(word);
      }
    }
    return [...missing].sort();
  };

  /** Custom tables (held by a sample or not) texts name, in the order first named. */
  const customIn = (texts: string[]): string[] => {
    const named = new Map<string, string>();
    for (const t of texts) for (const word of t.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) if (/_cl$/i.test(word) && !bodies.has(word.toLowerCase()) && !named.has(word.toLowerCase())) named.set(word.toLowerCase(), word);
    return [...named.values()];
  };
  const inferenceQuery = (who: string, text: string, call: string): InferenceQuery => {
    const direct = customIn([text]);
    const reached = customIn(reach(call).slice(1)).filter((m) => !direct.some((d) => d.toLowerCase() === m.toLowerCase()));
    return { who, text, missing: missingFor(call), direct, reached };
  };
  // Custom tables no sample holds: their schemas inferred from the queries naming them, then
  // created empty; those a sample holds get the columns the queries name that the sample lacks
  // (see infer-tables.ts). Parsers first: their bodies name most of the columns.
  const home = engine.workspaces[0]!;
  const inferred = new Map<string, InferredTable>();
  for (const t of home.tables) if (customTables.has(t.name.toLowerCase())) inferred.set(t.name.toLowerCase(), sampledTable(t.name, t.columns));
  const selectedRules = options.filter === undefined ? rules : rules.filter((r) => `${r.id} ${r.name} ${r.path}`.includes(options.filter!));
  const selectedParsers = options.filter === undefined ? parsers : parsers.filter((p) => `${p.name} ${p.path}`.includes(options.filter!));
  // The inference also reads the parsers the selected rules call, so that a filtered run infers
  // what the full run does for them.
  const called = new Set(options.filter === undefined ? [] : selectedRules.flatMap((r) => reach(r.query).flatMap((t) => t.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])).map((w) => w.toLowerCase()));
  const inferredParsers = parsers.filter((p) => selectedParsers.includes(p) || [p.name, ...p.aliases].some((n) => called.has(n.toLowerCase())));
  await inferCustomTables([
    ...inferredParsers.map((p) => inferenceQuery(`parser ${p.name}`, parserBody(p), parserCall(p))),
    ...selectedRules.map((r) => inferenceQuery(`rule ${r.id}`, r.query, r.query)),
  ], inferred, async (text, more) => {
    const replaced = new Set(more.map((t) => t.name.toLowerCase()));
    const env: CompileEnv = { ...engine.env(), home: { ...home, tables: [...home.tables.filter((t) => !replaced.has(t.name.toLowerCase())), ...more] }, now: new Date(Number(latest / 1000n) + 1000), discover: (sql) => engine.sql(sql), externalData: { directory: externalDirectory } };
    try {
      await compileQuery(text, env);
    } catch (error) {
      if (!(error instanceof KqlError) || !/scalar function used as a table|tabular expression was expected/i.test(error.message)) throw error;
      await compileQuery(`print Result = ${text}`, env);
    }
  });
  const sqlTable = (name: string) => `${duckdb.ident(catalogOf(WORKSPACE.id))}.main.${duckdb.ident(name)}`;
  for (const t of inferred.values()) {
    if (t.sampled) {
      // Columns the queries name that the sample's rows lack: added (null in those rows).
      if (t.columns.length === t.given) continue;
      for (const c of t.columns.slice(t.given)) await engine.sql(`ALTER TABLE ${sqlTable(t.name)} ADD COLUMN ${duckdb.ident(c.name)} ${duckdb.sqlType(c.type)}`);
      home.tables.splice(home.tables.findIndex((d) => d.name === t.name), 1, { name: t.name, columns: t.columns, stored: true });
      continue;
    }
    const cols = t.columns.map((c) => `${duckdb.ident(c.name)} ${duckdb.sqlType(c.type)}`).join(', ');
    await engine.sql(`CREATE TABLE ${sqlTable(t.name)} (${cols})`);
    home.tables.push({ name: t.name, columns: t.columns, stored: true });
    tableNames.add(t.name);
  }
  /** Missing custom tables a text reaches that were not inferred either. */
  const unexplained = (text: string): string[] => missingFor(text).filter((m) => !inferred.has(m.toLowerCase()));
  const knownCustom = new Set([...customTables, ...inferred.keys()]);
  const onInferred = (text: string): boolean => missingFor(text).some((m) => inferred.has(m.toLowerCase()));

  const failures: Failure[] = [];
  const slow: { what: string; ms: number; compileMs?: number | undefined; executeMs?: number | undefined }[] = [];
  const parserFailures = new Map<string, Failure>();


  /** The tables a query may read: names in its text and in the parsers it calls (no analysis needed). */
  const tablesIn = (text: string): string[] => {
    const found = new Set<string>();
    for (const t of reach(text)) for (const w of t.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) if (tableNames.has(w)) found.add(w);
    return [...found];
  };

  /**
   * compileQuery (timed) then the SQL on the engine; the failure, if any, is returned, not
   * thrown. Data-dependent schemas (bag_unpack, pivot) are discovered on the sample data, as the
   * server discovers them on a workspace's data.
   */
  const runOne = async (query: string, period: number | undefined, who: Omit<Failure, 'stage' | 'kindOfError' | 'code' | 'message' | 'cause'>, printScalar = false): Promise<Outcome> => {
    const now = nowFor(tablesIn(query));
    const env: CompileEnv = {
      ...engine.env(), now, discover: (sql) => engine.sql(sql), externalData: { directory: externalDirectory },
      ...(period !== undefined ? { timeRange: { start: new Date(now.getTime() - period), end: now } } : {}),
    };
    let text = query;
    let sql: string;
    let columns: KqlColumn[];
    let compileMs: number;
    const t0 = performance.now();
    try {
      try {
        ({ sql, columns } = await compileQuery(text, env));
      } catch (error) {
        // A scalar-valued function is called in `print Result = f(...)`.
        if (!printScalar || !(error instanceof KqlError) || !/scalar function used as a table|tabular expression was expected/i.test(error.message)) throw error;
        text = `print Result = ${query}`;
        ({ sql, columns } = await compileQuery(text, env));
      }
      compileMs = performance.now() - t0;
    } catch (error) {
      return { compiled: false, executed: false, compileMs: performance.now() - t0, failure: failureOf(error, 'compile', text, who) };
    }
    if (options.compileOnly) return { compiled: true, executed: false, compileMs, columns };
    const t1 = performance.now();
    try {
      const rows = await engine.sql(sql);
      return { compiled: true, executed: true, rows: rows.length, compileMs, executeMs: performance.now() - t1, columns };
    } catch (error) {
      return { compiled: true, executed: false, compileMs, columns, failure: failureOf(error, 'execute', text, who) };
    }
  };

  const failureOf = (error: unknown, stage: Stage, text: string, who: Omit<Failure, 'stage' | 'kindOfError' | 'code' | 'message' | 'cause'>): Failure => {
    if (error instanceof KqlError) {
      const { line, column } = error.position(text);
      const inside = error.diagnostic.start <= text.length && error.diagnostic.length > 0;
      const missing = unexplained(text);
      const bagUnpack = reach(text).some((t) => /\bbag_unpack\b/.test(t));
      return { ...who, stage, kindOfError: error.kind, code: error.code, message: error.message, ...(inside ? { line, column } : {}), ...(missing.length > 0 ? { missingTables: missing } : {}),
        cause: causeOf(error.code, error.message, knownCustom, missing, bagUnpack) };
    }
    const e = error instanceof Error ? error : new Error(String(error));
    if (stage === 'execute') {
      const code = duckdbCode(e);
      return { ...who, stage, kindOfError: 'engine', code, message: e.message, cause: causeOf(code, e.message, knownCustom) };
    }
    // A crash inside the compiler (not a coded error) is a defect: reported as such.
    const at = e.stack?.split('\n').find((l) => l.includes('/packages/kql/src/'))?.trim().replace(/^at /, '') ?? '';
    return { ...who, stage, kindOfError: 'crash', code: 'CRASH', message: `${e.name}: ${e.message}${at ? ` (${at.replace(/.*\/packages\/kql\//, '')})` : ''}`, cause: `CRASH: ${e.name}: ${e.message.slice(0, 100)}` };
  };

  // ---- parsers -------------------------------------------------------------------------
  let parsersCompiled = 0;
  let parsersExecuted = 0;
  for (const p of selectedParsers) {
    const t0 = performance.now();
    const outcome = await runOne(parserCall(p), undefined, { kind: 'parser', id: p.name, name: p.name, path: p.path }, true);
    slow.push({ what: `parser ${p.name}`, ms: performance.now() - t0, compileMs: outcome.compileMs, executeMs: outcome.executeMs });
    if (outcome.compiled) parsersCompiled++;
    if (outcome.executed) parsersExecuted++;
    if (outcome.failure !== undefined) {
      failures.push(outcome.failure);
      parserFailures.set(p.name.toLowerCase(), outcome.failure);
      for (const alias of p.aliases) parserFailures.set(alias.toLowerCase(), outcome.failure);
    }
  }

  // ---- rules ---------------------------------------------------------------------------
  let rulesCompiled = 0;
  let rulesExecuted = 0;
  let rulesImported = 0;
  let rulesScheduled = 0;
  const scheduleFailures: ScheduleFailure[] = [];
  const ruleCompileMs: number[] = [];
  let onInferredRules = 0;
  let onInferredCompiled = 0;
  let onInferredExecuted = 0;
  for (const rule of selectedRules) {
    const t0 = performance.now();
    const outcome = await runOne(rule.query, periodMs(rule.queryPeriod), { kind: 'rule', id: rule.id, name: rule.name, path: rule.path });
    slow.push({ what: `rule ${rule.path}`, ms: performance.now() - t0, compileMs: outcome.compileMs, executeMs: outcome.executeMs });
    if (outcome.compiled) {
      rulesCompiled++;
      ruleCompileMs.push(outcome.compileMs!);
    }
    if (outcome.executed) rulesExecuted++;
    // As a Vigil rule: imported from its YAML, run over one window (the run above when it is the same).
    const scheduled = await scheduleRule({ id: rule.id, name: rule.name, path: rule.path }, `${CORPUS_ROOT}rules/${rule.path}`, async (query, period) =>
      (query === rule.query.trim() && period === periodMs(rule.queryPeriod) ? outcome : runOne(query, period, { kind: 'rule', id: rule.id, name: rule.name, path: rule.path })),
      tablesIn(rule.query).some((t) => knownCustom.has(t.toLowerCase())));
    if (scheduled.imported) rulesImported++;
    if (scheduled.scheduled) rulesScheduled++;
    if (scheduled.failure !== undefined) scheduleFailures.push(scheduled.failure);
    if (onInferred(rule.query)) {
      onInferredRules++;
      if (outcome.compiled) onInferredCompiled++;
      if (outcome.executed) onInferredExecuted++;
    }
    if (outcome.failure !== undefined) {
      const f = outcome.failure;
      const via = parsersCalled(rule, parserFailures).filter((pf) => pf.code === f.code && pf.message === f.message).map((pf) => pf.id);
      if (via.length > 0) f.via = via;
      failures.push(f);
    }
  }

  const failuresByCode: Record<string, number> = {};
  for (const f of failures) failuresByCode[f.code] = (failuresByCode[f.code] ?? 0) + 1;
  const needsSchema: Record<string, number> = {};
  const byCause = new Map<string, { cause: string; rules: number; parsers: number; using?: number; example: string }>();
  for (const f of failures) {
    // A rule blocked by a failing parser it calls counts under that parser's cause.
    const cause = f.via !== undefined ? parserFailures.get(f.via[0]!.toLowerCase())!.cause : f.cause;
    f.rankedCause = cause;
    const entry = byCause.get(cause) ?? { cause, rules: 0, parsers: 0, example: `${f.kind} ${f.kind === 'rule' ? f.path : f.id}` };
    if (f.kind === 'rule') entry.rules++;
    else entry.parsers++;
    byCause.set(cause, entry);
  }
  for (const f of failures) {
    if (f.kind !== 'rule' || !f.rankedCause!.startsWith('needs custom table schema: ')) continue;
    for (const table of f.rankedCause!.slice('needs custom table schema: '.length).split(', ')) needsSchema[table] = (needsSchema[table] ?? 0) + 1;
  }
  const failingRules = selectedRules.filter((r) => failures.some((f) => f.kind === 'rule' && f.path === r.path && f.id === r.id)).map((r) => reach(r.query).join('\n'));
  for (const entry of byCause.values()) {
    const pattern = constructPattern(entry.cause);
    if (pattern !== undefined) entry.using = failingRules.filter((t) => pattern.test(t)).length;
  }
  const causes = [...byCause.values()].sort((a, b) => b.rules - a.rules || b.parsers - a.parsers || a.cause.localeCompare(b.cause));

  rmSync(externalDirectory, { recursive: true, force: true });
  return {
    rules: selectedRules.length,
    rules_compiled: rulesCompiled,
    rules_executed: rulesExecuted,
    rules_imported: rulesImported,
    rules_scheduled: rulesScheduled,
    scheduleFailures,
    parsers: selectedParsers.length,
    parsers_compiled: parsersCompiled,
    parsers_executed: parsersExecuted,
    failures_by_code: Object.fromEntries(Object.entries(failuresByCode).sort((a, b) => b[1] - a[1])),
    needs_custom_table_schema: Object.fromEntries(Object.entries(needsSchema).sort((a, b) => b[1] - a[1])),
    inferredTables: [...inferred.values()].filter((t) => !t.sampled).sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ name: t.name, columns: t.columns.slice(t.given), queries: t.usedBy.size })),
    extendedTables: [...inferred.values()].filter((t) => t.sampled && t.columns.length > t.given).sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ name: t.name, columns: t.columns.slice(t.given), queries: t.usedBy.size })),
    externalDataMirrored: addresses.size,
    rules_on_inferred_tables: onInferredRules,
    rules_on_inferred_tables_compiled: onInferredCompiled,
    rules_on_inferred_tables_executed: onInferredExecuted,
    causes,
    failures,
    skippedParsers: skipped,
    caseClashes,
    sampleFiles: samples.files,
    sampleRows,
    sampleRejected: samples.files.reduce((n, f) => n + f.rejected, 0),
    ruleCompileMs,
    slowest: slow.sort((a, b) => b.ms - a.ms).slice(0, 10),
    elapsedMs: performance.now() - started,
  };
}

/** For an unsupported function or operator: a pattern finding its use in KQL text. */
function constructPattern(cause: string): RegExp | undefined {
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let m = /^unsupported: The (?:tabular )?function '([^']+)'$/.exec(cause);
  if (m !== null) return new RegExp(`(^|[^A-Za-z0-9_])${esc(m[1]!)}\\s*\\(`, 'i');
  m = /^unsupported: The operator '([^']+)'$/.exec(cause);
  if (m !== null) return new RegExp(`\\|\\s*${esc(m[1]!)}(?![-A-Za-z0-9_])`, 'i');
  if (cause === "unsupported: The tabular expression 'ExternalDataExpression'" || cause.startsWith('VQ030')) return /\bexternaldata\b/i;
  if (cause === "unsupported: The default of parameter '…'") return /:\s*dynamic\s*=\s*dynamic\s*\(/i;
  return undefined;
}

/** Failing parsers whose name appears in the rule's text as a word. */
function parsersCalled(rule: CorpusRule, failing: Map<string, Failure>): Failure[] {
  const out: Failure[] = [];
  const words = new Set((rule.query.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((w) => w.toLowerCase()));
  for (const [name, f] of failing) if (words.has(name) && !out.includes(f)) out.push(f);
  return out;
}

function nullOf(type: KqlColumn['type']): string {
  return type === 'string' ? "''" : type === 'dynamic' ? 'dynamic(null)' : `${type}(null)`;
}

/**
 * The parser's body as a query of its own, its parameters bound by `let` (defaults, else what
 * parserCall passes): inside a function the analyser does not report an unknown name, so the
 * schema inference reads the body at top level.
 */
function parserBody(p: CorpusParser): string {
  const lets = p.def.parameters.map((param) => {
    if (typeof param.type !== 'string') {
      const cols = param.type.columns === '*' ? [{ name: 'TimeGenerated', type: 'datetime' as const }] : param.type.columns;
      return `let ${param.name} = datatable(${cols.map((c) => `['${c.name}']:${c.type}`).join(', ')})[];`;
    }
    return `let ${param.name} = ${param.defaultValue ?? nullOf(param.type)};`;
  });
  const body = p.def.body.trim();
  return `${lets.join('\n')}\n${body.startsWith('{') && body.endsWith('}') ? body.slice(1, -1) : body}`;
}

/** `Alias(<required arguments>)`: required scalars get a typed null, tables an empty datatable. */
function parserCall(p: CorpusParser): string {
  const args: string[] = [];
  for (const param of p.def.parameters) {
    if (param.defaultValue !== undefined) break;
    if (typeof param.type === 'string') args.push(nullOf(param.type));
    else {
      const cols = param.type.columns === '*' ? [{ name: 'TimeGenerated', type: 'datetime' as const }] : param.type.columns;
      args.push(`datatable(${cols.map((c) => `['${c.name}']:${c.type}`).join(', ')})[]`);
    }
  }
  return `${p.name}(${args.join(', ')})`;
}

