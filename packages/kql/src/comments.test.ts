import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutComments } from './comments.ts';

test('comments go, strings of every KQL form stay', () => {
  assert.equal(withoutComments('T // all rows\n| take 1'), 'T \n| take 1');
  assert.equal(withoutComments('print "a // b", \'c // d\' // e'), 'print "a // b", \'c // d\' ');
  assert.equal(withoutComments('print @"C:\\" // x\n'), 'print @"C:\\" \n', 'a verbatim string ends at its quote: the backslash escapes nothing');
  assert.equal(withoutComments('print @"say ""hi"" // no" // yes'), 'print @"say ""hi"" // no" ');
  assert.equal(withoutComments('print "a \\" // still inside" // out'), 'print "a \\" // still inside" ');
  assert.equal(withoutComments('print ```\n// kept\n``` // gone'), 'print ```\n// kept\n``` ');
  assert.equal(withoutComments('no comment here'), 'no comment here');
});
