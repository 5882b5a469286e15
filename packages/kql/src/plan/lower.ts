// Stage 2: the analysed syntax tree -> the logical plan. Types and output schemas come from the
// analyser (every node is typed); this stage decides meaning. Anything it does not know raises
// `unsupported` at the construct's position: nothing is dropped or guessed.
import { KqlError, unsupported } from '../diagnostics.ts';
import { aggregateFunction, isScalarFunction } from '../functions/catalog.ts';
import type { AnalyzedQuery } from '../syntax/analyze.ts';
import { arrayOf, kindOf, listOf, spanOf, symbolKindOf, type KNode } from '../syntax/kusto-runtime.ts';
import { kqlTypeOf } from '../syntax/symbols.ts';
import type { KqlColumn, KqlType, WorkspaceDef } from '../types.ts';
import { parseDatetimeLiteral, parseNumberLiteral, parseTimespan } from './literals.ts';
import { call, col, lit, type AggregateCall, type JoinKind, type Named, type Relation, type Scalar, type SortKey } from './nodes.ts';
import { Scope } from './scope.ts';

export interface LowerOptions {
  home: WorkspaceDef;
  /** What now() is: microseconds since the epoch, fixed for the whole query. */
  nowMicros: bigint;
}

export interface Lowered {
  plan: Relation;
  render?: { visualization: string; properties: Record<string, unknown> };
}

/** Columns of a tabular result type (a TableSymbol) as the analyser computed them. */
export function columnsOfType(type: KNode, at: KNode): KqlColumn[] {
  if (type === null || type === undefined || symbolKindOf(type) !== 'Table') {
    const { start, length } = spanOf(at);
    throw new KqlError('semantic', { code: 'VQ010', message: 'A tabular expression was expected here.', start, length });
  }
  return arrayOf(type.Columns).map((c: KNode) => {
    const t = kqlTypeOf(c.Type);
    if (t === undefined) {
      const { start, length } = spanOf(at);
      throw unsupported(`The column type of '${c.Name}' (${c.Type?.Name})`, start, length);
    }
    return { name: String(c.Name), type: t };
  });
}

function typeOf(node: KNode): KqlType {
  const t = kqlTypeOf(node.ResultType);
  if (t === undefined) {
    const { start, length } = spanOf(node);
    throw unsupported(`An expression of type '${node.ResultType?.Name ?? 'unknown'}'`, start, length);
  }
  return t;
}

function fail(node: KNode, what: string, hint?: string): never {
  const { start, length } = spanOf(node);
  throw unsupported(what, start, length, hint);
}

/** The operator text of a binary expression, normalised: "==", "has_cs", "!in~", "matches regex". */
function operatorText(node: KNode): string {
  return String(node.Operator.Text).toLowerCase().replace(/\s+/g, ' ');
}

const JOIN_KINDS: Record<string, JoinKind> = {
  inner: 'inner', innerunique: 'innerunique', leftouter: 'leftouter', rightouter: 'rightouter', fullouter: 'fullouter',
  leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti', rightanti: 'rightanti', rightantisemi: 'rightanti',
  leftsemi: 'leftsemi', rightsemi: 'rightsemi',
};



export class Lowerer {
  private render: Lowered['render'];
  /** Names for generated columns and shared relations; per query, so that SQL is reproducible. */
  private ids = 0;

  constructor(private readonly query: AnalyzedQuery, private readonly options: LowerOptions) {}

  lower(): Lowered {
    const root = this.query.code.Syntax;
    const scope = new Scope();
    const statements = listOf(root.Statements);
    let last: KNode | undefined;
    for (const statement of statements) {
      const kind = kindOf(statement);
      if (kind === 'LetStatement') this.bindLet(statement, scope);
      else if (kind === 'ExpressionStatement') last = statement.Expression;
      else if (kind === 'QueryParametersStatement') this.bindQueryParameters(statement, scope);
      else fail(statement, `The statement '${kind}'`);
    }
    if (last === undefined) {
      throw new KqlError('semantic', { code: 'VQ011', message: 'The query has no tabular expression to return.', start: 0, length: 0,
        hint: 'End the query with an expression, for example a table name.' });
    }
    const plan = this.tabular(last, scope);
    return { plan, ...(this.render !== undefined ? { render: this.render } : {}) };
  }

  // ---- statements ------------------------------------------------------------------------

  private bindLet(statement: KNode, scope: Scope): void {
    const name = String(statement.Name.SimpleName);
    const expr = statement.Expression;
    const kind = kindOf(expr);
    // Lambdas are expanded at each call site (the analyser gives the bound body).
    if (kind === 'FunctionDeclaration') return;
    if (this.isTabular(expr)) scope.set(name, { kind: 'table', plan: this.tabular(expr, scope) });
    else scope.set(name, { kind: 'scalar', expr: this.scalar(expr, scope, undefined) });
  }

