// Stage 3: the logical plan -> SQL text. The base compiler handles the relational shape (one
// SELECT per relation, nested); a dialect supplies names, types, literals and conversions.
// Identifiers are always quoted and literals always escaped by the dialect: no user text reaches
// SQL any other way.
//
// Row order: Kusto's serialized order (after sort, kept by where, extend, take, mv-expand...) is
// the order rows arrive in. DuckDB keeps the order of a subquery's ORDER BY through projections,
// filters, LIMIT, UNNEST and windows without ORDER BY (preserve_insertion_order), so sort is
// compiled once where it happens and window functions read rows as they come (OVER ()): one sort,
// and prev() sees the same neighbour the result shows. See docs/ARCHITECTURE.md, "Row order".
import { KqlError, unsupported } from '../diagnostics.ts';
import { aggregateFunctionSpec, scalarFunction, windowFunction } from '../functions/catalog.ts';
import type { SqlArg, SqlContext } from '../functions/registry.ts';
import type { AggregateCall, Relation, Scalar, SortKey } from '../plan/nodes.ts';
import type { KqlColumn, KqlType } from '../types.ts';
import { caseDistinctNames } from './case-distinct-names.ts';
import { mvExpandSql } from './mv-expand.ts';
import { seriesSql } from './series.ts';

export interface Dialect {
  readonly name: string;
  /**
   * A quoted identifier. Methods name columns through `this.ident`: the compiler gives columns
   * whose names differ only in case other SQL names (case-distinct-names.ts) by overriding it.
   */
  ident(name: string): string;
  str(value: string): string;
  sqlType(type: KqlType): string;
  literal(value: Scalar & { kind: 'literal' }): string;
  /** `arg` as KQL `type`, with Kusto's conversion rules. */
  convert(arg: SqlArg, type: KqlType): string;
  /** The table holding `table` of a workspace (e.g. "ws_<id>".main."T"); names are not column names. */
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
export function internal(message: string): KqlError {
  return unsupported(message, 0, 0);
}

export class SqlCompiler {
  private readonly ctes: string[] = [];
  private readonly cteNames = new Map<string, string>();
  private aliasCount = 0;
  /** Column name -> its SQL name, where they differ (columns whose names differ only in case). */
  private sqlNames = new Map<string, string>();
  /** The dialect with column names mapped to their SQL names; `base` quotes names as they are. */
  readonly dialect: Dialect;

  constructor(private readonly base: Dialect, private readonly options: SqlOptions) {
    const ident = (name: string) => base.ident(this.sqlNames.get(name) ?? name);
    this.dialect = Object.create(base, { ident: { value: ident } }) as Dialect;
  }

  /** The whole statement: CTEs for shared relations, then the plan. */
  compile(plan: Relation): string {
    this.sqlNames = caseDistinctNames(plan);
    const body = this.relation(plan);
    return this.ctes.length > 0 ? `WITH ${this.ctes.join(', ')} ${body}` : body;
  }

  /** A CTE (computed once) holding `sql`; returns its name. */
  shareText(sql: string): string {
    const name = this.dialect.ident(`__s${this.ctes.length}`);
    this.ctes.push(`${name} AS MATERIALIZED (${sql})`);
    return name;
  }

  alias(): string {
    return `t${this.aliasCount++}`;
  }

