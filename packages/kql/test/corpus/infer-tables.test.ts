// The custom-table inference on small queries, with the real analyser: which tables get declared,
// which columns they get and with which types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, type CompileEnv, type FunctionDef, type TableDef } from '../../src/index.ts';
import { declaredTable, inferCustomTables, sampledTable, typeByUse, type InferenceQuery, type InferredTable } from './infer-tables.ts';

const SIGNIN: TableDef = { name: 'SigninLogs', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'UserPrincipalName', type: 'string' }], stored: true };

function compiler(functions: FunctionDef[] = []) {
  return async (text: string, more: TableDef[]): Promise<void> => {
    const env: CompileEnv = {
      home: { id: 'w', name: 'w', resourceId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/w', tenantId: 't', tables: [SIGNIN, ...more], functions },
      resolveWorkspace: async () => undefined,
      catalogOf: (id) => `ws_${id}`,
      now: new Date('2024-05-01T00:00:00Z'),
    };
    await compileQuery(text, env);
  };
}

/** A query naming custom tables none of which a sample holds. */
function query(text: string, direct: string[], reached: string[] = []): InferenceQuery {
  return { who: 'q', text, missing: [...direct, ...reached], direct, reached };
}

/** The inferred columns of a table (beyond the given ones), as `name:type`. */
function added(t: InferredTable | undefined): string[] {
  return t === undefined ? [] : t.columns.slice(t.given).map((c) => `${c.name}:${c.type}`);
}

test('an unknown custom table is declared with the system columns, its unknown columns typed by suffix', async () => {
  const inferred = new Map<string, InferredTable>();
  await inferCustomTables([query("Foo_CL | where name_s == 'a' and n_d > 1 and ok_b | project at_t, id_g", ['Foo_CL'])], inferred, compiler());
  const foo = inferred.get('foo_cl');
  assert.deepEqual(added(foo), ['name_s:string', 'n_d:real', 'ok_b:bool', 'at_t:datetime', 'id_g:guid']);
  assert.ok(foo!.columns.some((c) => c.name === 'TimeGenerated'));
  assert.equal(foo!.sampled, false);
});

test('a fuzzy union none of whose tables exist declares them all', async () => {
  const inferred = new Map<string, InferredTable>();
  await inferCustomTables([query('union isfuzzy=true A_CL, B_CL | project x_s', ['A_CL', 'B_CL'])], inferred, compiler());
  assert.deepEqual([...inferred.keys()].sort(), ['a_cl', 'b_cl']);
  assert.deepEqual([...added(inferred.get('a_cl')), ...added(inferred.get('b_cl'))], ['x_s:string']);
});

test('a join key missing on one side, and a renamed column, become columns', async () => {
  const inferred = new Map<string, InferredTable>();
  const text = 'let Types = datatable(kind_d: real, Kind: string) [1, "one"];\nA_CL | lookup kind=leftouter Types on kind_d | project-rename Who = user_s';
  await inferCustomTables([query(text, ['A_CL'])], inferred, compiler());
  assert.deepEqual(added(inferred.get('a_cl')), ['kind_d:real', 'user_s:string']);
});

test('a column read from a parser\'s output goes to the table the parser reads', async () => {
  const inferred = new Map<string, InferredTable>();
  const parser: FunctionDef = { name: 'Snow', parameters: [], body: "Snow_CL | extend Vendor = 'x'" };
  await inferCustomTables([query("Snow | where QUERY_TYPE_s =~ 'SHOW'", [], ['Snow_CL'])], inferred, compiler([parser]));
  assert.deepEqual(added(inferred.get('snow_cl')), ['QUERY_TYPE_s:string']);
});

test('a name unknown in two tables goes to both', async () => {
  const inferred = new Map<string, InferredTable>();
  const text = 'A_CL | project Id = CorrelationId | join kind=inner (B_CL | project Id = CorrelationId) on Id';
  await inferCustomTables([query(text, ['A_CL', 'B_CL'])], inferred, compiler());
  assert.deepEqual(added(inferred.get('a_cl')), ['CorrelationId:string']);
  assert.deepEqual(added(inferred.get('b_cl')), ['CorrelationId:string']);
});

test('an unsuffixed column compared with a number is a number; one a function refuses as a string is retyped', async () => {
  const inferred = new Map<string, InferredTable>();
  await inferCustomTables([
    query('let highRisk = 3;\nA_CL | where Severity == highRisk', ['A_CL']),
    query('B_CL | summarize avg(Score)', ['B_CL']),
  ], inferred, compiler());
  assert.deepEqual(added(inferred.get('a_cl')), ['Severity:long']);
  assert.deepEqual(added(inferred.get('b_cl')), ['Score:long']);
});

test('a column a sample lacks is added to the sampled table, beside its columns', async () => {
  const inferred = new Map<string, InferredTable>([['s_cl', sampledTable('S_CL', [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'type_s', type: 'string' }])]]);
  const q: InferenceQuery = { who: 'q', text: "S_CL | where type_s == 'a' and actor_name_s == 'b'", missing: [], direct: ['S_CL'], reached: [] };
  await inferCustomTables([q], inferred, compiler());
  const s = inferred.get('s_cl')!;
  assert.equal(s.given, 2);
  assert.deepEqual(added(s), ['actor_name_s:string']);
  assert.deepEqual([...s.usedBy], ['q']);
});

