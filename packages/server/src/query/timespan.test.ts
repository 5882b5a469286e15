import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.ts';
import { parseTimespan } from './timespan.ts';

const NOW = new Date('2024-05-10T12:00:00.000Z');
const iso = (text: string) => {
  const r = parseTimespan(text, NOW);
  return [r.start.toISOString(), r.end.toISOString()];
};

test('durations end now', () => {
  assert.deepEqual(iso('PT1H'), ['2024-05-10T11:00:00.000Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('P1D'), ['2024-05-09T12:00:00.000Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('P7DT12H'), ['2024-05-03T00:00:00.000Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('PT30M'), ['2024-05-10T11:30:00.000Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('PT0.5S'), ['2024-05-10T11:59:59.500Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('P2W'), ['2024-04-26T12:00:00.000Z', '2024-05-10T12:00:00.000Z']);
  assert.deepEqual(iso('P1M'), ['2024-04-10T12:00:00.000Z', '2024-05-10T12:00:00.000Z'], 'months by the calendar');
  assert.deepEqual(iso('p1y'), ['2023-05-10T12:00:00.000Z', '2024-05-10T12:00:00.000Z'], 'case-insensitive');
});

test('intervals as the SDKs send them', () => {
  assert.deepEqual(iso('2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z'), ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z']);
  assert.deepEqual(iso('2024-05-01T00:00:00.000Z/PT12H'), ['2024-05-01T00:00:00.000Z', '2024-05-01T12:00:00.000Z']);
  assert.deepEqual(iso('P1D/2024-05-02T00:00:00Z'), ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z']);
  assert.deepEqual(iso('2024-05-01/2024-05-02'), ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z'], 'dates alone are UTC midnight');
  assert.deepEqual(iso('2024-05-01T02:00:00+02:00/2024-05-01T01:00:00-01:00'), ['2024-05-01T00:00:00.000Z', '2024-05-01T02:00:00.000Z'], 'offsets');
  assert.deepEqual(iso('2024-05-01T00:00:00.1234567Z/PT1S'), ['2024-05-01T00:00:00.123Z', '2024-05-01T00:00:01.123Z']);
});

test('bad timespans are BadArgumentError naming the timespan', () => {
  for (const bad of ['', 'P', 'PT', '1H', 'P1H', 'PT1D', 'P1D/P2D', '2024-05-02/2024-05-01', '2024-02-30/P1D', 'yesterday', 'a/b/c', '2024-13-01/P1D']) {
    assert.throws(() => parseTimespan(bad, NOW), (e: unknown) => {
      assert.ok(e instanceof ApiError, bad);
      assert.equal(e.code, 'BadArgumentError');
      assert.equal(e.target, 'timespan');
      assert.ok(e.message.includes(`'${bad}'`), e.message);
      return true;
    }, bad);
  }
});
