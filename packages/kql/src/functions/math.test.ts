import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, values } from '../../test/functions-harness.ts';

test('rounding and basic functions', async () => {
  assert.deepEqual(await values('round(2.98765, 3)', 'round(2.15, 1)', 'round(-50.55, -2)', 'round(21.5, -1)', 'ceiling(-1.1)', 'abs(-5)', 'sign(-42)', 'sign(0)', 'pow(2, 10)', 'sqrt(-1)', 'log(0)', 'log10(1000)', 'log2(8)', 'gamma(5)', 'loggamma(5)'),
    [2.988, 2.2, -100, 20, -1, 5, -1, 0, 1024, null, null, 3, 3, 24, 3.1780538303479458]);
  assert.deepEqual(await overT('round(r)'), [3, null]);
});

test('bitwise functions and tohex (two\'s complement, 32 bits for int)', async () => {
  assert.deepEqual(await values('binary_and(12, 10)', 'binary_or(5, 3)', 'binary_xor(12, 10)', 'binary_not(0)', 'binary_shift_left(1, 4)', 'binary_shift_right(256, 4)', 'binary_shift_left(1, 64)', 'bitset_count_ones(42)'),
    [8, 7, 6, -1, 16, 16, null, 3]);
  assert.deepEqual(await values('tohex(256)', 'tohex(-546)', 'tohex(toint(-546))', 'tohex(546, 8)', 'tohex(4096, 2)'),
    ['100', 'fffffffffffffdde', 'fffffdde', '00000222', '1000']);
});

test('bin and bin_at for numbers, timespans and datetimes', async () => {
  assert.deepEqual(await values('bin(4.5, 1)', 'bin(-4.5, 1)', 'bin(7, 5)', 'bin(time(16d), 7d)', 'bin(datetime(1970-05-11 13:45:07), 1d)', 'bin(datetime(2024-03-05 10:00), 7d)', 'floor(datetime(2024-03-05 10:17), 15m)', 'bin(5, 0)'),
    [4, -5, 5, 14 * 864000000000, '1970-05-11T00:00:00.000Z', '2024-03-04T00:00:00.000Z', '2024-03-05T10:15:00.000Z', null]);
  assert.deepEqual(await values('bin_at(6.5, 2.5, 7)', 'bin_at(time(1h), 1d, 12h)', 'bin_at(datetime(2017-05-15 10:20:00), 1d, datetime(1970-01-01 12:00:00))', 'bin_at(datetime(2017-05-17 10:20:00), 7d, datetime(2017-06-04 00:00:00))'),
    [4.5, -12 * 36000000000, '2017-05-14T12:00:00.000Z', '2017-05-14T00:00:00.000Z']);
});
