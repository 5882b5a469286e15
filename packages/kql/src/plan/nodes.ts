// The logical plan: a dialect-neutral tree of relations over typed scalar expressions. Built
// from the analysed syntax (lower/), rewritten by named passes (rewrites/), turned into SQL by a
// dialect (sql/). Every relation knows its output columns; passes dispatch through
// Record<Relation['kind'], ...> so that a new kind does not compile until every pass handles it.
import type { KqlColumn, KqlType } from '../types.ts';

/** A value known when compiling. datetime: microseconds since the epoch; timespan: 100-ns ticks; dynamic: JSON text. */
export type LiteralValue = null | boolean | number | bigint | string;

export type Scalar =
  | { kind: 'column'; name: string; type: KqlType }
  | { kind: 'literal'; value: LiteralValue; type: KqlType }
  /** A function or operator of the catalogue (functions/), by its catalogue name. */
  /** `at`: the call's place in the query text, for errors the SQL stage raises about it. */
  | { kind: 'call'; fn: string; args: Scalar[]; type: KqlType; at?: { start: number; length: number } }
  /**
   * `toscalar(...)`: the first column of the first row of a relation; with `set`, the whole
   * first column (the right side of `in`).
   */
  | { kind: 'subquery'; plan: Relation; type: KqlType; set?: boolean }
  /**
   * A value of another row (prev, next, row_number, row_cumsum), from the window catalogue.
   * Without `order` the rows are taken in the order they arrive: the serialized order, which
   * the SQL keeps (see docs/ARCHITECTURE.md, "Row order").
   */
  | { kind: 'window'; fn: string; args: Scalar[]; type: KqlType; order: SortKey[]; partition?: Scalar[] };

export interface Named {
  name: string;
  expr: Scalar;
}

export interface AggregateCall {
  /** Catalogue name of the aggregation (count, dcount, arg_max, make_set_if, ...). */
  fn: string;
  args: Scalar[];
  type: KqlType;
}

export interface SortKey {
  expr: Scalar;
  descending: boolean;
  nullsFirst: boolean;
}

export type JoinKind = 'inner' | 'innerunique' | 'leftouter' | 'rightouter' | 'fullouter' | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

/** One dynamic value expanded by mv-expand: bags become {key: value} (bag) or [key, value] (array). */
export interface Expansion {
  name: string;
  expr: Scalar;
  /** The column's type: dynamic, or the `to typeof(...)` type. */
  type: KqlType;
  bags: 'bag' | 'array';
}

/** One series of make-series: an aggregate per bin, `fill` where a bin has no rows. */
export interface SeriesAggregate {
  name: string;
  call: AggregateCall;
  fill: Scalar;
}

export type Relation =
  /**
   * A table of a workspace. `stored: false` reads as empty (the table has no rows yet).
   * `storedAs`: columns storage presents under another name (TableDef.storedAs).
   */
  | { kind: 'scan'; workspaceId: string; table: string; stored: boolean; columns: KqlColumn[]; storedAs?: Readonly<Record<string, string>>; timeRange?: { start?: bigint; end?: bigint; column: 'TimeGenerated' | '_TimeReceived' } }
  /** Literal rows (datatable, print, getschema). */
  | { kind: 'values'; columns: KqlColumn[]; rows: Scalar[][] }
  /** `range x from a to b step s`. */
  | { kind: 'range'; columns: KqlColumn[]; from: Scalar; to: Scalar; step: Scalar }
  /** A file of the administrator's external-data directory (externaldata). */
  | { kind: 'external'; path: string; format: 'csv' | 'tsv' | 'json'; ignoreFirstRecord: boolean; columns: KqlColumn[] }
  | { kind: 'filter'; input: Relation; predicate: Scalar; columns: KqlColumn[] }
  /** Output columns in order, each an expression over the input. */
  | { kind: 'project'; input: Relation; exprs: Named[]; columns: KqlColumn[] }
  | { kind: 'aggregate'; input: Relation; keys: Named[]; aggregates: { name: string; call: AggregateCall }[]; columns: KqlColumn[] }
  | { kind: 'sort'; input: Relation; keys: SortKey[]; columns: KqlColumn[] }
  | { kind: 'limit'; input: Relation; count: Scalar; columns: KqlColumn[] }
  /** `sample n`: n rows chosen at random. */
  | { kind: 'sample'; input: Relation; count: Scalar; columns: KqlColumn[] }
  | { kind: 'distinct'; input: Relation; columns: KqlColumn[] }
  /** `serialize`: the input's row order becomes meaningful (window functions may follow). */
  | { kind: 'serialize'; input: Relation; columns: KqlColumn[] }
  | {
      kind: 'join'; joinKind: JoinKind; left: Relation; right: Relation;
      /** Equality pairs ($left.a == $right.b), by column name on each side. */
      on: { left: string; right: string }[];
      /** Output columns: each from the left or the right input (right names deduplicated by Kusto: Name1). */
      output: { name: string; side: 'left' | 'right'; column: string }[];
      columns: KqlColumn[];
    }
  /**
   * Rows of every input. `mapping[i][j]` names the column of input i that fills output column j
   * (null: missing, read as null); columns of one name and several types become Name_type.
   */
  | { kind: 'union'; inputs: Relation[]; mapping: (string | null)[][]; source?: { column: string; names: string[] }; columns: KqlColumn[] }
  /** One row per element of the dynamic arrays (or bags) named, expanded in parallel; other columns repeated. */
  | { kind: 'mvexpand'; input: Relation; expand: Expansion[]; limit?: number; indexColumn?: string; columns: KqlColumn[] }
  /**
   * make-series: per group of `keys`, each aggregate over the bins `from + k * step` (k from 0
   * while below `to`) as a dynamic array, and the bins themselves as the `axis` column.
   * `from`/`to` absent: the first bin / the end of the last bin holding rows (over all groups).
   */
  | {
      kind: 'series'; input: Relation; keys: Named[]; aggregates: SeriesAggregate[];
      axis: { name: string; expr: Scalar }; from?: Scalar; to?: Scalar; step: Scalar;
      /** kind=nonempty: without by-keys, an empty input still gives one row of defaults. */
      nonempty: boolean;
      columns: KqlColumn[];
    }
  /** A relation used more than once that must be computed once (materialize(), shared lets). */
  | { kind: 'shared'; id: string; input: Relation; columns: KqlColumn[] };

export type RelationKind = Relation['kind'];

/** Every relation's input relations, in order. */
export function inputsOf(r: Relation): Relation[] {
  switch (r.kind) {
    case 'scan': case 'values': case 'range': case 'external': return [];
    case 'join': return [r.left, r.right];
    case 'union': return r.inputs;
    default: return [r.input];
  }
}

export const col = (name: string, type: KqlType): Scalar => ({ kind: 'column', name, type });
export const lit = (value: LiteralValue, type: KqlType): Scalar => ({ kind: 'literal', value, type });
export const call = (fn: string, type: KqlType, ...args: Scalar[]): Scalar => ({ kind: 'call', fn, args, type });

/** Columns of a relation as pass-through expressions. */
export const passThrough = (columns: KqlColumn[]): Named[] => columns.map((c) => ({ name: c.name, expr: col(c.name, c.type) }));
