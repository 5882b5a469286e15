// The query API's `timespan`: an ISO 8601 duration (`PT1H`, `P1D`, `P7DT12H`: the last that
// long, ending now) or an ISO 8601 interval (`start/end`, `start/duration`, `duration/end`),
// as Log Analytics and the SDKs send it (the SDKs turn `{duration}` into a bare duration and
// `{startTime, endTime}` into `start/end`, `{startTime, duration}` into `start/duration`).
// Parsed here rather than with a date library: the grammar is a dozen lines, and the libraries
// that parse intervals bring their own time-zone and calendar models we would then have to trust.
import { ApiError } from '../errors.ts';

export interface TimeRange {
  start: Date;
  end: Date;
}

interface Duration {
  years: number;
  months: number;
  /** Weeks, days and the time part, in milliseconds (a day is 24 hours: times are UTC). */
  millis: number;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a timespan relative to `now`; throws BadArgumentError naming what is wrong. */
export function parseTimespan(text: string, now: Date): TimeRange {
  const value = text.trim();
  const parts = value.split('/');
  if (parts.length > 2 || value === '') throw bad(text, 'it is neither a duration nor an interval of two parts separated by /');
  if (parts.length === 1) {
    const duration = parseDuration(parts[0]!, text);
    return ordered({ start: shift(now, duration, -1), end: now }, text);
  }
  const [a, b] = parts as [string, string];
  const aIsDuration = /^P/i.test(a);
  const bIsDuration = /^P/i.test(b);
  if (aIsDuration && bIsDuration) throw bad(text, 'an interval needs at least one date and time');
  if (aIsDuration) {
    const end = parseDateTime(b, text);
    return ordered({ start: shift(end, parseDuration(a, text), -1), end }, text);
  }
  const start = parseDateTime(a, text);
  if (bIsDuration) return ordered({ start, end: shift(start, parseDuration(b, text), 1) }, text);
  return ordered({ start, end: parseDateTime(b, text) }, text);
}

function parseDuration(text: string, whole: string): Duration {
  const m = DURATION.exec(text);
  if (m === null) throw bad(whole, `'${text}' is not an ISO 8601 duration such as PT1H, P1D or P7DT12H`);
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const millis = ((n(3) * 7 + n(4)) * 24 * 3600 + n(5) * 3600 + n(6) * 60 + n(7)) * 1000;
  return { years: n(1), months: n(2), millis: Math.round(millis) };
}

function parseDateTime(text: string, whole: string): Date {
  const m = DATE_TIME.exec(text.trim());
  if (m === null) throw bad(whole, `'${text}' is not an ISO 8601 date and time such as 2024-05-01T00:00:00Z`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const millis = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw bad(whole, `'${text}' is not a valid date and time`);
  }
  let epoch = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(millis);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) throw bad(whole, `'${text}' is not a valid date (no such day in that month)`);
  // No zone means UTC, as Log Analytics reads it.
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return new Date(epoch);
}

/** `at` moved by `d` (direction 1 forward, -1 back), years and months by the calendar. */
function shift(at: Date, d: Duration, direction: 1 | -1): Date {
  const out = new Date(at.getTime());
  if (d.years !== 0) out.setUTCFullYear(out.getUTCFullYear() + direction * d.years);
  if (d.months !== 0) out.setUTCMonth(out.getUTCMonth() + direction * d.months);
  return new Date(out.getTime() + direction * d.millis);
}

function ordered(range: TimeRange, text: string): TimeRange {
  if (Number.isNaN(range.start.getTime()) || Number.isNaN(range.end.getTime())) throw bad(text, 'it lies outside the dates that can be represented');
  if (range.start.getTime() > range.end.getTime()) throw bad(text, 'its start is after its end');
  return range;
}

function bad(text: string, why: string): ApiError {
  return new ApiError('BadArgumentError',
    `The timespan '${text}' is not valid: ${why}. Send an ISO 8601 duration (PT1H, P1D, P7DT12H) or interval (start/end, start/duration, duration/end).`,
    { target: 'timespan' });
}
