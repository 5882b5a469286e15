// Numbers, bitwise functions, and bin()/bin_at()/floor() for numbers, datetimes and timespans.
import { scalar, type SqlArg, type SqlContext } from './registry.ts';
import { long, real } from './sql-helpers.ts';

scalar('abs', ([x]) => `abs(${x!.sql})`);
// DuckDB rounds half away from zero, as Kusto's round does (round(2.15, 1) is 2.2).
scalar('round', ([x, p], c) => (p === undefined ? `round(${x!.sql})` : `round(${x!.sql}, CAST(${long(p, c)} AS INTEGER))`));
scalar('ceiling', ([x]) => `ceiling(${x!.sql})`);
scalar('sqrt', ([x], c) => `(CASE WHEN ${real(x!, c)} >= 0 THEN sqrt(${real(x!, c)}) END)`);
scalar('pow', ([x, y], c) => `pow(${real(x!, c)}, ${real(y!, c)})`);
scalar('exp', ([x], c) => `exp(${real(x!, c)})`);
scalar('exp2', ([x], c) => `pow(2, ${real(x!, c)})`);
scalar('exp10', ([x], c) => `pow(10, ${real(x!, c)})`);
// Logarithms of zero or a negative number are null.
scalar('log', ([x], c) => `(CASE WHEN ${real(x!, c)} > 0 THEN ln(${real(x!, c)}) END)`);
scalar('log10', ([x], c) => `(CASE WHEN ${real(x!, c)} > 0 THEN log10(${real(x!, c)}) END)`);
scalar('log2', ([x], c) => `(CASE WHEN ${real(x!, c)} > 0 THEN log2(${real(x!, c)}) END)`);
scalar('sign', ([x]) => `sign(${x!.sql})`);
scalar('isnan', ([x], c) => `isnan(${real(x!, c)})`);
scalar('isinf', ([x], c) => `isinf(${real(x!, c)})`);
scalar('isfinite', ([x], c) => `isfinite(${real(x!, c)})`);
scalar('rand', ([n]) => (n === undefined ? 'random()' : `CAST(floor(random() * ${n.sql}) AS BIGINT)`));
scalar('pi', () => 'pi()');
scalar('degrees', ([x], c) => `degrees(${real(x!, c)})`);
scalar('radians', ([x], c) => `radians(${real(x!, c)})`);
for (const f of ['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'cot']) scalar(f, ([x], c) => `${f}(${real(x!, c)})`);
scalar('atan2', ([y, x], c) => `atan2(${real(y!, c)}, ${real(x!, c)})`);
scalar('gamma', ([x], c) => `gamma(${real(x!, c)})`);
scalar('loggamma', ([x], c) => `lgamma(${real(x!, c)})`);

// ---- bitwise ----------------------------------------------------------------------------

scalar('binary_and', ([a, b], c) => `(${long(a!, c)} & ${long(b!, c)})`);
scalar('binary_or', ([a, b], c) => `(${long(a!, c)} | ${long(b!, c)})`);
scalar('binary_xor', ([a, b], c) => `xor(${long(a!, c)}, ${long(b!, c)})`);
scalar('binary_not', ([a], c) => `(~${long(a!, c)})`);
scalar('binary_shift_left', ([a, n], c) => `(CASE WHEN ${long(n!, c)} >= 0 AND ${long(n!, c)} < 64 THEN ${long(a!, c)} << ${long(n!, c)} END)`);
scalar('binary_shift_right', ([a, n], c) => `(CASE WHEN ${long(n!, c)} >= 0 AND ${long(n!, c)} < 64 THEN ${long(a!, c)} >> ${long(n!, c)} END)`);
scalar('bitset_count_ones', ([a], c) => `CAST(bit_count(${long(a!, c)}) AS BIGINT)`);

/** tohex(x[, minLength]): two's complement in 64 bits (32 for int), lower case, zero-padded. */
scalar('tohex', ([x, width], c) => {
  const digits = x!.type === 'int' ? `lower(hex(CAST(CASE WHEN ${x!.sql} < 0 THEN CAST(${x!.sql} AS BIGINT) + 4294967296 ELSE ${x!.sql} END AS BIGINT)))` : `lower(hex(${long(x!, c)}))`;
  if (width === undefined) return digits;
  const n = long(width, c);
  return `(CASE WHEN length(${digits}) < ${n} THEN lpad(${digits}, CAST(${n} AS INTEGER), '0') ELSE ${digits} END)`;
}, { nullableString: true });

// ---- bin ---------------------------------------------------------------------------------

/**
 * Rounds down to a multiple of size counted from `origin` (a value of x's type, as SQL), for
 * datetimes in µs, timespans in ticks, and numbers.
 */
/** Bin sizes (ticks) that are one unit of date_trunc: the same bins, as every unit divides a day. */
const TRUNC_UNITS = new Map<bigint, string>([[10_000_000n, 'second'], [600_000_000n, 'minute'], [36_000_000_000n, 'hour'], [864_000_000_000n, 'day']]);

function binned(x: SqlArg, size: SqlArg, origin: string | undefined, c: SqlContext): string {
  if (x.type === 'datetime') {
    const lit = size.scalar.kind === 'literal' && size.scalar.value !== null ? BigInt(size.scalar.value as bigint) : undefined;
    // Datetimes bin from 0001-01-01 as in Kusto; for sizes dividing a day that equals binning
    // from the Unix epoch, which is what DuckDB's time_bucket does fastest.
    // Whole seconds, minutes, hours and days are date_trunc's units: cheaper than time_bucket.
    const unit = origin === undefined && lit !== undefined ? TRUNC_UNITS.get(lit) : undefined;
    if (unit !== undefined) return `date_trunc('${unit}', ${x.sql})`;
    if (origin === undefined && lit !== undefined && lit > 0n && 864_000_000_000n % lit === 0n && lit % 10n === 0n) {
      return `time_bucket(to_microseconds(CAST(${lit / 10n} AS BIGINT)), ${x.sql}, TIMESTAMP '1970-01-01')`;
    }
    const us = `CAST((${c.convert(size, 'timespan')}) // 10 AS BIGINT)`;
    const from = origin === undefined ? '-62135596800000000' : `epoch_us(${origin})`;
    return `(CASE WHEN ${us} > 0 THEN make_timestamp(CAST(floor((epoch_us(${x.sql}) - ${from}) / ${us}) AS BIGINT) * ${us} + ${from}) END)`;
  }
  const from = origin ?? '0';
  if (x.type === 'timespan') {
    const ticks = c.convert(size, 'timespan');
    return `(CASE WHEN ${ticks} > 0 THEN CAST(floor((${x.sql} - ${from}) / ${ticks}) * ${ticks} + ${from} AS BIGINT) END)`;
  }
  const step = size.sql;
  const sql = `(CASE WHEN ${step} > 0 THEN floor((${x.sql} - ${from}) / ${step}) * ${step} + ${from} END)`;
  return c.resultType === 'long' || c.resultType === 'int' ? `CAST(${sql} AS ${c.sqlType(c.resultType)})` : sql;
}

scalar(['bin', 'floor'], ([x, size], c) => binned(x!, size!, undefined, c));
scalar('bin_at', ([x, size, origin], c) => binned(x!, size!, c.convert(origin!, x!.type), c));
