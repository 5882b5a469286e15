// The `Prefer` header of the query API (RFC 7240, as Log Analytics reads it):
// `wait=N` (the query's time limit in seconds), `include-statistics=true`,
// `include-render=true`. Preferences are hints: one we do not understand, or a value out of
// range, is ignored (or capped), and `Preference-Applied` says what was honoured.

export interface QueryPreferences {
  /** The query's time limit, in seconds. */
  waitSeconds: number;
  includeStatistics: boolean;
  includeRender: boolean;
  /** The `Preference-Applied` header value, or undefined when nothing was asked for and applied. */
  applied: string | undefined;
}

export function parsePrefer(header: string | string[] | undefined, limits: { defaultSeconds: number; maxSeconds: number }): QueryPreferences {
  const out: QueryPreferences = { waitSeconds: limits.defaultSeconds, includeStatistics: false, includeRender: false, applied: undefined };
  const applied: string[] = [];
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const item of values.flatMap((v) => v.split(','))) {
    // Parameters after ';' (RFC 7240) are not used by any of these preferences.
    const [token = '', raw] = item.split(';')[0]!.split('=').map((s) => s.trim());
    const value = raw?.replace(/^"|"$/g, '');
    switch (token.toLowerCase()) {
      case 'wait': {
        if (value === undefined || !/^\d+$/.test(value) || Number(value) === 0) break;
        out.waitSeconds = Math.min(Number(value), limits.maxSeconds);
        applied.push(`wait=${out.waitSeconds}`);
        break;
      }
      case 'include-statistics':
        if (value?.toLowerCase() === 'true') {
          out.includeStatistics = true;
          applied.push('include-statistics=true');
        }
        break;
      case 'include-render':
        if (value?.toLowerCase() === 'true') {
          out.includeRender = true;
          applied.push('include-render=true');
        }
        break;
      default:
        break;
    }
  }
  if (applied.length > 0) out.applied = applied.join(',');
  return out;
}
