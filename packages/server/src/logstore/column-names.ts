// Column names as a store that folds the case of identifiers (DuckDB) holds them. Log Analytics
// column names are case-sensitive, and a table can have two that differ only in case
// (AzureDiagnostics: clientIP_s from Application Gateway's access log, clientIp_s from its
// firewall log). Such a store cannot hold both under their own names, and asked for one of them
// it would silently return the other. So every column of such a group is stored as
// `<name>~<mask>`: the mask is the lower-case hex of a number whose bit i is set when character i
// of the name is upper case (clientIP_s~c0, clientIp_s~40). The mapping depends on the name and
// on whether it clashes; the stored name alone gives the exact name back (the store keeps the
// case it was given), which no other column name can be mistaken for: Log Analytics names have
// no `~`. A name without a clash is stored as itself.

/** The mark a stored name of a case-clashing column carries; no Log Analytics column name has it. */
const MARK = '~';

/** Bit i set when character i of `name` is an upper-case letter, as lower-case hex. */
function caseMask(name: string): string {
  let mask = 0n;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch !== ch.toLowerCase()) mask |= 1n << BigInt(i);
  }
  return mask.toString(16);
}

/** The stored name of a column that shares its case-folded name with another. */
export function clashingColumnName(name: string): string {
  return `${name}${MARK}${caseMask(name)}`;
}

/**
 * Columns of `names` that must be stored under another name: every member of a group of names
 * equal but for case, mapped to clashingColumnName(). Names not in the map are stored as themselves.
 * Refuses a name with the mark (never a Log Analytics name): stored, it could read back as another.
 */
export function storageNames(names: Iterable<string>): Map<string, string> {
  const groups = new Map<string, Set<string>>();
  for (const name of names) {
    if (name.includes(MARK)) throw new Error(`column name '${name}' contains '${MARK}', which the log store reserves for columns whose names differ only in case`);
    const key = name.toLowerCase();
    let group = groups.get(key);
    if (group === undefined) groups.set(key, group = new Set());
    group.add(name);
  }
  const out = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.size > 1) for (const name of group) out.set(name, clashingColumnName(name));
  }
  return out;
}

/** The exact column name a stored name holds (the inverse of the mapping above). */
export function exactColumnName(stored: string): string {
  const at = stored.lastIndexOf(MARK);
  if (at < 0) return stored;
  const name = stored.slice(0, at);
  return clashingColumnName(name) === stored ? name : stored;
}
