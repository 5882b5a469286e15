// A saved function's parameter list as Log Analytics stores it in `functionParameters`:
// "a:string, b:int = 5, T:(*)" or "T:(Computer:string, EventID:int), since:timespan = 1d".
// Scalar parameters may have a default (KQL text kept as written); tabular ones may not.
import type { FunctionParameter, KqlColumn, KqlType } from '../../../kql/src/types.ts';
import { ApiError } from '../errors.ts';

const TARGET = 'properties.functionParameters';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** KQL's scalar type names and their synonyms. */
const SCALAR_TYPES: Record<string, KqlType> = {
  bool: 'bool', boolean: 'bool', datetime: 'datetime', date: 'datetime', dynamic: 'dynamic',
  guid: 'guid', uuid: 'guid', uniqueid: 'guid', int: 'int', long: 'long', real: 'real', double: 'real',
  decimal: 'decimal', string: 'string', timespan: 'timespan', time: 'timespan',
};

export function parseFunctionParameters(text: string): FunctionParameter[] {
  if (text.trim() === '') return [];
  const out: FunctionParameter[] = [];
  for (const { part, at } of splitTopLevel(text, ',')) {
    const parameter = parseOne(part, at);
    if (out.some((p) => p.name === parameter.name)) throw bad(`the parameter '${parameter.name}' is declared twice`, at);
    out.push(parameter);
  }
  return out;
}

function parseOne(part: string, at: number): FunctionParameter {
  const colon = part.indexOf(':');
  if (colon < 0) throw bad(`'${part.trim()}' has no type: write name:type, for example a:string`, at);
  const name = part.slice(0, colon).trim();
  if (!IDENTIFIER.test(name)) throw bad(`'${name}' is not a parameter name: use letters, digits and _, not starting with a digit`, at);
  const rest = part.slice(colon + 1);
  const pieces = splitTopLevel(rest, '=');
  if (pieces.length > 2) throw bad(`the parameter '${name}' has more than one '='`, at);
  const typeText = pieces[0]!.part.trim();
  const defaultText = pieces[1]?.part.trim();
  if (defaultText === '') throw bad(`the parameter '${name}' has '=' but no default value after it`, at);
  if (typeText.startsWith('(')) {
    if (!typeText.endsWith(')')) throw bad(`the tabular parameter '${name}' must be written ${name}:(*) or ${name}:(column:type, ...)`, at);
    if (defaultText !== undefined) throw bad(`the tabular parameter '${name}' cannot have a default value`, at);
    return { name, type: { columns: parseColumns(typeText.slice(1, -1), name, at) } };
  }
  const type = SCALAR_TYPES[typeText.toLowerCase()];
  if (type === undefined) {
    throw bad(`'${typeText}' is not a type (parameter '${name}'); use one of ${[...new Set(Object.values(SCALAR_TYPES))].join(', ')}, or (*) for a table`, at);
  }
  return defaultText === undefined ? { name, type } : { name, type, defaultValue: defaultText };
}

function parseColumns(text: string, parameter: string, at: number): KqlColumn[] | '*' {
  if (text.trim() === '*') return '*';
  const columns: KqlColumn[] = [];
  for (const { part } of splitTopLevel(text, ',')) {
    const [name = '', type = ''] = part.split(':').map((s) => s.trim());
    if (name === '*') throw bad(`the tabular parameter '${parameter}' mixes * with columns; write either (*) or the columns it needs`, at);
    const kqlType = SCALAR_TYPES[type.toLowerCase()];
    if (!IDENTIFIER.test(name) || kqlType === undefined) {
      throw bad(`'${part.trim()}' in the tabular parameter '${parameter}' is not a column: write column:type, for example Computer:string`, at);
    }
    columns.push({ name, type: kqlType });
  }
  return columns;
}

/** Splits at `separator` outside quotes and brackets; `at` is each part's offset in `text`. */
function splitTopLevel(text: string, separator: string): { part: string; at: number }[] {
  const parts: { part: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const verbatim = text[i - 1] === '@';
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += !verbatim && text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw bad(`a string starting at character ${i + 1} is not closed`, i);
      i = j;
    } else if (c === '(' || c === '[' || c === '{') {
      depth += 1;
    } else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (depth < 0) throw bad(`'${c}' at character ${i + 1} closes nothing`, i);
    } else if (c === separator && depth === 0) {
      parts.push({ part: text.slice(start, i), at: start });
      start = i + 1;
    }
  }
  if (depth !== 0) throw bad('a bracket is not closed', text.length);
  parts.push({ part: text.slice(start), at: start });
  return parts;
}

function bad(why: string, at: number): ApiError {
  return new ApiError('InvalidParameter',
    `properties.functionParameters is not a parameter list (near character ${at + 1}): ${why}. The form is "a:string, b:int = 5, T:(*)".`,
    { target: TARGET });
}
