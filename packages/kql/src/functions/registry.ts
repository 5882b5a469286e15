// The KQL function catalogue: every scalar function, operator and aggregate the compiler
// implements, each with its SQL template. A name missing here is refused at its position by the
// lowering stage, so the catalogue is the single list of what Vigil's KQL supports.
import type { LiteralValue, Scalar } from '../plan/nodes.ts';
import type { KqlType } from '../types.ts';

/** An argument as a template sees it: its SQL text, its KQL type and its plan form (to read literals). */
export interface SqlArg {
  sql: string;
  type: KqlType;
  scalar: Scalar;
}

/** What templates may ask of the SQL stage. */
export interface SqlContext {
  /** A SQL string literal for `value` (quotes doubled: user text never reaches SQL unescaped). */
  str(value: string): string;
  /** The engine type for a KQL type. */
  sqlType(type: KqlType): string;
  /** `arg` converted to KQL `type` with Kusto's rules (tostring, tolong, ...). */
  convert(arg: SqlArg, type: KqlType): string;
  /** The result type of the call being compiled. */
  resultType: KqlType;
  /** Raises the coded unsupported error for this call (e.g. a non-constant where a constant is needed). */
  unsupported(what: string, hint?: string): never;
}

export type Template = (args: SqlArg[], ctx: SqlContext) => string;

export interface ScalarFunction {
  kind: 'scalar';
  name: string;
  sql: Template;
  /**
   * True when the SQL can yield NULL for a string result where Kusto yields "": the compiler
   * wraps it in coalesce(.., ''). Kusto strings are never null.
   */
  nullableString?: boolean;
}

export interface AggregateFunction {
  kind: 'aggregate';
  name: string;
  sql: Template;
}

const scalars = new Map<string, ScalarFunction>();
const aggregates = new Map<string, AggregateFunction>();

export function scalar(names: string | string[], sql: Template, options: { nullableString?: boolean } = {}): void {
  for (const name of Array.isArray(names) ? names : [names]) scalars.set(name, { kind: 'scalar', name, sql, ...options });
}

export function aggregate(names: string | string[], sql: Template): void {
  const list = Array.isArray(names) ? names : [names];
  for (const name of list) aggregates.set(name, { kind: 'aggregate', name: list[0]!, sql });
}

export function scalarFunction(name: string): ScalarFunction | undefined {
  return scalars.get(name);
}

export function aggregateFunctionSpec(name: string): AggregateFunction | undefined {
  return aggregates.get(name);
}

/** Names of everything implemented (for docs and the coverage report). */
export function catalogue(): { scalars: string[]; aggregates: string[] } {
  return { scalars: [...scalars.keys()].sort(), aggregates: [...new Set([...aggregates.keys()])].sort() };
}

/** The value of a literal argument, or undefined when the argument is not a literal. */
export function literalOf(arg: SqlArg): LiteralValue | undefined {
  return arg.scalar.kind === 'literal' ? arg.scalar.value : undefined;
}

/** Escapes a text for use inside a regular expression (RE2). */
export function regexEscape(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
