// Sentinel's parsers (KQL functions) from the content corpus as the compiler's FunctionDefs,
// read by the same reader `vigil parsers import` uses (src/parser-files.ts, where the forms are
// described). This file only walks the corpus's folder; .md files (documentation) are passed over.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FunctionDef } from '../../src/index.ts';
import { functionsOf, keepOnePerName, readParserFile, type ParserFunction, type SkippedParserFile } from '../../src/parser-files.ts';

export type CorpusParser = ParserFunction;
export type SkippedParser = SkippedParserFile;

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

export function loadParsers(root: string): LoadedParsers {
  const found: CorpusParser[] = [];
  const skipped: SkippedParser[] = [];
  for (const file of walk(root)) {
    const path = relative(root, file).split(sep).join('/');
    if (/\.md$/i.test(path)) continue;
    const read = readParserFile(path, readFileSync(file, 'utf8'));
    if ('def' in read) found.push(read);
    else skipped.push(read);
  }
  const { kept, skipped: duplicates } = keepOnePerName(found);
  return { parsers: kept, skipped: [...skipped, ...duplicates], functions: functionsOf(kept) };
}
