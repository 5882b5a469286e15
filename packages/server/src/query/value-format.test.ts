import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDatetime, formatRows, formatTimespan, formatValue, RawJson, toJson } from './value-format.ts';

test('each KQL type in Log Analytics\' wire form', () => {
  assert.equal(formatValue('datetime', new Date('2024-01-02T03:04:05.123Z')), '"2024-01-02T03:04:05.123Z"');
  assert.equal(formatValue('datetime', { micros: 1704164645123456n }), '"2024-01-02T03:04:05.123456Z"');
  assert.equal(formatValue('datetime', { micros: 1704164645123000n }), '"2024-01-02T03:04:05.123Z"');
  assert.equal(formatValue('datetime', { micros: -1n }), '"1969-12-31T23:59:59.999999Z"');
  assert.equal(formatValue('long', 17n), '17');
  assert.equal(formatValue('long', 9007199254740993n), '9007199254740993', 'beyond 2^53: exact digits');
  assert.equal(formatValue('long', -9223372036854775808n), '-9223372036854775808');
  assert.equal(formatValue('int', 4625), '4625');
  assert.equal(formatValue('real', 1.5), '1.5');
  assert.equal(formatValue('real', Number.NaN), '"NaN"');
  assert.equal(formatValue('real', -Infinity), '"-Infinity"');
  assert.equal(formatValue('bool', true), 'true');
  assert.equal(formatValue('bool', 0), 'false');
  assert.equal(formatValue('guid', '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e'), '"6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e"');
  assert.equal(formatValue('dynamic', '{"a":1}'), '"{\\"a\\":1}"', 'dynamic travels as a JSON string');
  assert.equal(formatValue('dynamic', { a: [1, 2n] }), '"{\\"a\\":[1,2]}"');
  assert.equal(formatValue('string', 'dc01'), '"dc01"');
  assert.equal(formatValue('string', 5), '"5"');
  assert.equal(formatValue('decimal', 12.34), '"12.34"');
  for (const type of ['datetime', 'long', 'int', 'real', 'bool', 'guid', 'dynamic', 'string', 'timespan', 'decimal'] as const) {
    assert.equal(formatValue(type, null), 'null', type);
  }
});

test('timespans print as [-][d.]hh:mm:ss[.fffffff] from 100-ns ticks', () => {
  assert.equal(formatTimespan(0n), '00:00:00');
  assert.equal(formatTimespan(300n * 10_000_000n), '00:05:00');
  assert.equal(formatTimespan(86_400n * 10_000_000n), '1.00:00:00');
  assert.equal(formatTimespan(-(90_061n * 10_000_000n + 5_000_000n)), '-1.01:01:01.5000000');
  assert.equal(formatTimespan(1n), '00:00:00.0000001');
  assert.equal(formatValue('timespan', 36_000_000_000n), '"01:00:00"');
  assert.equal(formatValue('timespan', { months: 0, days: 1, micros: 1n }), '"1.00:00:00.0000010"', 'an INTERVAL from the engine');
});

test('datetime text from the engine is normalised to UTC with Z', () => {
  assert.equal(formatDatetime('2024-05-01 10:00:00'), '2024-05-01T10:00:00.000Z');
  assert.equal(formatDatetime('2024-05-01T12:00:00+02:00'), '2024-05-01T10:00:00.000Z');
});

test('rows stop before the row or byte limit, and say which', () => {
  const columns = [{ name: 'n', type: 'long' as const }, { name: 's', type: 'string' as const }];
  const rows = Array.from({ length: 10 }, (_, i) => [BigInt(i), 'x'.repeat(10)]);
  const all = formatRows(columns, rows, { maxRows: 100, maxBytes: 1 << 20 });
  assert.equal(all.count, 10);
  assert.equal(all.truncated, undefined);
  assert.equal(all.bytes, Buffer.byteLength(all.json.text));
  assert.deepEqual(JSON.parse(all.json.text)[3], [3, 'xxxxxxxxxx']);
  const byRows = formatRows(columns, rows, { maxRows: 4, maxBytes: 1 << 20 });
  assert.deepEqual([byRows.count, byRows.truncated], [4, 'rows']);
  const byBytes = formatRows(columns, rows, { maxRows: 100, maxBytes: 60 });
  assert.equal(byBytes.truncated, 'bytes');
  assert.ok(byBytes.bytes <= 60 && byBytes.count === 3, `${byBytes.count} rows, ${byBytes.bytes} bytes`);
  assert.equal(byBytes.bytes, Buffer.byteLength(byBytes.json.text));
});

test('envelopes inline raw rows and write bigints as digits', () => {
  assert.equal(toJson({ a: new RawJson('[[1]]'), b: 2n, c: undefined, d: [null, 'x'] }), '{"a":[[1]],"b":2,"d":[null,"x"]}');
});
