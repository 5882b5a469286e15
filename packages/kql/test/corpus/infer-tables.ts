// Schemas for custom (_CL) tables no sample file holds, inferred from the queries that read
// them. In Sentinel such a table exists once its connector sends data, with the columns the
// HTTP Data Collector API gives it: the system columns, and a column per field whose name's
// suffix says its type (_s string, _d real, _b bool, _t datetime, _g guid). Here nothing sent
// data, so the columns are the ones the queries name: honest about usage, not about data.
// A custom table a sample holds has the columns of the fields its rows had; a field the rows
// lack but the queries name is added the same way (reported apart, beside the sample's).
//
// The inference is driven by the analyser: compile; an unknown table named `X_CL` is declared
// with the system columns (so is every missing one the text reaches when the error is one a
// missing table causes without naming it: a union none of whose inputs exist, names of unknown
// type inside a function body); an unknown name in a query that reads custom tables becomes a
// column of one of them (tried in turn until the error moves on: those the text names, then
// those the parsers it calls name); repeat, bounded. One schema per table is accumulated over
// every query, so that every query sees the same table. Standard tables are never given columns
// here: an unknown name on them stays a failure.
import { KqlError, type KqlColumn, type KqlType, type TableDef } from '../../src/index.ts';
import { withSystemColumns } from '../../../server/src/logstore/schema.ts';

/** Columns the HTTP Data Collector API adds to every custom log table, beyond Log Analytics' own. */
const CUSTOM_LOG_COLUMNS: KqlColumn[] = [
  { name: 'Computer', type: 'string' },
  { name: 'RawData', type: 'string' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'ManagementGroupName', type: 'string' },
  { name: 'MG', type: 'string' },
];

const SUFFIX_TYPES: Record<string, KqlType> = { s: 'string', d: 'real', b: 'bool', t: 'datetime', g: 'guid' };

/** A field's type from its name, as the Data Collector API names it; unsuffixed names are strings. */
export function typeBySuffix(name: string): KqlType {
  const m = /_([sdbtg])$/.exec(name);
  return m === null ? 'string' : SUFFIX_TYPES[m[1]!]!;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;

/**
 * The type an unsuffixed column's use in `text` gives it: compared with a number (a literal, or a
 * `let` bound to one), long or real. (Kusto compares a string with a number as strings, so the
 * analyser does not object to a string column there: the use is all that tells.)
 */
export function typeByUse(text: string, name: string): KqlType | undefined {
  const numbers = new Map<string, string>();
  for (const m of text.matchAll(new RegExp(String.raw`\blet\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(${NUMBER})\s*;`, 'g'))) numbers.set(m[1]!, m[2]!);
  const operand = String.raw`(?<![A-Za-z0-9_.])(?:${[NUMBER, ...numbers.keys()].join('|')})(?![A-Za-z0-9_.])`;
  const op = '==|!=|<>|>=|<=|>|<';
  const col = String.raw`(?<![A-Za-z0-9_.'"])${name}(?![A-Za-z0-9_'"])`;
  const m = new RegExp(String.raw`${col}\s*(?:${op})\s*(${operand})|(${operand})\s*(?:${op})\s*${col}`).exec(text);
  if (m === null) return undefined;
  const value = m[1] ?? m[2]!;
  const literal = numbers.get(value) ?? value;
  return /[.eE]/.test(literal) ? 'real' : 'long';
}

/** A column's type: its suffix's, else what its use says, else string. */
function columnType(name: string, text: string): KqlType {
  return /_[sdbtg]$/.test(name) ? typeBySuffix(name) : typeByUse(text, name) ?? 'string';
}

export interface InferredTable {
  name: string;
  columns: KqlColumn[];
  /**
   * How many of the first columns are not inferred: the system columns of a table no sample holds,
   * the sample's columns of one a sample holds (a sample shows the fields its rows had, not every
   * field the connector sends).
   */
  given: number;
  /** Whether a sample file holds the table (it exists with rows; inferred columns are added to it). */
  sampled: boolean;
  /** The queries (rule ids, parser names) whose compilation needed the table or one of its columns. */
  usedBy: Set<string>;
}

export interface InferenceQuery {
  who: string;
  text: string;
  /** Custom tables the text reaches (itself and the parsers it calls) that no sample holds, as named there. */
  missing: string[];
  /**
   * Custom tables the text names itself (held by a sample or not): the first an unknown column is
   * attributed to.
   */
  direct: string[];
  /**
   * Custom tables only the parsers it calls name: an unknown column the text reads from a parser's
   * output is attributed to them next (a parser passing its table's columns through).
   */
  reached: string[];
}

const MAX_STEPS = 200;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The types an unsuffixed column is tried with, in turn, when the default (string) does not fit its use. */
const RETYPES: KqlType[] = ['long', 'real', 'bool', 'datetime'];

/** The table declared for a custom table no sample holds: the system columns only. */
export function declaredTable(name: string): InferredTable {
  const columns = withSystemColumns(name, CUSTOM_LOG_COLUMNS, 'custom').columns.map((c) => ({ name: c.name, type: c.type }));
  return { name, columns, given: columns.length, sampled: false, usedBy: new Set() };
}

/** A custom table a sample holds, as the inference starts from it. */
export function sampledTable(name: string, columns: KqlColumn[]): InferredTable {
  return { name, columns: columns.map((c) => ({ name: c.name, type: c.type })), given: columns.length, sampled: true, usedBy: new Set() };
}

/** The name an unknown-name error is about, if it is one (`text`: the query compiled). */
function unknownName(error: KqlError, text: string): string | undefined {
  const { code, message } = error;
  let name: string | undefined;
  if (code === 'KS204' || code === 'KS142' || code === 'KS208') name = /'([^']+)'/.exec(message)?.[1];
  // A join (or lookup) key missing on one side: the other side, a datatable or a known table, has it.
  else if (code === 'KS145') name = /^The column '([^']+)' must exist on both sides/.exec(message)?.[1];
  // project-rename (and project-away) of a column the input lacks: the name is the span.
  else if (code === 'KS109') name = spanOf(error, text);
  // Inside a function body (a parser the query calls) an unknown table is lowered as a name of
  // kind None; an unknown column there is not reported as such (its dependants are typed
  // unknown), which is why the corpus reads parser bodies at top level.
  else if (code === 'VQ001') name = /^The name '([^']+)' \(a None\)/.exec(message)?.[1];
  // Wildcards (project-away Url*) and other patterns are not column names.
  return name !== undefined && IDENTIFIER.test(name) ? name : undefined;
}

