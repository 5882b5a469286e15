// column_ifexists of an existing column of another type than its default becomes the column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KqlError } from '../diagnostics.ts';
import type { WorkspaceDef } from '../types.ts';
import { analyze } from './analyze.ts';

const home: WorkspaceDef = {
  id: '0a0a0a0a-0000-4000-8000-000000000003', name: 'home', resourceId: '/r/home', tenantId: 't',
  tables: [{ name: 'SigninLogs', stored: true, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'LocationDetails', type: 'dynamic' }, { name: 'ResultType', type: 'string' }] }],
  functions: [],
};

test('the call is analysed as the column, in a text of the same length', () => {
  const text = 'SigninLogs | extend L = column_ifexists("LocationDetails", "") | project City = tostring(L.city)';
  const { text: analysed } = analyze(text, home, new Map());
  assert.equal(analysed.length, text.length);
  assert.match(analysed, /extend L = \['LocationDetails'\] +\| project/);
});

test('a call of a missing column, or of one typed as the default, is left to the default', () => {
  for (const text of ['SigninLogs | extend L = column_ifexists("Nope", "")', 'SigninLogs | extend R = column_ifexists("ResultType", "")']) {
    assert.equal(analyze(text, home, new Map()).text, text);
  }
});

test('errors after the call are reported where the caller wrote them', () => {
  const text = 'SigninLogs | extend L = column_ifexists("LocationDetails", "") | where Nope == 1';
  assert.throws(() => analyze(text, home, new Map()), (e: unknown) => e instanceof KqlError && e.diagnostic.start === text.indexOf('Nope'));
});
