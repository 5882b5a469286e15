import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, values } from '../../test/functions-harness.ts';

test('tostring prints as Kusto does', async () => {
  assert.deepEqual(await values('tostring(datetime(2020-01-01))', 'tostring(datetime(2020-01-01 01:02:03.4567))', 'tostring(1.5)', 'tostring(3.0)', 'tostring(1e20)', 'tostring(-1h)', 'tostring(time(1.02:03:04.5))', 'tostring(true)', 'tostring(dynamic([1,"a"]))', 'tostring(dynamic("a"))', 'tostring(guid(ae3133f2-6e22-49ae-b06a-16e6a9b212eb))'),
    ['2020-01-01T00:00:00.0000000Z', '2020-01-01T01:02:03.4567000Z', '1.5', '3', '1E+20', '-01:00:00', '1.02:03:04.5000000', 'true', '[1,"a"]', 'a', 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb']);
  assert.deepEqual(await overT('tostring(n)'), ['42', ''], 'null is ""');
});

test('tostring of a dynamic real prints as tostring(real); text that looks like a number stays as it is', async () => {
  // The text is read once and its type asked only when it could be a real's (sql/duckdb-text.ts).
  assert.deepEqual(await values('tostring(dynamic(1.0))', 'tostring(dynamic(1e20))', 'tostring(dynamic(-2.5e-7))', 'tostring(dynamic(12))', 'tostring(dynamic(-12))',
    'tostring(dynamic("1.0"))', 'tostring(dynamic("1e20"))', 'tostring(dynamic("NaN"))', 'tostring(dynamic("12"))', 'tostring(dynamic(null))'),
  ['1', '1E+20', '-2.5E-07', '12', '-12', '1.0', '1e20', 'NaN', '12', '']);
  assert.deepEqual(await values('tostring(parse_json(\'{"a": 1.0}\').a)',
    'tostring(parse_json(\'{"b": 1e400}\').b)', 'tostring(parse_json(\'{"c": nan}\').c)', 'tostring(parse_json(\'{"d": -INF}\').d)',
    'tostring(parse_json(\'{"e": 18446744073709551616}\').e)', 'tostring(parse_json(\'{"f": "1.50"}\').f)', 'tostring(parse_json(\'{"g": 18446744073709551615}\').g)'),
  ['1', 'Infinity', 'NaN', '-Infinity', '1.8446744073709552E+19', '1.50', '18446744073709551615']);
});

test('todatetime reads ISO 8601 and RFC 822/850, in UTC; anything else is null', async () => {
  assert.deepEqual(await values('todatetime("2014-05-25T08:20:03.123456Z")', 'todatetime("2014-05-25T08:20:03+02:00")', 'todatetime("2014-11-08 15:55")', 'todatetime("2014-11-08")', 'todatetime("Sat, 8 Nov 14 15:05:02 GMT")', 'todatetime("Saturday, 08-Nov-14 15:05:02 GMT")', 'todatetime("8 Nov 14 15:05")', 'todatetime("yesterday")', 'todatetime("")', 'tostring(todatetime("2014-05-25T08:20:03.1234567Z"))'),
    ['2014-05-25T08:20:03.123Z', '2014-05-25T06:20:03.000Z', '2014-11-08T15:55:00.000Z', '2014-11-08T00:00:00.000Z', '2014-11-08T15:05:02.000Z', '2014-11-08T15:05:02.000Z', '2014-11-08T15:05:00.000Z', null, null, '2014-05-25T08:20:03.1234560Z']);
});

test('todatetime also reads the sortable form with GMT and month/day/year', async () => {
  assert.deepEqual(await values('todatetime("2014-11-08 15:05:25 GMT")', 'todatetime("02/17/2016 08:40:01")', 'todatetime("2/7/2016 8:40 PM")', 'todatetime("2/7/2016")', 'todatetime("13/45/2016")'),
    ['2014-11-08T15:05:25.000Z', '2016-02-17T08:40:01.000Z', '2016-02-07T20:40:00.000Z', '2016-02-07T00:00:00.000Z', null]);
});

test('totimespan, tolong, todouble, tobool, toguid of text', async () => {
  assert.deepEqual(await values('totimespan("1.02:03:04.5")', 'totimespan("-00:00:01")', 'totimespan("1.5d")', 'totimespan("100ms")', 'totimespan("soon")', 'tolong("12.7")', 'tolong("-3")', 'tolong("0x10")', 'tolong("x")', 'toint("99999999999")', 'todouble("1e3")', 'todouble(" 2.5 ")', 'todouble("1,5")', 'tobool("TRUE")', 'tobool("1")', 'tobool("yes")', 'toguid("not a guid")'),
    [937845000000, -10000000, 1296000000000, 1000000, null, 12, -3, null, null, null, 1000, 2.5, null, true, true, null, null]);
});

test('dynamic values convert through their text', async () => {
  assert.deepEqual(await values('tolong(dynamic("12"))', 'tolong(dynamic(12.9))', 'tobool(dynamic(true))', 'todouble(dynamic(null))', 'todatetime(dynamic("2020-01-01"))', 'parse_json("not json")', 'parse_json("{\\"a\\":1}")', 'todynamic("[1,2]")', 'parsejson("3")'),
    [12, 12, true, null, '2020-01-01T00:00:00.000Z', 'not json', { a: 1 }, [1, 2], 3]);
});
