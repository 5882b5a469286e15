// Datetime functions over TIMESTAMP (µs, UTC) and timespans (BIGINT ticks). Kusto's ticks are
// 100 ns; our datetimes keep microseconds, so the last tick digit of a datetime is always 0.
import { scalar, type SqlArg, type SqlContext } from './registry.ts';
import { constantText, long, real, text } from './sql-helpers.ts';

const dt = (a: SqlArg, c: SqlContext) => c.convert(a, 'datetime');
const offsetOf = (o: SqlArg | undefined, c: SqlContext) => (o === undefined ? '0' : long(o, c));

/** A timestamp plus n units (an interval of a whole number of units). */
const plus = (ts: string, n: string, unit: 'day' | 'month' | 'year') => `(${ts} + to_${unit}s(CAST(${n} AS INTEGER)))`;

// Weeks start on Sunday, as in Kusto (DuckDB's dayofweek is 0 on Sunday).
const weekStart = (ts: string) => `(date_trunc('day', ${ts}) - to_days(CAST(dayofweek(${ts}) AS INTEGER)))`;

scalar('startofday', ([x, o], c) => plus(`date_trunc('day', ${dt(x!, c)})`, offsetOf(o, c), 'day'));
scalar('startofweek', ([x, o], c) => plus(weekStart(dt(x!, c)), `${offsetOf(o, c)} * 7`, 'day'));
scalar('startofmonth', ([x, o], c) => plus(`date_trunc('month', ${dt(x!, c)})`, offsetOf(o, c), 'month'));
scalar('startofyear', ([x, o], c) => plus(`date_trunc('year', ${dt(x!, c)})`, offsetOf(o, c), 'year'));
// The end of a period is the last tick before the next one (the last microsecond here).
const lastTick = (next: string) => `(${next} - INTERVAL 1 MICROSECOND)`;
scalar('endofday', ([x, o], c) => lastTick(plus(`date_trunc('day', ${dt(x!, c)})`, `${offsetOf(o, c)} + 1`, 'day')));
scalar('endofweek', ([x, o], c) => lastTick(plus(weekStart(dt(x!, c)), `(${offsetOf(o, c)} + 1) * 7`, 'day')));
scalar('endofmonth', ([x, o], c) => lastTick(plus(`date_trunc('month', ${dt(x!, c)})`, `${offsetOf(o, c)} + 1`, 'month')));
scalar('endofyear', ([x, o], c) => lastTick(plus(`date_trunc('year', ${dt(x!, c)})`, `${offsetOf(o, c)} + 1`, 'year')));

scalar('dayofweek', ([x], c) => `(CAST(dayofweek(${dt(x!, c)}) AS BIGINT) * 864000000000)`);
scalar('dayofmonth', ([x], c) => `CAST(dayofmonth(${dt(x!, c)}) AS INTEGER)`);
scalar('dayofyear', ([x], c) => `CAST(dayofyear(${dt(x!, c)}) AS INTEGER)`);
scalar('hourofday', ([x], c) => `CAST(hour(${dt(x!, c)}) AS INTEGER)`);
scalar(['getmonth', 'monthofyear'], ([x], c) => `CAST(month(${dt(x!, c)}) AS INTEGER)`);
scalar('getyear', ([x], c) => `CAST(year(${dt(x!, c)}) AS INTEGER)`);
// ISO 8601 week numbers, as Kusto's week_of_year.
scalar(['week_of_year', 'weekofyear'], ([x], c) => `CAST(weekofyear(${dt(x!, c)}) AS INTEGER)`);

/** Kusto's part names (case-insensitive) -> how to read the part of a TIMESTAMP. */
const PARTS: Record<string, (ts: string) => string> = {
  year: (ts) => `year(${ts})`,
  quarter: (ts) => `quarter(${ts})`,
  month: (ts) => `month(${ts})`,
  week_of_year: (ts) => `weekofyear(${ts})`,
  week: (ts) => `weekofyear(${ts})`,
  day: (ts) => `day(${ts})`,
  dayofyear: (ts) => `dayofyear(${ts})`,
  hour: (ts) => `hour(${ts})`,
  minute: (ts) => `minute(${ts})`,
  second: (ts) => `second(${ts})`,
  millisecond: (ts) => `(microsecond(${ts}) // 1000 % 1000)`,
  microsecond: (ts) => `(microsecond(${ts}) % 1000000)`,
  nanosecond: (ts) => `(microsecond(${ts}) % 1000000 * 1000)`,
};

const partName = (part: SqlArg, c: SqlContext, fn: string) => (constantText(part, c, `The part of ${fn}`) ?? '').toLowerCase();

scalar(['datetime_part', 'datepart'], ([part, x], c) => {
  const p = PARTS[partName(part!, c, 'datetime_part')] ?? c.unsupported(`datetime_part('${partName(part!, c, 'datetime_part')}')`, 'Parts: year, quarter, month, week_of_year, day, dayofyear, hour, minute, second, millisecond, microsecond, nanosecond.');
  return `CAST(${p(dt(x!, c))} AS INTEGER)`;
});

