// KQL literal texts -> plan values. Parsed from the token text rather than taken from the
// analyser: its Bridge build loses values (time(00:01:00) reads as zero, 0x10 as 0, nan as 0).
import type { LiteralValue } from './nodes.ts';

const TICKS: Record<string, bigint> = {
  d: 864_000_000_000n, day: 864_000_000_000n, days: 864_000_000_000n,
  h: 36_000_000_000n, hr: 36_000_000_000n, hrs: 36_000_000_000n, hour: 36_000_000_000n, hours: 36_000_000_000n,
  m: 600_000_000n, min: 600_000_000n, minute: 600_000_000n, minutes: 600_000_000n,
  s: 10_000_000n, sec: 10_000_000n, second: 10_000_000n, seconds: 10_000_000n,
  ms: 10_000n, milli: 10_000n, millis: 10_000n, millisecond: 10_000n, milliseconds: 10_000n,
  microsecond: 10n, microseconds: 10n, micro: 10n, micros: 10n,
  tick: 1n, ticks: 1n,
};

/** Whole units times a decimal count, exactly (1.5d = 1,296,000,000,000 ticks). */
function scaled(count: string, unit: bigint): bigint {
  const [whole = '0', fraction = ''] = count.split('.');
  const scale = 10n ** BigInt(fraction.length);
  return (BigInt(whole + fraction) * unit) / scale;
}

/** `hh:mm[:ss[.fffffff]]` or `d.hh:mm:ss[.f]` -> ticks. */
function clockTicks(text: string): bigint | undefined {
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(text);
  if (m === null) return undefined;
  const [, sign, days = '0', h, min, s = '0', frac = ''] = m;
  const ticks = BigInt(days) * TICKS.d! + BigInt(h!) * TICKS.h! + BigInt(min!) * TICKS.m! + BigInt(s) * TICKS.s!
    + BigInt(frac.padEnd(7, '0'));
  return sign === '-' ? -ticks : ticks;
}

/** A timespan literal's ticks (`1h`, `1.5d`, `10ms`, `time(1.02:03:04)`, `timespan(2d)`); null for `time(null)`. */
export function parseTimespan(text: string): bigint | null | undefined {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\((.*)\)$/is.exec(t);
  if (wrapped !== null) {
    t = wrapped[1]!.trim();
    if (t.toLowerCase() === 'null') return null;
    const clock = clockTicks(t);
    if (clock !== undefined) return clock;
    if (/^-?\d+(\.\d+)?$/.test(t)) return scaled(t.replace('-', ''), TICKS.d!) * (t.startsWith('-') ? -1n : 1n);
  }
  const m = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (m === null) return undefined;
  const unit = TICKS[m[3]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const ticks = scaled(m[2]!, unit);
  return m[1] === '-' ? -ticks : ticks;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A datetime text -> microseconds since the epoch (UTC), or undefined when it is not one.
 * ISO 8601 with or without `T` and zone (no zone = UTC), fractions to 7 digits, and RFC 822/850.
 */
export function parseDatetimeText(raw: string): bigint | undefined {
  const text = raw.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (iso !== null) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = iso;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31) return undefined;
    let micros = BigInt(ms) * 1000n + BigInt(frac.padEnd(7, '0').slice(0, 6));
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      const offset = (BigInt(z[2]!) * 60n + BigInt(z[3]!)) * 60_000_000n;
      micros += z[1] === '+' ? -offset : offset;
    }
    return micros;
  }
  // RFC 822 / 850: "Sat, 8 Nov 2014 15:05:02 GMT", "Saturday, 08-Nov-14 15:05:02 GMT".
  const rfc = /^(?:[a-z]+,\s*)?(\d{1,2})[\s-]([a-z]{3})[a-z]*[\s-](\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:GMT|UTC|Z)?$/i.exec(text);
  if (rfc !== null) {
    const month = MONTHS.indexOf(rfc[2]!.toLowerCase());
    if (month < 0) return undefined;
    let year = Number(rfc[3]);
    if (year < 100) year += 2000;
    return BigInt(Date.UTC(year, month, Number(rfc[1]), Number(rfc[4]), Number(rfc[5]), Number(rfc[6] ?? 0))) * 1000n;
  }
  return undefined;
}

/** `datetime(...)` literal -> microseconds; null for datetime(null). */
export function parseDatetimeLiteral(text: string): bigint | null | undefined {
  const m = /^(?:datetime|date)\((.*)\)$/is.exec(text.trim());
  if (m === null) return undefined;
  let inner = m[1]!.trim();
  if (inner.toLowerCase() === 'null') return null;
  // datetime("2015-12-14") and datetime('...'): the text inside the quotes.
  const quoted = /^(['"])(.*)\1$/s.exec(inner);
  if (quoted !== null) inner = quoted[2]!.trim();
  // datetime(2025, 6, 14[, hour, minute, second]): the parts as numbers.
  const parts = /^(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2})(?:\s*,\s*(\d{1,2}(?:\.\d{1,7})?))?)?)?$/.exec(inner);
  if (parts !== null) {
    const two = (v: string | undefined) => (v ?? '0').padStart(2, '0');
    const [whole, frac] = (parts[6] ?? '0').split('.');
    inner = `${parts[1]}-${two(parts[2])}-${two(parts[3])} ${two(parts[4])}:${two(parts[5])}:${two(whole)}${frac !== undefined ? `.${frac}` : ''}`;
  }
  return parseDatetimeText(inner);
}

/** `long(..)`, `int(..)`, `real(..)`, `0x1F`, `1e3`, `decimal(..)` texts -> values. */
export function parseNumberLiteral(text: string, integer: boolean): LiteralValue | undefined {
  let t = text.trim();
  const wrapped = /^(?:long|int|real|double|decimal)\((.*)\)$/is.exec(t);
  if (wrapped !== null) t = wrapped[1]!.trim();
  const lower = t.toLowerCase();
  if (lower === 'null') return null;
  if (!integer) {
    if (lower === 'nan') return Number.NaN;
    if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
    if (lower === '-inf') return Number.NEGATIVE_INFINITY;
    const n = Number(t);
    return Number.isNaN(n) ? undefined : n;
  }
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return BigInt(t.replace('+', ''));
  if (/^[+-]?\d+$/.test(t)) return BigInt(t.replace('+', ''));
  return undefined;
}
