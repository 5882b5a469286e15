// Template parameters: reading the values a caller supplies, reading the
// template's declarations, and checking a value against its declaration.

import { armTypeName, deepEqual, isPlainObject } from './arm-values.ts';
import { childPath } from './json-path.ts';
import { TemplateError } from './template-error.ts';

export interface SuppliedParameter {
  name: string;
  value: unknown;
  /** JSON path of the entry, e.g. "parameters.mspOfferName". */
  path: string;
}

export type ParameterType = 'string' | 'securestring' | 'int' | 'bool' | 'array' | 'object' | 'secureobject';

const PARAMETER_TYPES: readonly ParameterType[] = ['string', 'securestring', 'int', 'bool', 'array', 'object', 'secureobject'];
const DECLARATION_KEYS = new Set(['type', 'defaultvalue', 'allowedvalues', 'metadata', 'minlength', 'maxlength', 'minvalue', 'maxvalue']);

export interface ParameterDeclaration {
  name: string;
  type: ParameterType;
  path: string;
  hasDefault: boolean;
  defaultValue: unknown;
  allowedValues?: unknown[];
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

/** Keyed by lower-cased name: ARM parameter names are case-insensitive. */
export type ByName<T> = Map<string, T>;

function looksLikeParameterFile(input: Record<string, unknown>): boolean {
  if ('$schema' in input || 'contentVersion' in input) return true;
  const keys = Object.keys(input);
  const inner = input.parameters;
  return keys.length === 1 && keys[0] === 'parameters' && isPlainObject(inner) && !('value' in inner) && !('reference' in inner);
}

/**
 * Reads supplied parameter values: either the `{name: {value}}` object a
 * deployment body carries, or a whole parameters file (which is unwrapped).
 * `basePath` is where the entries live ("parameters" for a deployment).
 */
export function readSuppliedParameters(input: unknown, basePath: string): ByName<SuppliedParameter> {
  const supplied: ByName<SuppliedParameter> = new Map();
  if (input === undefined || input === null) return supplied;
  if (!isPlainObject(input)) {
    throw new TemplateError(
      'InvalidTemplateParameter',
      `The parameters at '${basePath}' must be an object of the form {"name": {"value": ...}} (or a whole parameters file), but a value of type ${armTypeName(input)} was given.`,
      basePath,
    );
  }
  let entries: Record<string, unknown> = input;
  if (looksLikeParameterFile(input)) {
    const inner = input.parameters ?? {};
    if (!isPlainObject(inner)) {
      throw new TemplateError('InvalidTemplateParameter', `The parameters file's 'parameters' property must be an object of the form {"name": {"value": ...}}.`, basePath);
    }
    entries = inner;
  }
  for (const [name, entry] of Object.entries(entries)) {
    const path = childPath(basePath, name);
    if (isPlainObject(entry) && 'reference' in entry) {
      throw new TemplateError(
        'InvalidTemplateParameter',
        `Parameter '${name}' at '${path}' is a Key Vault reference, which Vigil does not support. Put the secret value itself under ${path}.value instead.`,
        path,
      );
    }
    if (!isPlainObject(entry) || !('value' in entry)) {
      throw new TemplateError(
        'InvalidTemplateParameter',
        `Parameter '${name}' at '${path}' must be an object with a 'value' property, e.g. {"value": ...}. Wrap the value as ${path}.value.`,
        path,
      );
    }
    const key = name.toLowerCase();
    if (supplied.has(key)) {
      throw new TemplateError('InvalidTemplateParameter', `Parameter '${name}' is supplied more than once at '${basePath}' (names are case-insensitive). Keep one of them.`, path);
    }
    supplied.set(key, { name, value: entry.value, path });
  }
  return supplied;
}

function integerSetting(raw: Record<string, unknown>, key: string, path: string): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new TemplateError('InvalidTemplate', `'${childPath(path, key)}' must be an integer.`, childPath(path, key));
}

