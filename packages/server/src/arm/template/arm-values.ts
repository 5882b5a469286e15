// Helpers for the JSON values templates compute with: type names as ARM
// reports them, deep equality, ARM's string conversion, and ARM's
// case-insensitive property lookup.

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type name ARM uses in its messages: String, Integer, Boolean, Array, Object, Null. */
export function armTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (Array.isArray(value)) return 'Array';
  return 'Object';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * ARM's string conversion (string(), concat(), format()): strings as they are,
 * integers in decimal, booleans as .NET prints them ("True"/"False"), null as
 * the empty string, arrays and objects as compact JSON.
 */
export function toArmString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Property lookup as ARM does it: exact name first, then case-insensitive. */
export function findProperty(object: JsonObject, name: string): { found: true; key: string; value: unknown } | { found: false } {
  if (Object.prototype.hasOwnProperty.call(object, name)) return { found: true, key: name, value: object[name] };
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) return { found: true, key, value: object[key] };
  }
  return { found: false };
}

export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