  /** `declare query_parameters(name:type = default)`: the defaults (values come from the API later). */
  private bindQueryParameters(statement: KNode, scope: Scope): void {
    for (const p of listOf(statement.Parameters)) {
      const name = String(p.NameAndType.Name.SimpleName);
      if (p.DefaultValue === null || p.DefaultValue === undefined) fail(p, `The query parameter '${name}' without a default value`);
      scope.set(name, { kind: 'scalar', expr: this.scalar(p.DefaultValue.Value, scope, undefined) });
    }
  }

  private isTabular(expr: KNode): boolean {
    const type = expr.ResultType;
    return type !== null && type !== undefined && symbolKindOf(type) === 'Table';
  }

  // ---- tabular expressions -----------------------------------------------------------------

  tabular(expr: KNode, scope: Scope): Relation {
    const kind = kindOf(expr);
    switch (kind) {
      case 'PipeExpression':
        return this.operator(this.tabular(expr.Expression, scope), expr.Operator, scope);
      case 'ParenthesizedExpression':
        return this.tabular(expr.Expression, scope);
      case 'NameReference':
        return this.tableReference(expr, scope);
      case 'PathExpression':
        return this.workspaceTable(expr);
      case 'FunctionCallExpression':
        return this.tabularCall(expr, scope);
      case 'DataTableExpression':
        return this.datatable(expr, scope);
      case 'MaterializeExpression': {
        const input = this.tabular(expr.Expression, scope);
        return { kind: 'shared', id: `m${this.ids++}`, input, columns: input.columns };
      }
      case 'UnionOperator': case 'PrintOperator': case 'RangeOperator':
        return this.operator(undefined, expr, scope);
      default:
        return fail(expr, `The tabular expression '${kind}'`);
    }
  }

  private scan(workspace: WorkspaceDef, table: KNode, at: KNode): Relation {
    const name = String(table.Name);
    const def = workspace.tables.find((t) => t.name === name);
    if (def === undefined) return fail(at, `The table '${name}'`);
    return { kind: 'scan', workspaceId: workspace.id, table: def.name, stored: def.stored, columns: def.columns.map((c) => ({ ...c })) };
  }

  private tableReference(expr: KNode, scope: Scope): Relation {
    const symbol = expr.ReferencedSymbol;
    const name = String(expr.SimpleName);
    const kind = symbol === null || symbol === undefined ? 'None' : symbolKindOf(symbol);
    if (kind === 'Table') return this.scan(this.options.home, symbol, expr);
    if (kind === 'Variable' || kind === 'Parameter') {
      const bound = scope.get(name);
      if (bound?.kind === 'table') return bound.plan;
      return fail(expr, `The tabular name '${name}'`);
    }
    if (kind === 'Function') return this.expandCall(expr, [], scope, expr);
    return fail(expr, `The name '${name}' (a ${kind})`);
  }

  /** `workspace("x").Table`. */
  private workspaceTable(expr: KNode): Relation {
    const target = expr.Expression;
    if (kindOf(target) !== 'FunctionCallExpression' || String(target.Name.SimpleName).toLowerCase() !== 'workspace') {
      return fail(expr, 'This kind of qualified table name', 'Only workspace("name").Table is supported.');
    }
    const [arg] = listOf(target.ArgumentList.Expressions);
    const reference = String(arg?.LiteralValue ?? '');
    const workspace = this.query.workspaces.get(reference) ?? (reference === this.options.home.name ? this.options.home : undefined);
    if (workspace === undefined) {
      const { start, length } = spanOf(target);
      throw new KqlError('not-found', { code: 'VQ020', message: `The workspace '${reference}' was not found, or you do not have access to it.`, start, length });
    }
    const table = expr.Selector.ReferencedSymbol;
    if (table === null || symbolKindOf(table) !== 'Table') return fail(expr.Selector, 'This member of workspace()');
    return this.scan(workspace, table, expr);
  }

  private tabularCall(expr: KNode, scope: Scope): Relation {
    const symbol = expr.ReferencedSymbol;
    const name = String(expr.Name.SimpleName);
    if (symbol !== null && symbol !== undefined && this.isUserFunction(symbol)) {
      return this.expandCall(expr, listOf(expr.ArgumentList.Expressions), scope, expr);
    }
    if (name === 'table') {
      const [arg] = listOf(expr.ArgumentList.Expressions);
      const tableName = String(arg?.LiteralValue ?? '');
      const bound = scope.get(tableName);
      if (bound?.kind === 'table') return bound.plan;
      const def = this.options.home.tables.find((t) => t.name === tableName);
      if (def === undefined) return fail(expr, `table('${tableName}')`);
      return { kind: 'scan', workspaceId: this.options.home.id, table: def.name, stored: def.stored, columns: def.columns.map((c) => ({ ...c })) };
    }
    return fail(expr, `The tabular function '${name}'`);
  }

  private isUserFunction(symbol: KNode): boolean {
    if (symbolKindOf(symbol) !== 'Function') return false;
    // Built-in functions have no body to expand; lambdas and saved functions do.
    return symbol.Signatures !== undefined && arrayOf(symbol.Signatures).some((s: KNode) => s.Declaration || s.Body);
  }

