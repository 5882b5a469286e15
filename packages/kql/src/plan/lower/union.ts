// union: rows of every input, columns matched by name. kind=outer (the default) keeps every
// column (missing ones null); columns of one name and several types become Name_type (as the
// analyser names them); kind=inner keeps the columns every input has (name and type).
// A wildcard name (`*`, `Sec*`) stands for each table of the workspace it matches.
// withsource=C adds C first, naming each row's input: a table's name, the name `as` or `let`
// gave it, or union_argN for other expressions.
//
// isfuzzy=true: an input that fails to resolve is left out with a warning, as Kusto does, when
// at least one input resolves: one that starts from a name that is no table or function, or one
// naming columns that the output of an `evaluate bag_unpack`/`pivot` before them lacks (their
// columns come from the data). Other failures of an input are not hidden. When the analyser's
// types carry the failed input (columns of unknown type, its errors), the input is removed from
// the text it was written in (the query's, or a saved function's for this compilation) and the
// query is analysed again (compileQuery, like a schema discovery); otherwise it is just skipped.
import type { KqlDiagnostic } from '../../diagnostics.ts';
import { arrayOf, kindOf, kusto, listOf, spanOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../../syntax/symbols.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import type { Relation } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { analyserErrorsIn, fail, isHint, outputOf, parametersOf } from './context.ts';
import { expansionsOf } from './functions.ts';
import { scan, wildcardTables } from './sources.ts';

/** The code of the warning for a union input left out (isfuzzy=true). */
export const FUZZY_INPUT_LEFT_OUT = 'VQ050';

export function lowerUnion(lx: Lowerer, input: Relation | undefined, op: KNode, scope: Scope): Relation {
  let sourceColumn: string | undefined;
  let inner = false;
  let fuzzy = false;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'withsource') sourceColumn = p.text;
    else if (p.name === 'kind') inner = p.text.toLowerCase() === 'inner';
    else if (p.name === 'isfuzzy') fuzzy = p.text.toLowerCase() === 'true';
    else if (!isHint(p.name)) fail(p.node, `The union parameter '${p.name}'`);
  }
  if (fuzzy) removeFailedInputs(lx, op);
  const inputs: Relation[] = input !== undefined ? [input] : [];
  const names: string[] = input !== undefined ? [sourceName(lx, input, undefined, 0)] : [];
  for (const e of listOf(op.Expressions)) {
    const tables = wildcardTables(e);
    if (tables !== undefined) {
      // Tables storage does not hold yet have no rows: left out (union * would otherwise read
      // every standard table), unless no table matched has rows here or in the query API's
      // other workspaces.
      const additional = lx.options.additional ?? [];
      const scans = tables.map((table) => scan(lx.options.home, table, e));
      const holds = (table: string) => additional.some((w) => w.tables.some((t) => t.name === table && t.stored));
      const stored = scans.filter((x) => x.kind === 'scan' && (x.stored || holds(x.table)));
      // Tables only the query API's other workspaces have (their custom tables): read there. The
      // analyser typed the union with the home workspace's tables, so only the columns it knows
      // (Type, TenantId, TimeGenerated, ...) come from these.
      const pattern = globPattern(String(e.SimpleName));
      for (const w of additional) {
        for (const t of w.tables) {
          if (t.stored && pattern.test(t.name) && !tables.includes(t.name)) stored.push(scan(w, t.name, e));
        }
      }
      for (const plan of stored.length > 0 ? stored : scans.slice(0, 1)) {
        names.push(plan.kind === 'scan' ? plan.table : '');
        inputs.push(plan);
      }
      continue;
    }
    if (fuzzy && unresolved(e)) {
      warn(lx, e, unresolvedWhy(e));
      continue;
    }
    const plan = lx.tabular(e, scope);
    names.push(sourceName(lx, plan, e, inputs.length));
    inputs.push(plan);
  }
  if (inputs.length === 0) return fail(op, 'A union none of whose inputs exist');
  let columns = outputOf(op);
  if (inner) {
    const common = inputs[0]!.columns.filter((c) => inputs.every((i) => i.columns.some((x) => x.name === c.name && x.type === c.type)));
    columns = [...(sourceColumn !== undefined ? [{ name: sourceColumn, type: 'string' as const }] : []), ...common];
  }
  const data = sourceColumn !== undefined ? columns.filter((c) => c.name !== sourceColumn) : columns;
  const mapping = inputs.map((i) => data.map((c) => sourceOf(i.columns, c)));
  const union: Relation = {
    kind: 'union', inputs, mapping, columns,
    ...(sourceColumn !== undefined ? { source: { column: sourceColumn, names } } : {}),
  };
  return union;
}

