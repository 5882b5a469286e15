// Monaco with the KQL language of @kusto/monaco-kusto, loaded with the Logs page only (this
// module is imported dynamically by KqlEditor). Only the editor features the page uses are
// imported (not monaco-editor's every language and contribution), and two workers: monaco's own
// editor worker and the Kusto language service's (IntelliSense, the analyser's diagnostics).
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/browser/widget/codeEditorWidget.js';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hover.js';
import 'monaco-editor/esm/vs/editor/contrib/parameterHints/browser/parameterHints.js';
import 'monaco-editor/esm/vs/editor/contrib/semanticTokens/browser/documentSemanticTokens.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js';
import 'monaco-editor/esm/vs/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import { getKustoWorker, type EngineSchema } from '@kusto/monaco-kusto';

declare global {
  interface Window { MonacoEnvironment?: monaco.Environment }
}

self.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string) {
    return label === 'kusto'
      ? new Worker(new URL('./kusto.worker.ts', import.meta.url), { type: 'module', name: 'kusto' })
      : new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url), { type: 'module', name: 'editor' });
  },
};

export { monaco };

let shared: monaco.editor.ITextModel | undefined;

/**
 * The one KQL model of the page, kept when the page is left: monaco-kusto validates a model a
 * moment after each change and reads it again when its worker answers; a model disposed in between
 * makes it throw (getVersionId of null) on whatever page the user went to.
 */
export function kqlModel(initial: string): monaco.editor.ITextModel {
  if (shared === undefined || shared.isDisposed()) shared = monaco.editor.createModel(initial, 'kusto');
  else if (shared.getValue() !== initial) shared.setValue(initial);
  return shared;
}

/** Gives the schema to the Kusto worker of a model (IntelliSense and the analyser use it). */
export async function setKustoSchema(model: monaco.editor.ITextModel, schema: EngineSchema): Promise<void> {
  const accessor = await getKustoWorker();
  const worker = await accessor(model.uri);
  await worker.setSchema(schema);
}

/** The `| render` of the query at the end of the text, as the language service reads it. */
export async function renderInfoOf(model: monaco.editor.ITextModel) {
  const accessor = await getKustoWorker();
  const worker = await accessor(model.uri);
  return worker.getRenderInfo(model.uri.toString(), model.getValueLength());
}
