// Window functions: values of other rows of a serialized row set (prev, next, row_number,
// row_cumsum). Their own small registry because their SQL needs the OVER clause, which the SQL
// stage builds (partition and order from the plan; the frame from the template).
import type { SqlArg, SqlContext } from './registry.ts';
import { plusTicks } from './sql-helpers.ts';

/** `over(frame)` gives ` OVER (...)` with the plan's partition and order, and `frame` if given. */
export type WindowTemplate = (args: SqlArg[], over: (frame?: string) => string, ctx: SqlContext) => string;

export interface WindowFunction {
  kind: 'window';
  name: string;
  sql: WindowTemplate;
}

const windows = new Map<string, WindowFunction>();

function window(name: string, sql: WindowTemplate): void {
  windows.set(name, { kind: 'window', name, sql });
}

export function windowFunction(name: string): WindowFunction | undefined {
  return windows.get(name);
}

export function windowFunctionNames(): string[] {
  return [...windows.keys()].sort();
}

const RUNNING = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';

/** prev/next: without a default Kusto gives null, which for strings is "". */
function shifted(sqlName: 'lag' | 'lead'): WindowTemplate {
  return ([x, offset, fallback], over, c) => {
    const dflt = fallback !== undefined ? c.convert(fallback, c.resultType) : c.resultType === 'string' ? "''" : undefined;
    const value = c.convert(x!, c.resultType);
    return `${sqlName}(${value}, ${offset?.sql ?? '1'}${dflt !== undefined ? `, ${dflt}` : ''})${over()}`;
  };
}

window('prev', shifted('lag'));
window('next', shifted('lead'));
// row_number(start): the plan handles `restart` by partitioning (see plan/lower/window.ts).
window('row_number', ([start], over) => (start === undefined
  ? `CAST(row_number()${over()} AS BIGINT)`
  : `(CAST(row_number()${over()} AS BIGINT) + (${start.sql}) - 1)`));
window('row_cumsum', ([x], over, c) => `CAST(sum(${x!.sql})${over(RUNNING)} AS ${c.sqlType(c.resultType)})`);
/** Internal: how many rows so far had `p` true (restart groups, rank changes). */
window('running_countif', ([p], over) => `CAST(count(*) FILTER (WHERE ${p!.sql})${over(RUNNING)} AS BIGINT)`);
/** Internal: the position of a row in the serialized order (1-based). */
window('row_index', (_args, over) => `CAST(row_number()${over()} AS BIGINT)`);
/** Internal: whether the row's value differs from the previous row's (the first row: true). */
window('changed', ([x], over) => `(${x!.sql} IS DISTINCT FROM lag(${x!.sql})${over()} OR row_number()${over()} = 1)`);
/** Internal: the latest `i` among rows so far with `p` true (the first row of a run, for row_rank_min). */
window('running_last_where', ([p, i], over) => `max(CASE WHEN ${p!.sql} THEN ${i!.sql} END)${over(RUNNING)}`);

/**
 * Internal (row_window_session): whether a row starts a segment: the first row, a null value or
 * one after a null, a value at or past the previous one plus `neighbors`, or `restart` true.
 */
window('session_break', ([x, neighbors, restart], over) => {
  const previous = `lag(${x!.sql})${over()}`;
  return `(${previous} IS NULL OR ${x!.sql} IS NULL OR ${x!.sql} >= ${plusTicks(previous, neighbors!.sql)}${restart !== undefined ? ` OR coalesce(${restart.sql}, FALSE)` : ''})`;
});
/**
 * Internal (row_window_session): the session start of the row within its segment: from the
 * segment's first value, a value at or past the current start plus `fromFirst` starts anew.
 * Sequential by nature, so each row folds the segment's values so far (quadratic in a
 * segment's length; segments end at every gap of MaxDistanceBetweenNeighbors).
 */
window('session_start', ([x, fromFirst], over) =>
  `list_reduce(list(${x!.sql})${over(RUNNING)}, lambda acc, v: CASE WHEN v >= ${plusTicks('acc', fromFirst!.sql)} THEN v ELSE acc END)`);
