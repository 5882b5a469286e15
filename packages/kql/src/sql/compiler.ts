// Stage 3: the logical plan -> SQL text. The base compiler handles the relational shape (one
// SELECT per relation, nested); a dialect supplies names, types, literals and conversions.
// Identifiers are always quoted and literals always escaped by the dialect: no user text reaches
// SQL any other way.
import { KqlError, unsupported } from '../diagnostics.ts';
import { aggregateFunctionSpec, scalarFunction } from '../functions/catalog.ts';
import type { SqlArg, SqlContext } from '../functions/registry.ts';
import type { Relation, Scalar, SortKey } from '../plan/nodes.ts';
import type { KqlColumn, KqlType } from '../types.ts';

export interface Dialect {
  readonly name: string;
  ident(name: string): string;
  str(value: string): string;
  sqlType(type: KqlType): string;
  literal(value: Scalar & { kind: 'literal' }): string;
  /** `arg` as KQL `type`, with Kusto's conversion rules. */
  convert(arg: SqlArg, type: KqlType): string;
  /** The table holding `table` of a workspace (e.g. "ws_<id>".main."T"). */
  tableRef(catalog: string, table: string): string;
  /** A relation with `columns` and no rows. */
  emptyRelation(columns: KqlColumn[]): string;
  /** Rows of literal values. */
  values(columns: KqlColumn[], rows: string[][]): string;
}

export interface SqlOptions {
  catalogOf(workspaceId: string): string;
}

/** An error in SQL generation is a compiler defect or an unsupported combination, never silent. */
function internal(message: string): KqlError {
  return unsupported(message, 0, 0);
}

export class SqlCompiler {
  private readonly ctes: string[] = [];
  private readonly cteNames = new Map<string, string>();
  private aliasCount = 0;

  constructor(private readonly dialect: Dialect, private readonly options: SqlOptions) {}

  /** The whole statement: CTEs for shared relations, the plan, and its final order. */
  compile(plan: Relation): string {
    const body = this.relation(plan);
    const order = orderOf(plan);
    const ordered = order !== undefined && plan.kind !== 'sort' && plan.kind !== 'limit'
      ? `SELECT * FROM (${body}) AS ${this.alias()} ORDER BY ${this.orderBy(order)}`
      : body;
    return this.ctes.length > 0 ? `WITH ${this.ctes.join(', ')} ${ordered}` : ordered;
  }

  private alias(): string {
    return `t${this.aliasCount++}`;
  }

