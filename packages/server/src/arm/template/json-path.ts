// Building the JSON paths used as error targets and templatePath values.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `base.key`, or `base['odd key']` when the key is not a plain identifier. */
export function childPath(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}['${key.replace(/'/g, "\\'")}']`;
}

/** `base[index]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}