/**
 * Whether a name may be a connector's field: not a wildcard, not a table, not one of Log
 * Analytics' own columns (_ResourceId, _SubscriptionId...: a system column the schema lacks is a
 * gap of the schema, not a field).
 */
function fieldName(name: string): boolean {
  return IDENTIFIER.test(name) && !name.startsWith('_') && !/_cl$/i.test(name);
}

/** The name of a column declared where one of that name already is (KS171), if the error is that. */
function declaredTwice(error: KqlError): string | undefined {
  return error.code === 'KS171' ? /^A column with the name '([^']+)' is already declared/.exec(error.message)?.[1] : undefined;
}

function spanOf(error: KqlError, text: string): string {
  const { start, length } = error.diagnostic;
  return text.slice(start, start + length);
}

/**
 * The text an error is about: its span, and when the span is a function's name (No common type
 * ... at `iff`), the call's arguments after it.
 */
function errorText(error: KqlError, text: string): string {
  const { start, length } = error.diagnostic;
  let end = start + length;
  if (text[end] === '(') {
    for (let depth = 0; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) { end++; break; }
    }
  }
  return text.slice(start, end);
}

/**
 * Whether the error is one a missing table causes without naming it: inside a function body or a
 * fuzzy union a table that does not exist drops out (a union of none is left with no input) and
 * the names read from it have no type.
 */
function missingTableSymptom(error: KqlError): boolean {
  if (error.code !== 'VQ001') return false;
  const message = error.message.replace(/ \(in the body of [^)]*\)/g, '');
  return /^A union none of whose inputs exist/.test(message) || /^The column type of '[^']*' \(unknown\)/.test(message) || /of type 'unknown'/.test(message);
}

/** The unknown column names among the analyser's other diagnostics, in order. */
function reportedColumns(error: KqlError): string[] {
  return error.others.flatMap((d) => {
    const n = d.code === 'KS142' ? /'([^']+)'/.exec(d.message)?.[1] : undefined;
    return n !== undefined && fieldName(n) ? [n] : [];
  });
}

function columnKey(table: InferredTable, column: string): string {
  return `${table.name.toLowerCase()}.${column.toLowerCase()}`;
}

