// Kusto.Language symbols for the schemas a query may read: one database per workspace, built
// once per workspace (schemas are immutable values; a changed schema is a new WorkspaceDef).
import type { KqlType, TableDef, WorkspaceDef } from '../types.ts';
import { kusto, type KNode } from './kusto-runtime.ts';
import { indexMembers } from './member-index.ts';

function scalarType(type: KqlType): KNode {
  const T = kusto().Kusto.Language.Symbols.ScalarTypes;
  switch (type) {
    case 'bool': return T.Bool;
    case 'datetime': return T.DateTime;
    case 'dynamic': return T.Dynamic;
    case 'guid': return T.Guid;
    case 'int': return T.Int;
    case 'long': return T.Long;
    case 'real': return T.Real;
    case 'decimal': return T.Decimal;
    case 'string': return T.String;
    case 'timespan': return T.TimeSpan;
  }
}

/** KQL's name of a Kusto.Language scalar type symbol, or undefined for tables and unknowns. */
export function kqlTypeOf(type: KNode): KqlType | undefined {
  if (type === null || type === undefined) return undefined;
  const T = kusto().Kusto.Language.Symbols.ScalarTypes;
  if (type === T.Bool) return 'bool';
  if (type === T.DateTime) return 'datetime';
  if (type === T.Guid) return 'guid';
  if (type === T.Int) return 'int';
  if (type === T.Long) return 'long';
  if (type === T.Real) return 'real';
  if (type === T.Decimal) return 'decimal';
  if (type === T.String) return 'string';
  if (type === T.TimeSpan) return 'timespan';
  // Dynamic comes in many shapes (dynamic(string), dynamic([long]), bags...): all are dynamic.
  const name = String(type.Name ?? '');
  if (name.startsWith('dynamic')) return 'dynamic';
  return undefined;
}

function tableSymbol(table: TableDef): KNode {
  const S = kusto().Kusto.Language.Symbols;
  const columns = table.columns.map((c) => new S.ColumnSymbol(c.name, scalarType(c.type), null, null, null, null));
  return new S.TableSymbol.$ctor4(table.name, columns);
}

function parameterList(fn: WorkspaceDef['functions'][number]): string {
  const parts = fn.parameters.map((p) => {
    const type = typeof p.type === 'string' ? p.type
      : p.type.columns === '*' ? '(*)' : `(${p.type.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
    return `${p.name}:${type}${p.defaultValue !== undefined ? ` = ${p.defaultValue}` : ''}`;
  });
  return `(${parts.join(', ')})`;
}

const cache = new WeakMap<WorkspaceDef, Map<string, KNode>>();

/**
 * The database symbol of a workspace under the name a query uses for it (its own name, or the
 * text inside `workspace("...")`). Cached per schema value and name.
 */
export function databaseSymbol(workspace: WorkspaceDef, name: string): KNode {
  let byName = cache.get(workspace);
  if (byName === undefined) {
    byName = new Map();
    cache.set(workspace, byName);
  }
  const cached = byName.get(name);
  if (cached !== undefined) return cached;
  const S = kusto().Kusto.Language.Symbols;
  const members: KNode[] = workspace.tables.map(tableSymbol);
  for (const fn of workspace.functions) {
    const body = fn.body.trim().startsWith('{') ? fn.body : `{ ${fn.body} }`;
    members.push(new S.FunctionSymbol.$ctor16(fn.name, parameterList(fn), body, null));
  }
  const db = new S.DatabaseSymbol.$ctor2(name, null, members);
  indexMembers(db);
  byName.set(name, db);
  return db;
}

/** A stable number per object (schema value, global state), to key caches by identity. */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
export function identity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

/** Global states per home schema, keyed by the workspaces a query names (few distinct sets). */
const globalsCache = new WeakMap<WorkspaceDef, Map<string, KNode>>();
const GLOBALS_PER_HOME = 64;

/**
 * The analyser's global state: a cluster whose databases are the home workspace (current)
 * and every workspace the query names, plus `workspace(name)` declared to return the database
 * named by its argument, which makes `workspace("x").Table` resolve and type-check.
 * Reused while the schemas are the same values: the analyser keeps its caches (bound function
 * bodies, result types) in the state (see analysable).
 */
export function globalsFor(home: WorkspaceDef, named: Map<string, WorkspaceDef>): KNode {
  const key = [...named].filter(([reference]) => reference !== home.name)
    .map(([reference, ws]) => `${reference}\u0000${identity(ws)}`).sort().join('\u0001');
  let byKey = globalsCache.get(home);
  if (byKey === undefined) {
    byKey = new Map();
    globalsCache.set(home, byKey);
  }
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const { Kusto } = kusto();
  const L = Kusto.Language;
  const S = L.Symbols;
  const homeDb = databaseSymbol(home, home.name);
  const dbs = [homeDb];
  for (const [reference, ws] of named) {
    if (reference !== home.name) dbs.push(databaseSymbol(ws, reference));
  }
  const cluster = new S.ClusterSymbol.ctor('vigil', dbs);
  const state = L.GlobalState.Default.WithClusterList([cluster]).WithCluster(cluster).WithDatabase(homeDb)
    .WithFunctions(builtinFunctions());
  const globals = analysable(state);
  if (byKey.size >= GLOBALS_PER_HOME) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, globals);
  return globals;
}

/**
 * The state as the analyser would derive it on every call: end tokens in its parse options and a
 * binding cache. Given a state without a cache, the binder makes a new state with a new cache for
 * each query, and what it caches there (the bound bodies of saved functions per call site, their
 * result types) is lost with it; given this one, it keeps it, and a parser's body bound for one
 * query serves the next (see analyze.test.ts).
 */
function analysable(state: KNode): KNode {
  const prepared = state.WithParseOptions(state.ParseOptions.WithAlwaysProduceEndTokens(true));
  // The query grammar is built once per process (about 0.7 s) and kept; a state with a cache
  // would build it into the cache, and KustoCache.GetOrCreate calls the builder twice. Parsing
  // once without the cache builds the shared one, which every state then finds.
  kusto().Kusto.Language.KustoCode.Parse('', prepared);
  return prepared.WithCache();
}

let functions: KNode[] | undefined;

/** Kusto's built-in functions plus `workspace(name)`, which Log Analytics adds. */
function builtinFunctions(): KNode[] {
  if (functions !== undefined) return functions;
  const { Kusto, Bridge } = kusto();
  const L = Kusto.Language;
  const S = L.Symbols;
  const workspaceFn = new S.FunctionSymbol.$ctor2('workspace', S.ReturnTypeKind.Parameter0Database,
    [new S.Parameter.$ctor2('name', S.ScalarTypes.String)]);
  functions = [...(Bridge.toArray(L.GlobalState.Default.Functions) as KNode[]), workspaceFn];
  return functions;
}
