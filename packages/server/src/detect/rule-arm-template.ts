// Analytics rules as the ARM deployment template Sentinel's "Export" writes and its "Import"
// reads: one resource of type Microsoft.OperationalInsights/workspaces/providers/alertRules per
// rule, named "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/<rule name>')]".
// Import evaluates the template's expressions with the ARM template evaluator (arm/template), so
// parameters, variables, concat(), guid() and the rest work as in a deployment, then checks each
// rule's properties through parseRuleProperties(), the one gate, at `resources[i].properties`.
import { findProperty, isPlainObject, type JsonObject } from '../arm/template/arm-values.ts';
import type { ExpressionScope } from '../arm/template/eval-context.ts';
import { classifyString } from '../arm/template/expression-parser.ts';
import { childPath, indexPath } from '../arm/template/json-path.ts';
import { readParameterDeclarations } from '../arm/template/parameters.ts';
import { TemplateContext } from '../arm/template/template-context.ts';
import { TemplateError } from '../arm/template/template-error.ts';
import { checkTemplateShape } from '../arm/template/template-shape.ts';
import { RULE_KINDS, parseRuleProperties, type RuleDefinition } from './rule-model.ts';

export interface NamedRule {
  /** The rule's ARM name (a GUID in Sentinel). */
  name: string;
  definition: RuleDefinition;
}

export const ALERT_RULE_TYPE = 'Microsoft.OperationalInsights/workspaces/providers/alertRules';
/** The extension-resource form (with a `scope`), which newer templates use. */
const EXTENSION_RULE_TYPE = 'Microsoft.SecurityInsights/alertRules';
/** A SecurityInsights api-version that carries every property a RuleDefinition has. */
export const EXPORT_API_VERSION = '2023-02-01';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A string ARM would read as an expression (or an escape) is written with '[[' to stay a literal. */
function escapeLiteral(value: unknown): unknown {
  if (typeof value === 'string') return classifyString(value) === 'literal' ? value : `[${value}`;
  if (Array.isArray(value)) return value.map(escapeLiteral);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeLiteral(k) as string, escapeLiteral(v)]));
  return value;
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The deployment template Sentinel's Export writes for these rules, with its `workspace` parameter. */
export function rulesToArmTemplate(rules: readonly NamedRule[]): JsonObject {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { workspace: { type: 'String' } },
    resources: rules.map((rule) => ({
      name: `[concat(parameters('workspace'),${quoted(`/Microsoft.SecurityInsights/${rule.name}`)})]`,
      type: ALERT_RULE_TYPE,
      kind: rule.definition.kind,
      apiVersion: EXPORT_API_VERSION,
      properties: escapeLiteral(rule.definition.properties),
    })),
  };
}

export interface ArmImportOptions {
  /** Values of the template's other parameters, by name (the workspace's is given apart). */
  parameters?: Record<string, unknown>;
  /** What subscription(), resourceGroup() and deployment() answer; placeholders otherwise. */
  scope?: Partial<ExpressionScope>;
}

const PLACEHOLDER_SCOPE: ExpressionScope = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'vigil-import',
  tenantId: '00000000-0000-0000-0000-000000000000',
  deploymentName: 'analytics-rules-import',
};

/**
 * The analytics rules of a deployment template (Sentinel's Export, or one written by hand) to be
 * created in `workspaceName`. Throws InvalidTemplate for the template's own faults and
 * InvalidRequestContent for a rule's, each naming `resources[i]` and the field.
 */
