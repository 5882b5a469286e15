// Sentinel's parsers (KQL functions) from the content corpus as the compiler's FunctionDefs.
//
// Forms found in ../shared/corpus/sentinel/parsers/:
//   - YAML with ParserName + ParserQuery (+ ParserParams), or FunctionName + FunctionQuery
//     (+ FunctionParams). ASIM YAMLs also name the built-in twin (EquivalentBuiltInParser /
//     EquivalentBuiltInFunction, e.g. _Im_Dns): the same body is registered under both names,
//     since rules and unifying parsers call either.
//   - Plain .txt/.kql/.csl: the whole file is the body; the alias comes from the header comment
//     ("alias as X", "function name as X", "(e.g. X | take 10)", ...) or else the file name. A file
//     that only declares `let X = (params) { ... };` with nothing after it is that lambda saved
//     as a function: its parameters and body are taken from the declaration.
//     A text parser of a solution (Solutions/<name>/Parsers/) is also registered under its file
//     name: the solution's package deploys it as a function of that alias (SlackAudit.txt, whose
//     header suggests Slack_Audit, is called SlackAudit by the solution's rules).
//   - .md files are documentation; YAML templates (names with <placeholders>) are not parsers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FunctionDef, FunctionParameter, KqlColumn, KqlType } from '../../src/index.ts';
import { KQL_TYPES } from '../../src/types.ts';

export interface CorpusParser {
  /** The alias rules call it by. */
  name: string;
  /** Other names the same function is registered under (the ASIM built-in twin, a solution's file name). */
  aliases: string[];
  /** Path relative to the parsers folder. */
  path: string;
  def: FunctionDef;
  /** How the alias was found (for the report). */
  aliasFrom: 'yaml' | 'header' | 'lambda' | 'file name';
}

export interface SkippedParser {
  path: string;
  reason: string;
}

