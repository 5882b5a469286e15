import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureEngine } from '../../../test/fixture-engine.ts';

test('ingestion_time() reads the row\'s _TimeReceived; refused where no row is in scope', async () => {
  const e = await FixtureEngine.create([{ id: '5e0c0de0-0000-4000-8000-00000000c0de', name: 'w', tenantId: 't',
    tables: [{ name: 'T', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: '_TimeReceived', type: 'datetime' }, { name: 'a', type: 'string' }],
      rows: [['2024-01-01T00:00:00Z', '2024-01-01T00:00:05Z', 'x']] }] }]);
  assert.deepEqual((await e.run('T | project a, i = ingestion_time()')).rows, [['x', '2024-01-01T00:00:05.000Z']]);
  await assert.rejects(e.run('print ingestion_time()'), /ingestion_time\(\) where no table row is in scope/);
  await assert.rejects(e.run('T | project a | extend i = ingestion_time()'), /_TimeReceived was projected away/);
});
