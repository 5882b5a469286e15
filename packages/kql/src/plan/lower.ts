// Stage 2: the analysed syntax tree -> the logical plan. Types and output schemas come from the
// analyser (every node is typed); this stage decides meaning. Anything it does not know raises
// `unsupported` at the construct's position: nothing is dropped or guessed.
// The Lowerer is the one entry point; each family of operators lives in lower/<family>.ts and
// receives the Lowerer to lower its sub-expressions.
import { KqlError } from '../diagnostics.ts';
import type { AnalyzedQuery } from '../syntax/analyze.ts';
import { kindOf, listOf, symbolKindOf, type KNode } from '../syntax/kusto-runtime.ts';
import type { WorkspaceDef } from '../types.ts';
import { fail, implicitName, semantic } from './lower/context.ts';
import { lowerEvaluate } from './lower/evaluate.ts';
import { expandCall, invoke } from './lower/functions.ts';
import { lowerJoin } from './lower/join.ts';
import { lowerMvApply } from './lower/mv-apply.ts';
import { lowerMvExpand } from './lower/mv-expand.ts';
import { lowerSample, lowerSampleDistinct, lowerSerialize, lowerSort, lowerTake, lowerTop } from './lower/order.ts';
import { lowerParse, lowerParseKv } from './lower/parse.ts';
import { lowerExtend, lowerFilter, lowerProject, lowerReshape } from './lower/project.ts';
import { lowerScalar } from './lower/scalar.ts';
import { lowerSearch } from './lower/search.ts';
import { lowerMakeSeries } from './lower/series.ts';
import {
  lowerDatatable, lowerExternalData, lowerGetschema, lowerPrint, lowerRange, lowerTableCall, lowerTableReference, lowerWorkspaceTable,
} from './lower/sources.ts';
import { lowerCount, lowerDistinct, lowerSummarize } from './lower/summarize.ts';
import { lowerTopNested } from './lower/top-nested.ts';
import { lowerUnion } from './lower/union.ts';
import type { WindowHelpers } from './lower/window.ts';
import type { Named, Relation, Scalar } from './nodes.ts';
import { Scope } from './scope.ts';

export { columnsOfType } from './lower/context.ts';

export interface LowerOptions {
  home: WorkspaceDef;
  /** The query API's workspaces list (read with the home workspace by a later rewrite): a wildcard's table is read when any of them holds rows of it. */
  additional?: readonly WorkspaceDef[];
  /** What now() is: microseconds since the epoch, fixed for the whole query. */
  nowMicros: bigint;
  /** The directory externaldata may read from; absent: externaldata is refused. */
  externalDataDirectory?: string;
}

export interface Lowered {
  plan: Relation;
  render?: { visualization: string; properties: Record<string, unknown> };
}

/** Lowers one query operator applied to `input` (undefined for operators that start a pipeline). */
type OperatorLowering = (lx: Lowerer, input: Relation | undefined, op: KNode, scope: Scope) => Relation;

/** The operator's input, or a refusal when the operator needs one and has none. */
const needs = (lower: (lx: Lowerer, input: Relation, op: KNode, scope: Scope) => Relation): OperatorLowering =>
  (lx, input, op, scope) => lower(lx, input ?? fail(op, `'${kindOf(op)}' without an input`), op, scope);

