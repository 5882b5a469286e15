// The pipeline: text -> analysed syntax -> plan -> rewrites -> SQL. Each stage is exported so
// that `vigil kql explain` can print it.
import { KqlError, type KqlDiagnostic } from './diagnostics.ts';
import type { CompileEnv, CompiledQuery, TimeColumn } from './index.ts';
import type { Relation } from './plan/nodes.ts';
import { Lowerer } from './plan/lower.ts';
import { SchemaDiscovery } from './plan/lower/evaluate.ts';
import { FuzzyInputsLeftOut, fuzzyInputsToLeaveOut, warningsOf } from './plan/lower/union.ts';
import { foldConstants } from './plan/rewrites/fold-constants.ts';
import { parseJsonMembers } from './plan/rewrites/parse-json-members.ts';
import { pruneScanColumns } from './plan/rewrites/prune-columns.ts';
import { restrictTimeRange } from './plan/rewrites/time-range.ts';
import { visitRelations } from './plan/rewrites/walk.ts';
import { acrossWorkspaces } from './plan/rewrites/workspaces.ts';
import { SqlCompiler } from './sql/compiler.ts';
import { duckdb } from './sql/duckdb.ts';
import { analyze, workspaceReferences, type AnalyzedQuery } from './syntax/analyze.ts';
import { withSystemFunctions } from './system-functions.ts';
import type { WorkspaceDef } from './types.ts';

/** Sentinel's limit is 10,000 characters for rules; the query API takes far more. */
const MAX_QUERY_LENGTH = 1_000_000;

/** Stage 1: resolves the workspaces the text names (through the caller's rights) and analyses it. */
export async function analyzeQuery(text: string, env: CompileEnv): Promise<AnalyzedQuery> {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new KqlError('syntax', { code: 'VQ003', message: `The query is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`, start: 0, length: 0 });
  }
  if (text.trim() === '') {
    throw new KqlError('syntax', { code: 'VQ004', message: 'The query is empty.', start: 0, length: 0, hint: 'Write a query, for example: SecurityEvent | take 10' });
  }
  const named = new Map<string, WorkspaceDef>();
  for (const ref of workspaceReferences(text)) {
    if (named.has(ref.reference)) continue;
    const ws = await env.resolveWorkspace(ref.reference);
    if (ws === undefined) {
      throw new KqlError('not-found', {
        code: 'VQ020', message: `The workspace '${ref.reference}' was not found, or you do not have access to it.`, start: ref.start, length: ref.length,
        hint: 'Use a workspace name, workspace id or resource id that you can read.',
      });
    }
    named.set(ref.reference, withSystemFunctions(ws));
  }
  return analyze(text, withSystemFunctions(env.home), named);
}

/** Stage 2: the logical plan, after the named rewrites, and the lowering's warnings. */
export function planQuery(analyzed: AnalyzedQuery, env: CompileEnv): { plan: Relation; render?: CompiledQuery['render']; warnings: KqlDiagnostic[] } {
  const nowMicros = BigInt((env.now ?? new Date()).getTime()) * 1000n;
  const lowerer = new Lowerer(analyzed, {
    home: withSystemFunctions(env.home), nowMicros, additional: env.additional ?? [], ...(env.externalData !== undefined ? { externalDataDirectory: env.externalData.directory } : {}),
  });
  const lowered = lowerer.lower();
  const plan = rewrite(lowered.plan, env);
  return { plan, ...(lowered.render !== undefined ? { render: lowered.render } : {}), warnings: warningsOf(lowerer) };
}

/** The named rewrites, in order: other workspaces, the API's time range, constant folding, unused columns, members of parse_json read from the text. */
function rewrite(lowered: Relation, env: CompileEnv): Relation {
  let plan = acrossWorkspaces(lowered, env.home.id, env.additional ?? []);
  if (env.timeRange !== undefined) {
    const range: { start?: bigint; end?: bigint; column: TimeColumn } = { column: env.timeRange.column ?? 'TimeGenerated' };
    if (env.timeRange.start) range.start = BigInt(env.timeRange.start.getTime()) * 1000n;
    if (env.timeRange.end) range.end = BigInt(env.timeRange.end.getTime()) * 1000n;
    plan = restrictTimeRange(plan, range);
  }
  return parseJsonMembers(pruneScanColumns(foldConstants(plan)));
}

/** Ids of the workspaces whose storage a plan reads. */
export function workspacesOf(plan: Relation): string[] {
  const ids = new Set<string>();
  visitRelations(plan, (r) => {
    if (r.kind === 'scan' && r.stored) ids.add(r.workspaceId);
  });
  return [...ids];
}

/** Stage 3: SQL for the engine (DuckDB). */
export function sqlOf(plan: Relation, env: Pick<CompileEnv, 'catalogOf'>): string {
  return new SqlCompiler(duckdb, { catalogOf: env.catalogOf }).compile(plan);
}

/** How many data-dependent schemas (bag_unpack, pivot) one query may discover. */
const MAX_DISCOVERIES = 8;
/** How many times failed inputs of fuzzy unions may be removed (each removal shortens a text). */
const MAX_LEAVE_OUTS = 64;

