// Datetime functions over TIMESTAMP (µs, UTC) and timespans (BIGINT ticks).
import { literalOf, scalar } from './registry.ts';

scalar('startofday', ([x, o]) => (o === undefined ? `date_trunc('day', ${x!.sql})` : `(date_trunc('day', ${x!.sql}) + to_days(CAST(${o.sql} AS INTEGER)))`));
scalar('startofweek', ([x]) => `CAST(date_trunc('day', ${x!.sql}) - to_days(CAST(dayofweek(${x!.sql}) AS INTEGER)) AS TIMESTAMP)`);
scalar('startofmonth', ([x]) => `date_trunc('month', ${x!.sql})`);
scalar('startofyear', ([x]) => `date_trunc('year', ${x!.sql})`);
scalar('endofday', ([x]) => `(date_trunc('day', ${x!.sql}) + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND)`);
scalar('endofmonth', ([x]) => `(date_trunc('month', ${x!.sql}) + INTERVAL 1 MONTH - INTERVAL 1 MICROSECOND)`);
scalar('dayofweek', ([x]) => `(CAST(dayofweek(${x!.sql}) AS BIGINT) * 864000000000)`);
scalar('dayofmonth', ([x]) => `CAST(dayofmonth(${x!.sql}) AS INTEGER)`);
scalar('dayofyear', ([x]) => `CAST(dayofyear(${x!.sql}) AS INTEGER)`);
scalar('hourofday', ([x]) => `CAST(hour(${x!.sql}) AS INTEGER)`);
scalar(['getmonth', 'monthofyear'], ([x]) => `CAST(month(${x!.sql}) AS INTEGER)`);
scalar('getyear', ([x]) => `CAST(year(${x!.sql}) AS INTEGER)`);
scalar('week_of_year', ([x]) => `CAST(weekofyear(${x!.sql}) AS INTEGER)`);

const PARTS: Record<string, string> = {
  year: 'year', quarter: 'quarter', month: 'month', week: 'week', day: 'day', hour: 'hour', minute: 'minute',
  second: 'second', millisecond: 'millisecond', microsecond: 'microsecond', nanosecond: 'microsecond',
};

scalar('datetime_add', ([part, n, x], c) => {
  const p = PARTS[String(literalOf(part!)).toLowerCase()] ?? c.unsupported('datetime_add with this part');
  if (p === 'week') return `(${x!.sql} + to_days(CAST(${n!.sql} * 7 AS INTEGER)))`;
  return `(${x!.sql} + to_${p === 'millisecond' ? 'milliseconds' : p === 'microsecond' ? 'microseconds' : `${p}s`}(CAST(${n!.sql} AS ${['millisecond', 'microsecond'].includes(p) ? 'BIGINT' : 'INTEGER'})))`;
});
scalar('datetime_diff', ([part, a, b], c) => {
  const p = PARTS[String(literalOf(part!)).toLowerCase()] ?? c.unsupported('datetime_diff with this part');
  return `CAST(date_diff('${p}', ${b!.sql}, ${a!.sql}) AS BIGINT)`;
});
scalar('make_datetime', (args) => {
  const [y, mo, d, h, mi, s] = args.map((a) => a.sql);
  return `make_timestamp(CAST(${y} AS BIGINT), CAST(${mo} AS BIGINT), CAST(${d} AS BIGINT), CAST(${h ?? 0} AS BIGINT), CAST(${mi ?? 0} AS BIGINT), CAST(${s ?? 0} AS DOUBLE))`;
});
scalar('unixtime_seconds_todatetime', ([x]) => `make_timestamp(CAST(round(${x!.sql} * 1000000) AS BIGINT))`);
scalar('unixtime_milliseconds_todatetime', ([x]) => `make_timestamp(CAST(round(${x!.sql} * 1000) AS BIGINT))`);
scalar('unixtime_microseconds_todatetime', ([x]) => `make_timestamp(CAST(${x!.sql} AS BIGINT))`);
scalar('datetime_part', ([part, x], c) => {
  const p = PARTS[String(literalOf(part!)).toLowerCase()] ?? c.unsupported('datetime_part with this part');
  return `CAST(date_part('${p}', ${x!.sql}) AS INTEGER)`;
});