  /** A call of a let lambda or saved function: its body, lowered with the parameters bound. */
  private expandCall(call: KNode, args: KNode[], scope: Scope, at: KNode): Relation {
    const expanded = this.expansion(call, args, scope, at);
    if (expanded.kind !== 'table') return fail(at, 'A scalar function used as a table');
    return expanded.plan;
  }

  private expansion(callNode: KNode, args: KNode[], scope: Scope, at: KNode): { kind: 'table'; plan: Relation } | { kind: 'scalar'; expr: Scalar } {
    const expansion = callNode.GetExpansion?.();
    if (expansion === null || expansion === undefined) return fail(at, 'This function call (its body could not be expanded)');
    const body = expansion.Root;
    const symbol = callNode.ReferencedSymbol;
    const signature = arrayOf(symbol.Signatures)[0];
    const parameters = arrayOf(signature?.Parameters);
    const inner = scope.child();
    parameters.forEach((p: KNode, i: number) => {
      const name = String(p.Name);
      const arg = args[i];
      if (arg !== undefined) {
        inner.set(name, this.isTabular(arg) ? { kind: 'table', plan: this.tabular(arg, scope) } : { kind: 'scalar', expr: this.scalar(arg, scope, undefined) });
      } else if (p.DefaultValue !== null && p.DefaultValue !== undefined) {
        inner.set(name, { kind: 'scalar', expr: this.scalar(p.DefaultValue, scope, undefined) });
      }
    });
    for (const statement of listOf(body.Statements)) {
      if (kindOf(statement) === 'LetStatement') this.bindLet(statement, inner);
      else if (kindOf(statement) === 'ExpressionStatement') {
        // A body whose last statement is an expression statement (older saved-function form).
        const e = statement.Expression;
        return this.isTabular(e) ? { kind: 'table', plan: this.tabular(e, inner) } : { kind: 'scalar', expr: this.scalar(e, inner, undefined) };
      }
    }
    const result = body.Expression;
    if (result === null || result === undefined) return fail(at, 'A function without a result expression');
    return this.isTabular(result) ? { kind: 'table', plan: this.tabular(result, inner) } : { kind: 'scalar', expr: this.scalar(result, inner, undefined) };
  }

  private datatable(expr: KNode, scope: Scope): Relation {
    const columns = columnsOfType(expr.ResultType, expr);
    const values = listOf(expr.Values);
    if (values.length % Math.max(columns.length, 1) !== 0) return fail(expr, 'A datatable whose value count is not a multiple of its columns');
    const rows: Scalar[][] = [];
    for (let i = 0; i < values.length; i += columns.length) {
      rows.push(columns.map((c, j) => this.coerceLiteral(this.scalar(values[i + j], scope, undefined), c.type)));
    }
    return { kind: 'values', columns, rows };
  }

  /** Datatable cells are converted to the column's type (a long literal in a real column). */
  private coerceLiteral(value: Scalar, type: KqlType): Scalar {
    if (value.type === type) return value;
    return call('convert', type, value);
  }

  // ---- query operators ---------------------------------------------------------------------

  private operator(input: Relation | undefined, op: KNode, scope: Scope): Relation {
    const kind = kindOf(op);
    const need = (): Relation => input ?? fail(op, `'${kind}' without an input`);
    switch (kind) {
      case 'FilterOperator': {
        const i = need();
        return { kind: 'filter', input: i, predicate: this.scalar(op.Condition, scope, i), columns: i.columns };
      }
      case 'ExtendOperator': return this.extend(need(), listOf(op.Expressions), scope, op);
      case 'ProjectOperator': return this.project(need(), listOf(op.Expressions), scope, op);
      case 'ProjectAwayOperator': case 'ProjectKeepOperator': case 'ProjectRenameOperator': case 'ProjectReorderOperator':
        return this.reshape(need(), op);
      case 'SummarizeOperator': return this.summarize(need(), op, scope);
      case 'SortOperator': {
        const i = need();
        return { kind: 'sort', input: i, keys: listOf(op.Expressions).map((e) => this.sortKey(e, scope, i)), columns: i.columns };
      }
      case 'TakeOperator': {
        const i = need();
        return { kind: 'limit', input: i, count: this.scalar(op.Expression, scope, i), columns: i.columns };
      }
      case 'TopOperator': {
        const i = need();
        const sorted: Relation = { kind: 'sort', input: i, keys: [this.sortKey(op.ByExpression, scope, i)], columns: i.columns };
        return { kind: 'limit', input: sorted, count: this.scalar(op.Expression, scope, i), columns: i.columns };
      }
      case 'CountOperator': {
        const i = need();
        const [out] = columnsOfType(op.ResultType, op);
        return { kind: 'aggregate', input: i, keys: [], aggregates: [{ name: out!.name, call: { fn: 'count', args: [], type: 'long' } }], columns: [out!] };
      }
      case 'DistinctOperator': {
        const i = need();
        const exprs = listOf(op.Expressions);
        if (exprs.length === 1 && kindOf(exprs[0]) === 'StarExpression') return { kind: 'distinct', input: i, columns: i.columns };
        const projected = this.project(i, exprs, scope, op);
        return { kind: 'distinct', input: projected, columns: projected.columns };
      }
      case 'UnionOperator': return this.union(input, op, scope);
      case 'JoinOperator': case 'LookupOperator': return this.join(need(), op, scope);
      case 'PrintOperator': {
        const columns = columnsOfType(op.ResultType, op);
        const exprs = listOf(op.Expressions).map((e) => this.named(e, scope, undefined).expr);
        return { kind: 'values', columns, rows: [exprs] };
      }
      case 'RangeOperator': {
        const columns = columnsOfType(op.ResultType, op);
        return { kind: 'range', columns, from: this.scalar(op.From, scope, undefined), to: this.scalar(op.To, scope, undefined), step: this.scalar(op.Step, scope, undefined) };
      }
      case 'MvExpandOperator': return this.mvExpand(need(), op, scope);
      case 'SerializeOperator': {
        const i = need();
        const exprs = listOf(op.Expressions);
        return exprs.length === 0 ? i : this.extend(i, exprs, scope, op);
      }
      case 'AsOperator': return need();
      case 'RenderOperator': {
        const properties: Record<string, unknown> = {};
        for (const p of listOf(op.WithClause?.Properties)) properties[String(p.Name.SimpleName)] = String(p.Expression.toString()).trim();
        this.render = { visualization: String(op.ChartType.Text), properties };
        return need();
      }
      default:
        return fail(op, `The operator '${String(op.GetFirstToken?.()?.Text ?? kind)}'`);
    }
  }

