// Schemas for custom (_CL) tables no sample file holds, inferred from the queries that read
// them. In Sentinel such a table exists once its connector sends data, with the columns the
// HTTP Data Collector API gives it: the system columns, and a column per field whose name's
// suffix says its type (_s string, _d real, _b bool, _t datetime, _g guid). Here nothing sent
// data, so the columns are the ones the queries name: honest about usage, not about data.
//
// The inference is driven by the analyser: compile; an unknown table named `X_CL` is declared
// with the system columns; an unknown name in a query that reads missing custom tables becomes a
// column of one of them (tried in turn until the error moves on); repeat, bounded. One schema per
// table is accumulated over every query, so that every query sees the same table. Standard
// tables are never given columns here: an unknown name on them stays a failure.
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

export interface InferredTable {
  name: string;
  columns: KqlColumn[];
  /** The queries (rule ids, parser names) whose compilation needed the table or one of its columns. */
  usedBy: Set<string>;
}

export interface InferenceQuery {
  who: string;
  text: string;
  /** Missing custom tables the text reaches (itself and the parsers it calls), as named there. */
  missing: string[];
  /**
   * Those the text names itself: the only ones an unknown column is attributed to (a parser's
   * columns come from its own body, read on its own).
   */
  direct: string[];
}

const MAX_STEPS = 200;

/** The name an unknown-name error is about, if it is one. */
function unknownName(error: KqlError): string | undefined {
  const { code, message } = error;
  if (code === 'KS204' || code === 'KS142' || code === 'KS208') return /'([^']+)'/.exec(message)?.[1];
  // Inside a function body (a parser the query calls) an unknown table is lowered as a name of
  // kind None; an unknown column there is not reported as such (its dependants are typed
  // unknown), which is why the corpus reads parser bodies at top level.
  if (code === 'VQ001') return /^The name '([^']+)' \(a None\)/.exec(message)?.[1];
  return undefined;
}

/** Adds the unknown columns among `diagnostics` to `table`; whether any was new. */
function addReported(table: InferredTable, diagnostics: KqlError['others']): boolean {
  let added = false;
  for (const d of diagnostics) {
    const n = d.code === 'KS142' ? /'([^']+)'/.exec(d.message)?.[1] : undefined;
    if (n === undefined || /_cl$/i.test(n) || table.columns.some((c) => c.name.toLowerCase() === n.toLowerCase())) continue;
    table.columns.push({ name: n, type: typeBySuffix(n) });
    added = true;
  }
  return added;
}

/**
 * Grows `inferred` (table name, lower case -> table) from the queries. `compile` compiles a text
 * against the known tables plus the inferred ones as they are at the call.
 */
export async function inferCustomTables(queries: InferenceQuery[], inferred: Map<string, InferredTable>,
  compile: (text: string, tables: TableDef[]) => Promise<void>): Promise<void> {
  const tables = (): TableDef[] => [...inferred.values()].map((t) => ({ name: t.name, columns: t.columns, stored: true }));
  const declare = (name: string, who: string): InferredTable => {
    let t = inferred.get(name.toLowerCase());
    if (t === undefined) {
      t = { name, columns: withSystemColumns(name, CUSTOM_LOG_COLUMNS, 'custom').columns.map((c) => ({ name: c.name, type: c.type })), usedBy: new Set() };
      inferred.set(name.toLowerCase(), t);
    }
    t.usedBy.add(who);
    return t;
  };
  for (const q of queries) {
    if (q.missing.length === 0) continue;
    let last: string | undefined;
    /** Tables already tried for the pending unknown column. */
    let tried: string[] = [];
    let placed: { table: InferredTable; column: string } | undefined;
    for (let step = 0; step < MAX_STEPS; step++) {
      let error: KqlError;
      try {
        await compile(q.text, tables());
        break;
      } catch (e) {
        if (!(e instanceof KqlError)) break;
        error = e;
      }
      const name = unknownName(error);
      if (process.env['CORPUS_INFER_DEBUG']) console.error(`infer ${q.who}: ${error.code} ${error.message}`);
      if (name === undefined) {
        // A type error first (a suffix-typed column used otherwise): the unknown columns the
        // analyser reported after it still belong to the one table the text reads, if one.
        const table = q.direct.length === 1 ? inferred.get(q.direct[0]!.toLowerCase()) : undefined;
        if (table === undefined || error.code === 'KS142' || !addReported(table, error.others)) break;
        table.usedBy.add(q.who);
        placed = undefined;
        last = undefined;
        continue;
      }
      const key = name.toLowerCase();
      if (placed !== undefined && key === last) {
        // The column put in the previous step did not resolve the name there: take it back out.
        placed.table.columns.splice(placed.table.columns.findIndex((c) => c.name === placed!.column), 1);
      } else {
        tried = [];
      }
      placed = undefined;
      last = key;
      if (/_cl$/i.test(name) && q.missing.some((m) => m.toLowerCase() === key)) {
        if (inferred.has(key)) break;
        declare(name, q.who);
        continue;
      }
      // Only tables the analyser asked for (declared above, by this query or another) take columns.
      const candidates = q.direct.map((m) => inferred.get(m.toLowerCase())).filter((t): t is InferredTable => t !== undefined)
        .filter((t) => !tried.includes(t.name) && !t.columns.some((c) => c.name.toLowerCase() === key));
      const table = candidates[0];
      if (table === undefined) break;
      tried.push(table.name);
      table.usedBy.add(q.who);
      table.columns.push({ name, type: typeBySuffix(name) });
      placed = { table, column: name };
      // With one table to attribute to, every other unknown column the analyser reported goes
      // there too (one compile instead of one per column), as one at a time would put it.
      if (q.direct.length === 1 && error.code === 'KS142') addReported(table, error.others);
    }
  }
}
