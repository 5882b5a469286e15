import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, refused, values } from '../../test/functions-harness.ts';

test('hashes of the value\'s text', async () => {
  assert.deepEqual(await values('hash_md5("World")', 'hash_md5(datetime(2020-01-01))', 'hash_sha1("World")', 'hash_sha256("World")'),
    ['f5a7924e621e84c9280a9a27e1bcb7f6', '786c530672d1f8db31fee25ea8a9390b', '70c07ec18ef89c5309bbb0937f3a6342411e1fdd', '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524']);
  assert.deepEqual(await overT('hash_md5(s)'), ['b10a8db164e0754105b7a99be72e3fe5', 'd41d8cd98f00b204e9800998ecf8427e'], 'null hashes as ""');
});

test('hash() is XXH64 of UTF-8 text, or of a long / datetime as 8 little-endian bytes', async () => {
  assert.deepEqual(await values('tostring(hash("World"))', 'tostring(hash(datetime(2015-01-01)))', 'tostring(hash(""))', 'tostring(hash("0123456789abcdef0123456789abcdefXYZ"))', 'tostring(hash(-1))'),
    ['1846988464401551951', '1380966698541616202', '-1205034819632174695', '7300170254878300353', '-8804195676797548855']);
  await refused('print hash("World", 100)', /modulo/);
  await refused('print hash(1.5)', /real/);
});