  /** A named expression: `name = expr`, or expr with the name the analyser gave it. */
  private named(expr: KNode, scope: Scope, row: Relation | undefined): Named {
    const kind = kindOf(expr);
    if (kind === 'SimpleNamedExpression') {
      return { name: String(expr.Name.SimpleName), expr: this.scalar(expr.Expression, scope, row) };
    }
    return { name: '', expr: this.scalar(expr, scope, row) };
  }

  /** Output columns: the analyser's schema, in which the expressions' names are settled. */
  private extend(input: Relation, exprs: KNode[], scope: Scope, op: KNode): Relation {
    const columns = columnsOfType(op.ResultType, op);
    const added = new Map<string, Scalar>();
    const inputNames = new Set(input.columns.map((c) => c.name));
    // Unnamed expressions take names in order of the columns the analyser added.
    const newNames = columns.map((c) => c.name).filter((n) => !inputNames.has(n));
    let unnamed = 0;
    for (const e of exprs) {
      if (kindOf(e) === 'CompoundNamedExpression') return fail(e, 'extend (a, b) = ...', 'Write one extend per column for now.');
      const n = this.named(e, scope, input);
      let name = n.name;
      if (name === '') {
        name = this.implicitName(e) ?? newNames[unnamed++] ?? fail(e, 'An unnamed expression');
      }
      added.set(name, n.expr);
    }
    const out: Named[] = columns.map((c) => ({ name: c.name, expr: added.get(c.name) ?? col(c.name, c.type) }));
    return { kind: 'project', input, exprs: out, columns };
  }

  /** The name Kusto gives a bare column or path expression (`extend Account` keeps Account). */
  private implicitName(e: KNode): string | undefined {
    const kind = kindOf(e);
    if (kind === 'NameReference') return String(e.SimpleName);
    return undefined;
  }

  private project(input: Relation, exprs: KNode[], scope: Scope, op: KNode): Relation {
    const columns = columnsOfType(op.ResultType, op);
    if (exprs.length !== columns.length) return fail(op, 'A project whose output the compiler cannot match to its expressions');
    const out: Named[] = exprs.map((e, i) => {
      if (kindOf(e) === 'CompoundNamedExpression') return fail(e, 'project (a, b) = ...');
      const n = this.named(e, scope, input);
      return { name: columns[i]!.name, expr: n.expr };
    });
    return { kind: 'project', input, exprs: out, columns };
  }

  /** project-away / keep / rename / reorder: the analyser's schema says which columns stay, under which names. */
  private reshape(input: Relation, op: KNode): Relation {
    const columns = columnsOfType(op.ResultType, op);
    const kind = kindOf(op);
    const renames = new Map<string, string>();
    if (kind === 'ProjectRenameOperator') {
      for (const e of listOf(op.Expressions)) {
        if (kindOf(e) !== 'SimpleNamedExpression') return fail(e, 'This form of project-rename');
        renames.set(String(e.Name.SimpleName), String(e.Expression.SimpleName ?? e.Expression.ReferencedSymbol?.Name));
      }
    }
    const exprs: Named[] = columns.map((c) => {
      const source = renames.get(c.name) ?? c.name;
      const from = input.columns.find((x) => x.name === source);
      if (from === undefined) return fail(op, `Column '${c.name}' after ${kind}`);
      return { name: c.name, expr: col(from.name, from.type) };
    });
    return { kind: 'project', input, exprs, columns };
  }

