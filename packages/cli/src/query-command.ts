// `vigil query`: runs KQL through the server's Log Analytics query API
// (POST /v1/workspaces/{id}/query, docs/query-api.md), signed in as a user, and prints the
// result as an aligned table, CSV (RFC 4180) or the API's JSON. --workspace takes names: they
// are looked up among the workspaces of every subscription the user reaches, their own
// directory's and those delegated to it (ARM's subscription and workspace lists, as the portal
// does), so a name shared by two customers is refused with both listed.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ARM_API, signIn, type Api } from './api-client.ts';
import { CliError, EXIT, passwordOf, ProgressLine, withExit } from './cli-common.ts';
import { parseWorkspace } from './inputs.ts';

const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface QueryOptions {
  workspace?: string[];
  file?: string;
  timespan?: string;
  format: Format;
  width?: string;
  tenant: string;
  username: string;
  password?: string;
  url: string;
}

export interface QueryColumn { name: string; type: string }
export interface QueryTable { name: string; columns: QueryColumn[]; rows: unknown[][] }
interface QueryAnswer {
  tables?: QueryTable[];
  error?: ApiErrorBody;
}
interface ApiErrorBody { code?: string; message?: string; target?: string; line?: number; pos?: number; hint?: string; innererror?: ApiErrorBody; details?: ApiErrorBody[] }

/** A workspace the signed-in user reaches, for name lookups and messages. */
export interface ReachableWorkspace {
  id: string;
  name: string;
  customerId: string;
  directoryId: string;
  directoryName: string;
  subscriptionName: string;
}

export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('Run a KQL query against one or more workspaces through the query API, signed in as a user, and print the result as a table, CSV or JSON.')
    .argument('[query]', 'the KQL query; - reads it from standard input (or use --file)')
    .option('-f, --file <file>', 'read the query from a file')
    .option('-w, --workspace <workspace>', 'a workspace name, id (customerId) or resource id (required); repeat to query several at once (their tables are unioned). Names are looked up in every directory you reach', collect)
    .option('-t, --timespan <timespan>', 'ISO 8601 duration ending now (PT1H, P1D, P7D) or interval start/end; restricts TimeGenerated')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--width <columns>', 'table width in characters (default: the terminal\'s; no limit when not a terminal)')
    .requiredOption('--tenant <id>', 'the directory (tenant id or domain) to sign in to')
    .requiredOption('--username <upn>', 'a user who may query the workspaces (Log Analytics Reader, a Microsoft Sentinel role, ...)')
    .option('--password <password>', 'their password (or VIGIL_PASSWORD)')
    .option('--url <url>', 'the Vigil server (or VIGIL_URL)', 'https://127.0.0.1:8443')
    .addHelpText('after', `
Examples:
  vigil query 'SecurityEvent | summarize count() by Computer' --workspace ws-fabrikam \\
    --tenant contososoc.example --username eli@contososoc.example --timespan P1D
  vigil query -f hunt.kql -w ws-fabrikam -w ws-northwind --format csv ... > hits.csv

Exit codes: 0 done, 1 partial result (server limits), 2 bad usage or unknown/ambiguous
workspace or failed sign-in, 3 refused by the server, 4 the query is not accepted.`)
    .action(withExit(async (query: string | undefined, options: QueryOptions) => {
      const text = readQueryText(query, options.file);
      if ((options.workspace ?? []).length === 0) throw new CliError('Give the workspace to query with --workspace (a name, id or resource id).', EXIT.usage);
      const width = widthOf(options);
      const api = await signIn(options.url, options.tenant, options.username, passwordOf(options));
      const targets = await resolveWorkspaces(api, options.workspace ?? []);
      const { answer, raw } = await runQuery(api, targets, text, options.timespan);
      const tables = answer.tables ?? [];
      if (options.format === 'json') process.stdout.write(`${raw.trim()}\n`);
      else if (options.format === 'csv') {
        if (tables.length > 1) process.stderr.write(`vigil: the query returned ${tables.length} tables; CSV holds the first (${tables[0]!.name}); use --format json for all\n`);
        if (tables[0] !== undefined) process.stdout.write(toCsv(tables[0]));
      } else {
        for (const [i, table] of tables.entries()) {
          if (tables.length > 1) process.stdout.write(`${i > 0 ? '\n' : ''}${table.name}\n`);
          process.stdout.write(formatTable(table, width));
          process.stderr.write(`(${table.rows.length} row${table.rows.length === 1 ? '' : 's'})\n`);
        }
      }
      if (answer.error !== undefined) {
        const detail = answer.error.details?.map((d) => `${d.code}: ${d.message}`).join('; ');
        process.stderr.write(`vigil: the result is partial (${answer.error.code}): ${detail ?? answer.error.message}\n`);
        process.exitCode = EXIT.partial;
      }
    }));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function readQueryText(query: string | undefined, file: string | undefined): string {
  if (query !== undefined && file !== undefined) throw new CliError('Give the query either as an argument or with --file, not both.', EXIT.usage);
  if (query === undefined && file === undefined) throw new CliError("Give the query as an argument, with --file <file>, or as - to read it from standard input.", EXIT.usage);
  let text: string;
  try {
    text = file !== undefined ? readFileSync(file, 'utf8') : query === '-' ? readFileSync(0, 'utf8') : query!;
  } catch (error) {
    throw new CliError(`Cannot read the query from ${file ?? 'standard input'}: ${(error as Error).message}`, EXIT.usage);
  }
  if (text.trim() === '') throw new CliError(`The query${file !== undefined ? ` in ${file}` : ''} is empty.`, EXIT.usage);
  return text;
}

