import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';
import { KqlError } from '../../index.ts';

// Inside a saved function's body the analyser's errors do not fail the analysis (the body is
// bound per call): met while lowering, they are reported as the query's errors, at the call,
// not as something the compiler does not support.
test('analyser errors inside a function body are the query\'s errors', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'V', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'a', type: 'string' }], rows: [['2024-01-01T00:00:00Z', 'x']] }],
    functions: [
      { name: 'MissingKey', parameters: [], body: 'let L = datatable(proto_d:real, P:string)[6, "TCP"]; V | lookup L on proto_d' },
      { name: 'Present', parameters: [], body: 'let L = datatable(a:string, P:string)["x", "TCP"]; V | lookup L on a' },
      { name: 'BadOperands', parameters: [], body: 'V | extend d = toint((a - datetime(1970-01-01)) / 1s)' },
    ] }]);
  const semantic = (code: string, pattern: RegExp) => (x: unknown) => x instanceof KqlError && x.kind === 'semantic' && x.code === code && pattern.test(x.message);
  await assert.rejects(e.run('MissingKey'), semantic('KS145', /'proto_d' must exist on both sides.*\(in the body of MissingKey\)/));
  await assert.rejects(e.run('BadOperands'), semantic('KS106', /operator '-'.*\(in the body of BadOperands\)/));
  assert.deepEqual((await e.run('Present | project a, P')).rows, [['x', 'TCP']]);
});