export async function compileQuery(text: string, env: CompileEnv): Promise<CompiledQuery> {
  let current = text;
  // Sentinel's functions of every workspace (_GetWatchlist) are the home's from here on, so that
  // a discovery can write a schema into their bodies like into a saved function's.
  let currentEnv: CompileEnv = { ...env, home: withSystemFunctions(env.home) };
  const edits = new TextEdits();
  const warnings: KqlDiagnostic[] = [];
  for (let discoveries = 0, leaveOuts = 0; ;) {
    let analyzed: AnalyzedQuery;
    try {
      analyzed = await analyzeQuery(current, currentEnv);
    } catch (e) {
      // Inputs of `union isfuzzy=true` naming columns a data-dependent schema lacks: left out
      // with a warning, and the rest analysed again (see plan/lower/union.ts).
      const leftOut = e instanceof KqlError && e.kind === 'semantic' ? fuzzyInputsToLeaveOut(current, [e.diagnostic, ...e.others]) : undefined;
      if (leftOut === undefined || leaveOuts++ >= MAX_LEAVE_OUTS) throw e;
      for (const w of leftOut.warnings) warnings.push({ ...w, ...edits.original(w.start, w.length) });
      current = edits.remove(current, leftOut.removals);
      continue;
    }
    try {
      const { plan, render, warnings: lowering } = planQuery(analyzed, currentEnv);
      for (const w of lowering) warnings.push({ ...w, ...edits.original(w.start, w.length) });
      return {
        sql: sqlOf(plan, env), columns: plan.columns, workspaces: workspacesOf(plan),
        ...(render !== undefined ? { render } : {}), ...(warnings.length > 0 ? { warnings } : {}),
      };
    } catch (e) {
      if (e instanceof FuzzyInputsLeftOut && leaveOuts++ < MAX_LEAVE_OUTS) {
        // Failed inputs of a fuzzy union, removed from the query's text or (for this
        // compilation only) a saved function's (see plan/lower/union.ts).
        if (e.target.kind === 'query') {
          for (const w of e.leftOut.warnings) warnings.push({ ...w, ...edits.original(w.start, w.length) });
          current = edits.remove(current, e.leftOut.removals);
        } else {
          warnings.push(...e.leftOut.warnings);
          const { name, text: body } = e.target;
          const edited = new TextEdits().remove(body, e.leftOut.removals);
          const home = currentEnv.home;
          currentEnv = { ...currentEnv, home: { ...home, functions: home.functions.map((f) => (f.name === name ? { ...f, body: edited } : f)) } };
        }
        continue;
      }
      // A plugin whose columns come from the data: ask the caller to run the discovery query,
      // write the schema it finds into the text (the query's, or a saved function's for this
      // compilation only), and compile again (see plan/lower/evaluate.ts).
      if (!(e instanceof SchemaDiscovery) || env.discover === undefined || e.target === undefined || discoveries++ >= MAX_DISCOVERIES) throw e;
      const discoveryPlan = rewrite(e.plan, currentEnv);
      const schema = e.schema(await env.discover(sqlOf(discoveryPlan, env), workspacesOf(discoveryPlan)));
      const target = e.target;
      if (target.kind === 'query') {
        current = current.slice(0, target.at) + schema + current.slice(target.at);
        edits.inserted(target.at, schema.length);
      } else {
        const body = target.text.slice(0, target.at) + schema + target.text.slice(target.at);
        const home = currentEnv.home;
        currentEnv = { ...currentEnv, home: { ...home, functions: home.functions.map((f) => (f.name === target.name ? { ...f, body } : f)) } };
      }
    }
  }
}

/** The compiler's edits of the query's text, to give positions in the text as the caller wrote it. */
class TextEdits {
  private readonly edits: { at: number; length: number; inserted: boolean }[] = [];

  inserted(at: number, length: number): void {
    this.edits.push({ at, length, inserted: true });
  }

  /** `text` without the ranges (which do not overlap), recorded. */
  remove(text: string, ranges: { start: number; end: number }[]): string {
    let out = text;
    for (const r of [...ranges].sort((a, b) => b.start - a.start)) {
      out = out.slice(0, r.start) + out.slice(r.end);
      this.edits.push({ at: r.start, length: r.end - r.start, inserted: false });
    }
    return out;
  }

  /** A span of the edited text in the original one (an inserted part maps to where it was inserted). */
  original(start: number, length: number): { start: number; length: number } {
    let from = start;
    let to = start + length;
    for (const e of [...this.edits].reverse()) {
      const back = (p: number) => (e.inserted ? (p >= e.at + e.length ? p - e.length : Math.min(p, e.at)) : p >= e.at ? p + e.length : p);
      from = back(from);
      to = back(to);
    }
    return { start: from, length: to - from };
  }
}

/**
 * Loads Microsoft's analyser and runs it once on a small query, so that the first real query
 * does not pay for it (about 0.2 s to load and 0.5 s for a first analysis, measured). Servers
 * call it at start without waiting for it.
 */
export async function warmUp(): Promise<void> {
  const home: WorkspaceDef = {
    id: '00000000-0000-0000-0000-000000000000', name: 'warm-up', resourceId: '/warm-up', tenantId: '00000000-0000-0000-0000-000000000000', functions: [],
    tables: [{ name: 'T', stored: true, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Account', type: 'string' }, { name: 'Data', type: 'dynamic' }] }],
  };
  await compileQuery('T | where TimeGenerated > ago(1h) and Account has "x" | extend v = tostring(Data.k) | summarize n = count() by Account, bin(TimeGenerated, 5m) | top 5 by n', {
    home, resolveWorkspace: async () => undefined, catalogOf: (id) => id,
  });
}
