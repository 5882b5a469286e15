// The corpus report as text: the figures, failures by code, the causes ranked by the rules they
// block, every failure, then one line of JSON (the last line) for scripts.
import type { CorpusReport, Failure } from './run.ts';

const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

export function summaryJson(r: CorpusReport): Record<string, unknown> {
  return {
    rules: r.rules, rules_compiled: r.rules_compiled, rules_executed: r.rules_executed,
    parsers: r.parsers, parsers_compiled: r.parsers_compiled, parsers_executed: r.parsers_executed,
    rules_compiled_share: r.rules === 0 ? 0 : +(r.rules_compiled / r.rules).toFixed(4),
    rules_executed_share: r.rules === 0 ? 0 : +(r.rules_executed / r.rules).toFixed(4),
    rules_imported: r.rules_imported, rules_scheduled: r.rules_scheduled,
    rules_scheduled_share: r.rules === 0 ? 0 : +(r.rules_scheduled / r.rules).toFixed(4),
    rules_not_scheduled_by_reason: countBy(r.scheduleFailures, (f) => f.reason),
    failures_by_code: r.failures_by_code,
    rule_failures_by_kind: countBy(r.failures.filter((f) => f.kind === 'rule'), (f) => `${f.stage}:${f.kindOfError}`),
    rules_blocked_by_missing_custom_schema: r.failures.filter((f) => f.kind === 'rule' && (f.rankedCause ?? f.cause).startsWith('needs custom table schema')).length,
    needs_custom_table_schema: r.needs_custom_table_schema,
    inferred_custom_tables: r.inferredTables.length,
    sampled_custom_tables_extended: r.extendedTables.length,
    rules_on_inferred_tables: r.rules_on_inferred_tables,
    rules_on_inferred_tables_compiled: r.rules_on_inferred_tables_compiled,
    rules_on_inferred_tables_executed: r.rules_on_inferred_tables_executed,
    sample_rows: r.sampleRows, sample_rows_rejected: r.sampleRejected,
    rule_compile_p50_ms: +median(r.ruleCompileMs).toFixed(2),
    elapsed_s: +(r.elapsedMs / 1000).toFixed(1),
  };
}

function where(f: Failure): string {
  return f.line !== undefined ? ` at ${f.line}:${f.column}` : '';
}