/** A table name pattern (`*`, `Sec*`) as a regular expression over whole names. */
function globPattern(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The input column that fills output column `c`: same name and type, or `Name` for `Name_type`. */
function sourceOf(columns: KqlColumn[], c: KqlColumn): string | null {
  const same = columns.find((x) => x.name === c.name && x.type === c.type);
  if (same !== undefined) return same.name;
  const suffix = `_${c.type}`;
  if (c.name.endsWith(suffix)) {
    const base = c.name.slice(0, -suffix.length);
    const typed = columns.find((x) => x.name === base && x.type === c.type);
    if (typed !== undefined) return typed.name;
  }
  // A column of the same name but another type that the analyser did not split: it converts.
  const named = columns.find((x) => x.name === c.name);
  return named !== undefined ? named.name : null;
}

/** The expression an input starts from (its first table or call). */
function startOf(e: KNode): KNode {
  let node = e;
  while (kindOf(node) === 'ParenthesizedExpression' || kindOf(node) === 'PipeExpression') node = node.Expression;
  return node;
}

/** Whether the table an input starts from is a name the analyser could not resolve. */
function unresolved(e: KNode): boolean {
  const node = startOf(e);
  return kindOf(node) === 'NameReference' && (node.ReferencedSymbol === null || node.ReferencedSymbol === undefined);
}

const unresolvedWhy = (e: KNode) => `no table or function is named '${String(startOf(e).SimpleName)}'`;

/**
 * The first of `errors` inside `input`, if there are such errors and each follows an `evaluate
 * bag_unpack` or `pivot` of the input (names its data-dependent output lacks). Undefined
 * otherwise: no error, or one that the data does not explain (it is not hidden).
 */
function failureAfterPlugin(input: KNode, errors: KqlDiagnostic[]): KqlDiagnostic | undefined {
  const { start, length } = spanOf(input);
  const inside = errors.filter((d) => d.start >= start && d.start < start + length);
  if (inside.length === 0) return undefined;
  const pluginEnds: number[] = [];
  input.WalkElements((n: KNode) => {
    if (kindOf(n) !== 'EvaluateOperator') return;
    const name = String(n.FunctionCall?.Name?.SimpleName ?? '').toLowerCase();
    if (name === 'bag_unpack' || name === 'pivot') pluginEnds.push((n.TextStart as number) + (n.Width as number));
  });
  return inside.every((d) => pluginEnds.some((end) => end <= d.start)) ? inside[0] : undefined;
}

/** Where failed inputs are removed: the query's text, or a saved function's body ("{ ... }"). */
export type LeaveOutTarget = { kind: 'query' } | { kind: 'function'; name: string; text: string };

/**
 * Raised by lowering when failed inputs of a fuzzy union must leave the text: compileQuery
 * removes them and compiles again. Not a KqlError, so that it crosses function expansions as it is.
 */
export class FuzzyInputsLeftOut extends Error {
  constructor(readonly target: LeaveOutTarget, readonly leftOut: LeftOut) {
    super('union isfuzzy=true inputs to leave out');
  }
}

/**
 * Inputs whose failure the analyser's types carry: errors after a plugin (only inside a saved
 * function's body: the query's own errors fail its analysis, see fuzzyInputsToLeaveOut), and
 * unresolved names when the union's columns include one of unknown type (`(Missing | project
 * x)` gives the union a column x of unknown type). Raises FuzzyInputsLeftOut to remove them from
 * their text when it is the query's or a saved function's; otherwise they are skipped as they are.
 */
function removeFailedInputs(lx: Lowerer, op: KNode): void {
  const all = listOf(op.Expressions);
  const unknownColumns = arrayOf(op.ResultType?.Columns).some((c: KNode) => kqlTypeOf(c.Type) === undefined);
  const failed = new Map<number, string>();
  all.forEach((e: KNode, index: number) => {
    const failure = failureAfterPlugin(e, analyserErrorsIn(e));
    if (failure !== undefined) failed.set(index, failure.message);
    else if (unknownColumns && unresolved(e)) failed.set(index, unresolvedWhy(e));
  });
  if (failed.size === 0) return;
  let target: LeaveOutTarget;
  const fn = lx.expanding.at(-1);
  if (op.Root === lx.query.code.Syntax) target = { kind: 'query' };
  else if (fn !== undefined && fn.root === op.Root) target = { kind: 'function', name: fn.name, text: String(fn.root.ToString(1)) };
  else return;
  const text = target.kind === 'query' ? lx.query.text : target.text;
  const union = unionsIn(text).find((u) => u.TextStart === op.TextStart);
  const leftOut = union === undefined ? undefined : leaveOut(union, new Map([...failed].map(([i, why]) => [i, `A union input was left out (isfuzzy=true): ${why}`])));
  if (leftOut === undefined) return;
  if (target.kind === 'function') {
    // A position in the body's text means nothing to the query's author: the body is named.
    const where = ` (in the body of ${target.name})`;
    leftOut.warnings = leftOut.warnings.map((w) => ({ ...w, message: w.message + where, start: 0, length: 0 }));
  }
  throw new FuzzyInputsLeftOut(target, leftOut);
}

/** Warnings of a lowering (union inputs skipped), in order, without repeats. */
const warnings = new WeakMap<Lowerer, KqlDiagnostic[]>();

export function warningsOf(lx: Lowerer): KqlDiagnostic[] {
  return warnings.get(lx) ?? [];
}

function warn(lx: Lowerer, input: KNode, why: string): void {
  // Inside a function's body a position would be in the body's text: the body is named instead.
  const bodies = expansionsOf(lx).map((x) => x.name);
  const where = bodies.length > 0 ? ` (in the body of ${bodies.at(-1)})` : '';
  const { start, length } = bodies.length > 0 ? { start: 0, length: 0 } : spanOf(input);
  const warning: KqlDiagnostic = { code: FUZZY_INPUT_LEFT_OUT, message: `A union input was left out (isfuzzy=true): ${why}${where}`, start, length };
  const list = warnings.get(lx) ?? [];
  if (!list.some((w) => w.message === warning.message && w.start === warning.start)) list.push(warning);
  warnings.set(lx, list);
}

/** What leaving out failed inputs takes: ranges of the text to remove, warnings to give. */
export interface LeftOut {
  removals: { start: number; end: number }[];
  warnings: KqlDiagnostic[];
}

/** The fuzzy unions of a text, parsed only (no schema needed). A function body's braces are blanked (same offsets). */
function unionsIn(text: string): KNode[] {
  const { Kusto } = kusto();
  const body = /^(\s*)\{([^]*)\}(\s*)$/.exec(text);
  const root = Kusto.Language.KustoCode.Parse(body === null ? text : `${body[1]} ${body[2]} ${body[3]}`).Syntax;
  const unions: KNode[] = [];
  root.WalkElements((n: KNode) => {
    if (kindOf(n) === 'UnionOperator' && parametersOf(n.Parameters).some((p) => p.name === 'isfuzzy' && p.text.toLowerCase() === 'true')) unions.push(n);
  });
  return unions;
}

/**
 * The removal of inputs `gone` (index -> warning message) of a parsed union: each input with the
 * comma after it (before it, after the last input kept). When none is kept, `T | union ...`
 * becomes T; without a piped input nothing remains: undefined (Kusto's error stands).
 */
function leaveOut(union: KNode, gone: Map<number, string>): LeftOut | undefined {
  const all = listOf(union.Expressions);
  const out: LeftOut = { removals: [], warnings: [] };
  const indices = [...gone.keys()].sort((a, b) => a - b);
  for (const index of indices) {
    const { start, length } = spanOf(all[index]);
    out.warnings.push({ code: FUZZY_INPUT_LEFT_OUT, message: gone.get(index)!, start, length });
  }
  if (indices.length === all.length) {
    const pipe = union.Parent;
    if (pipe === null || pipe === undefined || kindOf(pipe) !== 'PipeExpression' || pipe.Operator !== union) return undefined;
    out.removals.push({ start: pipe.Bar.TextStart as number, end: (union.TextStart as number) + (union.Width as number) });
    return out;
  }
  let lastKept = all.length - 1;
  while (gone.has(lastKept)) lastKept--;
  for (const index of indices) {
    const input = all[index];
    if (index < lastKept) out.removals.push({ start: input.TextStart as number, end: all[index + 1].TextStart as number });
    else out.removals.push({ start: (all[index - 1].TextStart as number) + (all[index - 1].Width as number), end: (input.TextStart as number) + (input.Width as number) });
  }
  return out;
}

/**
 * The query's analysis failed with `errors`. If each lies in an input of a `union isfuzzy=true`
 * of the text after a bag_unpack or pivot of that input, the removal of those inputs (the
 * innermost such input for each error); otherwise undefined (the errors stand).
 */
export function fuzzyInputsToLeaveOut(text: string, errors: KqlDiagnostic[]): LeftOut | undefined {
  const unions = unionsIn(text);
  const chosen = new Map<KNode, { union: KNode; index: number; error: KqlDiagnostic }>();
  for (const error of errors) {
    let best: { union: KNode; index: number; input: KNode } | undefined;
    for (const union of unions) {
      listOf(union.Expressions).forEach((input: KNode, index: number) => {
        if (failureAfterPlugin(input, [error]) === undefined) return;
        if (best === undefined || input.Width < best.input.Width) best = { union, index, input };
      });
    }
    if (best === undefined) return undefined;
    if (!chosen.has(best.input)) chosen.set(best.input, { union: best.union, index: best.index, error });
  }
  // An input inside another one left out goes with it.
  const within = (i: KNode, o: KNode) => o.TextStart <= i.TextStart && i.TextStart + i.Width <= o.TextStart + o.Width;
  const outermost = [...chosen.keys()].filter((i) => ![...chosen.keys()].some((o) => o !== i && within(i, o)));
  const out: LeftOut = { removals: [], warnings: [] };
  for (const union of new Set(outermost.map((i) => chosen.get(i)!.union))) {
    const gone = new Map(outermost.filter((i) => chosen.get(i)!.union === union).map((i) => [chosen.get(i)!.index, `A union input was left out (isfuzzy=true): ${chosen.get(i)!.error.message}`]));
    const part = leaveOut(union, gone);
    if (part === undefined) return undefined;
    out.removals.push(...part.removals);
    out.warnings.push(...part.warnings);
  }
  return out;
}

function sourceName(lx: Lowerer, plan: Relation, e: KNode | undefined, index: number): string {
  const named = lx.sourceNames.get(plan);
  if (named !== undefined) return named;
  let node = e;
  while (node !== undefined && kindOf(node) === 'ParenthesizedExpression') node = node.Expression;
  if (node !== undefined && kindOf(node) === 'NameReference' && node.ReferencedSymbol && symbolKindOf(node.ReferencedSymbol) === 'Table') {
    return String(node.ReferencedSymbol.Name);
  }
  if (plan.kind === 'scan') return plan.table;
  return `union_arg${index}`;
}
