// Faster list access for the Bridge.NET runtime under Kusto.Language: the same functions, with
// the interface member names they look for built once per element type.
//
// Kusto.Language reads every .NET list through System.Array.getCount / getItem and walks it with
// Bridge.getEnumerator, and each call first builds the name of the generic interface member
// ("System$Collections$Generic$IList$1$" + the element type's alias + "$getItem") by string
// concatenation, then looks the object up by that fresh string. On the corpus rules those three
// helpers were about a tenth of a compile, most of it in that concatenation and lookup. The
// replacements below are the runtime's code (bridge.js of @kusto/language-service-next 12.4.1)
// with the name taken from a map per type; the order of the checks and every result are the same.
import type { KNode } from './kusto-runtime.ts';

interface Names {
  getCount: string;
  count: string;
  getItem: string;
  getEnumerator: string;
}

/** The runtime's own functions, before replacement (for the test that compares them). */
export const originals: { getCount?: KNode; getItem?: KNode; getEnumerator?: KNode } = {};

export function memoiseInterfaceNames(Bridge: KNode, System: KNode): void {
  if (originals.getCount !== undefined) return;
  const A = System.Array;
  originals.getCount = A.getCount;
  originals.getItem = A.getItem;
  originals.getEnumerator = Bridge.getEnumerator;

  const byType = new Map<unknown, Names>();
  const namesOf = (T: KNode): Names => {
    let names = byType.get(T);
    if (names === undefined) {
      const alias = Bridge.getTypeAlias(T) as string;
      names = {
        getCount: `System$Collections$Generic$ICollection$1$${alias}$getCount`,
        count: `System$Collections$Generic$ICollection$1$${alias}$Count`,
        getItem: `System$Collections$Generic$IList$1$${alias}$getItem`,
        getEnumerator: `System$Collections$Generic$IEnumerable$1$${alias}$GetEnumerator`,
      };
      byType.set(T, names);
    }
    return names;
  };

  A.getCount = function getCount(obj: KNode, T: KNode): number {
    let v: KNode;
    if (Bridge.isArray(obj)) return obj.length;
    if (T && Bridge.isFunction(obj[namesOf(T).getCount])) return obj[namesOf(T).getCount]();
    if (Bridge.isFunction(obj['System$Collections$ICollection$getCount'])) return obj['System$Collections$ICollection$getCount']();
    if (T && (v = obj[namesOf(T).count]) !== undefined) return v;
    if ((v = obj['System$Collections$ICollection$Count']) !== undefined) return v;
    if ((v = obj.Count) !== undefined) return v;
    if (Bridge.isFunction(obj.getCount)) return obj.getCount();
    return 0;
  };

  A.getItem = function getItem(obj: KNode, idx: number, T: KNode): KNode {
    let v: KNode;
    if (Bridge.isArray(obj)) {
      v = obj[idx];
      if (T) return v;
      return (obj.$type && (Bridge.isNumber(v) || Bridge.isBoolean(v) || Bridge.isDate(v))) ? Bridge.box(v, obj.$type.$elementType) : v;
    }
    if (T && Bridge.isFunction(obj[namesOf(T).getItem])) return obj[namesOf(T).getItem](idx);
    if (Bridge.isFunction(obj.get)) v = obj.get(idx);
    else if (Bridge.isFunction(obj.getItem)) v = obj.getItem(idx);
    else if (Bridge.isFunction(obj['System$Collections$IList$$getItem'])) v = obj['System$Collections$IList$$getItem'](idx);
    else if (Bridge.isFunction(obj.get_Item)) v = obj.get_Item(idx);
    return T && Bridge.getDefaultValue(T) != null ? Bridge.box(v, T) : v;
  };

  const getEnumerator = originals.getEnumerator;
  Bridge.getEnumerator = function (obj: KNode, fnName: KNode, T: KNode): KNode {
    // The common call, (list, T) with a list that has the generic member: found by the map.
    // Every other form goes to the runtime's function, which checks the same things in order.
    if (arguments.length === 2 && typeof obj === 'object' && obj !== null && Bridge.isFunction(fnName)) {
      const name = namesOf(fnName).getEnumerator;
      if (Bridge.isFunction(Bridge.getProperty(obj, name))) return obj[name]();
    }
    return getEnumerator.apply(this, arguments);
  };
}
