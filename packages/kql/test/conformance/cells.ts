// Comparing a result cell with a cell as the Kusto documentation prints it. The docs are
// written by hand: booleans as true/1/True, datetimes with a space or a T, numbers rounded or
// with thousands separators, dynamic values as JSON text (pretty-printed with <br>, wrapped in
// backticks, sometimes with single quotes or unquoted strings). Each type gets the leniency the
// docs need and no more: a string is still compared exactly, a long as an integer.
import type { KqlType } from '../../src/index.ts';
import { parseDatetimeText, parseTimespan } from '../../src/plan/literals.ts';

/** A value as the runner reads it: datetime as µs since the epoch, timespan as ticks, dynamic as JSON text. */
export type Cell = null | boolean | number | bigint | string;

/** The docs' text without presentation: backticks around it, <br> line breaks. */
export function cleanExpected(text: string): string {
  let t = text.replace(/<br\s*\/?>/gi, '\n').trim();
  if (t.length >= 2 && t.startsWith('`') && t.endsWith('`')) t = t.slice(1, -1).trim();
  return t;
}

const isNullText = (t: string) => t === '' || t.toLowerCase() === 'null' || t === '(null)';

/** "1,048,576" -> "1048576" (only well-formed thousands groups). */
const withoutThousands = (t: string) => (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t);

function parseReal(t: string): number | undefined {
  const v = withoutThousands(t).replace(/^\+/, '');
  if (v === '∞' || /^inf(inity)?$/i.test(v)) return Number.POSITIVE_INFINITY;
  if (v === '-∞' || /^-inf(inity)?$/i.test(v)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(v)) return Number.NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return undefined;
  return Number(v);
}

/** Equal within what the docs printed: a rounded figure matches to its last printed digit. */
export function realMatches(expected: string, actual: number): boolean {
  const e = parseReal(expected);
  if (e === undefined) return false;
  if (Number.isNaN(e)) return Number.isNaN(actual);
  if (!Number.isFinite(e)) return e === actual;
  if (!Number.isFinite(actual)) return false;
  const m = /\.(\d+)(?:e|$)/i.exec(expected);
  const decimals = m === null ? 0 : m[1]!.length;
  const exponent = /e([+-]?\d+)$/i.exec(expected);
  const printedStep = 10 ** (-(decimals) + (exponent !== null ? Number(exponent[1]) : 0));
  const tolerance = Math.max(Math.abs(e) * 1e-12, printedStep / 2 + Math.abs(e) * 1e-15);
  return Math.abs(actual - e) <= tolerance;
}

function parseDatetime(t: string): bigint | undefined {
  const text = t.replace(/(\.\d{1,7})\d*/, '$1');
  const parsed = parseDatetimeText(text);
  if (parsed !== undefined) return parsed;
  // "5/12/2021 3:04:05 PM" (some pages print the portal's local style).
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?)?$/i.exec(t);
  if (us === null) return undefined;
  let hour = Number(us[4] ?? 0);
  if (us[8] !== undefined) hour = (hour % 12) + (us[8].toUpperCase() === 'PM' ? 12 : 0);
  const ms = Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), hour, Number(us[5] ?? 0), Number(us[6] ?? 0));
  return BigInt(ms) * 1000n + BigInt((us[7] ?? '').padEnd(6, '0').slice(0, 6));
}

function parseTimespanText(t: string): bigint | undefined {
  const v = parseTimespan(`time(${t})`) ?? parseTimespan(t);
  return v === null ? undefined : v;
}

/** Kusto's single-quoted dynamic literals, as some pages print them, as JSON. */
function jsonOf(text: string): { ok: true; value: unknown } | { ok: false } {
  for (const candidate of [text, text.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s))]) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // try the next form
    }
  }
  return { ok: false };
}

function deepMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return realMatches(String(expected), actual) || expected === actual;
  if (expected === null || actual === null || typeof expected !== 'object' || typeof actual !== 'object') return expected === actual;
  if (Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    return expected.length === a.length && expected.every((e, i) => deepMatches(e, a[i]));
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = Object.keys(e);
  return keys.length === Object.keys(a).length && keys.every((k) => k in a && deepMatches(e[k], a[k]));
}

/** The last resort for prose-like JSON ("[yes, no]", a nested bag printed as a string): no quotes, no spaces. */
const loose = (t: string) => t.replace(/["'\s\\]/g, '');

function dynamicMatches(expected: string, actual: Cell): boolean {
  const actualValue = actual === null ? null : JSON.parse(String(actual)) as unknown;
  if (isNullText(expected)) return actualValue === null || actualValue === '';
  const parsed = jsonOf(expected);
  if (parsed.ok && deepMatches(parsed.value, actualValue)) return true;
  if (typeof actualValue === 'string' && actualValue === expected) return true;
  return loose(expected) === loose(typeof actualValue === 'string' ? actualValue : JSON.stringify(actualValue));
}

/** Whether `actual` (of KQL type `type`) is what the docs' `expectedRaw` shows. */
export function cellMatches(expectedRaw: string, actual: Cell, type: KqlType): boolean {
  const expected = cleanExpected(expectedRaw);
  if (type === 'dynamic') return dynamicMatches(expected, actual);
  if (type === 'string') {
    if (actual === expected || actual === expectedRaw) return true;
    // A JSON text printed pretty (or compact) by the page.
    const e = jsonOf(expected);
    const a = typeof actual === 'string' ? jsonOf(actual) : { ok: false as const };
    return e.ok && a.ok && typeof e.value === 'object' && e.value !== null && deepMatches(e.value, a.value);
  }
  if (actual === null) return isNullText(expected);
  switch (type) {
    case 'bool': {
      const t = expected.toLowerCase();
      return actual === true ? t === 'true' || t === '1' : t === 'false' || t === '0';
    }
    case 'int': case 'long': {
      const t = withoutThousands(expected);
      return /^[+-]?\d+$/.test(t) && BigInt(t.replace('+', '')) === BigInt(actual as number | bigint);
    }
    case 'real': case 'decimal':
      return realMatches(expected, Number(actual));
    case 'datetime': return parseDatetime(expected) === BigInt(actual as bigint);
    case 'timespan': return parseTimespanText(expected) === BigInt(actual as bigint);
    case 'guid': return expected.toLowerCase() === String(actual).toLowerCase();
  }
}

/** A cell as Kusto would print it, for failure reports. */
export function displayCell(actual: Cell, type: KqlType): string {
  if (actual === null) return 'null';
  switch (type) {
    case 'datetime': {
      const us = BigInt(actual as bigint);
      const ms = Number(us / 1000n);
      const frac = String(((us % 1_000_000n) + 1_000_000n) % 1_000_000n).padStart(6, '0');
      return `${new Date(ms - (ms % 1000 + 1000) % 1000).toISOString().slice(0, 19).replace('T', ' ')}.${frac}0`;
    }
    case 'timespan': {
      const t = BigInt(actual as bigint);
      const sign = t < 0n ? '-' : '';
      const a = t < 0n ? -t : t;
      const days = a / 864_000_000_000n;
      const two = (n: bigint) => String(n).padStart(2, '0');
      const frac = a % 10_000_000n;
      return `${sign}${days > 0n ? `${days}.` : ''}${two((a / 36_000_000_000n) % 24n)}:${two((a / 600_000_000n) % 60n)}:${two((a / 10_000_000n) % 60n)}${frac > 0n ? `.${String(frac).padStart(7, '0')}` : ''}`;
    }
    default: return String(actual);
  }
}
