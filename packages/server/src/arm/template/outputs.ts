// Evaluating a template's outputs section.

import { armTypeName, findProperty, isPlainObject } from './arm-values.ts';
import { childPath } from './json-path.ts';
import type { TemplateContext } from './template-context.ts';
import { TemplateError } from './template-error.ts';
import { hasType, type ParameterType } from './parameters.ts';

const OUTPUT_KEYS = new Set(['type', 'value', 'condition', 'metadata']);
const OUTPUT_TYPES = new Set(['string', 'securestring', 'int', 'bool', 'array', 'object', 'secureobject']);

export function evaluateOutputs(template: Record<string, unknown>, templatePath: string, ctx: TemplateContext): Record<string, { type: string; value: unknown }> {
  const found = findProperty(template, 'outputs');
  const outputs: Record<string, { type: string; value: unknown }> = {};
  if (!found.found || found.value === undefined) return outputs;
  const basePath = childPath(templatePath, found.key);
  if (!isPlainObject(found.value)) throw new TemplateError('InvalidTemplate', `The template's '${basePath}' section must be an object mapping output names to {type, value}.`, basePath);
  for (const [name, output] of Object.entries(found.value)) {
    const path = childPath(basePath, name);
    if (!isPlainObject(output)) throw new TemplateError('InvalidTemplate', `The output '${name}' at '${path}' must be an object with 'type' and 'value'.`, path);
    for (const key of Object.keys(output)) {
      const keyPath = childPath(path, key);
      if (key.toLowerCase() === 'copy') throw new TemplateError('InvalidTemplate', `Output copy loops are not supported by Vigil (found at '${keyPath}'). Compute the array in a variable instead.`, keyPath);
      if (!OUTPUT_KEYS.has(key.toLowerCase())) throw new TemplateError('InvalidTemplate', `The output property '${key}' at '${keyPath}' is not recognised; an output has type, value, and optionally condition and metadata.`, keyPath);
    }
    const type = findProperty(output, 'type');
    if (!type.found || typeof type.value !== 'string' || !OUTPUT_TYPES.has(type.value.toLowerCase())) {
      throw new TemplateError('InvalidTemplate', `The output '${name}' at '${path}' needs a 'type' of string, securestring, int, bool, array, object or secureObject.`, childPath(path, 'type'));
    }
    const condition = findProperty(output, 'condition');
    if (condition.found) {
      const conditionPath = childPath(path, condition.key);
      const include = ctx.evaluate(condition.value, conditionPath);
      if (typeof include !== 'boolean') throw new TemplateError('InvalidTemplate', `The condition at '${conditionPath}' must evaluate to a Boolean but is ${armTypeName(include)}.`, conditionPath);
      if (!include) continue;
    }
    const value = findProperty(output, 'value');
    const valuePath = childPath(path, 'value');
    if (!value.found) throw new TemplateError('InvalidTemplate', `The output '${name}' at '${path}' has no 'value'.`, valuePath);
    const result = ctx.evaluate(value.value, valuePath);
    if (!hasType(type.value.toLowerCase() as ParameterType, result)) {
      throw new TemplateError('InvalidTemplate', `The output '${name}' is declared as '${type.value}' but its value at '${valuePath}' is ${armTypeName(result)}. Fix the value or the declared type.`, valuePath);
    }
    outputs[name] = { type: type.value, value: result };
  }
  return outputs;
}
