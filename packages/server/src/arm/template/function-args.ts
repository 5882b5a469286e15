// Argument checking shared by the template functions. Every failure is an
// InvalidTemplate error that names the function, the path and what was expected.

import { armTypeName, isPlainObject, type JsonObject } from './arm-values.ts';
import type { CallSite } from './eval-context.ts';
import { TemplateError } from './template-error.ts';

export function functionError(site: CallSite, problem: string): TemplateError {
  return new TemplateError(
    'InvalidTemplate',
    `The template function '${site.name}' in ${JSON.stringify(site.source)} at '${site.path}' failed: ${problem}`,
    site.path,
  );
}

export function expectCount(args: unknown[], site: CallSite, min: number, max = min): void {
  if (args.length >= min && args.length <= max) return;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  const plural = min === 1 && (max === 1 || max === Infinity) ? '' : 's';
  throw functionError(site, `it takes ${expected} argument${plural} but was given ${args.length}. Check the function's parameters in the ARM template function reference.`);
}

function describeArg(index: number): string {
  return `argument ${index + 1}`;
}

export function expectString(args: unknown[], index: number, site: CallSite): string {
  const value = args[index];
  if (typeof value === 'string') return value;
  throw functionError(site, `${describeArg(index)} must be a String but is ${armTypeName(value)}. Wrap it in string() if a conversion is intended.`);
}

export function expectInteger(args: unknown[], index: number, site: CallSite): number {
  const value = args[index];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw functionError(site, `${describeArg(index)} must be an Integer but is ${armTypeName(value)}.`);
}

export function expectBoolean(args: unknown[], index: number, site: CallSite): boolean {
  const value = args[index];
  if (typeof value === 'boolean') return value;
  throw functionError(site, `${describeArg(index)} must be a Boolean but is ${armTypeName(value)}. Use bool() to convert 'true'/'false' strings.`);
}

export function expectArray(args: unknown[], index: number, site: CallSite): unknown[] {
  const value = args[index];
  if (Array.isArray(value)) return value;
  throw functionError(site, `${describeArg(index)} must be an Array but is ${armTypeName(value)}.`);
}

export function expectObject(args: unknown[], index: number, site: CallSite): JsonObject {
  const value = args[index];
  if (isPlainObject(value)) return value;
  throw functionError(site, `${describeArg(index)} must be an Object but is ${armTypeName(value)}.`);
}

export function expectAllStrings(args: unknown[], site: CallSite): string[] {
  return args.map((_, index) => expectString(args, index, site));
}
