// Standard tables whose reference has columns differing only in case (AzureDiagnostics has
// clientIP_s, from Application Gateway's access log, and clientIp_s, from its firewall log):
// in Log Analytics they are two columns, as KQL names are case-sensitive, but DuckDB folds the
// case of identifiers, so the fixture can hold only one of them. It keeps the one the corpus's
// queries name (matched with case, as KQL matches), and the first when they name none or
// several; the others are reported as left out.
import type { KqlColumn } from '../../src/index.ts';

/** `columns` with one column per case-folded name, and the names left out. */
export function foldCaseClashes(columns: KqlColumn[], texts: string[]): { columns: KqlColumn[]; leftOut: string[] } {
  const groups = new Map<string, KqlColumn[]>();
  for (const c of columns) {
    const key = c.name.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const named = (name: string) => texts.some((t) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(t));
  const kept = new Set<KqlColumn>();
  const leftOut: string[] = [];
  for (const group of groups.values()) {
    const used = group.length > 1 ? group.filter((c) => named(c.name)) : [];
    const keep = used.length === 1 ? used[0]! : group[0]!;
    kept.add(keep);
    leftOut.push(...group.filter((c) => c !== keep).map((c) => c.name));
  }
  return { columns: columns.filter((c) => kept.has(c)), leftOut };
}
