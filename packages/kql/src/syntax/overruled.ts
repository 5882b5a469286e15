// Diagnostics of the analyser that Kusto's engine does not raise: the analyser declares a few
// functions narrower than the engine runs them. Each entry says where the engine's behaviour
// is documented; everything else the analyser reports stands.
import type { KqlDiagnostic } from '../diagnostics.ts';
import { kindOf, listOf, spanOf, type KNode } from './kusto-runtime.ts';
import { kqlTypeOf } from './symbols.ts';

/**
 * todynamic() and toobject() are deprecated aliases of parse_json() (Kusto's documentation of
 * parse_json), which takes a string or a dynamic value and uses a dynamic one as it is; the
 * analyser declares parse_json so, but the aliases with a string parameter only (KS107 "A value
 * of type string expected" on `todynamic(toscalar(T))`, a common Sentinel idiom). Only a
 * dynamic argument is let through: any other type is refused as parse_json refuses it.
 */
const PARSE_JSON_ALIASES = new Set(['todynamic', 'toobject']);

/** The spans of the arguments the analyser refuses and the engine accepts, inside `root`. */
function acceptedArguments(root: KNode): Set<string> {
  const spans = new Set<string>();
  root.WalkElements((e: KNode) => {
    if (kindOf(e) !== 'FunctionCallExpression') return;
    const name = String(e.Name?.SimpleName ?? '').toLowerCase();
    if (!PARSE_JSON_ALIASES.has(name)) return;
    const args = listOf(e.ArgumentList?.Expressions);
    if (args.length !== 1 || kqlTypeOf(args[0].ResultType) !== 'dynamic') return;
    const { start, length } = spanOf(args[0]);
    spans.add(`${start}+${length}`);
  });
  return spans;
}

/** `diagnostics` of the tree `root` without those the engine would not raise. */
export function withoutOverruled(diagnostics: KqlDiagnostic[], root: KNode): KqlDiagnostic[] {
  if (!diagnostics.some((d) => d.code === 'KS107')) return diagnostics;
  const accepted = acceptedArguments(root);
  return diagnostics.filter((d) => !(d.code === 'KS107' && accepted.has(`${d.start}+${d.length}`)));
}
