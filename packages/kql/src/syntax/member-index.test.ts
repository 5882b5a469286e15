// The map of a database's members answers every lookup as Kusto.Language's scan does: same
// symbols, same order; and names the map cannot promise that for keep the scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KqlError } from '../diagnostics.ts';
import type { WorkspaceDef } from '../types.ts';
import { analyze } from './analyze.ts';
import { arrayOf, kindOf, kusto, symbolKindOf, type KNode } from './kusto-runtime.ts';
import { indexMembers } from './member-index.ts';
import { databaseSymbol } from './symbols.ts';

const col = (name: string) => ({ name, type: 'string' as const });
const ws = (name: string, tables: string[], functions: WorkspaceDef['functions'] = []): WorkspaceDef => ({
  id: `0b0b0b0b-0000-4000-8000-${String(tables.length).padStart(12, '0')}`, name, resourceId: `/r/${name}`, tenantId: 't',
  tables: tables.map((t) => ({ name: t, stored: true, columns: [col('Computer'), col(`${t}Field`)] })), functions,
});

const home = ws('home', ['Syslog', 'SyslogArchive', 'syslog', 'SecurityEvent', 'Heartbeat'], [
  { name: 'Heartbeat', parameters: [], body: 'Syslog | take 1' },
  { name: 'Recent', parameters: [{ name: 'name', type: 'string' }], body: 'table(name) | take 5' },
  { name: 'AllSyslog', parameters: [], body: 'union Syslog* | take 5' },
]);

test('every lookup gives what the scan gives, in the same order', () => {
  const db = databaseSymbol(home, 'home');
  const S = kusto().Kusto.Language.Symbols;
  const scan = S.Symbol.prototype.GetMembers$1;
  assert.notEqual(db.GetMembers$1, scan, 'the map is installed');
  const names = [...arrayOf(db.Members).map((m: KNode) => String(m.Name)), 'SYSLOG', 'Nothing', '', 'Sys', null];
  const matches = [S.SymbolMatch.Any, S.SymbolMatch.Table, S.SymbolMatch.Function, S.SymbolMatch.Default, S.SymbolMatch.Column];
  const list = () => new (kusto().System.Collections.Generic.List$1(S.Symbol)).ctor();
  for (const name of names) {
    for (const match of matches) {
      for (const ignoreCase of [false, true]) {
        const viaMap = list();
        const viaScan = list();
        db.GetMembers$1(name, match, viaMap, ignoreCase);
        scan.call(db, name, match, viaScan, ignoreCase);
        const show = (l: KNode) => arrayOf(l).map((s: KNode) => `${symbolKindOf(s)} ${s.Name}`);
        assert.deepEqual(show(viaMap), show(viaScan), `${name} ${match} ${ignoreCase}`);
        arrayOf(viaMap).forEach((s: KNode, i: number) => assert.equal(s, viaScan.getItem(i)));
      }
    }
  }
});

test('a database with a name beyond printable ASCII keeps the scan', () => {
  const db = databaseSymbol(ws('other', ['Syslog', 'Événements']), 'other');
  assert.equal(db.GetMembers$1, kusto().Kusto.Language.Symbols.Symbol.prototype.GetMembers$1);
  assert.equal(indexMembers(db), false);
});

/** The names the analysed query refers to, as `kind name`. */
function referenced(text: string): string[] {
  const out: string[] = [];
  analyze(text, home, new Map()).code.Syntax.WalkElements((e: KNode) => {
    if (!e.IsToken && e.ReferencedSymbol && ['NameReference', 'FunctionCallExpression'].includes(kindOf(e))) out.push(`${symbolKindOf(e.ReferencedSymbol)} ${e.ReferencedSymbol.Name}`);
  });
  return out;
}

test('tables and functions resolve through the map, as they did through the scan', () => {
  assert.ok(referenced('Syslog | take 1').includes('Table Syslog'));
  assert.ok(referenced('syslog | take 1').includes('Table syslog'));
  // A function and a table of the same name: Kusto's order (the function) is kept.
  assert.ok(referenced('Heartbeat | take 1').includes('Function Heartbeat'));
  assert.ok(referenced('Recent("SecurityEvent") | take 1').includes('Function Recent'));
  const wildcard = analyze('union Syslog* | project-away Computer', home, new Map()).code;
  const columns = arrayOf(wildcard.Syntax.Statements.getItem(0).Element.Expression.ResultType.Columns).map((c: KNode) => String(c.Name));
  assert.deepEqual(columns, ['SyslogField', 'SyslogArchiveField']);
});

test('a table reached through a function body, table("...") or a wildcard union is typed', () => {
  const columnsOf = (text: string) => {
    const code = analyze(text, home, new Map()).code;
    const statements = arrayOf(code.Syntax.Statements);
    return arrayOf(statements.at(-1).Element.Expression.ResultType.Columns).map((c: KNode) => String(c.Name));
  };
  assert.deepEqual(columnsOf('Recent("SecurityEvent")'), ['Computer', 'SecurityEventField']);
  assert.deepEqual(columnsOf('table("Syslog") | take 1'), ['Computer', 'SyslogField']);
  assert.deepEqual(columnsOf('AllSyslog()'), ['Computer', 'SyslogField', 'SyslogArchiveField']);
});

test('an unknown table is the same error at the same place', () => {
  const text = 'Syslog | join (SysLog) on Computer';
  assert.throws(() => analyze(text, home, new Map()), (e: unknown) => {
    assert.ok(e instanceof KqlError);
    assert.equal(e.code, 'KS204');
    assert.equal(e.diagnostic.start, text.indexOf('SysLog'));
    assert.equal(e.diagnostic.length, 'SysLog'.length);
    assert.match(e.message, /SysLog/);
    return true;
  });
});
