// Query results in Log Analytics' wire forms: datetime as ISO 8601 UTC with 'Z', long/int/real
// as JSON numbers (a long beyond 2^53 as its exact digits), bool as true/false, timespan as
// [-][d.]hh:mm:ss[.fffffff], guid as a string, dynamic as a JSON *string*, null as null.
// Rows are serialized here, one at a time, so that the result's size limit counts real bytes
// and a long never passes through a double.
import type { KqlColumn, KqlType } from '../../../kql/src/types.ts';

/** JSON text that a serializer copies as is (rows already serialized). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify for envelopes: RawJson is inlined, bigint written as its digits. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const TICKS_PER_MICRO = 10n;
const TICKS_PER_SECOND = 10_000_000n;

/** One value of a column of `type`, as the store returned it, in Log Analytics' form (JSON text). */
export function formatValue(type: KqlType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (type) {
    case 'datetime': return JSON.stringify(formatDatetime(value));
    case 'timespan': return JSON.stringify(formatTimespan(toTicks(value)));
    case 'long':
    case 'int': return formatInteger(value);
    case 'real': return formatReal(value);
    case 'decimal': return JSON.stringify(typeof value === 'bigint' ? value.toString() : String(value));
    case 'bool': return typeof value === 'boolean' ? String(value) : String(Boolean(Number(value)));
    case 'dynamic': return JSON.stringify(typeof value === 'string' ? value : toJson(value));
    case 'guid':
    case 'string': return JSON.stringify(typeof value === 'string' ? value : String(value));
  }
}

function formatInteger(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.trunc(value)) : 'null';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = String(value);
  return /^-?\d+$/.test(text) ? text.replace(/^(-?)0+(?=\d)/, '$1') : 'null';
}

function formatReal(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  // JSON has no NaN or infinities; Kusto writes them as strings.
  if (Number.isNaN(n)) return '"NaN"';
  if (n === Infinity) return '"Infinity"';
  if (n === -Infinity) return '"-Infinity"';
  return JSON.stringify(n);
}

/** ISO 8601 UTC with 'Z': milliseconds always, microseconds when the value has them. */
export function formatDatetime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const micros = (value as { micros?: unknown }).micros;
  if (typeof micros === 'bigint') {
    const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    const rest = Number(micros - millis * 1000n);
    const base = new Date(Number(millis)).toISOString();
    return rest === 0 ? base : `${base.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
  }
  if (typeof value === 'string') {
    const parsed = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
  }
  return String(value);
}

/** Storage keeps a timespan as 100-ns ticks (BIGINT); an INTERVAL-like value is converted. */
function toTicks(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  const v = value as { months?: number; days?: number; micros?: bigint | number };
  if (v.micros !== undefined) {
    const days = BigInt((v.months ?? 0) * 30 + (v.days ?? 0));
    return (days * 86_400_000_000n + BigInt(v.micros)) * TICKS_PER_MICRO;
  }
  return BigInt(String(value));
}

/** `[-][d.]hh:mm:ss[.fffffff]`, as Kusto prints a timespan. */
export function formatTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const fraction = t % TICKS_PER_SECOND;
  t /= TICKS_PER_SECOND;
  const seconds = t % 60n;
  t /= 60n;
  const minutes = t % 60n;
  t /= 60n;
  const hours = t % 24n;
  const days = t / 24n;
  const two = (n: bigint) => n.toString().padStart(2, '0');
  return `${negative ? '-' : ''}${days > 0n ? `${days}.` : ''}${two(hours)}:${two(minutes)}:${two(seconds)}${fraction > 0n ? `.${fraction.toString().padStart(7, '0')}` : ''}`;
}

export interface FormattedRows {
  /** The rows array as JSON text. */
  json: RawJson;
  count: number;
  /** Bytes of `json`. */
  bytes: number;
  /** Set when rows were left out to stay within a limit. */
  truncated?: 'rows' | 'bytes';
}

/**
 * Serializes rows in Log Analytics' value forms, stopping before `maxRows` or `maxBytes` would be
 * exceeded. A long of more than 2^53 keeps its exact digits (JSON numbers have no size limit;
 * clients that parse into doubles round it, as they do with Log Analytics).
 */
export function formatRows(columns: readonly KqlColumn[], rows: readonly unknown[][], limits: { maxRows: number; maxBytes: number }): FormattedRows {
  const parts: string[] = [];
  let bytes = 2;
  let truncated: FormattedRows['truncated'];
  for (const row of rows) {
    if (parts.length >= limits.maxRows) {
      truncated = 'rows';
      break;
    }
    let text = '[';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) text += ',';
      text += formatValue(columns[i]!.type, row[i]);
    }
    text += ']';
    const size = Buffer.byteLength(text, 'utf8') + (parts.length > 0 ? 1 : 0);
    if (bytes + size > limits.maxBytes) {
      truncated = 'bytes';
      break;
    }
    bytes += size;
    parts.push(text);
  }
  const out: FormattedRows = { json: new RawJson(`[${parts.join(',')}]`), count: parts.length, bytes };
  if (truncated !== undefined) out.truncated = truncated;
  return out;
}
