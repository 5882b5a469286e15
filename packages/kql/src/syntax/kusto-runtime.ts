// Loads Microsoft's Kusto.Language (a Bridge.NET build: not a module, it defines globals) once,
// and gives the rest of the compiler a small typed door into it. Everything .NET-shaped stays
// in syntax/: the plan never sees a Kusto object.
import { createRequire } from 'node:module';
import { memoiseInterfaceNames } from './bridge-lists.ts';

/**
 * A node, token or symbol of Kusto.Language. Its API is .NET's (PascalCase properties, `Count`
 * and `getItem` on lists, enums as numbers); we read it through the helpers below.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KNode = any;

interface KustoGlobals {
  Kusto: KNode;
  System: KNode;
  Bridge: KNode;
}

let runtime: KustoGlobals | undefined;

/** Kusto.Language's namespaces (loaded on first use: about 150 ms). */
export function kusto(): KustoGlobals {
  if (runtime !== undefined) return runtime;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const g = globalThis as unknown as KustoGlobals;
  memoiseInterfaceNames(g.Bridge, g.System);
  runtime = { Kusto: g.Kusto, System: g.System, Bridge: g.Bridge };
  return runtime;
}

/** A .NET enum value's name, cached per enum (names are looked up on every node visited). */
function enumNamer(enumOf: () => KNode): (value: number) => string {
  const names = new Map<number, string>();
  return (value) => {
    let name = names.get(value);
    if (name === undefined) {
      name = kusto().System.Enum.getName(enumOf(), value) as string;
      names.set(value, name);
    }
    return name;
  };
}

const syntaxKindName = enumNamer(() => kusto().Kusto.Language.Syntax.SyntaxKind);
const symbolKindName = enumNamer(() => kusto().Kusto.Language.Symbols.SymbolKind);

/** The SyntaxKind name of a node ("FilterOperator", "StringLiteralToken", ...). */
export function kindOf(node: KNode): string {
  return syntaxKindName(node.Kind as number);
}

/** The SymbolKind name of a symbol ("Column", "Table", "Function", "Variable", ...). */
export function symbolKindOf(symbol: KNode): string {
  return symbolKindName(symbol.Kind as number);
}

/** The elements of a SyntaxList of SeparatedElements (or of plain elements), in order. */
export function listOf(list: KNode): KNode[] {
  if (list === null || list === undefined) return [];
  const out: KNode[] = [];
  for (let i = 0; i < list.Count; i++) {
    const item = list.getItem(i);
    out.push(kindOf(item) === 'SeparatedElement' ? item.Element : item);
  }
  return out;
}

/** A .NET IReadOnlyList as an array. */
export function arrayOf(list: KNode): KNode[] {
  if (list === null || list === undefined) return [];
  const out: KNode[] = [];
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}

/** Where a node starts in the text it was parsed from, and its width. */
export function spanOf(node: KNode): { start: number; length: number } {
  if (node === null || node === undefined) return { start: 0, length: 0 };
  return { start: node.TextStart as number, length: node.Width as number };
}
