// search: rows of the input (or of the tables `in (...)`, or of every table of the workspace)
// where a predicate holds, with the $table column naming each row's table. In the predicate a
// bare "term" means "some column has the term", Col:"term" means Col has it, and `*` in
// `* has "x"` stands for every column; "x*", "*x" and "*x*" are prefix, suffix and substring
// matches. kind=case_sensitive makes the term matches case-sensitive.
import { kindOf, listOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, lit, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, isHint, operatorText, outputOf, parametersOf } from './context.ts';
import { lowerTableReference } from './sources.ts';

const TABLE_COLUMN = '$table';

export function lowerSearch(lx: Lowerer, input: Relation | undefined, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  let caseSensitive = false;
  for (const p of parametersOf(op.Parameters)) {
    if (p.name === 'kind') caseSensitive = p.text.toLowerCase() === 'case_sensitive';
    else if (!isHint(p.name)) fail(p.node, `The search parameter '${p.name}'`);
  }
  if (op.DataScope) fail(op.DataScope, 'search with a data scope');
  const inputs: { plan: Relation; name: string }[] = [];
  if (input !== undefined) {
    inputs.push({ plan: input, name: lx.sourceNames.get(input) ?? (input.kind === 'scan' ? input.table : 'union_arg0') });
  } else if (op.InClause) {
    for (const e of listOf(op.InClause.Expressions)) {
      if (kindOf(e) !== 'NameReference') return fail(e, 'search in (...) with this kind of table', 'List table names.');
      const plan = lowerTableReference(lx, e, scope);
      inputs.push({ plan, name: lx.sourceNames.get(plan) ?? String(e.SimpleName) });
    }
  } else {
    for (const t of lx.options.home.tables) {
      inputs.push({ plan: { kind: 'scan', workspaceId: lx.options.home.id, table: t.name, stored: t.stored, columns: t.columns.map((c) => ({ ...c })), ...(t.storedAs !== undefined ? { storedAs: t.storedAs } : {}) }, name: t.name });
    }
  }
  if (inputs.length === 0) return fail(op, 'search over no tables');
  const data = columns.filter((c) => c.name !== TABLE_COLUMN);
  const union: Relation = {
    kind: 'union', inputs: inputs.map((i) => i.plan), columns,
    mapping: inputs.map((i) => data.map((c) => unionSource(i.plan.columns, c))),
    source: { column: TABLE_COLUMN, names: inputs.map((i) => i.name) },
  };
  const predicate = searchPredicate(lx, op.Condition, scope, union, data, caseSensitive);
  return { kind: 'filter', input: union, predicate, columns };
}

function unionSource(columns: KqlColumn[], c: KqlColumn): string | null {
  const same = columns.find((x) => x.name === c.name && x.type === c.type);
  if (same !== undefined) return same.name;
  const suffix = `_${c.type}`;
  if (c.name.endsWith(suffix)) {
    const typed = columns.find((x) => x.name === c.name.slice(0, -suffix.length) && x.type === c.type);
    if (typed !== undefined) return typed.name;
  }
  return null;
}

function searchPredicate(lx: Lowerer, node: KNode, scope: Scope, row: Relation, data: KqlColumn[], cs: boolean): Scalar {
  const kind = kindOf(node);
  const sub = (n: KNode) => searchPredicate(lx, n, scope, row, data, cs);
  switch (kind) {
    case 'ParenthesizedExpression': return sub(node.Expression);
    case 'AndExpression': return call('op:and', 'bool', sub(node.Left), sub(node.Right));
    case 'OrExpression': return call('op:or', 'bool', sub(node.Left), sub(node.Right));
    case 'StringLiteralExpression': {
      // A bare term: some column has it.
      const term = String(node.LiteralValue ?? '');
      return anyOf(data.map((c) => termMatch(col(c.name, c.type), term, cs, node)));
    }
    case 'SearchExpression': {
      const left = lx.scalar(node.Left, scope, row);
      return termMatch(left, String(node.Right.LiteralValue ?? ''), cs, node.Right);
    }
    default:
      break;
  }
  // `* op "x"`: the operator applied to every column, any of them true.
  if (node.Left !== undefined && kindOf(node.Left) === 'StarExpression' && node.Operator !== undefined) {
    const op = `op:${operatorText(node)}`;
    const right = lx.scalar(node.Right, scope, row);
    return anyOf(data.map((c) => call(op, 'bool', asText(col(c.name, c.type)), right)));
  }
  return lx.scalar(node, scope, row);
}

const asText = (s: Scalar): Scalar => (s.type === 'string' ? s : call('tostring', 'string', s));

function anyOf(parts: Scalar[]): Scalar {
  if (parts.length === 0) return lit(false, 'bool');
  return parts.reduce((a, b) => call('op:or', 'bool', a, b));
}

function termMatch(value: Scalar, term: string, cs: boolean, at: KNode): Scalar {
  const suffix = cs ? '_cs' : '';
  const text = asText(value);
  const inner = term.replace(/^\*+|\*+$/g, '');
  if (inner.includes('*')) return fail(at, 'A search term with * inside it', 'Use * only at the start or the end of the term.');
  const starts = term.startsWith('*');
  const ends = term.endsWith('*') && term.length > 1;
  const op = starts && ends ? `contains${suffix}` : ends ? `hasprefix${suffix}` : starts ? `hassuffix${suffix}` : `has${suffix}`;
  return call(`op:${op}`, 'bool', text, lit(inner, 'string'));
}
