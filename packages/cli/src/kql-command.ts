// `vigil kql explain`: prints a stage of the KQL compiler for a query, offline, against the
// standard table schemas (plus custom tables from a file), so that users can see what a query
// becomes and why a query is refused.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { analyzeQuery, KqlError, planQuery, printPlan, printSyntax, sqlOf, type CompileEnv, type TableDef, type WorkspaceDef } from '../../kql/src/index.ts';
import { catalogue } from '../../kql/src/functions/catalog.ts';
import { standardTables } from '../../server/src/logstore/schema.ts';
import { ConfigError } from '../../server/src/config.ts';

const STAGES = ['syntax', 'plan', 'sql'] as const;
type Stage = (typeof STAGES)[number];

/** Exit code of a query the compiler refuses (2 is bad usage, 1 an unexpected failure). */
export const EXIT_QUERY_ERROR = 4;

function offlineWorkspace(extraTablesFile?: string): WorkspaceDef {
  const tables: TableDef[] = [...standardTables().values()].map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })), stored: true }));
  if (extraTablesFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(extraTablesFile, 'utf8'));
    } catch (error) {
      throw new ConfigError(`Cannot read ${extraTablesFile} as JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new ConfigError(`${extraTablesFile} must hold an array of {name, columns: [{name, type}]}.`);
    for (const t of parsed as TableDef[]) tables.push({ name: t.name, columns: t.columns, stored: true });
  }
  return { id: '00000000-0000-0000-0000-000000000000', name: 'local', resourceId: '/local', tenantId: '00000000-0000-0000-0000-000000000000', tables, functions: [] };
}

/** The error with the query line and a caret under the position, as compilers print them. */
export function formatKqlError(error: KqlError, text: string): string {
  const { line, column } = error.position(text);
  const source = text.split('\n')[line - 1] ?? '';
  const caret = `${' '.repeat(Math.max(column - 1, 0))}${'^'.repeat(Math.max(Math.min(error.diagnostic.length, source.length - column + 1), 1))}`;
  const hint = error.diagnostic.hint !== undefined ? `\nhint: ${error.diagnostic.hint}` : '';
  return `${line}:${column}: ${error.code} ${error.message}\n  ${source}\n  ${caret}${hint}`;
}

export async function explain(text: string, stage: Stage, tablesFile?: string): Promise<string> {
  const home = offlineWorkspace(tablesFile);
  const env: CompileEnv = {
    home,
    resolveWorkspace: async (ref) => (ref === home.name || ref === home.id ? home : undefined),
    catalogOf: (id) => `ws_${id.replace(/-/g, '')}`,
  };
  const analyzed = await analyzeQuery(text, env);
  if (stage === 'syntax') return printSyntax(analyzed.code.Syntax);
  const { plan } = planQuery(analyzed, env);
  if (stage === 'plan') return printPlan(plan);
  return sqlOf(plan, env);
}

export function registerKqlCommand(program: Command): void {
  const kql = program.command('kql').description('Work with KQL queries offline.');
  kql
    .command('explain')
    .description('Print what the compiler makes of a query: the analysed syntax tree, the logical plan, or the SQL it runs.')
    .argument('<query>', 'the KQL query (use - to read it from standard input)')
    .option('--stage <stage>', `one of ${STAGES.join(', ')}`, 'sql')
    .option('--tables <file>', 'JSON file with custom tables: [{"name": "MyTable_CL", "columns": [{"name": "x", "type": "string"}]}]')
    .action(async (query: string, options: { stage: string; tables?: string }) => {
      if (!STAGES.includes(options.stage as Stage)) throw new ConfigError(`--stage ${options.stage} is not one of ${STAGES.join(', ')}.`);
      const text = query === '-' ? readFileSync(0, 'utf8') : query;
      try {
        process.stdout.write(`${await explain(text, options.stage as Stage, options.tables)}\n`);
      } catch (error) {
        if (!(error instanceof KqlError)) throw error;
        process.stderr.write(`vigil: the query is not accepted (${error.kind})\n${formatKqlError(error, text)}\n`);
        process.exit(EXIT_QUERY_ERROR);
      }
    });
  kql
    .command('functions')
    .description('List the scalar functions, operators and aggregates the compiler implements (anything else is refused with a coded error).')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => {
      const { scalars, aggregates } = catalogue();
      const operators = scalars.filter((n) => n.startsWith('op:')).map((n) => n.slice(3));
      const functions = scalars.filter((n) => !n.startsWith('op:') && !n.startsWith('__') && n !== 'convert' && !n.startsWith('dyn_'));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ operators, functions, aggregates })}\n`);
        return;
      }
      process.stdout.write(`Operators (${operators.length}): ${operators.join(' ')}\n\nScalar functions (${functions.length}):\n${functions.join(' ')}\n\nAggregates (${aggregates.length}):\n${aggregates.join(' ')}\n`);
    });
}
