// Evaluates a JSON value from a template: every expression string in it
// (object keys included) is replaced by its value.

import { isPlainObject, type JsonObject } from './arm-values.ts';
import type { EvalContext } from './eval-context.ts';
import { evaluateExpression } from './expression-evaluator.ts';
import { parseTemplateString } from './expression-parser.ts';
import { childPath, indexPath } from './json-path.ts';
import { TemplateError } from './template-error.ts';

export function evaluateString(text: string, ctx: EvalContext, path: string): unknown {
  const parsed = parseTemplateString(text, path);
  return parsed.kind === 'literal' ? parsed.value : evaluateExpression(parsed.expression, ctx, { path, source: parsed.source });
}

export function evaluateJson(value: unknown, ctx: EvalContext, path: string): unknown {
  if (typeof value === 'string') return evaluateString(value, ctx, path);
  if (Array.isArray(value)) return value.map((item, i) => evaluateJson(item, ctx, indexPath(path, i)));
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const itemPath = childPath(path, key);
    if (key.toLowerCase() === 'copy' && Array.isArray(item)) {
      throw new TemplateError(
        'InvalidTemplate',
        `The copy loop at '${itemPath}' is not supported by Vigil (property and variable iteration). Write the array out explicitly instead.`,
        itemPath,
      );
    }
    const evaluatedKey = evaluateString(key, ctx, itemPath);
    if (typeof evaluatedKey !== 'string') {
      throw new TemplateError('InvalidTemplate', `The property name expression at '${itemPath}' must produce a String.`, itemPath);
    }
    out[evaluatedKey] = evaluateJson(item, ctx, itemPath);
  }
  return out;
}
