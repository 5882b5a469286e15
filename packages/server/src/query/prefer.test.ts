import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrefer } from './prefer.ts';

const LIMITS = { defaultSeconds: 180, maxSeconds: 600 };

test('what the SDKs send is understood and echoed', () => {
  assert.deepEqual(parsePrefer('wait=60,include-statistics=true,include-render=true', LIMITS),
    { waitSeconds: 60, includeStatistics: true, includeRender: true, applied: 'wait=60,include-statistics=true,include-render=true' });
  assert.deepEqual(parsePrefer(['wait=30', 'include-statistics=true'], LIMITS),
    { waitSeconds: 30, includeStatistics: true, includeRender: false, applied: 'wait=30,include-statistics=true' });
  assert.deepEqual(parsePrefer(undefined, LIMITS), { waitSeconds: 180, includeStatistics: false, includeRender: false, applied: undefined });
});

test('wait is capped by the configuration; unknown or malformed preferences are ignored', () => {
  assert.equal(parsePrefer('wait=3600', LIMITS).waitSeconds, 600);
  assert.equal(parsePrefer('wait=3600', LIMITS).applied, 'wait=600');
  assert.deepEqual(parsePrefer('wait=soon, respond-async, include-render=false, wait=0', LIMITS),
    { waitSeconds: 180, includeStatistics: false, includeRender: false, applied: undefined });
  assert.equal(parsePrefer(' Include-Statistics = "true" ', LIMITS).includeStatistics, true);
});