function widthOf(options: QueryOptions): number {
  if (options.width !== undefined) {
    if (!/^\d+$/.test(options.width) || Number(options.width) < 20) throw new CliError(`--width ${options.width} is not a width: give a number of characters, 20 or more.`, EXIT.usage);
    return Number(options.width);
  }
  return process.stdout.isTTY === true ? process.stdout.columns ?? 120 : Infinity;
}

// ------------------------------------------------------------------ workspaces

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function armPages<T>(api: Api, path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const res = await api.call('GET', next);
    if (res.status !== 200) {
      const error = (res.body as { error?: ApiErrorBody } | undefined)?.error;
      throw new CliError(`Listing ${next.split('?')[0]} was refused (${res.status} ${error?.code ?? ''}): ${error?.message ?? String(res.body)}`, EXIT.refused);
    }
    const body = res.body as { value?: T[]; nextLink?: string };
    out.push(...(body.value ?? []));
    next = body.nextLink === undefined ? undefined : body.nextLink.startsWith(api.base) ? body.nextLink.slice(api.base.length) : body.nextLink;
  }
  return out;
}

/** Every workspace in the subscriptions the user reaches: their directory's and delegated ones. */
export async function reachableWorkspaces(api: Api): Promise<ReachableWorkspace[]> {
  const [subscriptions, tenants] = await Promise.all([
    armPages<{ subscriptionId: string; displayName: string; tenantId: string; homeTenantId?: string }>(api, '/subscriptions?api-version=2022-12-01'),
    armPages<{ tenantId: string; displayName: string; defaultDomain: string }>(api, '/tenants?api-version=2022-12-01'),
  ]);
  const directoryName = (id: string) => {
    const t = tenants.find((x) => x.tenantId.toLowerCase() === id.toLowerCase());
    return t === undefined ? id : `${t.displayName} (${t.defaultDomain})`;
  };
  const lists = await Promise.all(subscriptions.map(async (s) => {
    const workspaces = await armPages<{ id: string; name: string; properties?: { customerId?: string } }>(api, `/subscriptions/${s.subscriptionId}/providers/Microsoft.OperationalInsights/workspaces?api-version=${ARM_API}`);
    const directoryId = (s.homeTenantId ?? s.tenantId).toLowerCase();
    return workspaces.map((w): ReachableWorkspace => ({
      id: w.id, name: w.name, customerId: (w.properties?.customerId ?? '').toLowerCase(), directoryId, directoryName: directoryName(directoryId), subscriptionName: s.displayName,
    }));
  }));
  return lists.flat();
}

