// SQL names for the plan's columns that no engine folding identifier case can confuse. KQL names
// are case-sensitive: a relation may hold clientIP_s and clientIp_s, or `extend a = 1, A = 2`.
// DuckDB (like most SQL engines, for quoted names too) matches identifiers ignoring case, so
// `SELECT "clientIp_s" FROM (... AS "clientIP_s", ... AS "clientIp_s")` silently reads the first.
// Within one statement, each group of column names equal but for case keeps its first name (in
// code-unit order) and the others become `<name>~<n>`, the smallest n whose folded name no other
// column has. Result columns are named by the plan, not by the SQL, so these names stay inside.
import type { Relation } from '../plan/nodes.ts';
import { scalarsOf, visitRelations } from '../plan/rewrites/walk.ts';

/** Column name -> the name the SQL uses instead; names not in the map are used as they are. */
export function caseDistinctNames(plan: Relation): Map<string, string> {
  const names = new Set<string>();
  visitRelations(plan, (r) => {
    for (const c of r.columns) names.add(c.name);
    for (const s of scalarsOf(r)) if (s.kind === 'column') names.add(s.name);
  });
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const key = name.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [name]);
    else group.push(name);
  }
  const out = new Map<string, string>();
  const taken = new Set(groups.keys());
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort();
    for (const name of group.slice(1)) {
      let n = 1;
      while (taken.has(`${name}~${n}`.toLowerCase())) n++;
      const renamed = `${name}~${n}`;
      taken.add(renamed.toLowerCase());
      out.set(name, renamed);
    }
  }
  return out;
}
