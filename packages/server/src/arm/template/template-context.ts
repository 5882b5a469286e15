// The evaluation context of one template: its deployment scope plus its
// parameters and variables, each evaluated lazily (on first use) with cycle
// detection.

import { isPlainObject } from './arm-values.ts';
import type { CallSite, EvalContext, ExpressionScope } from './eval-context.ts';
import { evaluateJson } from './evaluate-json.ts';
import { childPath } from './json-path.ts';
import { checkParameterValue, type ByName, type ParameterDeclaration, type SuppliedParameter } from './parameters.ts';
import { TemplateError } from './template-error.ts';

interface Slot {
  name: string;
  label: string;
  path: string;
  state: 'pending' | 'evaluating' | 'done';
  value?: unknown;
  compute: () => unknown;
}

export interface ParameterSource {
  supplied: ByName<SuppliedParameter>;
  /** Where supplied entries live, e.g. "parameters" or "resources[1].properties.parameters". */
  basePath: string;
  /** Tells the user where to put a missing value, e.g. "the parameters file". */
  where: string;
}

export interface TemplateContextInit {
  scope: ExpressionScope;
  declarations: ByName<ParameterDeclaration>;
  source: ParameterSource;
  variables: unknown;
  variablesPath: string;
}

function names(slots: ByName<Slot>): string {
  const list = [...slots.values()].map((slot) => slot.name);
  return list.length === 0 ? '(none)' : list.join(', ');
}

export class TemplateContext implements EvalContext {
  readonly scope: ExpressionScope;
  private readonly parameters: ByName<Slot> = new Map();
  private readonly variables: ByName<Slot> = new Map();
  private readonly evaluating: Slot[] = [];

  constructor(init: TemplateContextInit) {
    this.scope = init.scope;
    const { source } = init;
    for (const supplied of source.supplied.values()) {
      if (!init.declarations.has(supplied.name.toLowerCase())) {
        const declared = [...init.declarations.values()].map((decl) => decl.name).join(', ') || '(none)';
        throw new TemplateError(
          'InvalidTemplateParameter',
          `Parameter '${supplied.name}' was supplied at '${supplied.path}' but the template does not declare it (declared parameters: ${declared}). ` +
            `Remove it from ${source.where}, or declare it in the template's parameters section.`,
          supplied.path,
        );
      }
    }
    for (const [key, decl] of init.declarations) {
      this.parameters.set(key, {
        name: decl.name,
        label: `parameters('${decl.name}')`,
        path: decl.path,
        state: 'pending',
        compute: () => this.resolveParameter(decl, source),
      });
    }
    const rawVariables = init.variables ?? {};
    if (!isPlainObject(rawVariables)) {
      throw new TemplateError('InvalidTemplate', `The template's '${init.variablesPath}' section must be an object mapping variable names to values.`, init.variablesPath);
    }
    for (const [name, raw] of Object.entries(rawVariables)) {
      const path = childPath(init.variablesPath, name);
      if (name.toLowerCase() === 'copy' && Array.isArray(raw)) {
        throw new TemplateError('InvalidTemplate', `The variable copy loop at '${path}' is not supported by Vigil. Write the variables out explicitly instead.`, path);
      }
      if (this.variables.has(name.toLowerCase())) throw new TemplateError('InvalidTemplate', `Variable '${name}' is declared more than once (names are case-insensitive).`, path);
      this.variables.set(name.toLowerCase(), { name, label: `variables('${name}')`, path, state: 'pending', compute: () => evaluateJson(raw, this, path) });
    }
  }

  private resolveParameter(decl: ParameterDeclaration, source: ParameterSource): unknown {
    const supplied = source.supplied.get(decl.name.toLowerCase());
    if (supplied !== undefined && supplied.value !== null) {
      checkParameterValue(decl, supplied.value, supplied.path, `Fix the value at ${supplied.path}.value.`);
      return supplied.value;
    }
    if (decl.hasDefault) {
      const path = childPath(decl.path, 'defaultValue');
      const value = evaluateJson(decl.defaultValue, this, path);
      checkParameterValue(decl, value, path, `Fix the defaultValue at ${path}, or supply a value.`);
      return value;
    }
    const target = childPath(source.basePath, decl.name);
    throw new TemplateError(
      'MissingTemplateParameter',
      `Parameter '${decl.name}' is required by the template but was not supplied. Add it to ${source.where} under ${target}.value.`,
      target,
    );
  }

  private read(slot: Slot): unknown {
    if (slot.state === 'done') return slot.value;
    if (slot.state === 'evaluating') {
      const start = this.evaluating.indexOf(slot);
      const cycle = [...this.evaluating.slice(start), slot].map((entry) => entry.label).join(' -> ');
      throw new TemplateError('InvalidTemplate', `Circular reference: ${cycle}. Change one of them so that it does not depend on the others.`, slot.path);
    }
    slot.state = 'evaluating';
    this.evaluating.push(slot);
    try {
      slot.value = slot.compute();
      slot.state = 'done';
      return slot.value;
    } finally {
      this.evaluating.pop();
      if (slot.state !== 'done') slot.state = 'pending';
    }
  }

  parameter(name: string, site: CallSite): unknown {
    const slot = this.parameters.get(name.toLowerCase());
    if (slot === undefined) {
      throw new TemplateError(
        'InvalidTemplate',
        `The expression ${JSON.stringify(site.source)} at '${site.path}' refers to the parameter '${name}', which the template does not declare (declared parameters: ${names(this.parameters)}). Declare it, or fix the name.`,
        site.path,
      );
    }
    return this.read(slot);
  }

  variable(name: string, site: CallSite): unknown {
    const slot = this.variables.get(name.toLowerCase());
    if (slot === undefined) {
      throw new TemplateError(
        'InvalidTemplate',
        `The expression ${JSON.stringify(site.source)} at '${site.path}' refers to the variable '${name}', which the template does not define (variables: ${names(this.variables)}). Define it, or fix the name.`,
        site.path,
      );
    }
    return this.read(slot);
  }

  /** Evaluates every parameter and variable, so that errors surface even in unused ones. */
  resolveAll(): void {
    for (const slot of this.parameters.values()) this.read(slot);
    for (const slot of this.variables.values()) this.read(slot);
  }

  evaluate(value: unknown, path: string): unknown {
    return evaluateJson(value, this, path);
  }
}
