import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, values } from '../../test/functions-harness.ts';
import { duckdbJsonPath } from './json.ts';

test('bracket steps of JSONPath become quoted keys', () => {
  assert.equal(duckdbJsonPath(`$['a b'].c[0]["d"]`), '$."a b".c[0]."d"');
});

test('extract_json reads a JSONPath from text; "" when missing or not JSON', async () => {
  assert.deepEqual(await values('extract_json("$.a.b", "{\\"a\\":{\\"b\\":\\"x\\"}}")', 'extract_json("$[\'a\'].c", "{\\"a\\":{\\"c\\":[1,2]}}")', 'extractjson("$.n", "{\\"n\\":5}")', 'extract_json("$.a", "not json")', 'extract_json("$.z", "{}")'),
    ['x', '[1,2]', '5', '', '']);
  assert.deepEqual(await overT('extract_json("$.a", s)'), ['', '']);
});

test('parse_csv: quoted fields hold commas and doubled quotes', async () => {
  assert.deepEqual(await values('parse_csv("aaa,\\"b,\\"\\"bb\\"\\"\\",,ccc")', 'parse_csv("")', 'parse_csv("a,")'), [['aaa', 'b,"bb"', '', 'ccc'], [''], ['a', '']]);
});
