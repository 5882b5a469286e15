// Analytics rules as the ARM deployment template Sentinel's Export writes and its Import reads
// (the server's detect/rule-arm-template.ts writes the same for `vigil rules export --format arm`):
// one resource of type Microsoft.OperationalInsights/workspaces/providers/alertRules per rule, named
// "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/<rule name>')]", its strings that
// would read as expressions escaped with '[['. Reading is done here, in the browser: the server has
// no import endpoint (each rule is then saved with the alertRules PUT, which checks it). Only the
// expressions an Export writes are understood; a template that needs a full ARM evaluation
// (variables, other functions) is refused with where, and `vigil rules import` reads it instead.
import type { AlertRule, RuleKind, RuleProperties } from '../../api/analytics.ts';
import { editableProperties } from './rule-draft.ts';

const ALERT_RULE_TYPE = 'Microsoft.OperationalInsights/workspaces/providers/alertRules';
const EXTENSION_RULE_TYPE = 'Microsoft.SecurityInsights/alertRules';
const EXPORT_API_VERSION = '2023-02-01';
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

const isExpression = (s: string) => s.length >= 2 && s.startsWith('[') && s.endsWith(']');

function escapeLiteral(value: unknown): unknown {
  if (typeof value === 'string') return isExpression(value) ? `[${value}` : value;
  if (Array.isArray(value)) return value.map(escapeLiteral);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeLiteral(k) as string, escapeLiteral(v)]));
  return value;
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function rulesToArmTemplate(rules: readonly AlertRule[]): object {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { workspace: { type: 'String' } },
    resources: rules.map((rule) => ({
      id: `[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'),${quoted(`/alertRules/${rule.name}`)})]`,
      name: `[concat(parameters('workspace'),${quoted(`/Microsoft.SecurityInsights/${rule.name}`)})]`,
      type: ALERT_RULE_TYPE,
      kind: rule.kind,
      apiVersion: EXPORT_API_VERSION,
      properties: escapeLiteral(editableProperties(rule)),
    })),
  };
}

/** A rule of the file, ready to save; or why the resource gives none. */
export type TemplateRule =
  | { ok: true; where: string; name: string; kind: RuleKind; properties: RuleProperties }
  | { ok: false; where: string; name?: string; message: string };

export class TemplateFileError extends Error {}

/** Reads the file's text: throws TemplateFileError when it is not a deployment template at all. */
export function rulesFromArmTemplate(text: string): TemplateRule[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new TemplateFileError(`The file is not JSON: ${(error as Error).message}. Choose the .json file Microsoft Sentinel's (or this portal's) Export wrote.`);
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new TemplateFileError('The file is JSON but not an ARM template: it must be an object with a "resources" array.');
  const resources = (root as Record<string, unknown>).resources;
  if (!Array.isArray(resources)) throw new TemplateFileError('The template has no "resources" array: an export of analytics rules holds one resource per rule.');
  if (resources.length === 0) throw new TemplateFileError('The template\'s "resources" array is empty: there is no rule to import.');
  return resources.map((resource, i) => readResource(resource, `resources[${i}]`));
}

function readResource(resource: unknown, where: string): TemplateRule {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return { ok: false, where, message: `${where} is not a JSON object.` };
  const r = resource as Record<string, unknown>;
  const type = typeof r.type === 'string' ? r.type.replace(/^\/+|\/+$/g, '') : r.type;
  const nested = typeof type === 'string' && type.toLowerCase() === ALERT_RULE_TYPE.toLowerCase();
  if (!nested && !(typeof type === 'string' && type.toLowerCase() === EXTENSION_RULE_TYPE.toLowerCase())) {
    return { ok: false, where, message: `${where}.type is ${JSON.stringify(type ?? null)}, not an analytics rule (${ALERT_RULE_TYPE}); only analytics rules are imported.` };
  }
  const name = ruleName(r.name, nested);
  if (typeof name !== 'string') return { ok: false, where, message: `${where}.name: ${name.error}` };
  if (r.kind !== 'Scheduled' && r.kind !== 'NRT') return { ok: false, where, name, message: `${where}.kind is ${JSON.stringify(r.kind ?? null)}; Vigil runs analytics rules of kind Scheduled and NRT.` };
  if (r.properties === null || typeof r.properties !== 'object' || Array.isArray(r.properties)) return { ok: false, where, name, message: `${where}.properties must be an object: the rule's settings.` };
  const expression = findExpression(r.properties, `${where}.properties`);
  if (expression !== undefined) {
    return { ok: false, where, name, message: `${expression.path} is the template expression ${JSON.stringify(expression.text)}, which the portal's import does not evaluate (it reads what an Export writes). Write the value itself, or import the file with \`vigil rules import\`, which evaluates templates.` };
  }
  return { ok: true, where, name, kind: r.kind, properties: unescape(r.properties) as RuleProperties };
}

/** The rule's own name out of Export's concat(parameters('workspace'),'/Microsoft.SecurityInsights/<name>'), or a literal name. */
function ruleName(value: unknown, nested: boolean): string | { error: string } {
  if (typeof value !== 'string' || value.trim() === '') return { error: `must be a string naming the rule; it is ${JSON.stringify(value ?? null)}.` };
  let text = value;
  if (isExpression(value) && !value.startsWith('[[')) {
    const m = /^\[\s*concat\(\s*parameters\(\s*'workspace'\s*\)\s*,\s*'((?:[^']|'')*)'\s*\)\s*\]$/i.exec(value);
    if (m === null) return { error: `${JSON.stringify(value)} is an expression the portal does not evaluate; Export names a rule [concat(parameters('workspace'),'/Microsoft.SecurityInsights/<rule name>')].` };
    text = `workspace${m[1]!.replace(/''/g, "'")}`;
  } else if (value.startsWith('[[')) {
    text = value.slice(1);
  }
  const segments = text.split('/');
  if (!nested) return segments.length === 1 ? text : { error: `'${text}' must be the rule's name alone for a ${EXTENSION_RULE_TYPE} resource.` };
  if (segments.length !== 3 || segments[1]!.toLowerCase() !== 'microsoft.securityinsights' || segments[2]!.trim() === '') {
    return { error: `'${value}' must be of the form <workspace>/Microsoft.SecurityInsights/<rule name>.` };
  }
  return segments[2]!;
}

function findExpression(value: unknown, path: string): { path: string; text: string } | undefined {
  if (typeof value === 'string') return isExpression(value) && !value.startsWith('[[') ? { path, text: value } : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findExpression(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = findExpression(v, `${path}.${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function unescape(value: unknown): unknown {
  if (typeof value === 'string') return isExpression(value) && value.startsWith('[[') ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(unescape);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [unescape(k) as string, unescape(v)]));
  return value;
}
