// The KQL editor: Monaco with @kusto/monaco-kusto, loaded on first use (its own chunks, with
// the Kusto worker). Shift+Enter runs the query; IntelliSense and squiggles come from the
// language service in the worker, given the workspaces' schema.
import { useEffect, useRef, useState } from 'react';
import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import type { EngineSchema } from '@kusto/monaco-kusto';
import type * as Monaco from 'monaco-editor/esm/vs/editor/editor.api.js';

type MonacoKql = typeof import('./monaco-kql.ts');

/** The owner of the markers of the server's errors (monaco-kusto's analyser has its own). */
const SERVER_MARKERS = 'vigil-query-api';

const useStyles = makeStyles({
  frame: {
    height: '220px', border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1, overflow: 'hidden', position: 'relative',
  },
  loading: { position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' },
});

export interface KqlEditorHandle {
  value(): string;
  setValue(text: string): void;
  focus(): void;
  /** Puts the cursor at a 1-based line and column (a server error's position) and focuses the editor. */
  goTo(line: number, column: number): void;
  /** Underlines the server's error at a 1-based line and column until the text changes. */
  markError(line: number, column: number, message: string): void;
}

export function KqlEditor({ initial, schema, onRun, onReady, label }: {
  initial: string;
  schema: EngineSchema | undefined;
  onRun: () => void;
  onReady: (handle: KqlEditorHandle) => void;
  label: string;
}) {
  const styles = useStyles();
  const host = useRef<HTMLDivElement>(null);
  const [mod, setMod] = useState<MonacoKql>();
  const [failed, setFailed] = useState<unknown>();
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor>(undefined);
  const runRef = useRef(onRun);
  runRef.current = onRun;

  useEffect(() => {
    let live = true;
    import('./monaco-kql.ts').then((m) => { if (live) setMod(m); }, (e: unknown) => { if (live) setFailed(e); });
    return () => { live = false; };
  }, []);

  useEffect(() => {
    if (mod === undefined || host.current === null) return;
    const { monaco } = mod;
    const model = mod.kqlModel(initial);
    const editor = monaco.editor.create(host.current, {
      model, theme: 'kusto-light', automaticLayout: true, minimap: { enabled: false }, fontSize: 14, scrollBeyondLastLine: false,
      ariaLabel: label, tabFocusMode: true, fixedOverflowWidgets: true, wordWrap: 'on', lineNumbersMinChars: 3,
    });
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => runRef.current());
    editorRef.current = editor;
    onReady({
      value: () => model.getValue(),
      setValue: (t) => { model.setValue(t); editor.focus(); },
      focus: () => editor.focus(),
      goTo: (line, column) => {
        editor.setPosition({ lineNumber: line, column });
        editor.revealPositionInCenter({ lineNumber: line, column });
        editor.focus();
      },
      markError: (line, column, message) => {
        const word = model.getWordAtPosition({ lineNumber: line, column });
        monaco.editor.setModelMarkers(model, SERVER_MARKERS, [{
          severity: monaco.MarkerSeverity.Error, message, source: 'server',
          startLineNumber: line, startColumn: word?.startColumn ?? column, endLineNumber: line, endColumn: word?.endColumn ?? column + 1,
        }]);
      },
    });
    const clearServerMarkers = model.onDidChangeContent(() => monaco.editor.setModelMarkers(model, SERVER_MARKERS, []));
    // The model stays (kqlModel): only the editor goes with the page.
    return () => { clearServerMarkers.dispose(); monaco.editor.setModelMarkers(model, SERVER_MARKERS, []); editor.dispose(); editorRef.current = undefined; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mod]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (mod === undefined || model === null || model === undefined || schema === undefined) return;
    void mod.setKustoSchema(model, schema);
  }, [mod, schema]);

  return (
    <div className={styles.frame}>
      <div ref={host} style={{ height: '100%' }} data-testid="kql-editor" />
      {mod === undefined && failed === undefined ? <div className={styles.loading}><Spinner size="small" label="Loading the KQL editor…" /></div> : null}
      {failed !== undefined ? <div className={styles.loading} role="alert">The KQL editor could not be loaded: {String((failed as Error).message ?? failed)}. Reload the page to try again.</div> : null}
    </div>
  );
}
