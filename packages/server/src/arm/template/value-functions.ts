// Template functions that only compute with values: strings, logic, arrays
// and objects. (if() is special — it is evaluated lazily by the evaluator.)

import { deepEqual, findProperty, isPlainObject, toArmString, armTypeName, type JsonObject } from './arm-values.ts';
import type { TemplateFunction } from './eval-context.ts';
import { expectBoolean, expectCount, expectString, functionError } from './function-args.ts';

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

const concat: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1, Infinity);
  if (args.every(Array.isArray)) return (args as unknown[][]).flat(1);
  return args
    .map((value, index) => {
      if (isScalar(value)) return toArmString(value);
      throw functionError(site, `argument ${index + 1} is ${armTypeName(value)}; concat() joins either all strings (and numbers) or all arrays, not a mix.`);
    })
    .join('');
};

const format: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1, Infinity);
  const template = expectString(args, 0, site);
  const values = args.slice(1);
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, spec: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const m = /^\s*(\d+)\s*$/.exec(spec ?? '');
    if (m === null) {
      throw functionError(site, `the placeholder '${match}' is not supported; use {0}, {1}, ... (format specifiers such as {0:N2} are not supported by Vigil), and {{ or }} for literal braces.`);
    }
    const index = Number(m[1]);
    if (index >= values.length) throw functionError(site, `the placeholder '${match}' refers to argument ${index} but only ${values.length} value(s) follow the format string.`);
    return toArmString(values[index]);
  });
};

function unionObjects(target: JsonObject, source: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = findProperty(result, key);
    if (existing.found && isPlainObject(existing.value) && isPlainObject(value)) {
      result[existing.key] = unionObjects(existing.value, value);
    } else if (existing.found) {
      result[existing.key] = value;
    } else {
      result[key] = value;
    }
  }
  return result;
}

const union: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1, Infinity);
  if (args.every(Array.isArray)) {
    const out: unknown[] = [];
    for (const item of (args as unknown[][]).flat(1)) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
    return out;
  }
  if (args.every(isPlainObject)) return (args as JsonObject[]).reduce((acc, next) => unionObjects(acc, next), {});
  throw functionError(site, 'union() takes either all arrays or all objects.');
};

const length: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1);
  const [value] = args;
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw functionError(site, `argument 1 must be a String, Array or Object but is ${armTypeName(value)}.`);
};

const empty: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1);
  const [value] = args;
  if (value === null) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  throw functionError(site, `argument 1 must be a String, Array, Object or null but is ${armTypeName(value)}.`);
};

const contains: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 2);
  const [container, item] = args;
  if (typeof container === 'string') return container.includes(toArmString(item));
  if (Array.isArray(container)) return container.some((entry) => deepEqual(entry, item));
  if (isPlainObject(container)) return findProperty(container, expectString(args, 1, site)).found;
  throw functionError(site, `argument 1 must be a String, Array or Object but is ${armTypeName(container)}.`);
};

const createObject: TemplateFunction = (args, _ctx, site) => {
  if (args.length % 2 !== 0) throw functionError(site, 'it takes pairs of arguments: a key (String) and its value.');
  const out: JsonObject = {};
  for (let i = 0; i < args.length; i += 2) out[expectString(args, i, site)] = args[i + 1];
  return out;
};

const toInt: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1);
  const [value] = args;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) {
    const parsed = Number(value.trim());
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw functionError(site, `cannot convert ${JSON.stringify(value)} to an Integer.`);
};

const toBool: TemplateFunction = (args, _ctx, site) => {
  expectCount(args, site, 1);
  const [value] = args;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if (value === 0 || value === 1) return value === 1;
  throw functionError(site, `cannot convert ${JSON.stringify(value)} to a Boolean; use 'true', 'false', 0 or 1.`);
};

export const VALUE_FUNCTIONS: Record<string, TemplateFunction> = {
  true: (args, _ctx, site) => (expectCount(args, site, 0), true),
  false: (args, _ctx, site) => (expectCount(args, site, 0), false),
  null: (args, _ctx, site) => (expectCount(args, site, 0), null),
  string: (args, _ctx, site) => (expectCount(args, site, 1), toArmString(args[0])),
  int: toInt,
  bool: toBool,
  concat,
  format,
  toLower: (args, _ctx, site) => (expectCount(args, site, 1), expectString(args, 0, site).toLowerCase()),
  toUpper: (args, _ctx, site) => (expectCount(args, site, 1), expectString(args, 0, site).toUpperCase()),
  equals: (args, _ctx, site) => (expectCount(args, site, 2), deepEqual(args[0], args[1])),
  not: (args, _ctx, site) => (expectCount(args, site, 1), !expectBoolean(args, 0, site)),
  and: (args, _ctx, site) => {
    expectCount(args, site, 2, Infinity);
    return args.map((_, i) => expectBoolean(args, i, site)).every(Boolean);
  },
  or: (args, _ctx, site) => {
    expectCount(args, site, 2, Infinity);
    return args.map((_, i) => expectBoolean(args, i, site)).some(Boolean);
  },
  empty,
  length,
  contains,
  createArray: (args) => [...args],
  createObject,
  union,
};
