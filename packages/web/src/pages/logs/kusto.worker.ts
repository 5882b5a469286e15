// The Kusto language service's web worker (IntelliSense, the analyser's diagnostics), as
// @kusto/monaco-kusto's ESM build ships it, plus Log Analytics' `workspace("name")`, which
// Kusto.Language does not know: declared as the server's compiler declares it
// (packages/kql/src/syntax/symbols.ts), a function returning the database its argument names,
// so `workspace("ws-northwind").SecurityEvent` binds against that workspace's schema.
import './worker-globals.ts';
import '@kusto/monaco-kusto/release/esm/kusto.worker.js';
import { declareWorkspaceFunction } from './workspace-function.ts';

declareWorkspaceFunction();
