// The registry of template functions Vigil supports. Names are case-insensitive,
// as in ARM. if() is listed here but evaluated lazily by the evaluator.

import type { TemplateFunction } from './eval-context.ts';
import { SCOPE_FUNCTIONS } from './scope-functions.ts';
import { VALUE_FUNCTIONS } from './value-functions.ts';

const REGISTRY = new Map<string, { name: string; fn: TemplateFunction }>();
for (const [name, fn] of Object.entries({ ...SCOPE_FUNCTIONS, ...VALUE_FUNCTIONS })) {
  REGISTRY.set(name.toLowerCase(), { name, fn });
}

/** Every supported function name (if() included), for messages and docs. */
export const SUPPORTED_FUNCTIONS: readonly string[] = [...[...REGISTRY.values()].map((entry) => entry.name), 'if'].sort((a, b) =>
  a.localeCompare(b, 'en', { sensitivity: 'base' }),
);

export function lookupFunction(name: string): TemplateFunction | undefined {
  return REGISTRY.get(name.toLowerCase())?.fn;
}
