// `vigil rules import|export|test`: a workspace's analytics rules from and to files, through the
// HTTPS API as the portal and the SDK use it (Microsoft.SecurityInsights/alertRules), and "test
// with current data" (Vigil.SecurityInsights/testAlertRule). Files are Sentinel's YAML or the ARM
// template its Export writes (read by rule-files.ts with the server's own readers). Every rule is
// still checked and compiled by the server when it is saved: the CLI sends, the server decides.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../server/src/config.ts';
import { parseRuleProperties, type RuleDefinition } from '../../server/src/detect/rule-model.ts';
import { ruleToYaml } from '../../server/src/detect/rule-yaml.ts';
import { EXPORT_API_VERSION, rulesToArmTemplate } from '../../server/src/detect/rule-arm-template.ts';
import type { RuleTestResult } from '../../server/src/detect/rule-test.ts';
import { ARM_API, errorCode, errorMessage, signIn, type Api } from './api-client.ts';
import { inputFiles, parseWorkspace } from './inputs.ts';
import { readRuleFile, type RuleFromFile, type SkippedRuleFile } from './rule-files.ts';

/** Vigil's own API (testAlertRule). */
const VIGIL_API = '2025-01-01';

interface SignInOptions {
  workspace: string;
  tenant: string;
  username: string;
  password?: string;
  url: string;
  json?: boolean;
}

export interface ImportedRule {
  name: string;
  displayName: string;
  file: string;
  /** 'saved', or the server's refusal. */
  outcome: 'saved' | { status: number; code: string; message: string };
}

export interface RulesImportSummary {
  workspace: string;
  rules: ImportedRule[];
  /** Files that gave no rule: not rules (with why), or rules that are wrong or unreadable (`failed`). */
  skipped: SkippedRuleFile[];
  /** Fields the readers left out or read differently, `file:line:col: field: why`. */
  warnings: string[];
  totals: { files: number; saved: number; refused: number; skipped: number };
}

export interface RulesExportSummary {
  workspace: string;
  format: 'yaml' | 'arm';
  /** Where the rules went: a folder (yaml), a file (arm), or '-' for stdout. */
  out: string;
  rules: { name: string; displayName: string; file?: string }[];
}

const WORKSPACE_HELP = 'the workspace: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}';

function withSignIn(command: Command, who: string): Command {
  return command
    .requiredOption('--workspace <id>', WORKSPACE_HELP)
    .requiredOption('--tenant <id>', 'the directory (tenant id or domain) to sign in to; an MSSP user signs in to their own and reaches customers through Lighthouse')
    .requiredOption('--username <upn>', who)
    .option('--password <password>', 'their password (or VIGIL_PASSWORD)')
    .option('--url <url>', 'the Vigil server', 'https://127.0.0.1:8443');
}