export function formatReport(r: CorpusReport): string {
  const out: string[] = [];
  out.push(`Sentinel corpus: rules and parsers compiled and executed on DuckDB over the sample data (${new Date().toISOString()}, ${process.version})`, '');
  out.push(`            total   compiled           executed`);
  out.push(`rules     ${String(r.rules).padStart(7)}   ${`${r.rules_compiled} (${pct(r.rules_compiled, r.rules)})`.padEnd(18)} ${r.rules_executed} (${pct(r.rules_executed, r.rules)})`);
  out.push(`parsers   ${String(r.parsers).padStart(7)}   ${`${r.parsers_compiled} (${pct(r.parsers_compiled, r.parsers)})`.padEnd(18)} ${r.parsers_executed} (${pct(r.parsers_executed, r.parsers)})`);
  out.push(`as Vigil rules: ${r.rules_imported} of ${r.rules} (${pct(r.rules_imported, r.rules)}) import from their YAML; ${r.rules_scheduled} (${pct(r.rules_scheduled, r.rules)}) also run over one window as scheduled and name only columns their query outputs`);
  out.push(`targets: rules 97% compile, 95% execute, 95% scheduled`);
  out.push(`externaldata: ${r.externalDataMirrored} http(s) addresses the queries read are mirrored as empty files in the run's external data directory (no feed content offline; the server reads an administrator's mirror, never the network)`);
  out.push(`of the rules, ${r.rules_on_inferred_tables} read a custom table whose schema is inferred from usage (no sample): ${r.rules_on_inferred_tables_compiled} compiled, ${r.rules_on_inferred_tables_executed} executed (on empty tables)`);
  out.push('');
  const loaded = r.sampleFiles.filter((f) => f.rows > 0).length;
  out.push(`sample data: ${r.sampleRows} rows from ${loaded} of ${r.sampleFiles.length} files (${r.sampleRejected} rows rejected)`);
  for (const f of r.sampleFiles) {
    if (f.problem !== undefined || f.rejected > 0) out.push(`  ${f.path} -> ${f.table}: ${f.rows} rows${f.rejected > 0 ? `, ${f.rejected} rejected (${f.examples[0]})` : ''}${f.problem !== undefined ? `; ${f.problem}` : ''}`);
  }
  if (r.caseClashes.length > 0) out.push(`  standard columns left out (another differs only in case; DuckDB folds case): ${r.caseClashes.join(', ')}`);
  out.push(`parser files not loaded: ${r.skippedParsers.length}`);
  for (const s of r.skippedParsers) out.push(`  ${s.path}: ${s.reason}`);
  out.push('');
  out.push('failures by code (rules and parsers):');
  for (const [code, n] of Object.entries(r.failures_by_code)) out.push(`  ${code.padEnd(24)} ${n}`);
  out.push('');
  out.push('causes, ranked by rules blocked (a rule failing inside a parser it calls counts under the parser\'s cause; only the first error of each query is known):');
  out.push('(using: failing rules whose text or called parsers use the construct at all, first error or not)');
  out.push('   rules parsers  using  cause  (example)');
  for (const c of r.causes) out.push(`  ${String(c.rules).padStart(6)} ${String(c.parsers).padStart(7)} ${String(c.using ?? '').padStart(6)}  ${c.cause}  (${c.example})`);
  if (Object.keys(r.needs_custom_table_schema).length > 0) {
    out.push('');
    out.push('rules that need a custom table schema (no sample holds the table): table -> rules');
    for (const [t, n] of Object.entries(r.needs_custom_table_schema)) out.push(`  ${t.padEnd(48)} ${n}`);
  }
  if (r.inferredTables.length > 0) {
    out.push('');
    out.push('custom tables with no sample, schema inferred from usage (the queries naming them, not data; created empty): table (queries that needed it): columns beyond the system ones');
    for (const t of r.inferredTables) out.push(`  ${t.name} (${t.queries}): ${t.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`);
  }
  if (r.extendedTables.length > 0) {
    out.push('');
    out.push('custom tables a sample holds, with columns its rows lack inferred from usage (null in those rows): table (queries that needed them): columns added');
    for (const t of r.extendedTables) out.push(`  ${t.name} (${t.queries}): ${t.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`);
  }
  out.push('');
  out.push('every failure:');
  for (const f of r.failures) {
    const who = f.kind === 'rule' ? `rule ${f.id} "${f.name}" (${f.path})` : `parser ${f.id} (${f.path})`;
    const extra = [f.via !== undefined ? `via parser ${f.via.join(', ')}` : '', f.missingTables !== undefined ? `no schema for ${f.missingTables.join(', ')}` : ''].filter((x) => x !== '').join('; ');
    out.push(`  ${who}: ${f.stage} ${f.kindOfError} ${f.code}${where(f)}: ${f.message.split('\n')[0]!.slice(0, 300)}${extra !== '' ? ` [${extra}]` : ''}`);
  }
  out.push('');
  out.push('rules not scheduled, by reason (import: the YAML; compile/execute: the query over one window; columns: checkRuleColumns):');
  for (const [reason, n] of Object.entries(countBy(r.scheduleFailures, (f) => f.reason))) out.push(`  ${String(n).padStart(4)}  ${reason}`);
  for (const f of r.scheduleFailures) out.push(`  rule ${f.id} "${f.name}" (${f.path}): ${f.stage}: ${f.message.slice(0, 400)}`);
  out.push('');
  out.push('slowest queries (compile + execute):');
  for (const s of r.slowest) out.push(`  ${s.ms.toFixed(0).padStart(6)} ms  ${s.what}${s.compileMs !== undefined ? ` (compile ${s.compileMs.toFixed(0)} ms${s.executeMs !== undefined ? `, execute ${s.executeMs.toFixed(0)} ms` : ''})` : ''}`);
  out.push('');
  out.push(JSON.stringify(summaryJson(r)));
  return out.join('\n');
}
