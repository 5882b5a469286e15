import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';
import { compileQuery, KqlError } from '../../index.ts';

// union isfuzzy=true leaves out an input that fails to resolve, with a warning (VQ050), when
// another input resolves: a name that is no table, or columns a bag_unpack/pivot output lacks.
async function engine(): Promise<FixtureEngine> {
  return FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [
      { name: 'T', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'd', type: 'dynamic' }], rows: [['2024-01-01T00:00:00Z', '{"a":1,"b":"x"}']] },
      { name: 'U', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'x', type: 'long' }], rows: [['2024-01-01T00:00:00Z', 5]] },
    ],
    functions: [
      { name: 'F', parameters: [], body: 'union isfuzzy=true (T | evaluate bag_unpack(d) | project zz), (U | project x), Missing' },
      { name: 'G', parameters: [], body: 'union isfuzzy=true (T | evaluate bag_unpack(d) | project zz), (T | evaluate bag_unpack(d) | project yy)' },
    ] }]);
}

test('union isfuzzy=true: inputs failing after a discovered schema are left out with a warning', async () => {
  const e = await engine();
  const env = e.env({ discover: (sql: string) => e.sql(sql) });
  const query = 'union isfuzzy=true (T | evaluate bag_unpack(d) | project zz), (U | project x)\n| extend y = x + 1';
  const compiled = await compileQuery(query, env);
  assert.deepEqual(compiled.columns.map((c) => c.name), ['x', 'y']);
  assert.deepEqual(await e.sql(compiled.sql), [[5n, 6n]]);
  // The warning's position is the input's in the text as written (the discovered schema was written after the call, then removed with the input).
  assert.equal(compiled.warnings?.length, 1);
  assert.equal(compiled.warnings[0]!.code, 'VQ050');
  assert.match(compiled.warnings[0]!.message, /'zz'/);
  assert.equal(query.slice(compiled.warnings[0]!.start, compiled.warnings[0]!.start + compiled.warnings[0]!.length), '(T | evaluate bag_unpack(d) | project zz)');

  // Piped input: it alone remains.
  assert.deepEqual((await e.run('U | union isfuzzy=true (T | evaluate bag_unpack(d) | project zz) | project x', { discover: env.discover! })).rows, [[5]]);
  // Inside a saved function (the analyser raises no error there): the same, the body named.
  const inF = await compileQuery('F', env);
  assert.deepEqual(await e.sql(inF.sql), [[5n]]);
  assert.deepEqual(inF.warnings?.map((w) => w.message).sort(), [
    "A union input was left out (isfuzzy=true): The name 'zz' does not refer to any known column, table, variable or function. (in the body of F)",
    "A union input was left out (isfuzzy=true): no table or function is named 'Missing' (in the body of F)",
  ]);
  // An unknown table whose input names columns (of unknown type, then) is left out too.
  const typed = await compileQuery('union isfuzzy=true (Missing | project x, w = 1), (U | project x)', env);
  assert.deepEqual(typed.columns, [{ name: 'x', type: 'long' }]);
  assert.deepEqual(typed.warnings?.map((w) => [w.code, w.start, w.length]), [['VQ050', 19, 28]]);
  // A query without such an input has no warnings.
  assert.equal((await compileQuery('union isfuzzy=true (T | evaluate bag_unpack(d) | project a), U', env)).warnings, undefined);
});

test('union isfuzzy=true: other failures stand, and so does a union none of whose inputs resolves', async () => {
  const e = await engine();
  const env = e.env({ discover: (sql: string) => e.sql(sql) });
  // Not after a data-dependent plugin: an error of the query, not hidden.
  await assert.rejects(compileQuery('union isfuzzy=true (T | project zz), (U | project x)', env), (x: unknown) => x instanceof KqlError && x.code === 'KS142');
  // Without isfuzzy: the error stands.
  await assert.rejects(compileQuery('union (T | evaluate bag_unpack(d) | project zz), (U | project x)', env), (x: unknown) => x instanceof KqlError && x.code === 'KS142');
  // Every input fails: Kusto's error.
  await assert.rejects(compileQuery('union isfuzzy=true (T | evaluate bag_unpack(d) | project zz)', env), (x: unknown) => x instanceof KqlError && x.code === 'KS142');
  await assert.rejects(compileQuery('G', env), (x: unknown) => x instanceof KqlError);
});
