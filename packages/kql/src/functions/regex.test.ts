import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fails, overT, refused, values } from '../../test/functions-harness.ts';
import { captureGroups } from './regex.ts';

test('capture groups are counted as RE2 sees them', () => {
  assert.equal(captureGroups('(a)(?:b)(c)').count, 2);
  assert.equal(captureGroups(String.raw`\(x\)[(]\Q(\E(y)`).count, 1, 'escaped, in a class, or quoted parentheses are not groups');
  assert.deepEqual([...captureGroups('(?P<first>a)(b)(?<third>c)').names], [['first', 1], ['third', 3]]);
});

test('extract: a group of the first match, "" without one', async () => {
  assert.deepEqual(await values('extract("User: ([^,]+)", 1, "User: James, Age: 29")', 'extract(@"Email: (\\S+),", 1, "User: David, Age: 35")', 'extract(@"\\d+", 0, "Age: 29")', 'extract("(a)|(b)", 2, "a")'),
    ['James', '', '29', '']);
  assert.deepEqual(await overT('extract("(W.)", 1, s)'), ['Wo', ''], 'a null source is ""');
  // A group the pattern lacks gives "" (null when typed), as a group that took no part.
  assert.deepEqual(await values('extract("(a)", 2, "a")', 'strlen(extract("(a)", 2, "a"))', 'isnull(extract("(a)", 2, "a", typeof(long)))'), ['', 0, true]);
  await fails('print extract("(a", 1, "a")');
});

test('extract_all: one group gives values, several give arrays, no match gives null', async () => {
  assert.deepEqual(await values(
    'extract_all(@"(\\d+)", "a set of numbers: 123, 567 and 789")',
    'extract_all(@"(\\w)(\\w+)(\\w)", "82b8be2d-dfa7")',
    'extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1, 3]), "82b8be2d-dfa7")',
    'extract_all(@"(?P<key>\\w)=(?P<value>\\d)", dynamic(["value"]), "a=1 b=2")',
    'extract_all(@"(\\d+)", "none")',
    'extract_all(@"(x)?(y)", "y")'),
  [['123', '567', '789'], [['8', '2b8be2', 'd'], ['d', 'fa', '7']], [['8', 'd'], ['d', '7']], ['1', '2'], null, [['', 'y']]]);
  await refused('print extract_all(@"(\\d)", dynamic([2]), "1")', /capture group 2/);
  await fails('T | project extract_all(s, "a")');
});

test('replace_regex rewrites with \\1 groups; trim removes runs of matches at the ends', async () => {
  assert.deepEqual(await values('replace_regex("a1b22", @"(\\d+)", @"<\\1>")', 'replace(@"(\\d)", @"<\\1>", "a1")', 'trim(@"[^\\w]+", "-  Te st1// $")', 'trim_start(@"\\s+", "  x  ")', 'trim_end("x", "axxx")', 'trim("", "abc")'),
    ['a<1>b<22>', 'a<1>', 'Te st1', 'x  ', 'a', 'abc']);
  assert.deepEqual(await overT('trim(" ", s)'), ['Hello World', '']);
});

test('indexof_regex is the position of the leftmost match', async () => {
  assert.deepEqual(await values('indexof_regex("ba a", @"\\ba")', 'indexof_regex("abc", "x")', 'indexof_regex("abc", "")'), [3, -1, 0]);
});