/** The workspace ids (customerIds) to query, in the order given; names resolved, or a clear error. */
export async function resolveWorkspaces(api: Api, references: string[]): Promise<string[]> {
  if (references.length === 0) throw new CliError('Give at least one --workspace.', EXIT.usage);
  let reachable: ReachableWorkspace[] | undefined;
  const all = async () => (reachable ??= await reachableWorkspaces(api));
  const out: string[] = [];
  for (const reference of references) {
    const ref = reference.trim();
    let id: string;
    if (GUID.test(ref)) id = ref.toLowerCase();
    else if (ref.includes('/')) {
      const path = parseWorkspace(ref).toLowerCase();
      // A resource id goes to the server as it is when it is not in the lists (it says whether it may be queried).
      id = (await all()).find((w) => w.id.toLowerCase() === path)?.customerId || parseWorkspace(ref);
    } else {
      const matches = (await all()).filter((w) => w.name.toLowerCase() === ref.toLowerCase());
      if (matches.length === 0) {
        const names = [...new Set((await all()).map((w) => w.name))].sort();
        const shown = names.length === 0 ? 'none' : names.slice(0, 30).join(', ') + (names.length > 30 ? `, and ${names.length - 30} more` : '');
        throw new CliError(`--workspace ${ref}: no workspace of that name in the directories you reach (${shown}). Check the name, or give the workspace id or resource id.`, EXIT.usage);
      }
      if (matches.length > 1) {
        const list = matches.map((w) => `  ${w.name} in ${w.directoryName}, subscription ${w.subscriptionName}\n    id ${w.customerId}\n    ${w.id}`).join('\n');
        throw new CliError(`--workspace ${ref} is the name of ${matches.length} workspaces; give the id or resource id of the one you mean:\n${list}`, EXIT.usage);
      }
      id = matches[0]!.customerId;
    }
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

// ------------------------------------------------------------------ the query

async function runQuery(api: Api, targets: string[], query: string, timespan: string | undefined): Promise<{ answer: QueryAnswer; raw: string }> {
  const [home, ...others] = targets;
  const path = home!.startsWith('/') ? `/v1${home}/query` : `/v1/workspaces/${encodeURIComponent(home!)}/query`;
  const body: Record<string, unknown> = { query };
  if (timespan !== undefined) body.timespan = timespan;
  if (others.length > 0) body.workspaces = others;
  // On a terminal, how long the query has been running (cleared when the answer comes).
  const progress = new ProgressLine();
  const started = Date.now();
  const where = targets.length === 1 ? '1 workspace' : `${targets.length} workspaces`;
  const ticker = setInterval(() => progress.show(`query: running on ${where}… ${Math.round((Date.now() - started) / 1000)}s`, true), 1000);
  let res: Response;
  try {
    res = await fetch(`${api.base}${path}`, { method: 'POST', headers: { authorization: api.authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    clearInterval(ticker);
    progress.clear();
    throw new CliError(`The query could not be sent to ${api.base}${cause}.`, EXIT.refused);
  }
  let raw: string;
  try {
    raw = await res.text();
  } finally {
    clearInterval(ticker);
    progress.clear();
  }
  let answer: QueryAnswer;
  try {
    answer = parseExact(raw) as QueryAnswer;
  } catch {
    throw new CliError(`The server answered ${res.status} with something that is not JSON: ${raw.slice(0, 200)}`, EXIT.refused);
  }
  if (res.status === 200 && answer.tables !== undefined) return { answer, raw };
  throw queryRefusal(res.status, answer.error ?? {}, query);
}

/** The server's refusal: its code and message, and for a query error the line, column and a caret. */
export function queryRefusal(status: number, error: ApiErrorBody, query: string): CliError {
  const chain: ApiErrorBody[] = [];
  for (let e: ApiErrorBody | undefined = error; e !== undefined; e = e.innererror) chain.push(e);
  const codes = chain.map((e) => e.code).filter((c) => c !== undefined).join(' / ');
  const inner = chain[chain.length - 1]!;
  const kind = chain[1]?.code;
  const isQueryError = status === 400 && ['SyntaxError', 'SemanticError', 'UnsupportedError', 'EngineError', 'AmbiguousWorkspace'].includes(kind ?? '');
  let message = `the server refused the query (${status} ${codes}): ${error.message ?? 'no message'}`;
  const at = [...chain].reverse().find((e) => typeof e.line === 'number' && typeof e.pos === 'number');
  if (at !== undefined) {
    const line = query.split('\n')[at.line! - 1];
    if (line !== undefined) message += `\n${at.line}:${at.pos}: ${inner.code ?? ''} ${inner.message ?? ''}\n  ${line}\n  ${' '.repeat(Math.max(at.pos! - 1, 0))}^`;
  }
  if (inner.hint !== undefined) message += `\nhint: ${inner.hint}`;
  const exit = isQueryError ? EXIT.query : status === 400 || status === 401 ? EXIT.usage : EXIT.refused;
  return new CliError(message, exit);
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact (as strings of their digits): the API sends
 * longs with all their digits, and a table or CSV must not round them.
 */
export function parseExact(text: string): unknown {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') { out += text.slice(i, i + 2); i += 2; continue; }
      if (c === '"') inString = false;
      out += c;
      i++;
      continue;
    }
    if (c === '"') { inString = true; out += c; i++; continue; }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const token = m[0];
      out += /^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      i += token.length;
      continue;
    }
    out += c;
    i++;
  }
  return JSON.parse(out);
}

// ------------------------------------------------------------------ output

/** A value as text: null empty, objects as JSON, newlines kept (CSV) or shown as ⏎ (table). */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

/** Columns aligned, numbers to the right; columns narrowed (with …) to fit `width`, and dropped past it. */
export function formatTable(table: QueryTable, width: number): string {
  const columns = table.columns;
  if (columns.length === 0) return '';
  const text = table.rows.map((row) => columns.map((_c, i) => cell(row[i]).replace(/\r?\n/g, '⏎').replace(/\t/g, ' ')));
  const natural = columns.map((c, i) => Math.max(c.name.length, ...text.map((r) => r[i]!.length)));
  const widths = natural.map((w) => Math.min(w, 80));
  const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + 2 * (ws.length - 1);
  // Narrow the widest column one step at a time down to a floor, then drop columns from the right.
  // Times, numbers and ids are not cut (a cut one is wrong, not shorter); text gives way first.
  const whole = (i: number) => ['datetime', 'guid', 'bool', 'timespan', ...NUMERIC].includes(columns[i]!.type) && natural[i]! <= 36;
  const floor = (i: number) => (whole(i) ? natural[i]! : Math.min(natural[i]!, Math.max(6, Math.min(columns[i]!.name.length, 12))));
  while (total(widths) > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floor(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest] = Math.max(floor(widest), widths[widest]! - Math.max(1, Math.ceil((total(widths) - width) / 4)));
  }
  let shown = columns.length;
  while (shown > 1 && total(widths.slice(0, shown)) > width) shown--;
  const fit = (s: string, w: number, right: boolean) => {
    const t = s.length > w ? `${s.slice(0, Math.max(w - 1, 0))}…` : s;
    return right ? t.padStart(w) : t.padEnd(w);
  };
  const line = (values: string[], header: boolean) => values.slice(0, shown)
    .map((v, i) => fit(v, widths[i]!, !header && NUMERIC.has(columns[i]!.type)))
    .join('  ').trimEnd();
  const out = [line(columns.map((c) => c.name), true), widths.slice(0, shown).map((w) => '-'.repeat(w)).join('  '), ...text.map((r) => line(r, false))];
  if (shown < columns.length) out.push(`(${columns.length - shown} more column${columns.length - shown === 1 ? '' : 's'} not shown: ${columns.slice(shown).map((c) => c.name).join(', ')}; use --format csv or json)`);
  return `${out.join('\n')}\n`;
}

/** RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote, CR or LF. */
export function toCsv(table: QueryTable): string {
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [table.columns.map((c) => field(c.name)).join(','), ...table.rows.map((row) => table.columns.map((_c, i) => field(cell(row[i]))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
