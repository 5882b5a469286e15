// A small harness for the function catalogue's tests: KQL expressions evaluated end to end
// (analyser, plan, SQL, DuckDB) on an engine with one table T of a few typed rows.
import assert from 'node:assert/strict';
import { KqlError } from '../src/index.ts';
import { FixtureEngine } from './fixture-engine.ts';

let engine: Promise<FixtureEngine> | undefined;

/** T(s:string, n:long, r:real, t:datetime, d:dynamic, b:bool): row 1 has values, row 2 nulls. */
export function functionsEngine(): Promise<FixtureEngine> {
  engine ??= FixtureEngine.create([{
    id: '00000000-0000-0000-0000-0000000000f1', name: 'functions', tenantId: '00000000-0000-0000-0000-000000000001',
    tables: [{
      name: 'T',
      columns: [{ name: 's', type: 'string' }, { name: 'n', type: 'long' }, { name: 'r', type: 'real' }, { name: 't', type: 'datetime' }, { name: 'd', type: 'dynamic' }, { name: 'b', type: 'bool' }],
      rows: [
        ['Hello World', 42, 2.5, '2024-02-29 13:14:15.123456', { a: 1, list: [3, 1, 2] }, true],
        [null, null, null, null, null, null],
      ],
    }],
  }]);
  return engine;
}

/** The values of `print` of each expression, in order. */
export async function values(...expressions: string[]): Promise<unknown[]> {
  const e = await functionsEngine();
  const result = await e.run(`print ${expressions.map((x, i) => `c${i} = ${x}`).join(', ')}`);
  return result.rows[0]!;
}

/** The value of one expression. */
export async function value(expression: string): Promise<unknown> {
  return (await values(expression))[0];
}

/** Each expression's value per row of T (row 1 has values, row 2 nulls). */
export async function overT(expression: string): Promise<unknown[]> {
  const e = await functionsEngine();
  const result = await e.run(`T | project v = ${expression}`);
  return result.rows.map((r) => r[0]);
}

/** The rows of a whole query. */
export async function rows(kql: string): Promise<unknown[][]> {
  return (await (await functionsEngine()).run(kql)).rows;
}

/** The query is refused with Vigil's "unsupported" code (never run with another meaning). */
export async function refused(kql: string, pattern?: RegExp): Promise<void> {
  await assert.rejects((await functionsEngine()).run(kql), (e: unknown) => {
    assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
    assert.equal(e.code, 'VQ001');
    if (pattern !== undefined) assert.match(e.message, pattern);
    return true;
  });
}

/** The query fails (a semantic error, or the engine's error for a bad regex): it never returns rows. */
export async function fails(kql: string): Promise<void> {
  await assert.rejects((await functionsEngine()).run(kql));
}
