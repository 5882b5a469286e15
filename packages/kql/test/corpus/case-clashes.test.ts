import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldCaseClashes } from './case-clashes.ts';

const AZURE_DIAGNOSTICS = [
  { name: 'TimeGenerated', type: 'datetime' as const },
  { name: 'clientIP_s', type: 'string' as const },
  { name: 'clientIp_s', type: 'string' as const },
  { name: 'Category', type: 'string' as const },
];

test('of columns differing only in case, the one the queries name (with its case) is kept', () => {
  const { columns, leftOut } = foldCaseClashes(AZURE_DIAGNOSTICS, ['AzureDiagnostics | project clientIp_s, Category']);
  assert.deepEqual(columns.map((c) => c.name), ['TimeGenerated', 'clientIp_s', 'Category']);
  assert.deepEqual(leftOut, ['clientIP_s']);
});

test('the first is kept when the queries name none of them, or both; other columns are untouched', () => {
  for (const texts of [['AzureDiagnostics | take 1'], ['T | project clientIP_s', 'T | project clientIp_s'], ['T | project device_clientIp_s']]) {
    const { columns, leftOut } = foldCaseClashes(AZURE_DIAGNOSTICS, texts);
    assert.deepEqual(columns.map((c) => c.name), ['TimeGenerated', 'clientIP_s', 'Category']);
    assert.deepEqual(leftOut, ['clientIp_s']);
  }
});