export interface LoadedParsers {
  parsers: CorpusParser[];
  skipped: SkippedParser[];
  /** Every function the workspace gets: each parser under its name and its aliases. */
  functions: FunctionDef[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const TYPE_ALIASES: Record<string, KqlType> = { double: 'real', boolean: 'bool', date: 'datetime', time: 'timespan', int32: 'int', int64: 'long', dyanmic: 'dynamic' };

function kqlType(name: string): KqlType | undefined {
  const t = name.trim().toLowerCase();
  if ((KQL_TYPES as readonly string[]).includes(t)) return t as KqlType;
  return TYPE_ALIASES[t];
}

/** `a:string, b:datetime` inside a tabular parameter's parentheses. */
function columnList(text: string): KqlColumn[] | '*' {
  if (text.trim() === '*') return '*';
  return splitTopLevel(text, ',').filter((p) => p.trim() !== '').map((p) => {
    const [n, t] = p.split(':').map((s) => s.trim());
    const type = kqlType(t ?? 'string');
    if (type === undefined) throw new Error(`unknown column type '${t}' in (${text})`);
    return { name: n!.replace(/^\[['"]?|['"]?\]$/g, ''), type };
  });
}

/** Splits at `sep` outside parentheses, brackets, braces and quotes. */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A YAML default as KQL text: strings of string parameters are values unless already quoted. */
function defaultText(value: unknown, type: FunctionParameter['type']): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  if (type === 'string' && !/^(['"]).*\1$/s.test(text.trim()) && !/^@?['"]/.test(text.trim())) return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return text;
}

/** ParserParams / FunctionParams entries: {Name, Type, Default}; tables as Name 'T:(c:type, ...)', Type 'table'. */
function yamlParameters(list: unknown): FunctionParameter[] {
  if (!Array.isArray(list)) return [];
  return list.map((raw: Record<string, unknown>) => {
    const name = String(raw['Name'] ?? '').trim();
    const typeName = String(raw['Type'] ?? '').trim();
    if (typeName.toLowerCase() === 'table') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\((.*)\)$/s.exec(name);
      if (m === null) return { name, type: { columns: '*' } };
      return { name: m[1]!, type: { columns: columnList(m[2]!) } };
    }
    let type = kqlType(typeName);
    if (type === undefined && typeof raw['Default'] === 'string') type = kqlType(String(raw['Default']).replace(/\(.*$/s, ''));
    if (type === undefined) throw new Error(`parameter ${name}: unknown type '${typeName}'`);
    const defaultValue = defaultText(raw['Default'], type);
    return { name, type, ...(defaultValue !== undefined ? { defaultValue } : {}) };
  });
}

/** `(a:string, T:(x:int), b:datetime = datetime(null))` -> parameters. */
function lambdaParameters(text: string): FunctionParameter[] {
  return splitTopLevel(text, ',').filter((p) => p.trim() !== '').map((p) => {
    const [decl, ...rest] = splitTopLevel(p, '=');
    const defaultValue = rest.length > 0 ? rest.join('=').trim() : undefined;
    const colon = decl!.indexOf(':');
    const name = decl!.slice(0, colon).trim();
    const typeText = decl!.slice(colon + 1).trim();
    if (typeText.startsWith('(')) return { name, type: { columns: columnList(typeText.slice(1, -1)) } };
    const type = kqlType(typeText);
    if (type === undefined) throw new Error(`parameter ${name}: unknown type '${typeText}'`);
    return { name, type, ...(defaultValue !== undefined ? { defaultValue } : {}) };
  });
}

/** Comments out of KQL text (line comments only: KQL has no block comments), strings kept. */
export function stripComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      out += ch;
      if (ch === '\\' && quote !== '`') { out += text[++i] ?? ''; continue; }
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    out += ch;
  }
  return out;
}

/**
 * A file that is one `let Name = (params) { body };` and nothing else: the function it saves.
 * (Devicefromip.txt, AssignedIPAddress.txt: deployed by solutions as functions with parameters.)
 */
function lambdaOnly(text: string): { name: string; parameters: FunctionParameter[]; body: string } | undefined {
  const code = stripComments(text).trim();
  const m = /^let\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\(/.exec(code);
  if (m === null) return undefined;
  let i = m[0].length;
  let depth = 1;
  while (i < code.length && depth > 0) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')') depth--;
    i++;
  }
  const params = code.slice(m[0].length, i - 1);
  const rest = code.slice(i).trim();
  if (!rest.startsWith('{')) return undefined;
  depth = 0;
  let j = 0;
  for (; j < rest.length; j++) {
    if (rest[j] === '{') depth++;
    else if (rest[j] === '}' && --depth === 0) break;
  }
  const after = rest.slice(j + 1).trim();
  if (after !== '' && after !== ';') return undefined;
  return { name: m[1]!, parameters: lambdaParameters(params), body: rest.slice(1, j).trim() };
}

const HEADER_PATTERNS: RegExp[] = [
  /alias\s+as\s+["']?([A-Za-z_][A-Za-z0-9_]*)/i,
  /alias,\s*as\s+["']?([A-Za-z_][A-Za-z0-9_]*)/i,
  /alias\s+to\s+["']?([A-Za-z_][A-Za-z0-9_]*)/i,
  /function\s+name\s+as\s+["']?([A-Za-z_][A-Za-z0-9_]*)/i,
  /Enter\s+"([A-Za-z_][A-Za-z0-9_]*)"\s+in\s+the\s+"Function name"/i,
  /function\s+name\s+(?:is\s+)?["']?([A-Za-z_][A-Za-z0-9_]*[A-Za-z0-9])["']?\s*[.,]?\s*(?:$|In the|and)/im,
  /alias\s+\(e\.g\.\s+([A-Za-z_][A-Za-z0-9_]*)\)/i,
  /\(e\.g\.\s+([A-Za-z_][A-Za-z0-9_]*)\s*\|\s*take/i,
];

const NOT_NAMES = new Set(['from', 'the', 'and', 'as', 'field', 'text', 'box']);

/** The alias a text parser's header comment gives, if any. */
function headerAlias(text: string): string | undefined {
  const header = text.split(/\r?\n/).filter((l) => l.trim().startsWith('//')).slice(0, 40).join('\n');
  for (const re of HEADER_PATTERNS) {
    const m = re.exec(header);
    if (m !== null && !NOT_NAMES.has(m[1]!.toLowerCase())) return m[1]!;
  }
  return undefined;
}

/**
 * A saved function's text as Log Analytics stores it: trailing semicolons and whitespace after
 * the last expression are not part of the body (the portal's "save as function" takes a query).
 */
function cleanBody(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/[\s;]+$/, '');
}

/** The file name without its extensions (afad_parser.kql.txt -> afad_parser). */
function fileAlias(file: string): string {
  return basename(file).replace(/(\.(txt|kql|csl))+$/i, '');
}

/**
 * The other alias a text parser is deployed under: a solution's package names the function after
 * the file, whatever its header suggests for saving it by hand.
 */
function deployedAlias(path: string, file: string, name: string): string[] {
  const alias = fileAlias(file);
  if (!/^Solutions\/[^/]+\/Parsers\//.test(path) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias) || alias.toLowerCase() === name.toLowerCase()) return [];
  return [alias];
}

/** Older copies lose to current ones when two files give the same alias. */
function staleness(path: string): number {
  return /deprecated|[-_/]old[-_./]|V1\//i.test(path) ? 1 : 0;
}

export function loadParsers(root: string): LoadedParsers {
  const parsers: CorpusParser[] = [];
  const skipped: SkippedParser[] = [];
  for (const file of walk(root)) {
    const path = relative(root, file);
    const ext = extname(file).toLowerCase();
    if (ext === '.md') continue;
    const text = readFileSync(file, 'utf8');
    try {
      if (ext === '.yaml' || ext === '.yml') {
        const y = parseYaml(text) as Record<string, unknown>;
        const name = String(y['ParserName'] ?? y['FunctionName'] ?? y['FunctionAlias'] ?? '').trim();
        const body = y['ParserQuery'] ?? y['FunctionQuery'];
        if (name === '' || /[<>]/.test(name)) {
          skipped.push({ path, reason: 'a template, not a parser (no name or a <placeholder> name)' });
          continue;
        }
        if (typeof body !== 'string') {
          skipped.push({ path, reason: 'no ParserQuery/FunctionQuery' });
          continue;
        }
        const parameters = yamlParameters(y['ParserParams'] ?? y['FunctionParams']);
        const twin = String(y['EquivalentBuiltInParser'] ?? y['EquivalentBuiltInFunction'] ?? '').trim();
        parsers.push({ name, aliases: twin !== '' && twin !== name ? [twin] : [], path, aliasFrom: 'yaml', def: { name, parameters, body: cleanBody(body) } });
      } else if (path.startsWith('ASIM/dev/')) {
        skipped.push({ path, reason: 'ASIM developer tooling, not a parser' });
      } else if (ext === '.txt' || ext === '.kql' || ext === '.csl' || ext === '') {
        const lambda = lambdaOnly(text);
        if (lambda !== undefined) {
          const alias = headerAlias(text) ?? fileAlias(file);
          parsers.push({ name: alias, aliases: deployedAlias(path, file, alias), path, aliasFrom: 'lambda', def: { name: alias, parameters: lambda.parameters, body: cleanBody(lambda.body) } });
          continue;
        }
        const fromHeader = headerAlias(text);
        const name = fromHeader ?? fileAlias(file);
        parsers.push({ name, aliases: deployedAlias(path, file, name), path, aliasFrom: fromHeader !== undefined ? 'header' : 'file name', def: { name, parameters: [], body: cleanBody(text) } });
      } else {
        skipped.push({ path, reason: `not a parser file (${ext || 'no extension'})` });
      }
    } catch (error) {
      skipped.push({ path, reason: `unreadable: ${(error as Error).message}` });
    }
  }
  // One function per name: a later file with a name already taken is reported, not loaded.
  const taken = new Map<string, CorpusParser>();
  const kept: CorpusParser[] = [];
  const ordered = [...parsers].sort((a, b) => staleness(a.path) - staleness(b.path));
  for (const p of ordered) {
    const key = p.name.toLowerCase();
    const first = taken.get(key);
    if (first !== undefined) {
      skipped.push({ path: p.path, reason: `duplicate alias ${p.name} (kept ${first.path})` });
      continue;
    }
    taken.set(key, p);
    kept.push(p);
  }
  const functions: FunctionDef[] = [];
  const names = new Set<string>();
  for (const p of kept) {
    functions.push(p.def);
    names.add(p.name.toLowerCase());
  }
  for (const p of kept) {
    for (const alias of p.aliases) {
      if (names.has(alias.toLowerCase())) continue;
      names.add(alias.toLowerCase());
      functions.push({ ...p.def, name: alias });
    }
  }
  return { parsers: kept, skipped, functions };
}
