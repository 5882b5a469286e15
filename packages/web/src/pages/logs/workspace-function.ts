// `workspace(name)` in the analyser's default global state, which monaco-kusto's worker starts
// every schema from (GlobalState.Default). Runs in the worker, after the language service loaded.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const Kusto: any;
declare const Bridge: any;

export function declareWorkspaceFunction(): void {
  const L = Kusto.Language;
  const S = L.Symbols;
  const workspace = new S.FunctionSymbol.$ctor2('workspace', S.ReturnTypeKind.Parameter0Database, [new S.Parameter.$ctor2('name', S.ScalarTypes.String)]);
  const defaults = L.GlobalState.Default;
  const functions = [...(Bridge.toArray(defaults.Functions) as unknown[]), workspace];
  // Default is a lazy static over this field (Bridge.NET's statics).
  L.GlobalState.s_default = defaults.WithFunctions(functions);
}
