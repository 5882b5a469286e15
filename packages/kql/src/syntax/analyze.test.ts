// The analyser's state across queries: one state per schema value, whose binding cache keeps
// the bound bodies of saved functions from one query to the next, and still answers per call
// site (a body that depends on its arguments is bound again for other values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KqlError } from '../diagnostics.ts';
import type { WorkspaceDef } from '../types.ts';
import { analyze, workspaceReferences } from './analyze.ts';
import { kindOf, type KNode } from './kusto-runtime.ts';
import { globalsFor } from './symbols.ts';

const home: WorkspaceDef = {
  id: '0a0a0a0a-0000-4000-8000-000000000001', name: 'home', resourceId: '/r/home', tenantId: 't',
  tables: [
    { name: 'SigninLogs', stored: true, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'UserPrincipalName', type: 'string' }] },
    { name: 'AuditLogs', stored: true, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'OperationName', type: 'string' }] },
  ],
  functions: [
    { name: 'Signins', parameters: [], body: 'SigninLogs | where isnotempty(UserPrincipalName)' },
    { name: 'Named', parameters: [{ name: 'tableName', type: 'string' }], body: 'table(tableName) | take 5' },
  ],
};

/** The expansion (bound body) of the first call of `name` in an analysed query. */
function expansionOf(code: KNode, name: string): KNode {
  let found: KNode;
  code.Syntax.WalkElements((e: KNode) => {
    if (found === undefined && kindOf(e) === 'FunctionCallExpression' && String(e.Name.SimpleName) === name) found = e.GetExpansion();
  });
  assert.ok(found, `no expansion of ${name}`);
  return found;
}

const columnsOf = (code: KNode): string[] => {
  const type = code.Syntax.Statements.getItem(code.Syntax.Statements.Count - 1).Element.Expression.ResultType;
  const out: string[] = [];
  for (let i = 0; i < type.Columns.Count; i++) out.push(String(type.Columns.getItem(i).Name));
  return out;
};

test('the state given to the analyser keeps its binding cache (it would otherwise derive a new one per call)', () => {
  const globals = globalsFor(home, new Map());
  assert.ok(globals.Cache, 'a cache');
  assert.equal(globals.ParseOptions.AlwaysProduceEndToken, true);
  assert.equal(analyze('SigninLogs | take 1', home, new Map()).code.Globals, globals);
});

test("a saved function's bound body serves the next query that calls it", () => {
  const first = analyze('Signins() | take 10', home, new Map());
  const second = analyze('Signins() | summarize count() by UserPrincipalName', home, new Map());
  assert.equal(expansionOf(second.code, 'Signins').Root, expansionOf(first.code, 'Signins').Root);
  assert.deepEqual(columnsOf(first.code), ['TimeGenerated', 'UserPrincipalName']);
});

test('a body reaching a table through table(argument) is bound per argument value', () => {
  const signins = analyze('Named("SigninLogs")', home, new Map());
  const audit = analyze('Named("AuditLogs") | project OperationName', home, new Map());
  const again = analyze('Named("SigninLogs") | project UserPrincipalName', home, new Map());
  assert.deepEqual(columnsOf(signins.code), ['TimeGenerated', 'UserPrincipalName']);
  assert.deepEqual(columnsOf(audit.code), ['OperationName']);
  assert.notEqual(expansionOf(audit.code, 'Named').Root, expansionOf(signins.code, 'Named').Root);
  assert.deepEqual(columnsOf(again.code), ['UserPrincipalName']);
});

test('an unknown name is still a semantic error at the name, after other queries filled the cache', () => {
  analyze('Signins() | take 1', home, new Map());
  const text = 'union SigninLogs, Sigins | take 1';
  assert.throws(() => analyze(text, home, new Map()), (e: unknown) => {
    assert.ok(e instanceof KqlError);
    assert.equal(e.kind, 'semantic');
    assert.equal(e.code, 'KS204');
    assert.deepEqual([e.diagnostic.start, e.diagnostic.length], [text.indexOf('Sigins'), 'Sigins'.length]);
    return true;
  });
});

test('workspace references are found whatever the case of the name; text without one needs no parse', () => {
  assert.deepEqual(workspaceReferences('WorkSpace ("other").SigninLogs | take 1').map((r) => r.reference), ['other']);
  assert.deepEqual(workspaceReferences('union SigninLogs, AuditLogs // no other workspace'), []);
  assert.deepEqual(workspaceReferences('print workspace = 1'), []);
});
