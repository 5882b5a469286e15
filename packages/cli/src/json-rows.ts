// Typed values -> JSON: how prepared rows travel to the import API.
import type { Typed } from '../../server/src/logstore/coerce.ts';
import type { ColumnType } from '../../server/src/logstore/schema.ts';

/** A prepared row as JSON values the server types back exactly: datetimes as ISO, big longs as digits. */
export function toJsonRow(row: Record<string, Typed>, types: Map<string, ColumnType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const type = types.get(name);
    if (value === null) out[name] = null;
    else if (typeof value === 'bigint') {
      if (type === 'datetime') out[name] = microsToIso(value);
      else if (type === 'timespan') out[name] = ticksToTimespan(value);
      else out[name] = value.toString();
    } else if (type === 'dynamic' && typeof value === 'string') {
      // prepareRows keeps dynamic values as JSON text; the server wants the value itself.
      try {
        out[name] = JSON.parse(value);
      } catch {
        out[name] = value;
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) out[name] = String(value); // NaN, Infinity
    else out[name] = value;
  }
  return out;
}

/** Microseconds since the epoch -> ISO 8601 with microseconds (what coerce reads back exactly). */
export function microsToIso(micros: bigint): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1000n;
  }
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${rest.toString().padStart(3, '0')}Z`;
}

/** 100-ns ticks -> [-]d.hh:mm:ss.fffffff, exact (a number of seconds would round long spans). */
export function ticksToTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = t % 10_000_000n;
  t /= 10_000_000n;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const two = (v: bigint) => v.toString().padStart(2, '0');
  return `${neg ? '-' : ''}${d > 0n ? `${d}.` : ''}${two(h)}:${two(m)}:${two(s)}.${frac.toString().padStart(7, '0')}`;
}
