// Evaluates a parsed expression against an EvalContext.

import { armTypeName, findProperty, isPlainObject } from './arm-values.ts';
import type { CallSite, EvalContext } from './eval-context.ts';
import type { Expression } from './expression-parser.ts';
import { expectBoolean, expectCount, functionError } from './function-args.ts';
import { lookupFunction, SUPPORTED_FUNCTIONS } from './functions.ts';
import { TemplateError } from './template-error.ts';

/** Where the expression string sits in the template. */
export interface ExpressionOrigin {
  path: string;
  source: string;
}

function accessError(origin: ExpressionOrigin, problem: string): TemplateError {
  return new TemplateError(
    'InvalidTemplate',
    `The template expression ${JSON.stringify(origin.source)} at '${origin.path}' is not valid: ${problem}`,
    origin.path,
  );
}

function unsupported(name: string, origin: ExpressionOrigin): TemplateError {
  const userDefined = name.includes('.');
  return new TemplateError(
    'UnsupportedTemplateFunction',
    `The template function '${name}' used in ${JSON.stringify(origin.source)} at '${origin.path}' is not supported by Vigil` +
      (userDefined ? ' (user-defined template functions are not supported).' : '.') +
      ` Rewrite the expression with the supported functions: ${SUPPORTED_FUNCTIONS.join(', ')}; or compute the value beforehand and pass it as a parameter.`,
    origin.path,
  );
}

function property(target: unknown, name: string, origin: ExpressionOrigin): unknown {
  if (!isPlainObject(target)) {
    throw accessError(origin, `cannot read property '${name}' of a value of type ${armTypeName(target)}; properties can only be read from objects.`);
  }
  const found = findProperty(target, name);
  if (!found.found) {
    const available = Object.keys(target);
    throw accessError(
      origin,
      `the property '${name}' doesn't exist; available properties are ${available.length === 0 ? '(none)' : available.map((key) => `'${key}'`).join(', ')}.`,
    );
  }
  return found.value;
}

function index(target: unknown, key: unknown, origin: ExpressionOrigin): unknown {
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw accessError(origin, `an array index must be an Integer but is ${armTypeName(key)}.`);
    if (key < 0 || key >= target.length) throw accessError(origin, `the index ${key} is out of range for an array of length ${target.length}.`);
    return target[key];
  }
  if (isPlainObject(target)) {
    if (typeof key !== 'string') throw accessError(origin, `an object can only be indexed by a String but the index is ${armTypeName(key)}.`);
    return property(target, key, origin);
  }
  throw accessError(origin, `cannot index a value of type ${armTypeName(target)}; only arrays and objects can be indexed.`);
}

export function evaluateExpression(expression: Expression, ctx: EvalContext, origin: ExpressionOrigin): unknown {
  switch (expression.kind) {
    case 'string':
    case 'integer':
      return expression.value;
    case 'property':
      return property(evaluateExpression(expression.target, ctx, origin), expression.name, origin);
    case 'index':
      return index(evaluateExpression(expression.target, ctx, origin), evaluateExpression(expression.index, ctx, origin), origin);
    case 'call': {
      const site: CallSite = { name: expression.name, path: origin.path, source: origin.source };
      if (expression.name.toLowerCase() === 'if') {
        // Only the chosen branch is evaluated, as ARM documents for if().
        expectCount(expression.args, site, 3);
        const condition = expectBoolean([evaluateExpression(expression.args[0] as Expression, ctx, origin)], 0, site);
        return evaluateExpression(expression.args[condition ? 1 : 2] as Expression, ctx, origin);
      }
      const fn = lookupFunction(expression.name);
      if (fn === undefined) throw unsupported(expression.name, origin);
      const args = expression.args.map((arg) => evaluateExpression(arg, ctx, origin));
      const result = fn(args, ctx, site);
      if (result === undefined) throw functionError(site, 'it produced no value.');
      return result;
    }
  }
}