export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description("A workspace's analytics rules: import and export them as Sentinel's YAML or ARM templates, and test them over the workspace's data.");

  withSignIn(rules
    .command('import')
    .description("Save analytics rules from Sentinel's YAML files (one rule each; its id is the rule's name) or ARM templates as Sentinel's Export writes them (many rules each). The server checks and compiles each rule as it saves it; saving a rule that exists replaces it.")
    .argument('<file...>', "rule files, or folders walked recursively (e.g. a clone of Azure-Sentinel's Detections/ folder); other files are skipped and listed")
    .addHelpText('after', '\nExit codes: 0 every rule saved; 1 some refused, or a rule file is wrong; 2 bad usage or the workspace cannot be used; 3 none saved.'),
  'a user who may write the workspace\'s analytics rules (Microsoft Sentinel Contributor, Contributor, Owner)')
    .option('--disabled', 'save the rules disabled (enable them one by one after checking them; useful for big imports)')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], options: SignInOptions & { disabled?: boolean }) => {
      const summary = await importRules(files, options);
      process.stdout.write(options.json === true ? `${JSON.stringify(summary)}\n` : formatImport(summary));
      const failed = summary.skipped.some((s) => s.failed);
      process.exitCode = summary.totals.saved === 0 ? 3 : summary.totals.refused > 0 || failed ? 1 : 0;
    });

  withSignIn(rules
    .command('export')
    .description("Write the workspace's analytics rules as Sentinel's YAML (one file per rule, named after its display name) or as one ARM template as Sentinel's Export writes it. `vigil rules import` reads both back as the same rules.")
    .addHelpText('after', '\nExamples:\n  vigil rules export --workspace <id> ... --out rules/                 one YAML file per rule\n  vigil rules export --workspace <id> ... --format arm --out rules.json\n  vigil rules export --workspace <id> ... --format arm > rules.json'),
  'a user who may read the workspace\'s analytics rules (any Microsoft Sentinel role)')
    .option('--format <format>', 'yaml (one file per rule, needs --out <folder>) or arm (one template, to --out <file> or stdout)', 'yaml')
    .option('--out <path>', 'the folder (yaml) or file (arm) to write; created if missing, files in it replaced')
    .option('--json', 'print the summary as JSON')
    .action(async (options: SignInOptions & { format: string; out?: string }) => {
      const summary = await exportRules(options);
      const text = options.json === true ? `${JSON.stringify(summary)}\n`
        : `Exported ${summary.rules.length} rule(s) of ${summary.workspace} as ${summary.format === 'yaml' ? 'YAML' : 'an ARM template'} to ${summary.out === '-' ? 'stdout' : summary.out}.\n`
          + summary.rules.map((r) => `  ${r.name}  ${r.displayName}${r.file === undefined ? '' : `  -> ${r.file}`}\n`).join('');
      // With the template on stdout, the summary goes to stderr.
      (summary.out === '-' ? process.stderr : process.stdout).write(text);
    });

  withSignIn(rules
    .command('test')
    .description("Test with current data: run a rule (saved, or from a file, without saving it) over the windows of the last days as the scheduler would have, and print how many alerts it would have raised. Nothing is raised.")
    .argument('<rule>', "a saved rule's name, or a rule file (Sentinel's YAML, or an ARM template: --rule picks one of its rules)")
    .addHelpText('after', '\nExit codes: 0 tested; 2 bad usage, no such rule or file, or a rule file that is wrong; 3 the server refuses the rule (it does not compile, a field is wrong, --days out of range).'),
  'a user who may query the workspace (Log Analytics Reader, any Microsoft Sentinel role)')
    .option('--days <n>', 'how many days back, 1 to 14', '2')
    .option('--rule <name>', 'the rule of an ARM template file to test, when it holds several')
    .option('--json', "print the server's answer as JSON")
    .action(async (rule: string, options: SignInOptions & { days: string; rule?: string }) => {
      process.exitCode = await testRule(rule, options);
    });
}

async function connect(options: SignInOptions): Promise<{ api: Api; workspace: string }> {
  const password = options.password ?? process.env.VIGIL_PASSWORD;
  if (password === undefined) throw new ConfigError('Give the password with --password or the VIGIL_PASSWORD variable.');
  const workspace = parseWorkspace(options.workspace);
  const api = await signIn(options.url, options.tenant, options.username, password);
  const ws = await api.call('GET', `${workspace}?api-version=${ARM_API}`);
  if (ws.status !== 200) throw new ConfigError(`The workspace ${workspace} cannot be used (${ws.status} ${errorCode(ws.body)}): ${errorMessage(ws.body)}`);
  return { api, workspace };
}

const workspaceName = (workspace: string) => workspace.slice(workspace.lastIndexOf('/') + 1);
const rulePath = (workspace: string, name: string) => `${workspace}/providers/Microsoft.SecurityInsights/alertRules/${encodeURIComponent(name)}?api-version=${EXPORT_API_VERSION}`;

async function importRules(inputs: string[], options: SignInOptions & { disabled?: boolean }): Promise<RulesImportSummary> {
  // Read every file before signing in: a typo in a path fails before anything is sent.
  const workspace = parseWorkspace(options.workspace);
  const files = inputFiles(inputs, 'import');
  const found: RuleFromFile[] = [];
  const skipped: SkippedRuleFile[] = [];
  const warnings: string[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (error) {
      skipped.push({ path: file.name, reason: `unreadable: ${(error as Error).message}`, failed: true });
      continue;
    }
    const read = readRuleFile(file.name, text, workspaceName(workspace));
    if (!('rules' in read)) {
      skipped.push(read);
      continue;
    }
    warnings.push(...read.warnings);
    // A rule's name is unique in a workspace: a second file with the same id would replace the first.
    const clash = read.rules.find((r) => fileOf.has(r.name.toLowerCase()));
    if (clash !== undefined) {
      skipped.push({ path: file.name, reason: `invalid: the rule '${clash.name}' is also in ${fileOf.get(clash.name.toLowerCase())}; a rule's name (the YAML id) is unique in a workspace`, failed: true });
      continue;
    }
    for (const r of read.rules) fileOf.set(r.name.toLowerCase(), file.name);
    found.push(...read.rules);
  }

  const { api } = await connect(options);
  const rules: ImportedRule[] = [];
  for (const rule of found) {
    const properties = options.disabled === true ? { ...rule.definition.properties, enabled: false } : rule.definition.properties;
    const res = await api.call('PUT', rulePath(workspace, rule.name), { kind: rule.definition.kind, properties });
    rules.push({
      name: rule.name, displayName: rule.definition.properties.displayName, file: rule.file,
      outcome: res.status === 200 || res.status === 201 ? 'saved' : { status: res.status, code: errorCode(res.body), message: errorMessage(res.body) },
    });
  }
  const saved = rules.filter((r) => r.outcome === 'saved').length;
  return { workspace, rules, skipped, warnings, totals: { files: files.length, saved, refused: rules.length - saved, skipped: skipped.length } };
}

