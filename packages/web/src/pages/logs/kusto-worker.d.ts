// monaco-kusto's worker entry has no type declarations: it is imported for its effect only.
declare module '@kusto/monaco-kusto/release/esm/kusto.worker.js';