function signature(error: KqlError): string {
  return `${error.code}@${error.diagnostic.start}+${error.diagnostic.length} ${error.message}`;
}

/**
 * Grows `inferred` (table name, lower case -> table) from the queries. It may hold the custom
 * tables samples hold (sampledTable): those get the columns the samples lack. `compile` compiles a
 * text against the known tables, the ones of `inferred` as they are at the call replacing them.
 *
 * An unsuffixed column is typed string, unless its use says otherwise: compared with a number
 * (typeByUse), or named where a type error of the query that introduced it is: then it is tried
 * as long, real, bool, datetime in turn, and kept where the error moves on. Suffixed columns keep
 * their suffix's type (the API's).
 */
export async function inferCustomTables(queries: InferenceQuery[], inferred: Map<string, InferredTable>,
  compile: (text: string, tables: TableDef[]) => Promise<void>): Promise<void> {
  const tables = (): TableDef[] => [...inferred.values()].map((t) => ({ name: t.name, columns: t.columns, stored: true }));
  /** Which query put each inferred column (table.column, lower case): its first use, the only one that may retype it. */
  const introduced = new Map<string, string>();
  const declare = (name: string, who: string): void => {
    let t = inferred.get(name.toLowerCase());
    if (t === undefined) {
      t = declaredTable(name);
      inferred.set(name.toLowerCase(), t);
    }
    t.usedBy.add(who);
  };
  for (const q of queries) {
    if (q.missing.length === 0 && q.direct.length === 0 && q.reached.length === 0) continue;
    /** The tables an unknown column may go to, in order: those the text names, then those its parsers name. */
    const candidates = (): InferredTable[] => [...new Set([...q.direct, ...q.reached].map((m) => m.toLowerCase()))]
      .map((m) => inferred.get(m)).filter((t): t is InferredTable => t !== undefined);
    /** The next table to try a column on: a candidate not tried yet that lacks it. */
    const nextTable = (column: string, tried: string[]): InferredTable | undefined =>
      candidates().find((t) => !tried.includes(t.name) && !t.columns.some((c) => c.name.toLowerCase() === column.toLowerCase()));
    /**
     * The column put in the last step, on trial until the next compile: kept if the name is
     * reported unknown fewer times (a name may be unknown in several places, of several tables).
     */
    let placed: { table: InferredTable; column: string; tried: string[]; reports: number } | undefined;
    const place = (table: InferredTable, column: string, tried: string[], reports: number): void => {
      table.columns.push({ name: column, type: columnType(column, q.text) });
      introduced.set(columnKey(table, column), q.who);
      placed = { table, column, tried: [...tried, table.name], reports };
    };
    const reportsOf = (column: string, names: (string | undefined)[]): number => names.filter((n) => n?.toLowerCase() === column.toLowerCase()).length;
    /** Names no candidate table resolves (a let, a standard table's column, a typo). */
    const unresolved = new Set<string>();
    /** A column being retyped: the error it is to move on from, and the types left to try. */
    let retyping: { column: KqlColumn; error: string; left: KqlType[] } | undefined;
    const retyped = new Set<string>();
    for (let step = 0; step < MAX_STEPS; step++) {
      let error: KqlError;
      try {
        await compile(q.text, tables());
        break;
      } catch (e) {
        if (!(e instanceof KqlError)) break;
        error = e;
      }
      if (process.env['CORPUS_INFER_DEBUG']) console.error(`infer ${q.who}: ${error.code} ${error.message} [at '${spanOf(error, q.text).slice(0, 60)}']`);
      const name = unknownName(error, q.text);
      const others = reportedColumns(error);
      if (retyping !== undefined) {
        if (signature(error) === retyping.error) {
          const next = retyping.left.shift();
          if (next !== undefined) {
            retyping.column.type = next;
            continue;
          }
          // No type fits the use: the column stays a string and the error stands.
          retyping.column.type = 'string';
        }
        retyping = undefined;
      }
      if (placed !== undefined) {
        const { table, column, tried, reports } = placed;
        placed = undefined;
        if (reportsOf(column, [name, ...others]) >= reports) {
          // The column put in the previous step did not resolve the name there: take it back out.
          table.columns.splice(table.columns.findIndex((c) => c.name === column), 1);
          introduced.delete(columnKey(table, column));
          const next = nextTable(column, tried);
          if (next !== undefined) {
            place(next, column, tried, reports);
            continue;
          }
          unresolved.add(column.toLowerCase());
        }
      }
      // A column this query put on a table that the query itself declares (project-rename onto
      // it: KS171): the name was reported unknown behind the first error only because what it is
      // made from was unknown; it is the query's, not a field. Taken out, and not put back.
      const own = declaredTwice(error);
      const owner = own === undefined ? undefined
        : candidates().find((t) => t.columns.slice(t.given).some((c) => c.name === own) && introduced.get(columnKey(t, own)) === q.who);
      if (own !== undefined && owner !== undefined) {
        owner.columns.splice(owner.columns.findIndex((c) => c.name === own), 1);
        introduced.delete(columnKey(owner, own));
        unresolved.add(own.toLowerCase());
        continue;
      }
      if (name !== undefined && /_cl$/i.test(name) && q.missing.some((m) => m.toLowerCase() === name.toLowerCase())) {
        if (inferred.has(name.toLowerCase())) break;
        declare(name, q.who);
        continue;
      }
      if (name !== undefined && fieldName(name) && !unresolved.has(name.toLowerCase())) {
        const table = nextTable(name, []);
        if (table !== undefined) {
          table.usedBy.add(q.who);
          place(table, name, [], reportsOf(name, [name, ...others]));
          // With one table to attribute to, every other unknown column the analyser reported goes
          // there too (one compile instead of one per column), as one at a time would put it; not
          // to a table a sample holds, whose every added column is checked on its own.
          if (candidates().length === 1 && !table.sampled) addReported(table, others.filter((n) => !unresolved.has(n.toLowerCase())), q, introduced);
          continue;
        }
      }
      if (name === undefined && !missingTableSymptom(error)) {
        // A type error first (a column used otherwise than typed): the unknown columns the
        // analyser reported after it still belong to the one table the text reads, if one.
        const only = candidates();
        const table = only.length === 1 && !only[0]!.sampled ? only[0]! : undefined;
        if (table !== undefined && addReported(table, others.filter((n) => !unresolved.has(n.toLowerCase())), q, introduced)) {
          table.usedBy.add(q.who);
          continue;
        }
        // Else an unsuffixed column this query introduced, named where the error is, may be of another type.
        const about = errorText(error, q.text);
        const column = only.flatMap((t) => t.columns.slice(t.given).map((c) => ({ t, c })))
          .find(({ t, c }) => !/_[sdbtg]$/.test(c.name) && c.type === 'string' && introduced.get(columnKey(t, c.name)) === q.who
            && !retyped.has(columnKey(t, c.name)) && new RegExp(`(^|[^A-Za-z0-9_])${c.name}($|[^A-Za-z0-9_])`).test(about));
        if (column !== undefined) {
          retyped.add(columnKey(column.t, column.c.name));
          retyping = { column: column.c, error: signature(error), left: RETYPES.slice(1) };
          column.c.type = RETYPES[0]!;
          continue;
        }
      }
      // A missing table the error does not name: inside a function body or a fuzzy union it
      // drops out without a word, and what is left fails (no input at all, names of no type).
      // The tables the text names itself first, then those it reaches through the parsers it calls.
      const undeclared = [q.direct, q.missing].map((list) => list.filter((m) => q.missing.some((x) => x.toLowerCase() === m.toLowerCase()) && !inferred.has(m.toLowerCase()))).find((list) => list.length > 0);
      if (undeclared !== undefined) {
        for (const m of undeclared) declare(m, q.who);
        continue;
      }
      // An unknown column the analyser reported behind the first error, one at a time.
      const other = others.map((n) => ({ n, t: unresolved.has(n.toLowerCase()) ? undefined : nextTable(n, []) })).find((o) => o.t !== undefined);
      if (other === undefined) break;
      other.t!.usedBy.add(q.who);
      place(other.t!, other.n, [], reportsOf(other.n, [name, ...others]));
    }
  }
}

/** Adds `names` to `table` as columns (those it lacks); whether any was new. */
function addReported(table: InferredTable, names: string[], q: InferenceQuery, introduced: Map<string, string>): boolean {
  let added = false;
  for (const n of names) {
    if (table.columns.some((c) => c.name.toLowerCase() === n.toLowerCase())) continue;
    table.columns.push({ name: n, type: columnType(n, q.text) });
    introduced.set(columnKey(table, n), q.who);
    added = true;
  }
  return added;
}
