// Run by kql.bench.ts in a fresh process: how long until the compiler's first successful compile
// (Node and tsx start, the compiler's modules load, Kusto.Language loads, the workspace's symbols
// are built and the first query analysed). Prints one line of JSON; times in ms since the
// process started (performance.timeOrigin).
const atScript = performance.now();
const { compileQuery } = await import('../src/index.ts');
const { standardTables } = await import('../../server/src/logstore/schema.ts');
const { kusto } = await import('../src/syntax/kusto-runtime.ts');
const atImport = performance.now();
kusto();
const atKusto = performance.now();
const tables = [...standardTables().values()].map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })), stored: true }));
const home = { id: 'be11be11-0000-4000-8000-00000000b0b0', name: 'bench', resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/bench', tenantId: 't', tables, functions: [] };
const { globalsFor } = await import('../src/syntax/symbols.ts');
globalsFor(home, new Map());
const atSymbols = performance.now();
const compiled = await compileQuery('SecurityEvent | where TimeGenerated > ago(1h) and EventID == 4625 | summarize count() by Account', {
  home, resolveWorkspace: async () => undefined, catalogOf: (id: string) => `ws_${id.replace(/-/g, '')}`, now: new Date('2024-01-31T00:00:00Z'),
});
const atReady = performance.now();
if (compiled.sql.length === 0) process.exit(1);
console.log(JSON.stringify({ script_start_ms: atScript, imported_ms: atImport, kusto_loaded_ms: atKusto, symbols_ms: atSymbols, ready_ms: atReady }));
