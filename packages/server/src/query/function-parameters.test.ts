import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.ts';
import { parseFunctionParameters } from './function-parameters.ts';

test('scalar, defaulted and tabular parameters', () => {
  assert.deepEqual(parseFunctionParameters('a:string, b:int = 5, T:(*)'), [
    { name: 'a', type: 'string' },
    { name: 'b', type: 'int', defaultValue: '5' },
    { name: 'T', type: { columns: '*' } },
  ]);
  assert.deepEqual(parseFunctionParameters('T:(Computer:string, EventID:int), since:timespan=1d, srcip:string="*", tags:dynamic = dynamic(["a,b", 2])'), [
    { name: 'T', type: { columns: [{ name: 'Computer', type: 'string' }, { name: 'EventID', type: 'int' }] } },
    { name: 'since', type: 'timespan', defaultValue: '1d' },
    { name: 'srcip', type: 'string', defaultValue: '"*"' },
    { name: 'tags', type: 'dynamic', defaultValue: 'dynamic(["a,b", 2])' },
  ]);
  assert.deepEqual(parseFunctionParameters("starttime:datetime=datetime(null), disabled:bool=False, path:string=@'C:\\'"), [
    { name: 'starttime', type: 'datetime', defaultValue: 'datetime(null)' },
    { name: 'disabled', type: 'bool', defaultValue: 'False' },
    { name: 'path', type: 'string', defaultValue: "@'C:\\'" },
  ]);
  assert.deepEqual(parseFunctionParameters('  '), []);
});

test('a list that does not parse is InvalidParameter naming properties.functionParameters and what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['a', /'a' has no type/],
    ['a:strin', /'strin' is not a type/],
    ['1a:string', /'1a' is not a parameter name/],
    ['a:string, a:int', /declared twice/],
    ['a:int =', /no default value/],
    ['T:(*) = x', /cannot have a default/],
    ['T:(x)', /'x' in the tabular parameter 'T' is not a column/],
    ['T:(*, x:string)', /mixes \*/],
    ['a:string = "open', /not closed/],
    ['a:dynamic = dynamic([1, 2)', /closes nothing|not closed/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseFunctionParameters(text), (e: unknown) => {
      assert.ok(e instanceof ApiError, text);
      assert.equal(e.code, 'InvalidParameter');
      assert.equal(e.target, 'properties.functionParameters');
      assert.match(e.message, why, text);
      return true;
    }, text);
  }
});