const OPERATORS: Record<string, OperatorLowering> = {
  FilterOperator: needs(lowerFilter),
  ExtendOperator: needs(lowerExtend),
  ProjectOperator: needs(lowerProject),
  ProjectAwayOperator: needs(lowerReshape),
  ProjectKeepOperator: needs(lowerReshape),
  ProjectRenameOperator: needs(lowerReshape),
  ProjectReorderOperator: needs(lowerReshape),
  SummarizeOperator: needs(lowerSummarize),
  SortOperator: needs(lowerSort),
  TakeOperator: needs(lowerTake),
  TopOperator: needs(lowerTop),
  SampleOperator: needs(lowerSample),
  SampleDistinctOperator: needs(lowerSampleDistinct),
  CountOperator: needs(lowerCount),
  DistinctOperator: needs(lowerDistinct),
  SerializeOperator: needs(lowerSerialize),
  UnionOperator: (lx, input, op, scope) => lowerUnion(lx, input, op, scope),
  JoinOperator: needs(lowerJoin),
  LookupOperator: needs(lowerJoin),
  MvExpandOperator: needs(lowerMvExpand),
  MvApplyOperator: needs(lowerMvApply),
  ParseOperator: needs(lowerParse),
  ParseWhereOperator: needs(lowerParse),
  ParseKvOperator: needs(lowerParseKv),
  MakeSeriesOperator: needs(lowerMakeSeries),
  EvaluateOperator: needs(lowerEvaluate),
  TopNestedOperator: needs(lowerTopNested),
  GetSchemaOperator: needs(lowerGetschema),
  InvokeOperator: needs(invoke),
  SearchOperator: (lx, input, op, scope) => lowerSearch(lx, input, op, scope),
  PrintOperator: (lx, _input, op, scope) => lowerPrint(lx, op, scope),
  RangeOperator: (lx, _input, op, scope) => lowerRange(lx, op, scope),
  AsOperator: needs((lx, input, op, scope) => lx.bindAs(input, op, scope)),
  RenderOperator: needs((lx, input, op) => {
    const properties: Record<string, unknown> = {};
    for (const p of listOf(op.WithClause?.Properties)) properties[String(p.Name.SimpleName)] = renderValue(p.Expression);
    lx.render = { visualization: String(op.ChartType.Text), properties };
    return input;
  }),
};

export class Lowerer {
  render: Lowered['render'];
  /** Names for generated columns and shared relations; per query, so that SQL is reproducible. */
  private ids = 0;
  /** Where window functions put what they need computed first (set while lowering extend, where...). */
  windowHelpers: WindowHelpers | undefined;
  /** The saved functions being expanded, innermost last (schema discovery writes into their text). */
  readonly expanding: { name: string; root: KNode }[] = [];
  /** The name `as` (or a let) gave a relation: union's withsource reports it. */
  readonly sourceNames = new WeakMap<Relation, string>();

  constructor(readonly query: AnalyzedQuery, readonly options: LowerOptions) {}

