// Where rows come from: tables (by name, workspace("x").T, table("T")), let-bound tables,
// datatable, print, range, getschema and externaldata (files of a directory an administrator
// allows; never the network).
import { posix } from 'node:path';
import { KqlError } from '../../diagnostics.ts';
import { arrayOf, kindOf, listOf, spanOf, symbolKindOf, type KNode } from '../../syntax/kusto-runtime.ts';
import type { KqlType, WorkspaceDef } from '../../types.ts';
import type { Lowerer } from '../lower.ts';
import { call, lit, type Relation, type Scalar } from '../nodes.ts';
import type { Scope } from '../scope.ts';
import { fail, outputOf, parametersOf, semantic } from './context.ts';
import { expandCall, isUserFunction } from './functions.ts';

export function scan(workspace: WorkspaceDef, name: string, at: KNode): Relation {
  const def = workspace.tables.find((t) => t.name === name);
  if (def === undefined) return fail(at, `The table '${name}'`);
  return { kind: 'scan', workspaceId: workspace.id, table: def.name, stored: def.stored, columns: def.columns.map((c) => ({ ...c })), ...(def.storedAs !== undefined ? { storedAs: def.storedAs } : {}) };
}

export function lowerTableReference(lx: Lowerer, expr: KNode, scope: Scope): Relation {
  const symbol = expr.ReferencedSymbol;
  const name = String(expr.SimpleName);
  const kind = symbol === null || symbol === undefined ? 'None' : symbolKindOf(symbol);
  if (kind === 'Table') return scan(lx.options.home, String(symbol.Name), expr);
  if (kind === 'Variable' || kind === 'Parameter') {
    const bound = scope.get(name);
    if (bound?.kind === 'table') return bound.plan;
    return fail(expr, `The tabular name '${name}'`);
  }
  if (kind === 'Function') return expandCall(lx, expr, [], scope);
  return fail(expr, `The name '${name}' (a ${kind})`);
}

/**
 * The tables a wildcard name stands for in `union`: `*` (every table of the workspace) or a
 * pattern such as `Sec*` matching several (the analyser binds such a name to a group of tables;
 * one matching table is bound to the table itself). Undefined for any other expression.
 */
export function wildcardTables(expr: KNode): string[] | undefined {
  if (kindOf(expr) !== 'NameReference') return undefined;
  const symbol = expr.ReferencedSymbol;
  if (symbol === null || symbol === undefined || symbolKindOf(symbol) !== 'Group') return undefined;
  return arrayOf(symbol.Members).filter((m) => symbolKindOf(m) === 'Table').map((m) => String(m.Name));
}

/** `workspace("x").Table`. */
export function lowerWorkspaceTable(lx: Lowerer, expr: KNode): Relation {
  const target = expr.Expression;
  if (kindOf(target) !== 'FunctionCallExpression' || String(target.Name.SimpleName).toLowerCase() !== 'workspace') {
    return fail(expr, 'This kind of qualified table name', 'Only workspace("name").Table is supported.');
  }
  const [arg] = listOf(target.ArgumentList.Expressions);
  const reference = String(arg?.LiteralValue ?? '');
  const workspace = lx.query.workspaces.get(reference) ?? (reference === lx.options.home.name ? lx.options.home : undefined);
  if (workspace === undefined) {
    const { start, length } = spanOf(target);
    throw new KqlError('not-found', { code: 'VQ020', message: `The workspace '${reference}' was not found, or you do not have access to it.`, start, length });
  }
  const table = expr.Selector.ReferencedSymbol;
  if (table === null || symbolKindOf(table) !== 'Table') return fail(expr.Selector, 'This member of workspace()');
  return scan(workspace, String(table.Name), expr);
}

/** A call used as a table: a user function, or table("name"). */
export function lowerTableCall(lx: Lowerer, expr: KNode, scope: Scope): Relation {
  const symbol = expr.ReferencedSymbol;
  const name = String(expr.Name.SimpleName);
  const args = listOf(expr.ArgumentList.Expressions);
  if (symbol !== null && symbol !== undefined && isUserFunction(symbol)) return expandCall(lx, expr, args, scope);
  if (name === 'table') {
    const value = lx.scalar(args[0], scope, undefined);
    if (value.kind !== 'literal' || typeof value.value !== 'string') return fail(expr, 'table() with a computed name', 'Give the table name as a constant.');
    const bound = scope.get(value.value);
    if (bound?.kind === 'table') return bound.plan;
    return scan(lx.options.home, value.value, expr);
  }
  return fail(expr, `The tabular function '${name}'`);
}

export function lowerDatatable(lx: Lowerer, expr: KNode, scope: Scope): Relation {
  const columns = outputOf(expr);
  const values = listOf(expr.Values);
  if (values.length % Math.max(columns.length, 1) !== 0) return fail(expr, 'A datatable whose value count is not a multiple of its columns');
  const rows: Scalar[][] = [];
  for (let i = 0; i < values.length; i += columns.length) {
    rows.push(columns.map((c, j) => coerce(lx.scalar(values[i + j], scope, undefined), c.type)));
  }
  return { kind: 'values', columns, rows };
}