  private sortKey(e: KNode, scope: Scope, row: Relation): SortKey {
    let expr = e;
    let descending = true;
    let nullsFirst: boolean | undefined;
    if (kindOf(e) === 'OrderedExpression') {
      expr = e.Expression;
      const ordering = e.Ordering;
      if (ordering?.AscOrDescKeyword) descending = String(ordering.AscOrDescKeyword.Text).toLowerCase() === 'desc';
      if (ordering?.NullsClause) nullsFirst = String(ordering.NullsClause.FirstOrLastKeyword.Text).toLowerCase() === 'first';
    }
    // Kusto: descending puts nulls last, ascending puts them first (unless told).
    return { expr: this.scalar(expr, scope, row), descending, nullsFirst: nullsFirst ?? !descending };
  }

  private summarize(input: Relation, op: KNode, scope: Scope): Relation {
    const columns = columnsOfType(op.ResultType, op);
    const byExprs = listOf(op.ByClause?.Expressions);
    const keys: Named[] = byExprs.map((e, i) => ({ name: columns[i]!.name, expr: this.named(e, scope, input).expr }));
    const aggregates: { name: string; call: AggregateCall }[] = [];
    const outputs: Named[] = keys.map((k) => ({ name: k.name, expr: col(k.name, columns.find((c) => c.name === k.name)!.type) }));
    let next = keys.length;
    let needsProject = false;
    for (const e of listOf(op.Aggregates)) {
      const named = kindOf(e) === 'SimpleNamedExpression';
      const body = named ? e.Expression : e;
      // arg_max(x, *) and friends produce several columns.
      if (kindOf(body) === 'FunctionCallExpression' && /^arg_(max|min)$/.test(String(body.Name.SimpleName))) {
        const produced = this.argExtreme(body, input, scope, columns, next, keys, aggregates);
        outputs.push(...produced);
        next += produced.length;
        continue;
      }
      const name = columns[next++]?.name ?? fail(e, 'An aggregate the compiler cannot name');
      const collected: { name: string; call: AggregateCall }[] = [];
      const expr = this.aggregateExpr(body, scope, input, collected);
      if (expr.kind === 'column' && collected.length === 1 && collected[0]!.name === expr.name) {
        aggregates.push({ name, call: collected[0]!.call });
        outputs.push({ name, expr: col(name, expr.type) });
      } else {
        aggregates.push(...collected);
        outputs.push({ name, expr });
        needsProject = true;
      }
    }
    const aggColumns: KqlColumn[] = [
      ...keys.map((k) => columns.find((c) => c.name === k.name)!),
      ...aggregates.map((a) => ({ name: a.name, type: a.call.type })),
    ];
    const agg: Relation = { kind: 'aggregate', input, keys, aggregates, columns: aggColumns };
    if (!needsProject) return { ...agg, columns };
    return { kind: 'project', input: agg, exprs: outputs, columns };
  }

  /** arg_max(by, *) or arg_max(by, a, b): the row's other columns at the extreme of `by`. */
  private argExtreme(body: KNode, input: Relation, scope: Scope, columns: KqlColumn[], at: number, keys: Named[],
    aggregates: { name: string; call: AggregateCall }[]): Named[] {
    const fn = String(body.Name.SimpleName);
    const [byNode, ...rest] = listOf(body.ArgumentList.Expressions);
    const by = this.scalar(byNode, scope, input);
    const taken: { name: string; expr: Scalar }[] = [];
    const keyNames = new Set(keys.map((k) => k.name));
    const byName = columns[at]?.name ?? fail(body, `${fn} naming`);
    taken.push({ name: byName, expr: by });
    for (const r of rest) {
      if (kindOf(r) === 'StarExpression') {
        for (const c of input.columns) {
          if (!keyNames.has(c.name) && !taken.some((t) => t.name === c.name)) taken.push({ name: c.name, expr: col(c.name, c.type) });
        }
      } else {
        const n = this.named(r, scope, input);
        taken.push({ name: n.name || this.implicitName(r) || columns[at + taken.length]?.name || fail(r, `${fn} argument naming`), expr: n.expr });
      }
    }
    // The analyser's names win (it renames clashes: TimeGenerated1...).
    const out: Named[] = [];
    taken.forEach((t, i) => {
      const column = columns[at + i] ?? fail(body, `${fn} with more outputs than the analyser expects`);
      const name = `__${fn}_${aggregates.length}`;
      aggregates.push({ name, call: { fn: fn === 'arg_max' ? 'arg_max' : 'arg_min', args: [t.expr, by], type: column.type } });
      out.push({ name: column.name, expr: col(name, column.type) });
    });
    return out;
  }

  /** An aggregate expression: aggregate calls collected (as columns __aggN), the rest scalar over them. */
  private aggregateExpr(node: KNode, scope: Scope, input: Relation, collected: { name: string; call: AggregateCall }[]): Scalar {
    if (kindOf(node) === 'FunctionCallExpression') {
      const fn = String(node.Name.SimpleName);
      const spec = aggregateFunction(fn);
      if (spec !== undefined) {
        const args = listOf(node.ArgumentList.Expressions).map((a) => (kindOf(a) === 'StarExpression' ? lit(null, 'long') : this.scalar(a, scope, input)));
        const type = typeOf(node);
        const name = `__agg${collected.length}_${this.ids++}`;
        collected.push({ name, call: { fn: spec.name, args, type } });
        return col(name, type);
      }
    }
    return this.scalar(node, scope, input, (inner) => this.aggregateExpr(inner, scope, input, collected));
  }

