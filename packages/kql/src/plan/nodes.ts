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
  | { kind: 'call'; fn: string; args: Scalar[]; type: KqlType }
  /** `toscalar(...)`: the first column of the first row of a relation. */
  | { kind: 'subquery'; plan: Relation; type: KqlType }
  /** A value of another row in the serialized order (prev, next, row_number, row_cumsum). */
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

export type Relation =
  /** A table of a workspace. `stored: false` reads as empty (the table has no rows yet). */
  | { kind: 'scan'; workspaceId: string; table: string; stored: boolean; columns: KqlColumn[]; timeRange?: { start?: bigint; end?: bigint } }
  /** Literal rows (datatable, print). */
  | { kind: 'values'; columns: KqlColumn[]; rows: Scalar[][] }
  /** `range x from a to b step s`. */
  | { kind: 'range'; columns: KqlColumn[]; from: Scalar; to: Scalar; step: Scalar }
  | { kind: 'filter'; input: Relation; predicate: Scalar; columns: KqlColumn[] }
  /** Output columns in order, each an expression over the input. */
  | { kind: 'project'; input: Relation; exprs: Named[]; columns: KqlColumn[] }
  | { kind: 'aggregate'; input: Relation; keys: Named[]; aggregates: { name: string; call: AggregateCall }[]; columns: KqlColumn[] }
  | { kind: 'sort'; input: Relation; keys: SortKey[]; columns: KqlColumn[] }
  | { kind: 'limit'; input: Relation; count: Scalar; columns: KqlColumn[] }
  | { kind: 'distinct'; input: Relation; columns: KqlColumn[] }
  | {
      kind: 'join'; joinKind: JoinKind; left: Relation; right: Relation;
      /** Equality pairs ($left.a == $right.b), by column name on each side. */
      on: { left: string; right: string }[];
      /** Output columns: each from the left or the right input (right names deduplicated by Kusto: Name1). */
      output: { name: string; side: 'left' | 'right'; column: string }[];
      columns: KqlColumn[];
    }
  /** Rows of every input, columns aligned by name (missing ones null); optionally a source column. */
  | { kind: 'union'; inputs: Relation[]; source?: { column: string; names: string[] }; columns: KqlColumn[] }
  /** One row per element of the dynamic arrays (or bags) named; other columns repeated. */
  | { kind: 'mvexpand'; input: Relation; expand: { name: string; expr: Scalar; type: KqlType }[]; limit?: number; indexColumn?: string; columns: KqlColumn[] }
  /** A relation used more than once that must be computed once (materialize(), shared lets). */
  | { kind: 'shared'; id: string; input: Relation; columns: KqlColumn[] };

export type RelationKind = Relation['kind'];

/** Every relation's input relations, in order. */
export function inputsOf(r: Relation): Relation[] {
  switch (r.kind) {
    case 'scan': case 'values': case 'range': return [];
    case 'join': return [r.left, r.right];
    case 'union': return r.inputs;
    default: return [r.input];
  }
}

export const col = (name: string, type: KqlType): Scalar => ({ kind: 'column', name, type });
export const lit = (value: LiteralValue, type: KqlType): Scalar => ({ kind: 'literal', value, type });
export const call = (fn: string, type: KqlType, ...args: Scalar[]): Scalar => ({ kind: 'call', fn, args, type });
