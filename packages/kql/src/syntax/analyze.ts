// Stage 1: KQL text -> Kusto.Language's typed syntax tree, or a coded error with a position.
import { KqlError, type KqlDiagnostic } from '../diagnostics.ts';
import type { WorkspaceDef } from '../types.ts';
import { arrayOf, kindOf, kusto, listOf, type KNode } from './kusto-runtime.ts';
import { globalsFor, identity } from './symbols.ts';
import { withoutOverruled } from './overruled.ts';
import { columnIfExistsAsColumns, mayCallColumnIfExists } from './column-ifexists.ts';

export interface AnalyzedQuery {
  text: string;
  /** KustoCode: `Syntax` is the root QueryBlock, every node typed and bound. */
  code: KNode;
  /** The text inside each `workspace("...")` call -> the workspace it names. */
  workspaces: Map<string, WorkspaceDef>;
}

/** `workspace("...")` literals in the query text, found by parsing alone (no schema needed). */
export function workspaceReferences(text: string): { reference: string; start: number; length: number }[] {
  // A call's name is in the text as written (KQL names have no escapes), and parsing costs about
  // a sixth of a compile: most queries name no workspace.
  if (!/workspace/i.test(text)) return [];
  const { Kusto } = kusto();
  const parsed = Kusto.Language.KustoCode.Parse(text);
  const out: { reference: string; start: number; length: number }[] = [];
  parsed.Syntax.WalkElements((element: KNode) => {
    if (kindOf(element) !== 'FunctionCallExpression') return;
    const name = element.Name?.SimpleName as string | undefined;
    if (name === undefined || name.toLowerCase() !== 'workspace') return;
    const [arg] = listOf(element.ArgumentList?.Expressions);
    if (arg !== undefined && kindOf(arg) === 'StringLiteralExpression') {
      out.push({ reference: String(arg.LiteralValue), start: arg.TextStart, length: arg.Width });
    }
  });
  return out;
}

function diagnosticOf(d: KNode): KqlDiagnostic {
  return { code: String(d.Code), message: String(d.Message), start: d.Start as number, length: d.Length as number };
}

/**
 * Parses and analyses `text` against the home workspace and the workspaces it names.
 * Errors from the parser are `syntax`, from binding `semantic`; control commands are refused.
 */
export function analyze(text: string, home: WorkspaceDef, workspaces: Map<string, WorkspaceDef>): AnalyzedQuery {
  const globals = globalsFor(home, workspaces);
  const key = `${identity(globals)}\u0000${text}`;
  const cached = analyses.get(key);
  if (cached !== undefined) {
    // Most recently used last, so the oldest goes first when the cache is full.
    analyses.delete(key);
    analyses.set(key, cached);
    return { text: cached.text, code: cached.code, workspaces };
  }
  const { Kusto } = kusto();
  let analysed = text;
  let code = Kusto.Language.KustoCode.ParseAndAnalyze(text, globals);
  // column_ifexists of a column that exists is the column, of its type (see column-ifexists.ts);
  // each round may give later calls' columns their types, so a few rounds at most.
  for (let round = 0; round < MAX_COLUMN_ROUNDS && mayCallColumnIfExists(analysed); round++) {
    const rewritten = columnIfExistsAsColumns(code, analysed);
    if (rewritten === undefined) break;
    analysed = rewritten;
    code = Kusto.Language.KustoCode.ParseAndAnalyze(analysed, globals);
  }
  if (String(code.Kind) !== 'Query') {
    throw new KqlError('unsupported', {
      code: 'VQ002', message: 'Only queries can run here; control commands (starting with a dot) are not accepted.',
      start: 0, length: Math.min(text.length, 20), hint: 'Remove the command, or run it through the management API.',
    });
  }
  const isError = (d: KNode) => String(d.Severity) === 'Error';
  const syntax = arrayOf(code.GetSyntaxDiagnostics()).filter(isError).map(diagnosticOf);
  if (syntax.length > 0) throw new KqlError('syntax', syntax[0]!, syntax.slice(1));
  const semantic = withoutOverruled(arrayOf(code.GetDiagnostics()).filter(isError).map(diagnosticOf), code.Syntax);
  if (semantic.length > 0) throw new KqlError('semantic', semantic[0]!, semantic.slice(1));
  analyses.set(key, { text: analysed, code });
  if (analyses.size > MAX_ANALYSES) analyses.delete(analyses.keys().next().value!);
  return { text: analysed, code, workspaces };
}

const MAX_COLUMN_ROUNDS = 4;

/**
 * Analyses of accepted queries by text and global state (the schemas it was analysed against,
 * by identity): scheduled rules and dashboards send the same text again and again, and the
 * analyser is most of a compile. A changed schema is a new global state, so nothing stale is
 * reused. Analysed trees are never modified by the later stages.
 */
const analyses = new Map<string, { text: string; code: KNode }>();
const MAX_ANALYSES = 100;