/** Units of datetime_add / datetime_diff, as ticks where the unit has a fixed length. */
const FIXED: Record<string, bigint> = {
  day: 864_000_000_000n, hour: 36_000_000_000n, minute: 600_000_000n, second: 10_000_000n,
  millisecond: 10_000n, microsecond: 10n, nanosecond: 1n,
};

scalar('datetime_add', ([part, n, x], c) => {
  const p = partName(part!, c, 'datetime_add');
  const ts = dt(x!, c);
  const amount = long(n!, c);
  if (p === 'year') return `(${ts} + to_years(CAST(${amount} AS INTEGER)))`;
  if (p === 'quarter') return `(${ts} + to_months(CAST(${amount} * 3 AS INTEGER)))`;
  if (p === 'month') return `(${ts} + to_months(CAST(${amount} AS INTEGER)))`;
  if (p === 'week') return `(${ts} + to_days(CAST(${amount} * 7 AS INTEGER)))`;
  const ticks = FIXED[p] ?? c.unsupported(`datetime_add('${p}')`);
  return `(${ts} + to_microseconds(CAST((${amount} * ${ticks}) // 10 AS BIGINT)))`;
});

/** datetime_diff(part, a, b): how many part boundaries lie between b and a (weeks start on Sunday). */
scalar('datetime_diff', ([part, a, b], c) => {
  const p = partName(part!, c, 'datetime_diff');
  const x = dt(a!, c);
  const y = dt(b!, c);
  switch (p) {
    case 'year': return `CAST(year(${x}) - year(${y}) AS BIGINT)`;
    case 'quarter': return `CAST((year(${x}) - year(${y})) * 4 + quarter(${x}) - quarter(${y}) AS BIGINT)`;
    case 'month': return `CAST((year(${x}) - year(${y})) * 12 + month(${x}) - month(${y}) AS BIGINT)`;
    case 'week': return `CAST(date_diff('day', ${weekStart(y)}, ${weekStart(x)}) // 7 AS BIGINT)`;
    case 'day': case 'hour': case 'minute': case 'second': case 'millisecond': case 'microsecond':
      return `CAST(date_diff('${p}', ${y}, ${x}) AS BIGINT)`;
    case 'nanosecond': return `CAST(date_diff('microsecond', ${y}, ${x}) * 1000 AS BIGINT)`;
    default: return c.unsupported(`datetime_diff('${p}')`);
  }
});

/** make_datetime(y, m, d [, h, min, s]): null for a date that does not exist. */
scalar('make_datetime', (args, c) => {
  const [y, mo, d, h, mi, s] = args;
  const n = (a: SqlArg | undefined) => (a === undefined ? '0' : long(a, c));
  const seconds = s === undefined ? '0' : real(s, c);
  return `TRY(make_timestamp(${n(y)}, ${n(mo)}, ${n(d)}, ${n(h)}, ${n(mi)}, CAST(${seconds} AS DOUBLE)))`;
});

/** make_timespan(h, m) / (h, m, s) / (d, h, m, s). */
scalar('make_timespan', (args, c) => {
  const parts = args.map((a) => real(a, c));
  const [d, h, m, s] = parts.length === 2 ? ['0', parts[0]!, parts[1]!, '0'] : parts.length === 3 ? ['0', ...parts] : parts;
  return `CAST(round(((${d} * 24 + ${h}) * 60 + ${m}) * 600000000 + ${s} * 10000000) AS BIGINT)`;
});

scalar('unixtime_seconds_todatetime', ([x], c) => `make_timestamp(CAST(round(${real(x!, c)} * 1000000) AS BIGINT))`);
scalar('unixtime_milliseconds_todatetime', ([x], c) => `make_timestamp(CAST(round(${real(x!, c)} * 1000) AS BIGINT))`);
scalar('unixtime_microseconds_todatetime', ([x], c) => `make_timestamp(CAST(round(${real(x!, c)}) AS BIGINT))`);
scalar('unixtime_nanoseconds_todatetime', ([x], c) => `make_timestamp(CAST(floor(${real(x!, c)} / 1000) AS BIGINT))`);

scalar('datetime_utc_to_local', ([x, tz], c) => `timezone(${text(tz!, c)}, timezone('UTC', ${dt(x!, c)}))`);
/**
 * A local time in a daylight-saving gap (02:30 when clocks jump from 02:00 to 03:00) does not
 * exist; Kusto reads it with the offset in force after the jump, ICU with the one before.
 */
scalar('datetime_local_to_utc', ([x, tz], c) => {
  const local = dt(x!, c);
  const zone = text(tz!, c);
  const utc = `timezone('UTC', timezone(${zone}, ${local}))`;
  const back = `timezone(${zone}, timezone('UTC', ${utc}))`;
  return `(CASE WHEN ${back} = ${local} THEN ${utc} ELSE ${local} - (${back} - ${utc}) END)`;
});
