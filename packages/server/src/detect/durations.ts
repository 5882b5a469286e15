// Rule durations. ARM carries them as ISO 8601 durations (PT5M, PT1H, P14D); Sentinel's rule
// YAML as short forms (5m, 1h, 14d). Both become milliseconds here, and one canonical ISO form
// goes back out, so that a rule read back compares equal whichever form it was written in.
// Months and years are refused: a rule's window is a fixed length of time.

const ISO = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const SHORT = /^(\d+)\s*(s|m|h|d)$/i;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** An ISO 8601 duration in milliseconds, or undefined when it is not one we take. */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (m === null) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return ((n(1) * 7 + n(2)) * 24 * 3600 + n(3) * 3600 + n(4) * 60 + n(5)) * 1000;
}

/** Sentinel YAML's `5m`, `1h`, `14d` (and `30s`) in milliseconds, or undefined. */
export function parseShortDuration(text: string): number | undefined {
  const m = SHORT.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
}

/** Milliseconds as the ISO form ARM answers with: P1D, PT5H, PT1H30M, P1DT12H. */
export function formatIsoDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const time = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 ? `${s}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/** Milliseconds as Sentinel YAML writes them: the largest unit that divides evenly. */
export function formatShortDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/** "5 minutes", "14 days": for error messages. */
export function describeDuration(ms: number): string {
  for (const [unit, size] of [['day', DAY], ['hour', HOUR], ['minute', MINUTE]] as const) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms / 1000} seconds`;
}
