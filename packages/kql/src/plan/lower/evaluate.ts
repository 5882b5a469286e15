// evaluate bag_unpack(...) and evaluate pivot(...). Their columns depend on the data (a bag's
// keys, a column's values), so the analyser cannot type what follows unless the query gives the
// schema (`evaluate bag_unpack(d) : (*, Name:string, Age:long)`). Without one, lowering raises
// SchemaDiscovery: a query that finds the columns; compileQuery runs it through the caller
// (CompileEnv.discover), writes the schema into the text and compiles again, so that the
// analyser types everything after the plugin. Without `discover`, it is a coded refusal.
import { aggregateFunction } from '../../functions/catalog.ts';
import { KqlError } from '../../diagnostics.ts';
import { kindOf, listOf, spanOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlColumn, KqlType } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, col, lit, passThrough, type AggregateCall, type Named, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf, semantic, typeOf } from './context.ts';
import { expansionsOf } from './functions.ts';

/** Raised when a plugin's columns come from the data: `plan` finds them, `schema` writes them. */
/** Where the schema is written: the query's text, or the text of a saved function of the home workspace. */
export type SchemaTarget = { kind: 'query'; at: number } | { kind: 'function'; name: string; text: string; at: number };

export class SchemaDiscovery extends KqlError {
  constructor(at: KNode, readonly plugin: string, readonly target: SchemaTarget | undefined, readonly plan: Relation, readonly schema: (rows: unknown[][]) => string) {
    const { start, length } = spanOf(at);
    super('unsupported', {
      code: 'VQ040', message: `evaluate ${plugin} without an output schema: its columns depend on the data`, start, length,
      hint: `Give the columns, e.g. | evaluate ${plugin}(...) : (*, Name:string, Count:long).`,
    });
  }
}

export function lowerEvaluate(lx: Lowerer, input: Relation, op: KNode, scope: Scope): Relation {
  const callNode = op.FunctionCall;
  const name = String(callNode?.Name?.SimpleName ?? '').toLowerCase();
  for (const p of listOf(op.Parameters)) fail(p, `The evaluate parameter '${String(p.Name.SimpleName)}'`);
  const args = listOf(callNode.ArgumentList.Expressions);
  if (name === 'bag_unpack') return bagUnpack(lx, input, op, args, scope);
  if (name === 'pivot') return pivot(lx, input, op, args, scope);
  return fail(callNode, `The plugin '${name}'`);
}

/** Where a schema clause goes (right after the call): in the query's text, or a saved function's. */
function insertionPoint(lx: Lowerer, op: KNode): SchemaTarget | undefined {
  if (op.Schema) return undefined;
  const { start, length } = spanOf(op.FunctionCall);
  const root = op.Root;
  if (root === lx.query.code.Syntax) return { kind: 'query', at: start + length };
  const fn = lx.expanding.at(-1);
  if (fn !== undefined && fn.root === root) {
    // The expansion's text is the function's body as the analyser was given it ("{ ... }").
    return { kind: 'function', name: fn.name, text: String(root.ToString(1)), at: start + length };
  }
  return throughLocalFunctions(lx, op, root);
}

/**
 * A plugin inside a local function (`let v = view () { ... | evaluate bag_unpack(x) }`): the
 * expansion is a tree of its own, parsed from the declaration's body text. The place after the
 * call is found in that text, then in the text around the declaration, outwards until the
 * query's text or a saved function's. Texts are matched rather than offsets trusted, and any
 * mismatch gives up (the plugin is then refused as without discovery).
 */