/** Reads and validates the template's `parameters` section found at `basePath`. */
export function readParameterDeclarations(raw: unknown, basePath: string): ByName<ParameterDeclaration> {
  const declarations: ByName<ParameterDeclaration> = new Map();
  if (raw === undefined) return declarations;
  if (!isPlainObject(raw)) throw new TemplateError('InvalidTemplate', `The template's '${basePath}' section must be an object mapping parameter names to declarations.`, basePath);
  for (const [name, decl] of Object.entries(raw)) {
    const path = childPath(basePath, name);
    if (!isPlainObject(decl)) throw new TemplateError('InvalidTemplate', `The declaration of parameter '${name}' at '${path}' must be an object such as {"type": "string"}.`, path);
    for (const key of Object.keys(decl)) {
      if (!DECLARATION_KEYS.has(key.toLowerCase())) {
        throw new TemplateError(
          'InvalidTemplate',
          `The parameter declaration property '${key}' at '${childPath(path, key)}' is not supported by Vigil. Supported properties: type, defaultValue, allowedValues, minLength, maxLength, minValue, maxValue, metadata.`,
          childPath(path, key),
        );
      }
    }
    const declaredType = decl.type;
    const type = typeof declaredType === 'string' ? (declaredType.toLowerCase() as ParameterType) : undefined;
    if (type === undefined || !PARAMETER_TYPES.includes(type)) {
      throw new TemplateError(
        'InvalidTemplate',
        `Parameter '${name}' has ${declaredType === undefined ? 'no type' : `the unknown type ${JSON.stringify(declaredType)}`} at '${path}.type'. Use one of: string, securestring, int, bool, array, object, secureObject.`,
        childPath(path, 'type'),
      );
    }
    const allowedValues = decl.allowedValues;
    if (allowedValues !== undefined && !Array.isArray(allowedValues)) {
      throw new TemplateError('InvalidTemplate', `'${path}.allowedValues' must be an array.`, childPath(path, 'allowedValues'));
    }
    const declaration: ParameterDeclaration = { name, type, path, hasDefault: 'defaultValue' in decl, defaultValue: decl.defaultValue };
    if (allowedValues !== undefined) declaration.allowedValues = allowedValues;
    const minLength = integerSetting(decl, 'minLength', path);
    const maxLength = integerSetting(decl, 'maxLength', path);
    const minValue = integerSetting(decl, 'minValue', path);
    const maxValue = integerSetting(decl, 'maxValue', path);
    if (minLength !== undefined) declaration.minLength = minLength;
    if (maxLength !== undefined) declaration.maxLength = maxLength;
    if (minValue !== undefined) declaration.minValue = minValue;
    if (maxValue !== undefined) declaration.maxValue = maxValue;
    if (declarations.has(name.toLowerCase())) throw new TemplateError('InvalidTemplate', `Parameter '${name}' is declared more than once (names are case-insensitive).`, path);
    declarations.set(name.toLowerCase(), declaration);
  }
  return declarations;
}

const TYPE_LABEL: Record<ParameterType, string> = {
  string: 'String',
  securestring: 'String',
  int: 'Integer',
  bool: 'Boolean',
  array: 'Array',
  object: 'Object',
  secureobject: 'Object',
};

/** Whether a value is of an ARM template type (parameters and outputs share the rule). */
export function hasType(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'securestring':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'secureobject':
      return isPlainObject(value);
  }
}

/**
 * Checks a parameter's value against its declaration. `valuePath` is where
 * the value came from (the supplied entry, or the declaration's defaultValue)
 * and is the error target.
 */
export function checkParameterValue(decl: ParameterDeclaration, value: unknown, valuePath: string, fix: string): void {
  const fail = (problem: string): never => {
    throw new TemplateError('InvalidTemplateParameter', `Parameter '${decl.name}' ${problem} ${fix}`, valuePath);
  };
  if (!hasType(decl.type, value)) {
    fail(`must be of type ${TYPE_LABEL[decl.type]} (declared '${decl.type}' at '${decl.path}.type') but the value is ${armTypeName(value)}.`);
  }
  if (decl.allowedValues !== undefined) {
    const allowed = decl.allowedValues;
    const candidates = decl.type === 'array' ? (value as unknown[]) : [value];
    const bad = candidates.find((candidate) => !allowed.some((option) => deepEqual(option, candidate)));
    if (bad !== undefined) fail(`has the value ${JSON.stringify(bad)}, which is not one of the allowed values ${JSON.stringify(allowed)}.`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    const unit = typeof value === 'string' ? 'characters' : 'elements';
    if (decl.minLength !== undefined && value.length < decl.minLength) fail(`has ${value.length} ${unit} but the template requires at least ${decl.minLength} (minLength).`);
    if (decl.maxLength !== undefined && value.length > decl.maxLength) fail(`has ${value.length} ${unit} but the template allows at most ${decl.maxLength} (maxLength).`);
  }
  if (typeof value === 'number') {
    if (decl.minValue !== undefined && value < decl.minValue) fail(`is ${value} but the template requires at least ${decl.minValue} (minValue).`);
    if (decl.maxValue !== undefined && value > decl.maxValue) fail(`is ${value} but the template allows at most ${decl.maxValue} (maxValue).`);
  }
}