  relation(r: Relation): string {
    const d = this.dialect;
    switch (r.kind) {
      case 'scan': {
        if (!r.stored) return d.emptyRelation(r.columns);
        // Kusto strings are never null: storage's NULLs read as "".
        const list = r.columns.map((c) => (c.type === 'string'
          ? `coalesce(${d.ident(c.name)}, '') AS ${d.ident(c.name)}` : d.ident(c.name))).join(', ');
        const where: string[] = [];
        if (r.timeRange?.start !== undefined) where.push(`${d.ident('TimeGenerated')} >= ${d.literal({ kind: 'literal', value: r.timeRange.start, type: 'datetime' })}`);
        if (r.timeRange?.end !== undefined) where.push(`${d.ident('TimeGenerated')} < ${d.literal({ kind: 'literal', value: r.timeRange.end, type: 'datetime' })}`);
        const from = d.tableRef(this.options.catalogOf(r.workspaceId), r.table);
        return `SELECT ${list} FROM ${from}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
      }
      case 'values': {
        if (r.rows.length === 0) return d.emptyRelation(r.columns);
        return d.values(r.columns, r.rows.map((row) => row.map((v, i) => this.cast(this.scalar(v), v.type, r.columns[i]!.type))));
      }
      case 'range': {
        const [c] = r.columns;
        const from = this.scalar(r.from);
        const to = this.scalar(r.to);
        const step = this.scalar(r.step);
        const i = d.ident('i');
        if (c!.type === 'datetime') {
          const count = `CAST(floor((epoch_us(${to}) - epoch_us(${from})) * 10 / (${step})) AS BIGINT)`;
          return `SELECT (${from} + to_microseconds(CAST(${i} * (${step}) // 10 AS BIGINT))) AS ${d.ident(c!.name)} FROM range(0, greatest(${count} + 1, 0)) AS g(${i})`;
        }
        const count = `CAST(floor((${to} - (${from})) / (${step})) AS BIGINT)`;
        return `SELECT CAST(${from} + ${i} * (${step}) AS ${d.sqlType(c!.type)}) AS ${d.ident(c!.name)} FROM range(0, greatest(${count} + 1, 0)) AS g(${i})`;
      }
      case 'filter':
        return `SELECT * FROM (${this.relation(r.input)}) AS ${this.alias()} WHERE ${this.scalar(r.predicate)}`;
      case 'project': {
        const list = r.exprs.map((e, i) => `${this.cast(this.scalar(e.expr), e.expr.type, r.columns[i]!.type)} AS ${d.ident(e.name)}`).join(', ');
        return `SELECT ${list} FROM (${this.relation(r.input)}) AS ${this.alias()}`;
      }
      case 'aggregate': {
        const keys = r.keys.map((k) => this.scalar(k.expr));
        const list = [
          ...r.keys.map((k, i) => `${keys[i]} AS ${d.ident(k.name)}`),
          ...r.aggregates.map((a) => `${this.aggregate(a.call)} AS ${d.ident(a.name)}`),
        ].join(', ');
        const group = keys.length > 0 ? ` GROUP BY ${r.keys.map((_, i) => String(i + 1)).join(', ')}` : '';
        return `SELECT ${list} FROM (${this.relation(r.input)}) AS ${this.alias()}${group}`;
      }
      case 'sort':
        return `SELECT * FROM (${this.relation(r.input)}) AS ${this.alias()} ORDER BY ${this.orderBy(r.keys)}`;
      case 'limit': {
        const count = this.scalar(r.count);
        // take after sort is a top-N: one SELECT, so the engine can use its top-N operator.
        if (r.input.kind === 'sort') {
          return `SELECT * FROM (${this.relation(r.input.input)}) AS ${this.alias()} ORDER BY ${this.orderBy(r.input.keys)} LIMIT ${count}`;
        }
        const order = orderOf(r.input);
        const inner = this.relation(r.input);
        return order !== undefined
          ? `SELECT * FROM (${inner}) AS ${this.alias()} ORDER BY ${this.orderBy(order)} LIMIT ${count}`
          : `SELECT * FROM (${inner}) AS ${this.alias()} LIMIT ${count}`;
      }
      case 'distinct':
        return `SELECT DISTINCT * FROM (${this.relation(r.input)}) AS ${this.alias()}`;
      case 'join':
        return this.join(r);
      case 'union': {
        const parts = r.inputs.map((input, n) => {
          const list = r.columns.map((c) => {
            if (r.source !== undefined && c.name === r.source.column) return `${d.str(r.source.names[n] ?? '')} AS ${d.ident(c.name)}`;
            const from = input.columns.find((x) => x.name === c.name);
            if (from === undefined) return `CAST(NULL AS ${d.sqlType(c.type)}) AS ${d.ident(c.name)}`;
            return `${this.cast(d.ident(from.name), from.type, c.type)} AS ${d.ident(c.name)}`;
          });
          return `SELECT ${list.join(', ')} FROM (${this.relation(input)}) AS ${this.alias()}`;
        });
        return parts.map((p) => `(${p})`).join(' UNION ALL ');
      }
      case 'mvexpand':
        return this.mvExpand(r);
      case 'shared': {
        let name = this.cteNames.get(r.id);
        if (name === undefined) {
          name = d.ident(`__${r.id}`);
          this.cteNames.set(r.id, name);
          this.ctes.push(`${name} AS MATERIALIZED (${this.relation(r.input)})`);
        }
        return `SELECT * FROM ${name}`;
      }
    }
  }

  private orderBy(keys: SortKey[]): string {
    return keys.map((k) => `${this.scalar(k.expr)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
  }

  private join(r: Relation & { kind: 'join' }): string {
    const d = this.dialect;
    const l = this.alias();
    const rr = this.alias();
    let left = this.relation(r.left);
    const right = this.relation(r.right);
    if (r.joinKind === 'innerunique') {
      // Kusto's default join keeps one left row per key before joining.
      const keys = r.on.map((k) => d.ident(k.left)).join(', ');
      left = `SELECT DISTINCT ON (${keys}) * FROM (${left}) AS ${this.alias()}`;
    }
    const on = r.on.map((k) => `${l}.${d.ident(k.left)} = ${rr}.${d.ident(k.right)}`).join(' AND ');
    const list = r.output.map((o) => `${o.side === 'left' ? l : rr}.${d.ident(o.column)} AS ${d.ident(o.name)}`).join(', ');
    const sqlKind: Record<typeof r.joinKind, string> = {
      inner: 'INNER JOIN', innerunique: 'INNER JOIN', leftouter: 'LEFT JOIN', rightouter: 'RIGHT JOIN', fullouter: 'FULL JOIN',
      leftanti: 'ANTI JOIN', leftsemi: 'SEMI JOIN', rightanti: 'ANTI JOIN', rightsemi: 'SEMI JOIN',
    };
    if (r.joinKind === 'rightanti' || r.joinKind === 'rightsemi') {
      // Right-hand forms are the left-hand ones with the sides swapped.
      const onSwapped = r.on.map((k) => `${rr}.${d.ident(k.right)} = ${l}.${d.ident(k.left)}`).join(' AND ');
      return `SELECT ${list} FROM (${right}) AS ${rr} ${sqlKind[r.joinKind]} (${left}) AS ${l} ON ${onSwapped}`;
    }
    return `SELECT ${list} FROM (${left}) AS ${l} ${sqlKind[r.joinKind]} (${right}) AS ${rr} ON ${on}`;
  }

  private mvExpand(r: Relation & { kind: 'mvexpand' }): string {
    const d = this.dialect;
    if (r.expand.length !== 1) throw internal('mv-expand of several columns at once');
    const [e] = r.expand;
    const t = this.alias();
    const j = this.alias();
    const source = this.scalar(e!.expr);
    // Arrays expand to their elements, bags to {key: value} pairs; other values stay as one row.
    const each = `SELECT CASE WHEN json_type(${t}.__v) = 'OBJECT' THEN json_object(key, value) ELSE value END AS v, row_number() OVER () - 1 AS idx `
      + `FROM json_each(${t}.__v) WHERE json_type(${t}.__v) IN ('ARRAY', 'OBJECT') `
      + `UNION ALL SELECT ${t}.__v, 0 WHERE json_type(${t}.__v) NOT IN ('ARRAY', 'OBJECT')`;
    const list = r.columns.map((c) => {
      if (c.name === e!.name) return `${this.cast(`${j}.v`, 'dynamic', c.type)} AS ${d.ident(c.name)}`;
      if (c.name === r.indexColumn) return `${j}.idx AS ${d.ident(c.name)}`;
      return `${t}.${d.ident(c.name)}`;
    }).join(', ');
    const limit = r.limit !== undefined ? ` WHERE ${j}.idx < ${r.limit}` : '';
    return `SELECT ${list} FROM (SELECT *, CAST(${source} AS JSON) AS __v FROM (${this.relation(r.input)}) AS ${this.alias()}) AS ${t}, LATERAL (${each}) AS ${j}${limit}`;
  }

  /** A value of `from` type where `to` is expected (a no-op when equal). */
  private cast(sql: string, from: KqlType, to: KqlType): string {
    if (from === to) return sql;
    return this.dialect.convert({ sql, type: from, scalar: { kind: 'column', name: '', type: from } }, to);
  }

  private context(resultType: KqlType, what: string): SqlContext {
    const d = this.dialect;
    return {
      str: (v) => d.str(v),
      sqlType: (t) => d.sqlType(t),
      convert: (arg, type) => (arg.type === type ? arg.sql : d.convert(arg, type)),
      resultType,
      unsupported: (message, hint) => { throw unsupported(`${message} (in ${what})`, 0, 0, hint); },
    };
  }

  scalar(s: Scalar): string {
    switch (s.kind) {
      case 'column': return this.dialect.ident(s.name);
      case 'literal': return this.dialect.literal(s);
      case 'subquery': return `(${this.firstColumn(s.plan)} LIMIT 1)`;
      case 'window': throw internal(`window function ${s.fn}`);
      case 'call': {
        const fn = scalarFunction(s.fn);
        if (fn === undefined) throw internal(`function ${s.fn}`);
        // A tabular argument (x in (T | project c)) is passed as the SELECT of its first column.
        const args: SqlArg[] = s.args.map((a) => ({ sql: a.kind === 'subquery' ? this.firstColumn(a.plan) : this.scalar(a), type: a.type, scalar: a }));
        const sql = fn.sql(args, this.context(s.type, s.fn));
        return fn.nullableString === true && s.type === 'string' ? `coalesce(${sql}, '')` : sql;
      }
    }
  }

  private firstColumn(plan: Relation): string {
    const first = plan.columns[0];
    if (first === undefined) throw internal('a subquery without columns');
    return `SELECT ${this.dialect.ident(first.name)} FROM (${this.relation(plan)}) AS ${this.alias()}`;
  }

  private aggregate(a: { fn: string; args: Scalar[]; type: KqlType }): string {
    const fn = aggregateFunctionSpec(a.fn);
    if (fn === undefined) throw internal(`aggregate ${a.fn}`);
    const args: SqlArg[] = a.args.map((x) => ({ sql: this.scalar(x), type: x.type, scalar: x }));
    return fn.sql(args, this.context(a.type, a.fn));
  }
}

/**
 * The order a relation's rows come in, when Kusto defines one (after sort, kept by where,
 * project of the same columns and take), expressed over its output columns.
 */
export function orderOf(r: Relation): SortKey[] | undefined {
  switch (r.kind) {
    case 'sort': return r.keys.every((k) => k.expr.kind === 'column' && r.columns.some((c) => c.name === (k.expr as { name: string }).name)) ? r.keys : undefined;
    case 'filter': case 'limit': return orderOf(r.input);
    case 'project': {
      const inner = orderOf(r.input);
      if (inner === undefined) return undefined;
      const mapped: SortKey[] = [];
      for (const k of inner) {
        const name = (k.expr as { name: string }).name;
        const out = r.exprs.find((e) => e.expr.kind === 'column' && e.expr.name === name);
        if (out === undefined) return undefined;
        mapped.push({ ...k, expr: { kind: 'column', name: out.name, type: k.expr.type } });
      }
      return mapped;
    }
    default: return undefined;
  }
}
