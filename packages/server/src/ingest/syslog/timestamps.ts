// Date forms the syslog world sends without a year or a zone: the RFC 3164 "Mmm dd hh:mm:ss"
// and the timestamp formats the CEF specification allows for rt, start, end and the custom dates.

export const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

const DAY_MS = 86_400_000;

export interface WallClock {
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The UTC instant of a wall-clock time, or undefined when the fields do not make a date. */
export function utcDate(year: number, t: WallClock): Date | undefined {
  if (t.month < 0 || t.month > 11 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 60) return undefined;
  if (year < 1 || year > 9999) return undefined;
  const daysInMonth = new Date(Date.UTC(year, t.month + 1, 0)).getUTCDate();
  if (t.day > daysInMonth) return undefined;
  const d = new Date(Date.UTC(year, t.month, t.day, t.hour, t.minute, Math.min(t.second, 59), t.millisecond));
  d.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return d;
}

/**
 * Puts a year on a date sent without one: the year it was received, unless that lands more than
 * a day in the future, in which case the sender meant last year (a December message read in
 * January). A 29 February goes to the latest leap year that is not in the future.
 */
export function inferYear(t: WallClock, receivedAt: Date): Date | undefined {
  const received = receivedAt.getTime();
  let year = receivedAt.getUTCFullYear();
  for (let tries = 0; tries < 9; tries++, year--) {
    const d = utcDate(year, t);
    if (d !== undefined && d.getTime() - received <= DAY_MS) return d;
  }
  return undefined;
}

const ZONE = /^(?:Z|UTC|GMT|UT)?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/i;

/** Offset in minutes east of UTC for Z, UTC, GMT, GMT+01:00, +0100, -05:00; undefined otherwise. */
export function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === '') return undefined;
  const m = ZONE.exec(zone);
  if (m === null) return undefined;
  const [, sign, hh, mm] = m;
  if (sign === undefined) return 0;
  const h = Number(hh);
  const min = mm === undefined ? 0 : Number(mm);
  if (h > 14 || min > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + min);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 / RFC 3339 date-time; without a zone it is taken as UTC. */
export function parseIsoTimestamp(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const base = utcDate(Number(y), {
    month: Number(mo) - 1, day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s),
    millisecond: Number((frac + '000').slice(0, 3)),
  });
  const offset = zoneOffsetMinutes(zone);
  if (base === undefined || offset === undefined) return undefined;
  return new Date(base.getTime() - offset * 60_000);
}

// MMM dd [yyyy] HH:mm:ss[.SSS] [zone], the forms the CEF specification lists.
const CEF_TEXT = /^([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:\s+(\S+))?$/;

/**
 * A CEF timestamp (rt, start, end): milliseconds since the epoch, "MMM dd [yyyy] HH:mm:ss[.SSS]
 * [zone]" or ISO 8601. Without a zone it is UTC; without a year, the year is inferred as for
 * syslog. Zone names other than UTC/GMT and numeric offsets are not guessed: undefined.
 */
export function parseCefTimestamp(value: string, receivedAt: Date): Date | undefined {
  const text = value.trim();
  if (/^\d{1,15}$/.test(text)) {
    const d = new Date(Number(text));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = CEF_TEXT.exec(text);
  if (m !== null) {
    const [, mon, day, year, h, mi, s, frac = '', zone] = m;
    const month = MONTHS[mon!.toLowerCase()];
    if (month === undefined) return undefined;
    const clock: WallClock = {
      month, day: Number(day), hour: Number(h), minute: Number(mi), second: Number(s),
      millisecond: Number((frac + '000').slice(0, 3)),
    };
    const offset = zone === undefined ? 0 : zoneOffsetMinutes(zone);
    if (offset === undefined) return undefined;
    const local = year === undefined ? inferYear(clock, receivedAt) : utcDate(Number(year), clock);
    return local === undefined ? undefined : new Date(local.getTime() - offset * 60_000);
  }
  return parseIsoTimestamp(text);
}
