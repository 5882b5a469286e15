// The runtime's list helpers with memoised names give what the runtime's own functions give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originals } from './bridge-lists.ts';
import { arrayOf, kusto, type KNode } from './kusto-runtime.ts';

test('getCount, getItem and getEnumerator answer as the runtime functions do, for every kind of list', () => {
  const { Kusto, System, Bridge } = kusto();
  assert.notEqual(System.Array.getCount, originals.getCount, 'replaced');
  const S = Kusto.Language.Symbols;
  const db = new S.DatabaseSymbol.$ctor2('d', null, [new S.TableSymbol.$ctor4('T', [new S.ColumnSymbol('a', S.ScalarTypes.String, null, null, null, null)])]);
  const symbols = new (System.Collections.Generic.List$1(S.Symbol)).ctor();
  for (const m of arrayOf(db.Members)) symbols.add(m);
  const numbers = new (System.Collections.Generic.List$1(System.Int32)).ctor();
  numbers.add(3);
  numbers.add(5);
  const set = new (System.Collections.Generic.HashSet$1(System.String)).ctor();
  set.add('x');
  const cases: [string, KNode, KNode][] = [
    ['array, no type', [1, 2, 3], undefined],
    ['array of symbols', arrayOf(db.Members), S.Symbol],
    ['typed array', new Int32Array([4, 5]), System.Int32],
    ['List<Symbol> as Symbol', symbols, S.Symbol],
    ['List<Symbol> as TableSymbol', symbols, S.TableSymbol],
    ['List<Symbol> untyped', symbols, undefined],
    ['List<int> as int', numbers, System.Int32],
    ['List<int> as long', numbers, System.Int64],
    ['read-only members', db.Members, S.Symbol],
    ['columns', db.Members.getItem(0).Columns, S.ColumnSymbol],
    ['HashSet<string>', set, System.String],
    ['object with Count', { Count: 2, get: (i: number) => `v${i}` }, System.String],
    ['object with nothing', {}, S.Symbol],
  ];
  const { getCount, getItem, getEnumerator } = originals as Required<typeof originals>;
  const enumerate = (e: KNode) => {
    const out: unknown[] = [];
    while (e.moveNext()) out.push(e.Current);
    return out;
  };
  /** A value, or the error it throws, to compare. */
  const outcome = (f: () => unknown) => {
    // Boxed numbers are new objects each time: compared by value and type.
    const plain = (v: KNode): unknown => (v?.$boxed ? { boxed: Bridge.unbox(v, true), type: v.type.$$alias } : Array.isArray(v) ? v.map(plain) : v);
    try {
      return { value: plain(f()) };
    } catch (e) {
      return { error: String(e).split('\n')[0] };
    }
  };
  for (const [what, list, T] of cases) {
    const count = getCount.call(System.Array, list, T);
    assert.equal(System.Array.getCount(list, T), count, `getCount ${what}`);
    for (let i = 0; i <= count; i++) {
      assert.deepEqual(outcome(() => System.Array.getItem(list, i, T)), outcome(() => getItem.call(System.Array, list, i, T)), `getItem ${what} ${i}`);
    }
    assert.deepEqual(outcome(() => enumerate(Bridge.getEnumerator(list, T))), outcome(() => enumerate(getEnumerator.call(Bridge, list, T))), `getEnumerator ${what}`);
  }
  assert.deepEqual(enumerate(Bridge.getEnumerator('ab')), enumerate(getEnumerator.call(Bridge, 'ab')));
  assert.throws(() => Bridge.getEnumerator(null, S.Symbol));
});
