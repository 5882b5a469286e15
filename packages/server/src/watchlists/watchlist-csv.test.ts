import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWatchlistContent } from './watchlist-csv.ts';
import { ApiError } from '../errors.ts';

const csv = (text: string, searchKey = 'User', numberOfLinesToSkip = 0, contentType = 'text/csv') =>
  parseWatchlistContent(text, { contentType, numberOfLinesToSkip, searchKey });

function problem(fn: () => unknown): ApiError {
  try { fn(); } catch (error) { if (error instanceof ApiError) return error; throw error; }
  assert.fail('expected an error');
}

test('columns and items with their lines: quotes, "" inside, line breaks inside quotes, CRLF, a BOM, blank lines, skipped lines', () => {
  const r = csv('\uFEFFVIP users export\r\nUser,Note\r\nalice,"gold, since 2020"\r\n\r\nbob,"said ""hi""\nand left"\ncarol,\n', 'User', 1);
  assert.deepEqual(r.columns, ['User', 'Note']);
  assert.deepEqual(r.items, [
    { line: 3, fields: { User: 'alice', Note: 'gold, since 2020' } },
    { line: 5, fields: { User: 'bob', Note: 'said "hi"\nand left' } },
    { line: 7, fields: { User: 'carol', Note: '' } },
  ]);
});

test('tab-separated text with text/tsv', () => {
  assert.deepEqual(csv('User\tTier\nalice\tgold\n', 'User', 0, 'text/tsv; charset=utf-8').items, [{ line: 2, fields: { User: 'alice', Tier: 'gold' } }]);
});

test('every ragged line is named with its number, and nothing comes out', () => {
  const e = problem(() => csv('User,Tier\nalice,gold\nbob\ncarol,x,y\ndave,silver\n'));
  assert.equal(e.target, 'properties.rawContent');
  assert.match(e.message, /2 problem\(s\)/);
  assert.match(e.message, /line 3: 1 field\(s\) where the header has 2 \(too few/);
  assert.match(e.message, /line 4: 3 field\(s\) where the header has 2 \(too many/);
  assert.deepEqual(e.details.map((d) => d.message.split(':')[0]), ['line 3', 'line 4']);
});

test('the search key column must be in the header (exactly), names unique and present', () => {
  assert.match(problem(() => csv('user,Tier\nalice,gold\n')).message, /line 1: the header has no column 'User'.*it has 'user'/);
  assert.match(problem(() => csv('User,,Tier,tier\na,b,c,d\n')).message, /column 2 of the header has no name.*'tier' appears twice/);
});

test('empty content, a header with no items, everything skipped, an unclosed quote, an unknown content type', () => {
  assert.match(problem(() => csv('  \n')).message, /rawContent is empty/);
  assert.match(problem(() => csv('User,Tier\n')).message, /no items after it/);
  assert.match(problem(() => csv('User\nalice\n', 'User', 5)).message, /no header line: all 5 line\(s\) were skipped/);
  assert.match(problem(() => csv('User,Tier\nalice,"gold\nbob,silver\n')).message, /not valid CSV at line \d+: a quoted value is never closed/);
  assert.equal(problem(() => csv('User\na\n', 'User', 0, 'application/json')).target, 'properties.contentType');
});

test('more than 20 problems: 20 in the message, all in details', () => {
  const e = problem(() => csv(`User,Tier\n${'x\n'.repeat(25)}`));
  assert.match(e.message, /25 problem\(s\).*and 5 more/);
  assert.equal(e.details.length, 25);
  assert.match(e.details[24]!.message, /^line 26:/);
});