  relation(r: Relation): string {
    const d = this.dialect;
    switch (r.kind) {
      case 'scan': {
        if (!r.stored) return d.emptyRelation(r.columns);
        // Storage's own names for columns it presents under another (TableDef.storedAs).
        const stored = (name: string) => this.base.ident(r.storedAs?.[name] ?? name);
        // Kusto strings are never null: storage's NULLs read as "".
        const list = r.columns.map((c) => {
          const from = stored(c.name);
          const as = d.ident(c.name);
          if (c.type === 'string') return `coalesce(${from}, '') AS ${as}`;
          return from === as ? as : `${from} AS ${as}`;
        }).join(', ');
        const where: string[] = [];
        const timeColumn = stored(r.timeRange?.column ?? 'TimeGenerated');
        if (r.timeRange?.start !== undefined) where.push(`${timeColumn} >= ${d.literal({ kind: 'literal', value: r.timeRange.start, type: 'datetime' })}`);
        if (r.timeRange?.end !== undefined) where.push(`${timeColumn} < ${d.literal({ kind: 'literal', value: r.timeRange.end, type: 'datetime' })}`);
        const from = d.tableRef(this.options.catalogOf(r.workspaceId), r.table);
        return `SELECT ${list} FROM ${from}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
      }
      case 'values': {
        if (r.rows.length === 0) return d.emptyRelation(r.columns);
        return d.values(r.columns, r.rows.map((row) => row.map((v, i) => this.cast(this.scalar(v), v.type, r.columns[i]!.type))));
      }
      case 'range': return this.range(r);
      case 'external': return this.external(r);
      case 'filter':
        return `SELECT * FROM (${this.relation(r.input)}) AS ${this.alias()} WHERE ${this.scalar(r.predicate)}`;
      case 'project': {
        const list = r.exprs.map((e, i) => {
          // A column kept as it is needs no alias.
          if (e.expr.kind === 'column' && e.expr.name === e.name && e.expr.type === r.columns[i]!.type) return d.ident(e.name);
          return `${this.cast(this.scalar(e.expr), e.expr.type, r.columns[i]!.type)} AS ${d.ident(e.name)}`;
        }).join(', ');
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
        return `SELECT * FROM (${this.relation(r.input)}) AS ${this.alias()} LIMIT ${count}`;
      }
      case 'sample':
        return `SELECT * FROM (${this.relation(r.input)}) AS ${this.alias()} USING SAMPLE reservoir(${this.integer(r.count)} ROWS)`;
      case 'distinct':
        return `SELECT DISTINCT * FROM (${this.relation(r.input)}) AS ${this.alias()}`;
      case 'serialize':
        return this.relation(r.input);
      case 'join':
        return this.join(r);
      case 'union': return this.union(r);
      case 'mvexpand':
        return mvExpandSql(this, r);
      case 'series':
        return seriesSql(this, r);
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

  /** A constant count (sample): an integer literal, checked here because it goes into the SQL text. */
  private integer(s: Scalar): string {
    if (s.kind !== 'literal' || s.value === null || !Number.isFinite(Number(s.value))) throw internal('a computed row count');
    return String(Math.max(0, Math.trunc(Number(s.value))));
  }

  private range(r: Relation & { kind: 'range' }): string {
    const d = this.dialect;
    const [c] = r.columns;
    const from = this.scalar(r.from);
    const to = this.scalar(r.to);
    const step = this.scalar(r.step);
    const i = d.ident('i');
    // Kusto: from, from + step, ... while not past `to` (inclusive); a step of the wrong sign gives no rows.
    if (c!.type === 'datetime') {
      const count = `CAST(floor((epoch_us(${to}) - epoch_us(${from})) * 10 / (${step})) AS BIGINT)`;
      return `SELECT (${from} + to_microseconds(CAST(${i} * (${step}) // 10 AS BIGINT))) AS ${d.ident(c!.name)} FROM range(0, greatest(${count} + 1, 0)) AS g(${i})`;
    }
    const count = `CAST(floor((${to} - (${from})) / (${step})) AS BIGINT)`;
    return `SELECT CAST(${from} + ${i} * (${step}) AS ${d.sqlType(c!.type)}) AS ${d.ident(c!.name)} FROM range(0, greatest(${count} + 1, 0)) AS g(${i})`;
  }

  private external(r: Relation & { kind: 'external' }): string {
    const d = this.dialect;
    const columns = `{${r.columns.map((c) => `${d.str(c.name)}: ${d.str(d.sqlType(c.type))}`).join(', ')}}`;
    const read = r.format === 'json'
      ? `read_json(${d.str(r.path)}, format = 'newline_delimited', columns = ${columns})`
      : `read_csv(${d.str(r.path)}, header = false, auto_detect = false, skip = ${r.ignoreFirstRecord ? 1 : 0}, delim = ${d.str(r.format === 'tsv' ? '\t' : ',')}, quote = '"', escape = '"', columns = ${columns})`;
    const list = r.columns.map((c) => (c.type === 'string' ? `coalesce(${d.ident(c.name)}, '') AS ${d.ident(c.name)}` : d.ident(c.name))).join(', ');
    return `SELECT ${list} FROM ${read}`;
  }

  private union(r: Relation & { kind: 'union' }): string {
    const d = this.dialect;
    const data = r.source !== undefined ? r.columns.filter((c) => c.name !== r.source!.column) : r.columns;
    const parts = r.inputs.map((input, n) => {
      const list = data.map((c, j) => {
        const from = r.mapping[n]?.[j] ?? null;
        const source = from === null ? undefined : input.columns.find((x) => x.name === from);
        if (source === undefined) return c.type === 'string' ? `'' AS ${d.ident(c.name)}` : `CAST(NULL AS ${d.sqlType(c.type)}) AS ${d.ident(c.name)}`;
        return `${this.cast(d.ident(source.name), source.type, c.type)} AS ${d.ident(c.name)}`;
      });
      if (r.source !== undefined) {
        const at = r.columns.findIndex((c) => c.name === r.source!.column);
        list.splice(at, 0, `${d.str(r.source.names[n] ?? '')} AS ${d.ident(r.source.column)}`);
      }
      return `SELECT ${list.join(', ')} FROM (${this.relation(input)}) AS ${this.alias()}`;
    });
    return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' UNION ALL ');
  }

  orderBy(keys: SortKey[]): string {
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
    // An outer join's missing side reads as null; Kusto strings are never null, so those read "".
    const padded = (side: 'left' | 'right') => (side === 'left' ? r.joinKind === 'rightouter' || r.joinKind === 'fullouter' : r.joinKind === 'leftouter' || r.joinKind === 'fullouter');
    const list = r.output.map((o, i) => {
      const value = `${o.side === 'left' ? l : rr}.${d.ident(o.column)}`;
      return `${r.columns[i]!.type === 'string' && padded(o.side) ? `coalesce(${value}, '')` : value} AS ${d.ident(o.name)}`;
    }).join(', ');
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

  /** A value of `from` type where `to` is expected (a no-op when equal). */
  cast(sql: string, from: KqlType, to: KqlType): string {
    if (from === to) return sql;
    return this.dialect.convert({ sql, type: from, scalar: { kind: 'column', name: '', type: from } }, to);
  }

  context(resultType: KqlType, what: string, at?: { start: number; length: number }): SqlContext {
    const d = this.dialect;
    return {
      str: (v) => d.str(v),
      sqlType: (t) => d.sqlType(t),
      convert: (arg, type) => (arg.type === type ? arg.sql : d.convert(arg, type)),
      resultType,
      unsupported: (message, hint) => { throw unsupported(`${message} (in ${what})`, at?.start ?? 0, at?.length ?? 0, hint); },
    };
  }

  private args(args: Scalar[]): SqlArg[] {
    // A tabular argument (x in (T | project c)) is passed as the SELECT of its first column.
    return args.map((a) => ({ sql: a.kind === 'subquery' && a.set === true ? this.firstColumn(a.plan) : this.scalar(a), type: a.type, scalar: a }));
  }

  scalar(s: Scalar): string {
    switch (s.kind) {
      case 'column': return this.dialect.ident(s.name);
      case 'literal': return this.dialect.literal(s);
      case 'subquery': return `(${this.firstColumn(s.plan)} LIMIT 1)`;
      case 'window': {
        const fn = windowFunction(s.fn);
        if (fn === undefined) throw internal(`window function ${s.fn}`);
        const partition = s.partition?.length ? `PARTITION BY ${s.partition.map((p) => this.scalar(p)).join(', ')}` : '';
        const order = s.order.length ? `ORDER BY ${this.orderBy(s.order)}` : '';
        const over = (frame?: string) => ` OVER (${[partition, order, frame ?? ''].filter((x) => x !== '').join(' ')})`;
        return fn.sql(this.args(s.args), over, this.context(s.type, s.fn));
      }
      case 'call': {
        const fn = scalarFunction(s.fn);
        if (fn === undefined) throw internal(`function ${s.fn}`);
        const sql = fn.sql(this.args(s.args), this.context(s.type, s.fn, s.at));
        return fn.nullableString === true && s.type === 'string' ? `coalesce(${sql}, '')` : sql;
      }
    }
  }

  private firstColumn(plan: Relation): string {
    const first = plan.columns[0];
    if (first === undefined) throw internal('a subquery without columns');
    return `SELECT ${this.dialect.ident(first.name)} FROM (${this.relation(plan)}) AS ${this.alias()}`;
  }

  aggregate(a: AggregateCall): string {
    const fn = aggregateFunctionSpec(a.fn);
    if (fn === undefined) throw internal(`aggregate ${a.fn}`);
    return fn.sql(this.args(a.args), this.context(a.type, a.fn));
  }
}