function throughLocalFunctions(lx: Lowerer, op: KNode, root: KNode): SchemaTarget | undefined {
  const stack = expansionsOf(lx);
  let level = stack.length - 1;
  if (level < 0 || stack[level]!.root !== root || stack[level]!.saved) return undefined;
  const callText = String(op.FunctionCall.ToString(1)).trim();
  const innerText = String(root.ToString(1));
  const { start } = spanOf(op.FunctionCall);
  const found = nearest(innerText, callText, start);
  if (found === undefined) return undefined;
  let at = found + callText.length;
  let text = innerText;
  while (level >= 0) {
    const local = stack[level]!;
    // The signature's declaration is the body node ({ ... }) in the enclosing tree.
    const body = local.declaration;
    if (local.saved || body === undefined || body === null) return undefined;
    const outerRoot = body.Root;
    const outerIsQuery = outerRoot === lx.query.code.Syntax;
    const outerText = outerIsQuery ? lx.query.text : String(outerRoot.ToString(1));
    const bodyAt = nearest(outerText, text.trim(), spanOf(body).start);
    if (bodyAt === undefined) return undefined;
    at = bodyAt + (at - text.indexOf(text.trim()));
    if (outerIsQuery) return { kind: 'query', at };
    // The declaration's tree is that of an expansion further out (not always the next one: a
    // local function called from another is declared beside it).
    let outer = level - 1;
    while (outer >= 0 && stack[outer]!.root !== outerRoot) outer--;
    const enclosing = stack[outer];
    if (enclosing === undefined) return undefined;
    if (enclosing.saved) return { kind: 'function', name: enclosing.name, text: outerText, at };
    text = outerText;
    level = outer;
  }
  return undefined;
}

/** The occurrence of `what` in `text` nearest to `near`. */
function nearest(text: string, what: string, near: number): number | undefined {
  if (what === '') return undefined;
  let best: number | undefined;
  for (let i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
    if (best === undefined || Math.abs(i - near) < Math.abs(best - near)) best = i;
  }
  return best;
}