function formatImport(s: RulesImportSummary): string {
  const lines = [`Rules imported into ${s.workspace}: ${s.totals.saved} saved, ${s.totals.refused} refused, from ${s.totals.files} file(s).`];
  for (const r of s.rules) {
    lines.push(r.outcome === 'saved'
      ? `  saved    ${r.name}  ${r.displayName}  (${r.file})`
      : `  REFUSED  ${r.name}  ${r.displayName}  (${r.file}): ${r.outcome.status} ${r.outcome.code}: ${r.outcome.message}`);
  }
  if (s.skipped.length > 0) {
    lines.push(`Not imported (${s.skipped.length}):`);
    for (const k of s.skipped) lines.push(`  ${k.path}: ${k.reason}`);
  }
  if (s.warnings.length > 0) {
    lines.push(`Notes (${s.warnings.length}):`);
    for (const w of s.warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every rule of the workspace, following nextLink, in their canonical form. */
async function listRules(api: Api, workspace: string): Promise<{ name: string; definition: RuleDefinition }[]> {
  const out: { name: string; definition: RuleDefinition }[] = [];
  let path: string | undefined = `${workspace}/providers/Microsoft.SecurityInsights/alertRules?api-version=${EXPORT_API_VERSION}`;
  while (path !== undefined) {
    const res = await api.call('GET', path);
    if (res.status !== 200) throw new ConfigError(`Cannot list the analytics rules of ${workspace} (${res.status} ${errorCode(res.body)}): ${errorMessage(res.body)}`);
    const body = res.body as { value: { name: string; kind: string; properties: unknown }[]; nextLink?: string };
    // What the server answers beside the settings (lastModifiedUtc, templateVersionAvailable...)
    // is not part of the rule, and is left out by the same gate the server saves through.
    for (const r of body.value) out.push({ name: r.name, definition: parseRuleProperties(r.kind, r.properties) });
    path = body.nextLink === undefined ? undefined : nextLinkPath(api, body.nextLink);
  }
  return out;
}

/** nextLink is absolute; the client calls paths of its server. */
function nextLinkPath(api: Api, link: string): string {
  const url = new URL(link, api.base);
  return `${url.pathname}${url.search}`;
}

async function exportRules(options: SignInOptions & { format: string; out?: string }): Promise<RulesExportSummary> {
  const format = options.format.toLowerCase();
  if (format !== 'yaml' && format !== 'arm') throw new ConfigError(`--format ${options.format} is not a format: give yaml (one file per rule) or arm (one template).`);
  if (format === 'yaml' && options.out === undefined) throw new ConfigError('A YAML export writes one file per rule: give the folder with --out <folder> (or --format arm to print one template).');
  if (format === 'yaml' && existsSync(options.out!) && !statSync(options.out!).isDirectory()) throw new ConfigError(`--out ${options.out} is a file; a YAML export writes one file per rule into a folder.`);
  const { api, workspace } = await connect(options);
  const rules = await listRules(api, workspace);
  const summary: RulesExportSummary = { workspace, format, out: options.out ?? '-', rules: [] };
  if (format === 'arm') {
    const text = `${JSON.stringify(rulesToArmTemplate(rules), null, 2)}\n`;
    if (options.out === undefined) process.stdout.write(text);
    else writeOut(options.out, text);
    summary.rules = rules.map((r) => ({ name: r.name, displayName: r.definition.properties.displayName }));
    return summary;
  }
  mkdirSync(options.out!, { recursive: true });
  const taken = new Set<string>();
  for (const rule of rules) {
    const file = safeFileName(rule.definition.properties.displayName, rule.name, taken);
    writeOut(join(options.out!, file), ruleToYaml(rule.name, rule.definition));
    summary.rules.push({ name: rule.name, displayName: rule.definition.properties.displayName, file });
  }
  return summary;
}

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new ConfigError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * `Brute force on {{Computer}}` -> `Brute force on _Computer_.yaml`: letters, digits, spaces and
 * `.-_()` kept, the rest runs of `_`; a name taken by an earlier rule (or empty) gets the rule's name.
 */
export function safeFileName(displayName: string, name: string, taken: Set<string>): string {
  const clean = (s: string) => s.replace(/[^\p{L}\p{N} ._()-]+/gu, '_').replace(/\s+/g, ' ').replace(/^[ .]+|[ .]+$/g, '').slice(0, 120);
  for (const base of [clean(displayName), `${clean(displayName)} (${clean(name)})`, clean(name)]) {
    if (base === '' || base.startsWith(' (')) continue;
    const file = `${base}.yaml`;
    if (taken.has(file.toLowerCase())) continue;
    taken.add(file.toLowerCase());
    return file;
  }
  // Two rules whose names clean to the same text: number them.
  for (let n = 2; ; n++) {
    const file = `${clean(name) || 'rule'}-${n}.yaml`;
    if (!taken.has(file.toLowerCase())) {
      taken.add(file.toLowerCase());
      return file;
    }
  }
}

/** The rule to test: the given file's, or the saved rule of that name. */
async function ruleToTest(api: Api, workspace: string, arg: string, pick: string | undefined): Promise<{ label: string; definition: RuleDefinition } | { refused: string }> {
  const looksLikeFile = existsSync(arg) || /[\\/]|\.(ya?ml|json)$/i.test(arg);
  if (!looksLikeFile) {
    const res = await api.call('GET', rulePath(workspace, arg));
    if (res.status === 404) throw new ConfigError(`There is no analytics rule '${arg}' in ${workspace}, and no file ${arg}. Give a saved rule's name (as \`vigil rules export\` lists them) or a rule file.`);
    if (res.status !== 200) throw new ConfigError(`Cannot read the analytics rule '${arg}' (${res.status} ${errorCode(res.body)}): ${errorMessage(res.body)}`);
    const body = res.body as { name: string; kind: string; properties: unknown };
    return { label: `'${body.name}'`, definition: parseRuleProperties(body.kind, body.properties) };
  }
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${arg}: ${(error as Error).message}`);
  }
  const read = readRuleFile(arg, text, workspaceName(workspace));
  if (!('rules' in read)) {
    if (read.failed) return { refused: read.reason.replace(/^invalid: /, '') };
    throw new ConfigError(`${arg} is ${read.reason}.`);
  }
  const named = pick === undefined ? read.rules : read.rules.filter((r) => r.name.toLowerCase() === pick.toLowerCase());
  if (named.length !== 1) {
    const names = read.rules.map((r) => r.name).join(', ');
    throw new ConfigError(pick === undefined
      ? `${arg} holds ${read.rules.length} rules (${names}): pick one with --rule <name>.`
      : `${arg} has no rule '${pick}'; its rules are ${names}.`);
  }
  return { label: `'${named[0]!.name}' (${arg})`, definition: named[0]!.definition };
}

async function testRule(arg: string, options: SignInOptions & { days: string; rule?: string }): Promise<number> {
  if (!/^\d+$/.test(options.days.trim())) throw new ConfigError(`--days ${options.days} is not a number of days (1 to 14).`);
  parseWorkspace(options.workspace);
  const { api, workspace } = await connect(options);
  const rule = await ruleToTest(api, workspace, arg, options.rule);
  if ('refused' in rule) {
    process.stderr.write(`vigil: the rule is refused: ${rule.refused}\n`);
    return 2; // the file is wrong: bad input, as everywhere (docs/cli.md)
  }
  const res = await api.call('POST', `${workspace}/providers/Vigil.SecurityInsights/testAlertRule?api-version=${VIGIL_API}`, {
    kind: rule.definition.kind, properties: rule.definition.properties, days: Number(options.days),
  });
  if (options.json === true) process.stdout.write(`${JSON.stringify(res.body)}\n`);
  if (res.status !== 200) {
    process.stderr.write(`vigil: the rule ${rule.label} is refused (${res.status} ${errorCode(res.body)}): ${errorMessage(res.body)}\n`);
    return 3; // refused by the server, as everywhere (docs/cli.md)
  }
  if (options.json !== true) process.stdout.write(formatTest(rule.label, res.body as RuleTestResult));
  return 0;
}

function formatTest(label: string, r: RuleTestResult): string {
  const lines = [
    `Rule ${label} over the last ${r.days} day(s): ${r.totalAlerts} alert(s) in ${r.windowsWithAlerts} of ${r.windows.length} window(s).`,
  ];
  if (r.truncated) lines.push(`Only the newest ${r.windows.length} windows were tested.`);
  const hits = r.windows.filter((w) => w.alerts > 0);
  if (hits.length > 0) {
    const rows = [['window start', 'window end', 'rows', 'alerts'], ...hits.map((w) => [w.start, w.end, String(w.rows), String(w.alerts)])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) lines.push(`  ${row.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