  lower(): Lowered {
    const root = this.query.code.Syntax;
    const scope = new Scope();
    let last: KNode | undefined;
    for (const statement of listOf(root.Statements)) {
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

  newId(prefix: string): string {
    return `${prefix}${this.ids++}`;
  }

  // ---- statements ------------------------------------------------------------------------

  bindLet(statement: KNode, scope: Scope): void {
    const name = String(statement.Name.SimpleName);
    const expr = statement.Expression;
    // Lambdas are expanded at each call site (the analyser gives the bound body).
    if (kindOf(expr) === 'FunctionDeclaration') return;
    if (this.isTabular(expr)) {
      const plan = this.tabular(expr, scope);
      if (!this.sourceNames.has(plan)) this.sourceNames.set(plan, name);
      scope.set(name, { kind: 'table', plan });
    } else {
      scope.set(name, { kind: 'scalar', expr: this.scalar(expr, scope, undefined) });
    }
  }

  /** `declare query_parameters(name:type = default)`: the defaults (values come from the API later). */
  private bindQueryParameters(statement: KNode, scope: Scope): void {
    for (const p of listOf(statement.Parameters)) {
      const name = String(p.NameAndType.Name.SimpleName);
      if (p.DefaultValue === null || p.DefaultValue === undefined) {
        semantic(p, 'VQ012', `The query parameter '${name}' has no value and no default.`, 'Give it a default: declare query_parameters(name:type = value);');
      }
      scope.set(name, { kind: 'scalar', expr: this.scalar(p.DefaultValue.Value, scope, undefined) });
    }
  }

  /** `T | as Name`: the input, under a name later operators and union's withsource see. */
  bindAs(input: Relation, op: KNode, scope: Scope): Relation {
    const name = String(op.Name.SimpleName);
    let plan = input;
    for (const p of listOf(op.Parameters)) {
      const pname = String(p.Name.SimpleName).toLowerCase();
      if (pname === 'hint.materialized') {
        if (String(p.Expression.toString()).trim().toLowerCase() === 'true') plan = { kind: 'shared', id: this.newId('m'), input, columns: input.columns };
      } else {
        fail(p, `The as parameter '${pname}'`);
      }
    }
    this.sourceNames.set(plan, name);
    scope.set(name, { kind: 'table', plan });
    return plan;
  }

  isTabular(expr: KNode): boolean {
    const type = expr?.ResultType;
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
        return lowerTableReference(this, expr, scope);
      case 'PathExpression':
        return lowerWorkspaceTable(this, expr);
      case 'FunctionCallExpression':
        return lowerTableCall(this, expr, scope);
      case 'DataTableExpression':
        return lowerDatatable(this, expr, scope);
      case 'ExternalDataExpression':
        return lowerExternalData(this, expr);
      case 'MaterializeExpression': {
        const input = this.tabular(expr.Expression, scope);
        return { kind: 'shared', id: this.newId('m'), input, columns: input.columns };
      }
      default:
        if (OPERATORS[kind] !== undefined && kind.endsWith('Operator')) return this.operator(undefined, expr, scope);
        return fail(expr, `The tabular expression '${kind}'`);
    }
  }

  /** A call of a let lambda or saved function used as a table. */
  expandTable(callNode: KNode, args: KNode[], scope: Scope): Relation {
    return expandCall(this, callNode, args, scope);
  }

  /** A pipeline of operators that starts from `input` (mv-apply's subquery): `(where ... | summarize ...)`. */
  pipeline(expr: KNode, input: Relation, scope: Scope): Relation {
    const kind = kindOf(expr);
    if (kind === 'ParenthesizedExpression' || kind === 'MvApplySubqueryExpression') return this.pipeline(expr.Expression, input, scope);
    if (kind === 'PipeExpression') return this.operator(this.pipeline(expr.Expression, input, scope), expr.Operator, scope);
    if (OPERATORS[kind] === undefined) return fail(expr, `A subquery starting with '${kind}'`);
    return this.operator(input, expr, scope);
  }

  private operator(input: Relation | undefined, op: KNode, scope: Scope): Relation {
    const lower = OPERATORS[kindOf(op)];
    if (lower === undefined) return fail(op, `The operator '${String(op.GetFirstToken?.()?.Text ?? kindOf(op))}'`);
    // Window helpers belong to the operator that asks for them (see lower/window.ts).
    const saved = this.windowHelpers;
    this.windowHelpers = undefined;
    try {
      return lower(this, input, op, scope);
    } finally {
      this.windowHelpers = saved;
    }
  }

  // ---- scalar expressions ------------------------------------------------------------------

  /**
   * A scalar expression over the columns of `row`. `inner` lowers sub-expressions instead of
   * this function when given (summarize uses it to collect aggregates anywhere in the tree).
   */
  scalar(node: KNode, scope: Scope, row: Relation | undefined, inner?: (n: KNode) => Scalar): Scalar {
    return lowerScalar(this, node, scope, row, inner);
  }

  /** A named expression: `name = expr`, or expr with the name it implies (empty when none). */
  named(expr: KNode, scope: Scope, row: Relation | undefined): Named {
    if (kindOf(expr) === 'SimpleNamedExpression') {
      return { name: String(expr.Name.SimpleName), expr: this.scalar(expr.Expression, scope, row) };
    }
    return { name: implicitName(expr) ?? '', expr: this.scalar(expr, scope, row) };
  }
}

/** A render property's value as Log Analytics returns it: literals as values (`title="t"` is t), names and lists as written. */
function renderValue(e: KNode): unknown {
  const text = String(e.toString()).trim();
  switch (kindOf(e)) {
    case 'StringLiteralExpression': return String(e.LiteralValue);
    case 'BooleanLiteralExpression': return text.toLowerCase() === 'true';
    case 'IntLiteralExpression': case 'LongLiteralExpression': case 'RealLiteralExpression': return Number(text);
    default: return text;
  }
}
