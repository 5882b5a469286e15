import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactColumnName, storageNames } from './column-names.ts';

test('only columns of a case-clashing group get another stored name, and it gives the exact name back', () => {
  const renamed = storageNames(['TimeGenerated', 'clientIP_s', 'clientIp_s', 'Resource']);
  assert.deepEqual([...renamed], [['clientIP_s', 'clientIP_s~c0'], ['clientIp_s', 'clientIp_s~40']]);
  for (const [name, stored] of renamed) assert.equal(exactColumnName(stored), name);
  assert.notEqual(renamed.get('clientIP_s')!.toLowerCase(), renamed.get('clientIp_s')!.toLowerCase(), 'distinct once case is folded');
  assert.equal(exactColumnName('Resource'), 'Resource');
});

test('a stored name whose mark does not match its case reads as itself; a name with the mark is refused', () => {
  assert.equal(exactColumnName('user_s~1'), 'user_s~1', 'user_s has no upper-case letter: its mask is 0');
  assert.throws(() => storageNames(['a~0']), /reserves/);
});
