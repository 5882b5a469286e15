// Converts incoming values (JSON from the ingestion APIs, text from files and syslog) to the
// column's type, or says precisely why it cannot. The typed forms are what the store appends:
//   string -> string, int/long -> number (long beyond 2^53 stays exact as bigint), real/decimal -> number,
//   bool -> boolean, datetime -> microseconds since the epoch (bigint), dynamic -> JSON text,
//   guid -> lower-case string, timespan -> 100-nanosecond ticks (bigint), as Kusto counts them.
import type { ColumnType } from './schema.ts';

export type Typed = string | number | bigint | boolean | null;

export type Coerced = { ok: true; value: Typed } | { ok: false; reason: string };

/** Why a value could not take a type. A class, so that the hot path allocates nothing else. */
export class CoerceFailure {
  constructor(readonly reason: string) {}
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const fail = (reason: string): CoerceFailure => new CoerceFailure(reason);
const ok = (value: Typed): Typed => value;

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function coerce(type: ColumnType, value: unknown): Coerced {
  const result = coerceValue(type, value);
  return result instanceof CoerceFailure ? { ok: false, reason: result.reason } : { ok: true, value: result };
}

/** The typed value, or a CoerceFailure saying why not (no wrapper object on success). */
export function coerceValue(type: ColumnType, value: unknown): Typed | CoerceFailure {
  if (value === null || value === undefined) return ok(null);
  switch (type) {
    case 'string':
      if (typeof value === 'string') return ok(value);
      if (typeof value === 'object') return ok(JSON.stringify(value));
      return ok(String(value));
    case 'int':
    case 'long': {
      let n: number | bigint | undefined;
      if (typeof value === 'number' && Number.isFinite(value)) n = Math.trunc(value);
      else if (typeof value === 'bigint') n = value;
      else if (typeof value === 'boolean') n = value ? 1 : 0;
      else if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) {
        const big = BigInt(value.trim());
        n = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      } else if (typeof value === 'string' && value.trim() === '') return ok(null);
      if (n === undefined) return fail(`expected ${type === 'int' ? 'an int' : 'a long'} (whole number), got ${describe(value)}`);
      if (type === 'int' && (n < INT32_MIN || n > INT32_MAX)) return fail(`${describe(value)} is out of the int range (-2147483648..2147483647); declare the column long`);
      if (typeof n === 'bigint' && (n < -(2n ** 63n) || n >= 2n ** 63n)) return fail(`${describe(value)} is out of the long range`);
      return ok(n);
    }
    case 'real':
    case 'decimal': {
      if (typeof value === 'number') return ok(value);
      if (typeof value === 'string') {
        const t = value.trim();
        if (t === '') return ok(null);
        if (/^(nan|NaN)$/.test(t)) return ok(Number.NaN);
        if (/^[-+]?(inf|Infinity)$/i.test(t)) return ok(t.startsWith('-') ? -Infinity : Infinity);
        const n = Number(t);
        if (!Number.isNaN(n)) return ok(n);
      }
      return fail(`expected a real number, got ${describe(value)}`);
    }
    case 'bool': {
      if (typeof value === 'boolean') return ok(value);
      if (typeof value === 'number' && (value === 0 || value === 1)) return ok(value === 1);
      if (typeof value === 'string') {
        const t = value.trim().toLowerCase();
        if (t === 'true' || t === '1') return ok(true);
        if (t === 'false' || t === '0') return ok(false);
        if (t === '') return ok(null);
      }
      return fail(`expected a bool (true or false), got ${describe(value)}`);
    }
    case 'datetime': {
      const micros = fastIsoMicros(value) ?? parseDatetime(value);
      return micros === undefined
        ? (typeof value === 'string' && value.trim() === '' ? ok(null) : fail(`expected a datetime (ISO 8601 such as 2024-05-01T10:00:00Z), got ${describe(value)}`))
        : ok(micros);
    }
    case 'dynamic':
      if (typeof value === 'string') {
        // Exports and the Data Collector API carry dynamic values as JSON text: keep them as
        // values when they parse, as Log Analytics does; other strings are JSON strings.
        const t = value.trim();
        if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
          try {
            return ok(JSON.stringify(JSON.parse(t)));
          } catch { /* a plain string that merely looks like JSON */ }
        }
        return ok(JSON.stringify(value));
      }
      return ok(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    case 'guid':
      if (typeof value === 'string' && GUID.test(value.trim())) return ok(value.trim().toLowerCase());
      if (typeof value === 'string' && value.trim() === '') return ok(null);
      return fail(`expected a guid such as 6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e, got ${describe(value)}`);
    case 'timespan': {
      const ticks = parseTimespan(value);
      return ticks === undefined ? fail(`expected a timespan such as 01:30:00 or 1.02:03:04.5, got ${describe(value)}`) : ok(ticks);
    }
  }
}

/**
 * The common case first: 2024-05-01T10:00:00.123Z exactly (what JSON.stringify(new Date()) and
 * the SDKs send), read by Date.parse; anything else takes the general parser.
 */
const CANONICAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
function fastIsoMicros(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || value.length > 24) return undefined;
  const m = CANONICAL_ISO.exec(value);
  if (m === null) return undefined;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, sec = +m[6]!;
  // Out-of-range parts (2024-02-30, 25:00) go to the general parser, which refuses them.
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 28 && d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec, m[7] === undefined ? 0 : +(m[7] + '00').slice(0, 3));
  return BigInt(ms) * 1000n;
}

function daysInMonth(y: number, mo: number): number {
  return mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31;
}

const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s*([AP]M)$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Microseconds since the Unix epoch, UTC; undefined when the value is not a datetime. */
export function parseDatetime(value: unknown): bigint | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : BigInt(value.getTime()) * 1000n;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  let m = ISO.exec(t);
  if (m !== null) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(ms) || !validDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return undefined;
    let micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1n : 1n;
      const digits = zone.slice(1).replace(':', '');
      micros -= sign * (BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000_000n);
    }
    return micros;
  }
  m = US.exec(t);
  if (m !== null) {
    const [, mo, d, y, h, mi, s, frac = '', ampm] = m;
    let hour = Number(h);
    if (hour < 1 || hour > 12) return undefined;
    if (ampm!.toUpperCase() === 'PM' && hour !== 12) hour += 12;
    if (ampm!.toUpperCase() === 'AM' && hour === 12) hour = 0;
    if (!validDate(Number(y), Number(mo), Number(d), hour, Number(mi), Number(s))) return undefined;
    return BigInt(Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s))) * 1000n + BigInt((frac + '000000').slice(0, 6));
  }
  return undefined;
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** 100-ns ticks of a Kusto timespan string ([-][d.]hh:mm:ss[.fffffff]) or a number of seconds. */
export function parseTimespan(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value * 1e7));
  if (typeof value !== 'string') return undefined;
  const m = TIMESPAN.exec(value.trim());
  if (m === null) return undefined;
  const [, neg, d = '0', h, mi, s, frac = ''] = m;
  const ticks = ((BigInt(d) * 24n + BigInt(h!)) * 60n + BigInt(mi!)) * 60n * 10_000_000n + BigInt(s!) * 10_000_000n + BigInt((frac + '0000000').slice(0, 7));
  return neg ? -ticks : ticks;
}