test('standard tables are never given columns; unresolvable names are left alone', async () => {
  const inferred = new Map<string, InferredTable>();
  await inferCustomTables([
    { who: 'q1', text: 'SigninLogs | where IpAddress == "1.2.3.4"', missing: [], direct: [], reached: [] },
    query('let T = SigninLogs | where NotAColumn == 1; A_CL | join kind=inner T on UserPrincipalName', ['A_CL']),
  ], inferred, compiler());
  // NotAColumn was tried on A_CL and taken back out: it is SigninLogs' name, unknown there.
  assert.deepEqual([...inferred.keys()], ['a_cl']);
  assert.deepEqual(added(inferred.get('a_cl')), []);
});

test('wildcards and Log Analytics\' own column names are not inferred as fields', async () => {
  const inferred = new Map<string, InferredTable>();
  await inferCustomTables([query("A_CL | where _SubscriptionId == 'x' | project-away Url*", ['A_CL'])], inferred, compiler());
  assert.deepEqual(added(inferred.get('a_cl')), []);
});

test('typeByUse: a comparison with a number literal or a let bound to one', () => {
  assert.equal(typeByUse('let h = 3;\nT | where Severity == h', 'Severity'), 'long');
  assert.equal(typeByUse('T | where 2.5 <= Score', 'Score'), 'real');
  assert.equal(typeByUse('T | where Severity > 3d', 'Severity'), undefined);
  assert.equal(typeByUse('T | where x1 < Severity', 'Severity'), undefined);
  assert.equal(typeByUse('T | where Severity == "3"', 'Severity'), undefined);
  assert.equal(typeByUse('T | where e.Severity == 3', 'Severity'), undefined);
});

test('declaredTable and sampledTable say which columns are given', () => {
  const d = declaredTable('X_CL');
  assert.equal(d.given, d.columns.length);
  assert.equal(d.sampled, false);
  assert.deepEqual(added(d), []);
});

test('a name the query renames a column to is not a field, though reported unknown while the column was', async () => {
  // As Sentinel's NSG flow parser: the names project-rename makes are unknown until the columns
  // it renames exist; they are not the table's (a field of that name would clash: KS171).
  const inferred = new Map<string, InferredTable>();
  const text = 'A_CL | where isnotempty(FlowType_s) | project-rename EventEndTime = FlowEndTime_t, RuleName = NSGRule_s\n'
    + '| extend Duration = EventEndTime - datetime(1970-01-01), Rule = RuleName';
  await inferCustomTables([query(text, ['A_CL'])], inferred, compiler());
  assert.deepEqual(added(inferred.get('a_cl')), ['FlowType_s:string', 'FlowEndTime_t:datetime', 'NSGRule_s:string']);
});
