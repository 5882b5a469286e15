import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coerce, coerceValue, CoerceFailure, parseDatetime, parseTimespan } from './coerce.ts';

const value = (type: Parameters<typeof coerce>[0], v: unknown) => {
  const r = coerce(type, v);
  assert.ok(r.ok, `expected ${JSON.stringify(v)} to be a ${type}: ${r.ok ? '' : r.reason}`);
  return r.value;
};
const reason = (type: Parameters<typeof coerce>[0], v: unknown) => {
  const r = coerce(type, v);
  assert.ok(!r.ok, `expected ${JSON.stringify(v)} to be refused as ${type}`);
  return r.reason;
};

test('each type takes its natural JSON form and its text form', () => {
  assert.equal(value('int', 42), 42);
  assert.equal(value('int', ' -7 '), -7);
  assert.equal(value('long', '9007199254740993'), 9007199254740993n);
  assert.equal(value('real', '2.5'), 2.5);
  assert.equal(value('bool', 'TRUE'), true);
  assert.equal(value('bool', 0), false);
  assert.equal(value('datetime', '2024-05-01T10:00:00Z'), 1_714_557_600_000_000n);
  assert.equal(value('datetime', '2024-05-01T12:00:00+02:00'), 1_714_557_600_000_000n);
  assert.equal(value('datetime', '11/13/2020, 2:07:03.477 PM'), 1_605_276_423_477_000n);
  assert.equal(value('datetime', '2024-05-01 10:00:00.1234567'), 1_714_557_600_123_456n);
  assert.equal(value('dynamic', { a: [1, 2] }), '{"a":[1,2]}');
  assert.equal(value('dynamic', '{"a": 1}'), '{"a":1}');
  assert.equal(value('dynamic', 'plain'), '"plain"');
  assert.equal(value('guid', '6E2C1C4E-0F4B-4A31-9D2B-2A2C8D1F3B5E'), '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e');
  assert.equal(value('timespan', '1.02:03:04.5'), 937_845_000_000n);
  assert.equal(value('string', { x: 1 }), '{"x":1}');
  assert.equal(value('int', null), null);
  assert.equal(value('int', ''), null);
});

test('refusals say what was expected and what came', () => {
  assert.match(reason('int', 'four'), /expected an int .* got "four"/);
  assert.match(reason('int', 3_000_000_000), /out of the int range.*declare the column long/);
  assert.match(reason('datetime', '2024-02-30T00:00:00Z'), /expected a datetime/);
  assert.match(reason('datetime', '13/13/2020, 2:07:03 PM'), /expected a datetime/);
  assert.match(reason('bool', 'yes'), /expected a bool/);
  assert.match(reason('guid', 'not-a-guid'), /expected a guid/);
  assert.match(reason('timespan', '5 minutes'), /expected a timespan/);
  assert.ok(coerceValue('int', 'x') instanceof CoerceFailure);
});

test('the fast ISO path and the general parser agree on every canonical timestamp', () => {
  fc.assert(fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
    const iso = d.toISOString();
    const fast = coerceValue('datetime', iso);
    assert.equal(fast, parseDatetime(iso));
    assert.equal(fast, BigInt(d.getTime()) * 1000n);
  }));
});

test('timespans count 100-ns ticks, signed', () => {
  assert.equal(parseTimespan('-00:00:01'), -10_000_000n);
  assert.equal(parseTimespan(1.5), 15_000_000n);
});
