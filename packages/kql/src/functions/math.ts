// Numbers, and bin()/floor() for numbers, datetimes and timespans.
import { scalar } from './registry.ts';

scalar('abs', ([x]) => `abs(${x!.sql})`);
scalar('round', ([x, p]) => `round(${x!.sql}${p !== undefined ? `, ${p.sql}` : ''})`);
scalar('ceiling', ([x]) => `ceiling(${x!.sql})`);
scalar('sqrt', ([x]) => `sqrt(${x!.sql})`);
scalar('pow', ([x, y]) => `pow(${x!.sql}, ${y!.sql})`);
scalar('exp', ([x]) => `exp(${x!.sql})`);
scalar('log', ([x]) => `CASE WHEN ${x!.sql} > 0 THEN ln(${x!.sql}) END`);
scalar('log10', ([x]) => `CASE WHEN ${x!.sql} > 0 THEN log10(${x!.sql}) END`);
scalar('log2', ([x]) => `CASE WHEN ${x!.sql} > 0 THEN log2(${x!.sql}) END`);
scalar('sign', ([x]) => `sign(${x!.sql})`);
scalar('isnan', ([x]) => `isnan(${x!.sql})`);
scalar('isinf', ([x]) => `isinf(${x!.sql})`);
scalar('isfinite', ([x]) => `isfinite(${x!.sql})`);
scalar('rand', ([n]) => (n === undefined ? 'random()' : `CAST(floor(random() * ${n.sql}) AS BIGINT)`));

/**
 * bin(value, size): value rounded down to a multiple of size. Datetimes bin from 0001-01-01
 * as Kusto does; for sizes dividing a day that equals binning from the Unix epoch, which is
 * what DuckDB's time_bucket does fastest.
 */
scalar(['bin', 'floor'], ([x, size], c) => {
  if (x!.type === 'datetime') {
    const lit = size!.scalar.kind === 'literal' ? BigInt(size!.scalar.value as bigint) : undefined;
    if (lit !== undefined && lit > 0n && 864_000_000_000n % lit === 0n && lit % 10n === 0n) {
      return `time_bucket(to_microseconds(CAST(${lit / 10n} AS BIGINT)), ${x!.sql}, TIMESTAMP '1970-01-01')`;
    }
    const us = `CAST((${size!.sql}) // 10 AS BIGINT)`;
    const offset = '62135596800000000'; // µs from 0001-01-01 to 1970-01-01
    return `make_timestamp(CAST(floor((epoch_us(${x!.sql}) + ${offset}) / ${us}) AS BIGINT) * ${us} - ${offset})`;
  }
  if (x!.type === 'timespan') return `CAST(floor(${x!.sql} / ${size!.sql}) * ${size!.sql} AS BIGINT)`;
  if (c.resultType === 'long' || c.resultType === 'int') return `CAST(floor(${x!.sql} / ${size!.sql}) * ${size!.sql} AS ${c.sqlType(c.resultType)})`;
  return `(floor(${x!.sql} / ${size!.sql}) * ${size!.sql})`;
});