/** Cells are converted to their column's type (a long literal in a real column). */
function coerce(value: Scalar, type: KqlType): Scalar {
  if (value.type === type) return value;
  if (value.kind === 'literal' && value.value === null) return lit(null, type);
  return call('convert', type, value);
}

export function lowerPrint(lx: Lowerer, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  const exprs = listOf(op.Expressions).map((e) => lx.named(e, scope, undefined).expr);
  return { kind: 'values', columns, rows: [exprs.map((e, i) => coerce(e, columns[i]!.type))] };
}

export function lowerRange(lx: Lowerer, op: KNode, scope: Scope): Relation {
  const columns = outputOf(op);
  return { kind: 'range', columns, from: lx.scalar(op.From, scope, undefined), to: lx.scalar(op.To, scope, undefined), step: lx.scalar(op.Step, scope, undefined) };
}

/** .NET type names getschema reports (bool is stored as SByte in Kusto). */
const DOTNET: Record<KqlType, string> = {
  bool: 'System.SByte', datetime: 'System.DateTime', dynamic: 'System.Object', guid: 'System.Guid', int: 'System.Int32',
  long: 'System.Int64', real: 'System.Double', decimal: 'System.Data.SqlTypes.SqlDecimal', string: 'System.String', timespan: 'System.TimeSpan',
};

export function lowerGetschema(_lx: Lowerer, input: Relation, op: KNode): Relation {
  const columns = outputOf(op);
  const rows = input.columns.map((c, i) => [lit(c.name, 'string'), lit(i, 'int'), lit(DOTNET[c.type], 'string'), lit(c.type, 'string')]);
  if (columns.length !== 4) return fail(op, 'getschema with this output');
  return { kind: 'values', columns, rows };
}

const FORMATS: Record<string, 'csv' | 'tsv' | 'json'> = { csv: 'csv', tsv: 'tsv', json: 'json', multijson: 'json' };

/**
 * externaldata reads files of the administrator's directory only: a relative path (or an
 * absolute one inside it) that stays inside once normalised. A URL is never fetched: it is read
 * from the directory's mirror of it, `<directory>/<host>/<path>` (percent-decoded, without the
 * query string), where an administrator places the feeds the rules name (threat-intelligence
 * lists and the like), so that Sentinel's rules run unchanged on a machine without internet.
 * The check is lexical (no I/O here): the directory must not hold links leading out of it.
 */
export function lowerExternalData(lx: Lowerer, expr: KNode): Relation {
  const columns = outputOf(expr);
  const directory = lx.options.externalDataDirectory;
  let format: 'csv' | 'tsv' | 'json' = 'csv';
  let ignoreFirstRecord = false;
  for (const p of parametersOf(expr.WithClause?.Properties)) {
    const value = String(p.value).trim();
    if (p.name === 'format') format = FORMATS[value.toLowerCase()] ?? fail(p.node, `externaldata format '${value}'`, 'Use csv, tsv, json or multijson.');
    else if (p.name === 'ignorefirstrecord') ignoreFirstRecord = value.toLowerCase() === 'true';
    else fail(p.node, `The externaldata property '${p.name}'`);
  }
  const uris = listOf(expr.URIs);
  const inputs: Relation[] = uris.map((u: KNode) => {
    const raw = String(u.LiteralValue ?? '');
    const url = /^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw) ? mirroredPath(raw) : undefined;
    if (url === null) {
      return semantic(u, 'VQ030', `externaldata cannot read '${raw}': only http(s) addresses are mirrored, and nothing is read from the network.`,
        'Ask an administrator to place the file in the external data directory, and give its path relative to it.');
    }
    if (directory === undefined) {
      return fail(u, 'externaldata', url !== undefined
        ? `An administrator has not configured an external data directory; with one, this address is read from its file ${url}.`
        : 'An administrator has not configured an external data directory.');
    }
    const root = posix.resolve(directory);
    const target = posix.resolve(root, url ?? raw.replace(/\\/g, '/'));
    const rel = posix.relative(root, target);
    if (raw.includes('\0') || rel === '' || rel.startsWith('..') || posix.isAbsolute(rel)) {
      return semantic(u, 'VQ031', `The path '${raw}' is outside the external data directory.`, 'Give a path inside the external data directory.');
    }
    return { kind: 'external', path: target, format, ignoreFirstRecord, columns };
  });
  if (inputs.length === 0) return fail(expr, 'externaldata without a file');
  if (inputs.length === 1) return inputs[0]!;
  return { kind: 'union', inputs, mapping: inputs.map(() => columns.map((c) => c.name)), columns };
}

/**
 * Where a URL's mirror lives under the external data directory, relative to it: `host/path`,
 * percent-decoded, without query string or fragment; null for what is not an http(s) address.
 */
export function mirroredPath(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Relative to the directory; `..` segments are caught by the caller's containment check.
  return `${url.hostname}${path}`;
}
