// `vigil parsers import`: Sentinel's parser files (YAML, .txt, .kql) saved as a workspace's KQL
// functions, through the Log Analytics saved-searches API (functionAlias, functionParameters),
// as a solution's deployment would. Each function gets the saved search `vigil-parser-<alias>`,
// so importing again replaces what an earlier import saved. The parser-file forms are read by
// packages/kql/src/parser-files.ts, the same reader the Sentinel corpus runs through.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../server/src/config.ts';
import { functionParametersText, keepOnePerName, readParserFile, type ParserFunction, type SkippedParserFile } from '../../kql/src/parser-files.ts';
import { ARM_API, errorCode, errorMessage, signIn } from './api-client.ts';
import { inputFiles, parseWorkspace } from './inputs.ts';

interface ParsersImportOptions {
  workspace: string;
  tenant: string;
  username: string;
  password?: string;
  url: string;
  json?: boolean;
}

export interface SavedFunction {
  alias: string;
  file: string;
  savedSearch: string;
  /** 'saved', or the server's refusal. */
  outcome: 'saved' | { status: number; code: string; message: string };
}

export interface ParsersImportSummary {
  workspace: string;
  functions: SavedFunction[];
  /** Files that are not parsers (documentation, templates) or could not be read, with why. */
  skipped: SkippedParserFile[];
  totals: { files: number; saved: number; refused: number; skipped: number };
}

export function registerParsersCommand(program: Command): void {
  const parsers = program.command('parsers').description("Sentinel's parsers (KQL functions) of a workspace.");
  parsers
    .command('import')
    .description("Save Sentinel's parser files (YAML with ParserQuery/FunctionQuery, .txt, .kql) as the workspace's KQL functions, through the saved-searches API; importing again replaces them.")
    .argument('<file...>', 'parser files, or folders walked recursively (e.g. Sentinel\'s Parsers/ or a solution\'s Parsers/ folder)')
    .requiredOption('--workspace <id>', 'the workspace: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}')
    .requiredOption('--tenant <id>', 'the directory (tenant id or domain) to sign in to')
    .requiredOption('--username <upn>', 'a user who may write the workspace\'s saved searches (Owner, Contributor, Log Analytics Contributor, Microsoft Sentinel Contributor)')
    .option('--password <password>', 'their password (or VIGIL_PASSWORD)')
    .option('--url <url>', 'the Vigil server', 'https://127.0.0.1:8443')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], options: ParsersImportOptions) => {
      const summary = await importParsers(files, options);
      process.stdout.write(options.json === true ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
      // 0: every parser saved; 1: some refused or unreadable; 3: none saved.
      const unreadable = summary.skipped.some((s) => s.reason.startsWith('unreadable'));
      process.exitCode = summary.totals.saved === 0 ? 3 : summary.totals.refused > 0 || unreadable ? 1 : 0;
    });
}

async function importParsers(inputs: string[], options: ParsersImportOptions): Promise<ParsersImportSummary> {
  const password = options.password ?? process.env.VIGIL_PASSWORD;
  if (password === undefined) throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
  const workspace = parseWorkspace(options.workspace);
  const files = inputFiles(inputs, 'import');
  const found: ParserFunction[] = [];
  const skipped: SkippedParserFile[] = [];
  for (const file of files) {
    if (/\.md$/i.test(file.name)) continue; // documentation beside the parsers: not worth a line
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (error) {
      skipped.push({ path: file.name, reason: `unreadable: ${(error as Error).message}` });
      continue;
    }
    const read = readParserFile(file.name, text);
    if ('def' in read) found.push(read);
    else skipped.push(read);
  }
  const { kept, skipped: duplicates } = keepOnePerName(found);
  skipped.push(...duplicates);

  const api = await signIn(options.url, options.tenant, options.username, password);
  const ws = await api.call('GET', `${workspace}?api-version=${ARM_API}`);
  if (ws.status !== 200) throw new ConfigError(`The workspace ${workspace} cannot be used (${ws.status} ${errorCode(ws.body)}): ${errorMessage(ws.body)}`);

  const functions: SavedFunction[] = [];
  const taken = new Set(kept.map((p) => p.name.toLowerCase()));
  for (const parser of kept) {
    // The parser's own name, then its other names (an ASIM built-in twin, a solution's file
    // name) where no other parser has them.
    const aliases = [parser.name, ...parser.aliases.filter((a) => !taken.has(a.toLowerCase()))];
    for (const alias of aliases) {
      taken.add(alias.toLowerCase());
      const savedSearch = `vigil-parser-${alias.toLowerCase()}`;
      const res = await api.call('PUT', `${workspace}/savedSearches/${savedSearch}?api-version=${ARM_API}`, {
        properties: {
          category: parser.category, displayName: alias, query: parser.def.body, functionAlias: alias,
          functionParameters: functionParametersText(parser.def.parameters), version: 2,
        },
      });
      functions.push({
        alias, file: parser.path, savedSearch,
        outcome: res.status === 200 || res.status === 201 ? 'saved' : { status: res.status, code: errorCode(res.body), message: errorMessage(res.body) },
      });
    }
  }
  const saved = functions.filter((f) => f.outcome === 'saved').length;
  return { workspace, functions, skipped, totals: { files: files.length, saved, refused: functions.length - saved, skipped: skipped.length } };
}

function formatSummary(s: ParsersImportSummary): string {
  const lines = [`Parsers imported into ${s.workspace}: ${s.totals.saved} function(s) saved, ${s.totals.refused} refused, from ${s.totals.files} file(s).`];
  for (const f of s.functions) {
    lines.push(f.outcome === 'saved'
      ? `  saved    ${f.alias}  (${f.file})`
      : `  REFUSED  ${f.alias}  (${f.file}): ${f.outcome.status} ${f.outcome.code}: ${f.outcome.message}`);
  }
  if (s.skipped.length > 0) {
    lines.push(`Not imported (${s.skipped.length}):`);
    for (const k of s.skipped) lines.push(`  ${k.path}: ${k.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