export function rulesFromArmTemplate(template: unknown, workspaceName: string, options: ArmImportOptions = {}): NamedRule[] {
  const root = checkTemplateShape(template, '');
  const section = (name: string) => {
    const found = findProperty(root, name);
    return found.found ? { value: found.value, path: found.key } : { value: undefined, path: name };
  };
  const declared = section('parameters');
  const declarations = readParameterDeclarations(declared.value, declared.path);
  const supplied = new Map<string, { name: string; value: unknown; path: string }>();
  for (const [name, value] of Object.entries(options.parameters ?? {})) supplied.set(name.toLowerCase(), { name, value, path: childPath('parameters', name) });
  // The workspace is supplied only where the template asks for it (an undeclared one is an error).
  if (declarations.has('workspace')) supplied.set('workspace', { name: 'workspace', value: workspaceName, path: 'parameters.workspace' });
  const context = new TemplateContext({
    scope: { ...PLACEHOLDER_SCOPE, ...options.scope },
    declarations,
    source: { supplied, basePath: 'parameters', where: 'the import\'s parameters (Vigil supplies only \'workspace\')' },
    variables: section('variables').value,
    variablesPath: section('variables').path,
  });
  context.resolveAll();

  const resources = (section('resources').value ?? []) as unknown[];
  const rules: NamedRule[] = [];
  const seen = new Map<string, string>();
  resources.forEach((resource, i) => {
    const path = indexPath('resources', i);
    if (!isPlainObject(resource)) throw new TemplateError('InvalidTemplate', `The resource at '${path}' must be a JSON object with type, apiVersion, name, kind and properties.`, path);
    const field = (key: string) => {
      const found = Object.keys(resource).find((k) => k.toLowerCase() === key.toLowerCase());
      return found === undefined ? undefined : context.evaluate(resource[found], childPath(path, found));
    };
    const condition = field('condition');
    if (condition === false) return;

    const type = field('type');
    const isRule = (t: string) => typeof type === 'string' && type.replace(/^\/+|\/+$/g, '').toLowerCase() === t.toLowerCase();
    if (!isRule(ALERT_RULE_TYPE) && !isRule(EXTENSION_RULE_TYPE)) {
      throw new TemplateError('InvalidTemplate', `${path}.type is ${JSON.stringify(type ?? null)}, which is not an analytics rule: this import takes resources of type ${ALERT_RULE_TYPE} (or ${EXTENSION_RULE_TYPE}) only. Remove the resource, or deploy it as a template deployment.`, childPath(path, 'type'));
    }
    const name = ruleName(field('name'), isRule(ALERT_RULE_TYPE), workspaceName, childPath(path, 'name'));
    const kind = field('kind');
    if (typeof kind !== 'string' || !(RULE_KINDS as readonly string[]).includes(kind)) {
      throw new TemplateError('InvalidTemplate', `${path}.kind is ${JSON.stringify(kind ?? null)}; Vigil runs analytics rules of kind ${RULE_KINDS.join(' and ')}.`, childPath(path, 'kind'));
    }
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      throw new TemplateError('InvalidTemplate', `${path}.name names the rule '${name}', as ${earlier} does: a rule's name is unique in its workspace. Give one of them another name (a new GUID).`, childPath(path, 'name'));
    }
    seen.set(name.toLowerCase(), path);
    const properties = field('properties');
    rules.push({ name, definition: parseRuleProperties(kind, properties, childPath(path, 'properties')) });
  });
  return rules;
}

/** The rule's own name out of `<workspace>/Microsoft.SecurityInsights/<rule>` (or the extension form's `<rule>`). */
function ruleName(value: unknown, nested: boolean, workspaceName: string, path: string): string {
  const form = nested ? `'<workspace>/Microsoft.SecurityInsights/<rule name>', as [concat(parameters('workspace'),'/Microsoft.SecurityInsights/<rule name>')] gives` : "'<rule name>'";
  if (typeof value !== 'string') throw new TemplateError('InvalidTemplate', `${path} must be a string of the form ${form}; it is ${JSON.stringify(value ?? null)}.`, path);
  const segments = value.split('/');
  if (!nested) {
    if (segments.length !== 1 || value.trim() === '') throw new TemplateError('InvalidTemplate', `${path} is '${value}'; an ${EXTENSION_RULE_TYPE} resource is named ${form}.`, path);
    return value;
  }
  if (segments.length !== 3 || segments.some((s) => s.trim() === '') || segments[1]!.toLowerCase() !== 'microsoft.securityinsights') {
    throw new TemplateError('InvalidTemplate', `${path} is '${value}'; it must be of the form ${form}.`, path);
  }
  if (segments[0]!.toLowerCase() !== workspaceName.toLowerCase()) {
    throw new TemplateError('InvalidTemplate', `${path} is '${value}', a rule of the workspace '${segments[0]}', but the rules are imported into '${workspaceName}'. Name the workspace with parameters('workspace').`, path);
  }
  return segments[2]!;
}