  private union(input: Relation | undefined, op: KNode, scope: Scope): Relation {
    const columns = columnsOfType(op.ResultType, op);
    const inputs: Relation[] = input !== undefined ? [input] : [];
    const names: string[] = [];
    for (const e of listOf(op.Expressions)) inputs.push(this.tabular(e, scope));
    let source: { column: string; names: string[] } | undefined;
    for (const p of listOf(op.Parameters)) {
      const pname = String(p.Name.SimpleName).toLowerCase();
      if (pname === 'withsource') {
        const exprs = input !== undefined ? [undefined, ...listOf(op.Expressions)] : listOf(op.Expressions);
        for (const e of exprs) names.push(e === undefined ? '' : String(e.toString()).trim());
        source = { column: String(p.Expression.SimpleName ?? p.Expression.toString()).trim(), names };
      } else if (pname === 'kind' || pname === 'isfuzzy') {
        // kind=outer is the default; kind=inner keeps common columns: the analyser's schema says which.
      } else {
        fail(p, `The union parameter '${pname}'`);
      }
    }
    return { kind: 'union', inputs, ...(source !== undefined ? { source } : {}), columns };
  }

  private join(left: Relation, op: KNode, scope: Scope): Relation {
    const lookup = kindOf(op) === 'LookupOperator';
    let kind: JoinKind = lookup ? 'leftouter' : 'innerunique';
    for (const p of listOf(op.Parameters)) {
      const pname = String(p.Name.SimpleName).toLowerCase();
      if (pname === 'kind') {
        const value = String(p.Expression.SimpleName ?? p.Expression.toString()).trim().toLowerCase();
        kind = JOIN_KINDS[value] ?? fail(p, `join kind=${value}`);
        if (lookup && value === 'inner') kind = 'inner';
      } else if (pname !== 'hint.strategy' && pname !== 'hint.remote' && pname !== 'hint.shufflekey' && pname !== 'hint.num_partitions') {
        fail(p, `The join parameter '${pname}'`);
      }
    }
    const right = this.tabular(op.Expression, scope);
    const clause = op.ConditionClause ?? op.LookupClause;
    if (kindOf(clause) !== 'JoinOnClause') return fail(clause, 'join ... where', 'Use join ... on.');
    const on: { left: string; right: string }[] = [];
    for (const e of listOf(clause.Expressions)) on.push(...this.joinCondition(e));
    const columns = columnsOfType(op.ResultType, op);
    const output: { name: string; side: 'left' | 'right'; column: string }[] = [];
    if (kind === 'leftanti' || kind === 'leftsemi') {
      left.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'left', column: c.name }));
    } else if (kind === 'rightanti' || kind === 'rightsemi') {
      right.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'right', column: c.name }));
    } else if (lookup) {
      // lookup: left columns, then right columns other than the keys (keys appear once).
      left.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'left', column: c.name }));
      const rightKeys = new Set(on.filter((k) => k.left === k.right).map((k) => k.right));
      let at = left.columns.length;
      for (const c of right.columns) if (!rightKeys.has(c.name)) output.push({ name: columns[at++]!.name, side: 'right', column: c.name });
    } else {
      left.columns.forEach((c, i) => output.push({ name: columns[i]!.name, side: 'left', column: c.name }));
      right.columns.forEach((c, i) => output.push({ name: columns[left.columns.length + i]!.name, side: 'right', column: c.name }));
    }
    if (output.length !== columns.length) return fail(op, 'A join whose output the compiler cannot match to the analyser\'s');
    return { kind: 'join', joinKind: kind, left, right, on, output, columns };
  }

  private joinCondition(e: KNode): { left: string; right: string }[] {
    const kind = kindOf(e);
    if (kind === 'NameReference') return [{ left: String(e.SimpleName), right: String(e.SimpleName) }];
    if (kind === 'AndExpression') return [...this.joinCondition(e.Left), ...this.joinCondition(e.Right)];
    if (kind === 'EqualExpression') {
      const side = (x: KNode): { side: string; name: string } | undefined => {
        if (kindOf(x) !== 'PathExpression') return undefined;
        const s = String(x.Expression.toString()).trim().toLowerCase();
        return { side: s, name: String(x.Selector.SimpleName) };
      };
      const a = side(e.Left);
      const b = side(e.Right);
      if (a && b) {
        const l = a.side === '$left' ? a : b;
        const r = a.side === '$right' ? a : b;
        if (l.side === '$left' && r.side === '$right') return [{ left: l.name, right: r.name }];
      }
    }
    return fail(e, 'This join condition', 'Use column names, or $left.a == $right.b, joined with and.');
  }

  private mvExpand(input: Relation, op: KNode, scope: Scope): Relation {
    const columns = columnsOfType(op.ResultType, op);
    const expand: { name: string; expr: Scalar; type: KqlType }[] = [];
    for (const e of listOf(op.Expressions)) {
      const inner = e.Expression;
      const n = this.named(inner, scope, input);
      const name = n.name || this.implicitName(inner) || fail(inner, 'mv-expand of an unnamed expression');
      const target = columns.find((c) => c.name === name) ?? fail(inner, `mv-expand column '${name}'`);
      expand.push({ name, expr: n.expr, type: target.type });
    }
    let limit: number | undefined;
    if (op.RowLimitClause) limit = Number(op.RowLimitClause.Expression?.LiteralValue ?? Number.NaN);
    let indexColumn: string | undefined;
    for (const p of listOf(op.Parameters)) {
      const pname = String(p.Name.SimpleName).toLowerCase();
      if (pname === 'with_itemindex') indexColumn = String(p.Expression.SimpleName);
      else if (pname !== 'bagexpansion' || String(p.Expression.toString()).trim() !== 'bag') fail(p, `mv-expand ${pname}`);
    }
    return { kind: 'mvexpand', input, expand, ...(limit !== undefined && !Number.isNaN(limit) ? { limit } : {}), ...(indexColumn ? { indexColumn } : {}), columns };
  }

  // ---- scalar expressions ------------------------------------------------------------------

  /**
   * A scalar expression over the columns of `row`. `inner` lowers sub-expressions instead of
   * this function when given (summarize uses it to collect aggregates anywhere in the tree).
   */
  scalar(node: KNode, scope: Scope, row: Relation | undefined, inner?: (n: KNode) => Scalar): Scalar {
    const sub = inner ?? ((n: KNode) => this.scalar(n, scope, row));
    const kind = kindOf(node);
    switch (kind) {
      case 'ParenthesizedExpression': return sub(node.Expression);
      case 'StringLiteralExpression': case 'CompoundStringLiteralExpression':
        return lit(String(node.LiteralValue ?? ''), 'string');
      case 'BooleanLiteralExpression': {
        const text = String(node.toString()).trim().toLowerCase();
        return lit(text.includes('null') ? null : text.includes('true'), 'bool');
      }
      case 'LongLiteralExpression': case 'IntLiteralExpression': {
        const v = parseNumberLiteral(String(node.toString()), true);
        if (v === undefined) return fail(node, 'This number literal');
        const type = typeOf(node);
        return lit(v === null ? null : type === 'int' ? Number(v) : v, type);
      }
      case 'RealLiteralExpression': case 'DecimalLiteralExpression': {
        const v = parseNumberLiteral(String(node.toString()), false);
        if (v === undefined) return fail(node, 'This number literal');
        return lit(v, typeOf(node));
      }
      case 'DateTimeLiteralExpression': {
        const v = parseDatetimeLiteral(String(node.toString()));
        if (v === undefined) return fail(node, 'This datetime literal', 'Write it as ISO 8601, e.g. datetime(2024-01-31 12:00:00).');
        return lit(v, 'datetime');
      }
      case 'TimespanLiteralExpression': {
        const v = parseTimespan(String(node.toString()));
        if (v === undefined) return fail(node, 'This timespan literal');
        return lit(v, 'timespan');
      }
      case 'GuidLiteralExpression': {
        const m = /\(\s*([^)]*)\s*\)/.exec(String(node.toString()));
        const v = m?.[1]?.trim() ?? '';
        return lit(v.toLowerCase() === 'null' ? null : v.toLowerCase(), 'guid');
      }
      case 'NullLiteralExpression': return lit(null, typeOf(node));
      case 'DynamicExpression': {
        const inside = node.Expression;
        const text = inside === null || inside === undefined ? 'null' : String(inside.toString()).trim();
        return lit(text === 'null' ? null : normaliseJson(text, node), 'dynamic');
      }
      case 'NameReference': return this.name(node, scope, row);
      case 'BracketedExpression': return sub(node.Expression);
      case 'UnaryMinusExpression': return call('op:neg', typeOf(node), sub(node.Expression));
      case 'UnaryPlusExpression': return sub(node.Expression);
      case 'PathExpression': return this.path(node, sub);
      case 'ElementExpression': return call('dyn_index', 'dynamic', sub(node.Expression), sub(node.Selector.Expression ?? node.Selector));
      case 'FunctionCallExpression': return this.call(node, scope, row, sub);
      case 'ToScalarExpression': {
        const plan = this.tabular(node.Expression, scope);
        return { kind: 'subquery', plan, type: typeOf(node) };
      }
      case 'InExpression': case 'InCsExpression': case 'NotInExpression': case 'NotInCsExpression': case 'HasAnyExpression': case 'HasAllExpression': {
        const op = kind === 'HasAnyExpression' ? 'has_any' : kind === 'HasAllExpression' ? 'has_all' : operatorText(node);
        const items = listOf(node.Right.Expressions);
        if (items.length === 1 && this.isTabular(items[0])) {
          const plan = this.tabular(items[0], scope);
          return call(`op:${op}`, 'bool', sub(node.Left), { kind: 'subquery', plan, type: plan.columns[0]?.type ?? 'string' });
        }
        return call(`op:${op}`, 'bool', sub(node.Left), ...items.map((i) => sub(i)));
      }
      case 'BetweenExpression': case 'NotBetweenExpression': {
        const range = node.Right;
        return call(kind === 'BetweenExpression' ? 'op:between' : 'op:!between', 'bool', sub(node.Left), sub(range.First), sub(range.Second));
      }
      default:
        if (node.Left !== undefined && node.Right !== undefined && node.Operator !== undefined) {
          return call(`op:${operatorText(node)}`, typeOf(node), sub(node.Left), sub(node.Right));
        }
        return fail(node, `The expression '${kind}'`);
    }
  }

  private name(node: KNode, scope: Scope, row: Relation | undefined): Scalar {
    const symbol = node.ReferencedSymbol;
    const name = String(node.SimpleName);
    const kind = symbol === null || symbol === undefined ? 'None' : symbolKindOf(symbol);
    if (kind === 'Column') {
      const columnName = String(symbol.Name);
      const type = kqlTypeOf(symbol.Type) ?? typeOf(node);
      if (row !== undefined && !row.columns.some((c) => c.name === columnName)) return fail(node, `The column '${columnName}' here`);
      return col(columnName, type);
    }
    if (kind === 'Variable' || kind === 'Parameter') {
      const bound = scope.get(name);
      if (bound?.kind === 'scalar') return bound.expr;
      if (bound === undefined && kind === 'Variable') return fail(node, `The name '${name}'`);
      return fail(node, `The name '${name}'`);
    }
    if (kind === 'Function') {
      const expanded = this.expansion(node, [], scope, node);
      if (expanded.kind === 'scalar') return expanded.expr;
    }
    return fail(node, `The name '${name}' (a ${kind})`);
  }

  /** Dynamic member access `d.a.b`: one path call, so that the engine extracts once. */
  private path(node: KNode, sub: (n: KNode) => Scalar): Scalar {
    const steps: string[] = [];
    let base: KNode = node;
    while (kindOf(base) === 'PathExpression' || (kindOf(base) === 'ElementExpression' && base.Selector?.Expression?.IsLiteral)) {
      if (kindOf(base) === 'PathExpression') {
        const selector = base.Selector;
        const s = kindOf(selector) === 'BracketedExpression' ? String(selector.Expression.LiteralValue) : String(selector.SimpleName ?? selector.toString()).trim();
        steps.unshift(`.${JSON.stringify(s)}`);
      } else {
        const v = base.Selector.Expression.LiteralValue;
        steps.unshift(typeof v === 'string' ? `.${JSON.stringify(v)}` : `[${String(v)}]`);
      }
      base = base.Expression;
    }
    const target = sub(base);
    if (target.type !== 'dynamic') return fail(node, `A member of a ${target.type} value`);
    return call('dyn_path', 'dynamic', target, lit(`$${steps.join('')}`, 'string'));
  }

  private call(node: KNode, scope: Scope, row: Relation | undefined, sub: (n: KNode) => Scalar): Scalar {
    const name = String(node.Name.SimpleName);
    const symbol = node.ReferencedSymbol;
    if (symbol !== null && symbol !== undefined && this.isUserFunction(symbol)) {
      const expanded = this.expansion(node, listOf(node.ArgumentList.Expressions), scope, node);
      if (expanded.kind === 'scalar') return expanded.expr;
      return fail(node, 'A tabular function used as a value');
    }
    const fn = String(symbol?.Name ?? name);
    const args = listOf(node.ArgumentList.Expressions);
    if (fn === 'now') {
      const offset = args[0] !== undefined ? sub(args[0]) : lit(0n, 'timespan');
      return call('op:+', 'datetime', lit(this.options.nowMicros, 'datetime'), offset);
    }
    if (fn === 'ago') return call('op:-', 'datetime', lit(this.options.nowMicros, 'datetime'), sub(args[0]));
    if (fn === 'column_ifexists') {
      const columnName = String(args[0]?.LiteralValue ?? '');
      const found = row?.columns.find((c) => c.name === columnName);
      return found !== undefined ? col(found.name, found.type) : sub(args[1]);
    }
    if (aggregateFunction(fn) !== undefined) return fail(node, `The aggregate '${fn}' outside summarize`);
    if (!isScalarFunction(fn)) return fail(node, `The function '${fn}'`);
    if (['prev', 'next', 'row_number', 'row_cumsum'].includes(fn)) return fail(node, `${fn}()`, 'Window functions come with serialize support.');
    return { kind: 'call', fn, args: args.map((a) => sub(a)), type: typeOf(node) };
  }
}

/** Kusto's dynamic literals allow more than JSON (single quotes, datetime(...)): accept strict JSON only. */
function normaliseJson(text: string, at: KNode): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    try {
      // Single-quoted strings are common in rules: turn them into JSON strings.
      const fixed = text.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")));
      return JSON.stringify(JSON.parse(fixed));
    } catch {
      return fail(at, 'This dynamic literal', 'Use JSON inside dynamic(...).');
    }
  }
}
