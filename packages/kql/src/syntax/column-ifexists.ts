// column_ifexists(name, default) is "a reference to the column if it exists, otherwise the
// default" (Kusto's documentation): where the column exists the call is the column, of the
// column's type. The analyser types every call as its default (ReturnTypeKind.Parameter1), so
// `column_ifexists("LocationDetails_dynamic", "")` over a union that made that dynamic column
// would be a string, and `.city` on it an error Kusto does not raise. Such a call is written as
// the column reference it is, and the query analysed again.
import { arrayOf, kindOf, kusto, listOf, type KNode } from './kusto-runtime.ts';
import { kqlTypeOf } from './symbols.ts';

const NAMES = new Set(['column_ifexists', 'columnifexists']);

function hasErrors(node: KNode): boolean {
  const { Kusto } = kusto();
  return arrayOf(node.GetContainedDiagnostics(Kusto.Language.Syntax.DiagnosticsInclude.Semantic | Kusto.Language.Syntax.DiagnosticsInclude.Syntactic)).some((d: KNode) => String(d.Severity) === 'Error');
}

/** Whether the text may hold a call (most queries do not: no walk needed). */
export const mayCallColumnIfExists = (text: string): boolean => /column_?ifexists/i.test(text);

/**
 * `text` with each call of the query's own text whose column exists in its row scope with another
 * type than the default's replaced by `['column']`, padded with spaces to the call's width so
 * that every position of the text stays where it was; undefined when there is none. Calls with
 * an error inside them are left as they are (the error stands). Function bodies are not this
 * text: their calls are lowered as the analyser typed them.
 */
export function columnIfExistsAsColumns(code: KNode, text: string): string | undefined {
  const replacements: { start: number; end: number; by: string }[] = [];
  code.Syntax.WalkElements((e: KNode) => {
    if (kindOf(e) !== 'FunctionCallExpression' || !NAMES.has(String(e.Name?.SimpleName ?? '').toLowerCase())) return;
    const [nameArg] = listOf(e.ArgumentList?.Expressions);
    const name = nameArg?.LiteralValue;
    if (typeof name !== 'string' || hasErrors(e)) return;
    const scope = code.GetColumnsInScope(e.TextStart);
    const columns = scope?.Columns;
    let column: KNode;
    for (let i = 0; i < (columns?.Count ?? 0); i++) {
      if (String(columns.getItem(i).Name) === name) column = columns.getItem(i);
    }
    if (column === undefined) return;
    const columnType = kqlTypeOf(column.Type);
    if (columnType === undefined || columnType === kqlTypeOf(e.ResultType)) return;
    const by = `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    if (by.length > e.Width) return;
    replacements.push({ start: e.TextStart, end: e.TextStart + e.Width, by: by.padEnd(e.Width, ' ') });
  });
  // A call inside another one replaced (in its default) goes with it.
  const outer = replacements.filter((r) => !replacements.some((o) => o !== r && o.start <= r.start && r.end <= o.end));
  if (outer.length === 0) return undefined;
  let out = text;
  for (const r of outer.sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.by + out.slice(r.end);
  return out;
}
