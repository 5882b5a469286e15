// What the compiler makes of every corpus rule and parser, as JSON lines, to show that a change
// meant to be invisible (a faster analyser set-up, say) is: same SQL, same columns, same errors
// with the same codes, positions and messages. Run it in the checkout before and after the change
// (git worktree or `git archive`), then compare the two files.
//
//   node --import tsx packages/kql/bench/compile-outputs.ts out.jsonl [--reverse]
//   node --import tsx packages/kql/bench/compile-outputs.ts --compare before.jsonl after.jsonl
//
// The workspace is the bench's (standard tables, the samples' custom tables, every parser as a
// function); `workspace("other")` resolves to a second one. Every rule, every parser called as
// `Alias(<required arguments>)` and as `print Result = Alias(...)`. --reverse compiles in the
// opposite order: the analyser keeps caches across queries, and no output may depend on order.
import { readFileSync, writeFileSync } from 'node:fs';
import { compileQuery, KqlError, type CompileEnv, type FunctionDef, type WorkspaceDef } from '../src/index.ts';
import { standardTables } from '../../server/src/logstore/schema.ts';
import { loadParsers } from '../test/corpus/parsers.ts';
import { loadRules } from '../test/corpus/rules.ts';
import { loadSamples } from '../test/corpus/samples.ts';
import { CORPUS_ROOT } from '../test/corpus/run.ts';

interface Line {
  id: string;
  text: string;
  out: unknown;
}

function compare(before: string, after: string): void {
  const read = (file: string) => new Map(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line).map((l) => [`${l.id}\u0000${l.text}`, l]));
  const a = read(before);
  const b = read(after);
  let differ = 0;
  for (const [key, line] of a) {
    const other = b.get(key);
    if (other !== undefined && JSON.stringify(other.out) === JSON.stringify(line.out)) continue;
    differ++;
    if (differ <= 10) console.log(`${line.id}\n  before ${JSON.stringify(line.out).slice(0, 300)}\n  after  ${JSON.stringify(other?.out).slice(0, 300)}`);
  }
  const missing = [...b.keys()].filter((k) => !a.has(k)).length;
  console.log(`${a.size} queries: ${a.size - differ} the same, ${differ} different, ${missing} only in ${after}`);
  process.exitCode = differ + missing > 0 ? 1 : 0;
}

/** `Alias(<required arguments>)`: required scalars get a typed null, tables an empty datatable. */
function callOf(name: string, def: FunctionDef): string {
  const args: string[] = [];
  for (const p of def.parameters) {
    if (p.defaultValue !== undefined) break;
    if (typeof p.type === 'string') args.push(p.type === 'string' ? "''" : p.type === 'dynamic' ? 'dynamic(null)' : `${p.type}(null)`);
    else {
      const cols = p.type.columns === '*' ? [{ name: 'TimeGenerated', type: 'datetime' }] : p.type.columns;
      args.push(`datatable(${cols.map((c) => `['${c.name}']:${c.type}`).join(', ')})[]`);
    }
  }
  return `${name}(${args.join(', ')})`;
}

async function dump(file: string, reverse: boolean): Promise<void> {
  const { parsers, functions } = loadParsers(`${CORPUS_ROOT}parsers`);
  const rules = loadRules(`${CORPUS_ROOT}rules.jsonl`);
  const samples = loadSamples(`${CORPUS_ROOT}sample-data`);
  const tables = [...standardTables().values()].map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })), stored: true }));
  for (const t of samples.tables.values()) {
    if (t.schema.kind === 'custom') tables.push({ name: t.schema.name, columns: t.schema.columns.map((c) => ({ name: c.name, type: c.type })), stored: true });
  }
  const home: WorkspaceDef = { id: 'c0c0c0c0-0000-4000-8000-000000000001', name: 'corpus', resourceId: '/r/corpus', tenantId: 't', tables, functions };
  const other: WorkspaceDef = { ...home, id: 'c0c0c0c0-0000-4000-8000-000000000002', name: 'other', functions: functions.slice(0, 50) };
  const env: CompileEnv = {
    home, catalogOf: (id) => `ws_${id.replace(/-/g, '')}`, now: new Date('2024-01-31T00:00:00Z'),
    resolveWorkspace: async (reference) => (reference === 'other' ? other : undefined),
    discover: async () => [],
  };
  const queries = [
    ...rules.map((r) => ({ id: `rule ${r.path}`, text: r.query })),
    ...parsers.map((p) => ({ id: `parser ${p.path}`, text: callOf(p.name, p.def) })),
    ...parsers.map((p) => ({ id: `print parser ${p.path}`, text: `print Result = ${callOf(p.name, p.def)}` })),
  ];
  if (reverse) queries.reverse();
  const lines: string[] = [];
  const t0 = performance.now();
  for (const q of queries) {
    let out: unknown;
    try {
      const c = await compileQuery(q.text, env);
      out = { sql: c.sql, columns: c.columns, workspaces: c.workspaces, render: c.render, warnings: c.warnings };
    } catch (e) {
      out = e instanceof KqlError ? { kind: e.kind, diagnostic: e.diagnostic, others: e.others } : { crash: String(e) };
    }
    lines.push(JSON.stringify({ id: q.id, text: q.text, out }));
  }
  writeFileSync(file, `${lines.sort().join('\n')}\n`);
  console.log(`${queries.length} queries in ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${file}`);
}

const args = process.argv.slice(2);
if (args[0] === '--compare' && args.length === 3) compare(args[1]!, args[2]!);
else if (args[0] !== undefined && !args[0].startsWith('--')) await dump(args[0], args.includes('--reverse'));
else {
  console.error('usage: compile-outputs.ts out.jsonl [--reverse] | --compare before.jsonl after.jsonl');
  process.exitCode = 2;
}
