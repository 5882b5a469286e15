// The analyser's diagnostics that Kusto's engine does not raise are dropped, and only those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KqlError } from '../diagnostics.ts';
import type { WorkspaceDef } from '../types.ts';
import { analyze } from './analyze.ts';

const home: WorkspaceDef = {
  id: '0a0a0a0a-0000-4000-8000-000000000002', name: 'home', resourceId: '/r/home', tenantId: 't',
  tables: [{ name: 'SigninLogs', stored: true, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'UserPrincipalName', type: 'string' }, { name: 'Status', type: 'dynamic' }] }],
  functions: [{ name: 'Statuses', parameters: [], body: 'SigninLogs | project s = todynamic(Status)' }],
};

const refusal = (text: string): string | undefined => {
  try {
    analyze(text, home, new Map());
    return undefined;
  } catch (e) {
    assert.ok(e instanceof KqlError);
    return `${e.code} ${text.slice(e.diagnostic.start, e.diagnostic.start + e.diagnostic.length)}`;
  }
};

test('todynamic and toobject of a dynamic value are accepted, as parse_json of one is (they are its aliases)', () => {
  assert.equal(refusal('let L = SigninLogs | summarize make_set(UserPrincipalName); print x = todynamic(toscalar(L))'), undefined);
  assert.equal(refusal('SigninLogs | extend a = todynamic(Status), b = toobject(Status), c = parse_json(Status)'), undefined);
  assert.equal(refusal('Statuses | take 1'), undefined);
});

test('todynamic of a value that is neither a string nor dynamic is still refused, as parse_json refuses it', () => {
  assert.equal(refusal('let N = SigninLogs | summarize count(); print x = todynamic(toscalar(N))'), 'KS107 toscalar(N)');
  assert.equal(refusal('print x = toobject(1)'), 'KS107 1');
});
