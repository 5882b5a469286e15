// Loads every family of the catalogue and answers the lowering stage's questions.
import './operators.ts';
import './string.ts';
import './regex.ts';
import './datetime.ts';
import './format.ts';
import './math.ts';
import './conversion.ts';
import './dynamic.ts';
import './url.ts';
import './json.ts';
import './units.ts';
import './xml.ts';
import './conditional.ts';
import './ip.ts';
import './hash.ts';
import './aggregates.ts';
import './percentiles.ts';
import './parse.ts';
import './schema.ts';
import './series.ts';
import './window.ts';
import { aggregateFunctionSpec, scalarFunction } from './registry.ts';

export { catalogue, scalarFunction, aggregateFunctionSpec } from './registry.ts';
export { windowFunction, windowFunctionNames } from './window.ts';

export function isScalarFunction(name: string): boolean {
  return scalarFunction(name) !== undefined;
}

/** The aggregate a name denotes in summarize (legacy aliases resolve to the canonical name). */
export function aggregateFunction(name: string): { name: string } | undefined {
  const spec = aggregateFunctionSpec(name);
  return spec === undefined ? undefined : { name: spec.name };
}
