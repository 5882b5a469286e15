// The analysed syntax tree as indented text (vigil kql explain --stage syntax).
import { kindOf, symbolKindOf, type KNode } from './kusto-runtime.ts';

export function printSyntax(root: KNode): string {
  const lines: string[] = [];
  const walk = (n: KNode, depth: number) => {
    if (n === null || n === undefined) return;
    const kind = kindOf(n);
    if (kind === 'List' && n.ChildCount === 0) return;
    let info = '';
    if (n.IsToken) info = ` ${JSON.stringify(n.Text)}`;
    else {
      const type = n.ResultType;
      if (type) info += ` : ${type.Display ?? type.Name}`;
      const symbol = n.ReferencedSymbol;
      if (symbol) info += ` -> ${symbolKindOf(symbol)} ${symbol.Name}`;
    }
    if (!(n.IsToken && (kind === 'EndOfTextToken'))) lines.push(`${'  '.repeat(depth)}${kind}${info}`);
    for (let i = 0; i < n.ChildCount; i++) walk(n.GetChild(i), depth + 1);
  };
  walk(root, 0);
  return lines.join('\n');
}