/** `['name']`: a column name the analyser reads back exactly. */
const quoted = (name: string) => `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;

function bagUnpack(lx: Lowerer, input: Relation, op: KNode, args: KNode[], scope: Scope): Relation {
  // bag_unpack(bag [, prefix | columnsConflict=...]): the prefix also by name (OutputColumnPrefix).
  // (The analyser accepts two arguments, so ignoredProperties never reaches here.)
  const positional = args.filter((a) => kindOf(a) !== 'SimpleNamedExpression');
  const named = new Map(args.filter((a) => kindOf(a) === 'SimpleNamedExpression').map((a) => [String(a.Name.SimpleName).toLowerCase(), a.Expression as KNode]));
  const bag = lx.scalar(positional[0], scope, input);
  if (bag.type !== 'dynamic') return fail(positional[0], `bag_unpack of a ${bag.type} value`);
  const constantText = (node: KNode, what: string): string => {
    const v = lx.scalar(node, scope, undefined);
    if (v.kind !== 'literal' || typeof v.value !== 'string') return fail(node, `A computed bag_unpack ${what}`);
    return v.value;
  };
  const prefixNode = positional[1] ?? named.get('outputcolumnprefix');
  const prefix = prefixNode !== undefined ? constantText(prefixNode, 'prefix') : '';
  const conflictNode = named.get('columnsconflict');
  const conflict = conflictNode !== undefined ? constantText(conflictNode, 'columnsConflict') : 'error';
  if (!['error', 'replace_source', 'keep_source'].includes(conflict)) {
    return fail(conflictNode!, `columnsConflict='${conflict}'`, "Use 'error', 'replace_source' or 'keep_source'.");
  }
  for (const [key, node] of named) {
    if (!['outputcolumnprefix', 'columnsconflict'].includes(key)) return fail(node, `The bag_unpack argument '${key}'`);
  }
  const bagColumn = bag.kind === 'column' ? bag.name : undefined;
  const kept = input.columns.filter((c) => c.name !== bagColumn);
  if (op.Schema === null || op.Schema === undefined) {
    const at = insertionPoint(lx, op);
    // Discovery: each (key, JSON type) of the bags.
    const bags: Relation = { kind: 'project', input, exprs: [{ name: '__bag', expr: bag }], columns: [{ name: '__bag', type: 'dynamic' }] };
    const objects: Relation = { kind: 'filter', input: bags, predicate: call('op:==', 'bool', call('json_kind', 'string', col('__bag', 'dynamic')), lit('OBJECT', 'string')), columns: bags.columns };
    const entries: Relation = {
      kind: 'mvexpand', input: objects, expand: [{ name: '__bag', expr: col('__bag', 'dynamic'), type: 'dynamic', bags: 'array' }], columns: bags.columns,
    };
    const pairs: Relation = {
      kind: 'project', input: entries,
      exprs: [
        { name: 'key', expr: call('tostring', 'string', call('dyn_index', 'dynamic', col('__bag', 'dynamic'), lit(0n, 'long'))) },
        { name: 'kind', expr: call('json_kind', 'string', call('dyn_index', 'dynamic', col('__bag', 'dynamic'), lit(1n, 'long'))) },
      ],
      columns: [{ name: 'key', type: 'string' }, { name: 'kind', type: 'string' }],
    };
    const plan: Relation = { kind: 'distinct', input: pairs, columns: pairs.columns };
    throw new SchemaDiscovery(op.FunctionCall, 'bag_unpack', at, plan, (rows) => {
      const kinds = new Map<string, Set<string>>();
      for (const [key, kind] of rows as [string, string][]) {
        // An empty key cannot name a column: left out (pack() of an empty label makes one).
        if (key === '') continue;
        if (!kinds.has(key)) kinds.set(key, new Set());
        if (kind !== 'NULL') kinds.get(key)!.add(kind);
      }
      const taken = new Set(kept.map((c) => c.name));
      const columns = [...kinds.keys()].sort().flatMap((key) => {
        const column = prefix + key;
        if (taken.has(column)) {
          // keep_source: the input's column stays and the key is left out; replace_source: the
          // key's values take the column's place (listed in the schema, it keeps its position).
          if (conflict === 'keep_source') return [];
          if (conflict === 'error') {
            semantic(op.FunctionCall, 'VQ041', `bag_unpack: the key '${key}' is also a column of the input.`, "Give a prefix: bag_unpack(column, \"prefix_\"), or columnsConflict='replace_source' or 'keep_source'.");
          }
        }
        return [`${quoted(column)}:${typeOfKinds(kinds.get(key)!)}`];
      });
      return ` : (*${columns.map((c) => `, ${c}`).join('')})`;
    });
  }
  // With a schema: input columns stay; every other column is the bag's key (after the prefix).
  // replace_source: an input column the schema names itself is the key's.
  const listed = new Set<string>();
  op.Schema.WalkElements((x: KNode) => { if (kindOf(x) === 'NameAndTypeDeclaration') listed.add(String(x.Name.SimpleName)); });
  const columns = outputOf(op);
  const exprs: Named[] = columns.map((c) => {
    const from = conflict === 'replace_source' && listed.has(c.name) ? undefined : kept.find((k) => k.name === c.name);
    if (from !== undefined) return { name: c.name, expr: from.type === c.type ? col(from.name, from.type) : call('convert', c.type, col(from.name, from.type)) };
    if (!c.name.startsWith(prefix)) return fail(op.Schema, `The column '${c.name}', which does not start with the prefix '${prefix}'`);
    const value = call('dyn_path', 'dynamic', bag, lit(`$.${JSON.stringify(c.name.slice(prefix.length))}`, 'string'));
    return { name: c.name, expr: c.type === 'dynamic' ? value : call('convert', c.type, value) };
  });
  return { kind: 'project', input, exprs, columns };
}

/** The column type Kusto gives a key from the JSON types of its values. */
function typeOfKinds(kinds: Set<string>): KqlType {
  const k = [...kinds];
  if (k.length === 0) return 'dynamic';
  if (k.every((x) => x === 'BIGINT' || x === 'UBIGINT')) return 'long';
  if (k.every((x) => x === 'BIGINT' || x === 'UBIGINT' || x === 'DOUBLE')) return 'real';
  if (k.every((x) => x === 'VARCHAR')) return 'string';
  if (k.every((x) => x === 'BOOLEAN')) return 'bool';
  return 'dynamic';
}

/**
 * pivot(column [, aggregate(...)] [, key columns...]): one row per key values, one column per
 * value of `column` holding the aggregate of its rows (count() by default; no rows: null, 0 for
 * counts).
 */
function pivot(lx: Lowerer, input: Relation, op: KNode, args: KNode[], scope: Scope): Relation {
  const [pivotNode, ...rest] = args;
  const pivotValue = lx.scalar(pivotNode, scope, input);
  let aggregateNode: KNode | undefined;
  if (rest[0] !== undefined && kindOf(rest[0]) === 'FunctionCallExpression' && aggregateFunction(String(rest[0].Name.SimpleName)) !== undefined) {
    aggregateNode = rest.shift();
  }
  const keys: Named[] = rest.map((k) => {
    const n = lx.named(k, scope, input);
    return { name: n.name || fail(k, 'A pivot key that is not a column'), expr: n.expr };
  });
  const aggregate = aggregateNode === undefined
    ? { fn: 'count', args: [] as Scalar[], type: 'long' as KqlType }
    : aggregateCall(lx, aggregateNode, scope, input);
  const asText = pivotValue.type === 'string' ? pivotValue : call('tostring', 'string', pivotValue);
  if (op.Schema === null || op.Schema === undefined) {
    const at = insertionPoint(lx, op);
    const values: Relation = { kind: 'project', input, exprs: [{ name: 'value', expr: asText }], columns: [{ name: 'value', type: 'string' }] };
    const plan: Relation = { kind: 'distinct', input: values, columns: values.columns };
    throw new SchemaDiscovery(op.FunctionCall, 'pivot', at, plan, (rows) => {
      const names = (rows as [string][]).map(([v]) => v).sort();
      const keyColumns = keys.map((k) => `${quoted(k.name)}:${k.expr.type}`);
      const taken = new Set(keys.map((k) => k.name));
      const valueColumns = names.map((v) => {
        if (v === '' || taken.has(v)) semantic(op.FunctionCall, 'VQ042', `pivot: the value '${v}' cannot name a column.`, 'Filter out empty values, or rename them first.');
        return `${quoted(v)}:${aggregate.type}`;
      });
      return ` : (${[...keyColumns, ...valueColumns].join(', ')})`;
    });
  }
  const columns = outputOf(op);
  const keyNames = new Set(keys.map((k) => k.name));
  const aggregates = columns.filter((c) => !keyNames.has(c.name)).map((c) => ({ name: c.name, call: filtered(aggregate, call('op:==', 'bool', asText, lit(c.name, 'string')), c.type) }));
  const aggColumns: KqlColumn[] = [...keys.map((k) => ({ name: k.name, type: k.expr.type })), ...aggregates.map((a) => ({ name: a.name, type: a.call.type }))];
  const grouped: Relation = { kind: 'aggregate', input, keys, aggregates, columns: aggColumns };
  return { kind: 'project', input: grouped, exprs: passThrough(columns), columns };
}

function aggregateCall(lx: Lowerer, node: KNode, scope: Scope, input: Relation): AggregateCall {
  const fn = aggregateFunction(String(node.Name.SimpleName))!.name;
  const args = listOf(node.ArgumentList.Expressions).map((a: KNode) => (kindOf(a) === 'StarExpression' ? lit(null, 'long') : lx.scalar(a, scope, input)));
  return { fn, args, type: typeOf(node) };
}

/** The aggregate restricted to rows where `where` holds: the *if form when Kusto has one, else the value masked. */
function filtered(a: AggregateCall, where: Scalar, type: KqlType): AggregateCall {
  const withIf: Record<string, string> = {
    count: 'countif', sum: 'sumif', avg: 'avgif', min: 'minif', max: 'maxif', dcount: 'dcountif', take_any: 'take_anyif',
    make_list: 'make_list_if', make_set: 'make_set_if', stdev: 'stdevif', variance: 'varianceif',
  };
  const ifName = withIf[a.fn];
  if (ifName === undefined || aggregateFunction(ifName) === undefined) {
    // Aggregates ignore nulls: a masked argument counts only the pivot value's rows.
    return { fn: a.fn, args: a.args.map((x, i) => (i === 0 ? call('iff', x.type, where, x, lit(null, x.type)) : x)), type };
  }
  if (a.fn === 'count') return { fn: ifName, args: [where], type };
  if (a.fn === 'dcount') return { fn: ifName, args: [a.args[0]!, where, ...a.args.slice(1)], type };
  return { fn: ifName, args: [...a.args.slice(0, 1), where, ...a.args.slice(1)], type };
}
