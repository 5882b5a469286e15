// Analytics rules read from files as users have them: Sentinel's YAML (one rule per file, the
// format of the Azure-Sentinel repository) or the ARM template Sentinel's Export writes (many
// rules). The server's own readers do the reading (detect/rule-yaml.ts, rule-arm-template.ts),
// so a file is read here exactly as the server would read it; what this adds is telling rule
// files from the other files of a folder, and the file's line for a template's faults.
import { LineCounter, isMap, parseDocument } from 'yaml';
import { ApiError } from '../../server/src/errors.ts';
import { ruleFromYaml } from '../../server/src/detect/rule-yaml.ts';
import { rulesFromArmTemplate } from '../../server/src/detect/rule-arm-template.ts';
import type { RuleDefinition } from '../../server/src/detect/rule-model.ts';

export interface RuleFromFile {
  /** The rule's ARM name: the YAML's id, or the template resource's rule name. */
  name: string;
  /** The file, as the command was given it (below a folder argument: the path below it). */
  file: string;
  definition: RuleDefinition;
}

export interface RuleFileRead {
  rules: RuleFromFile[];
  /** What the reader left out or read differently, with where (`file:line:col: field: ...`). */
  warnings: string[];
}

/** A file that gives no rule, and why. `failed` when it was meant as a rule but is wrong or unreadable. */
export interface SkippedRuleFile {
  path: string;
  reason: string;
  failed: boolean;
}

/** Keys only an analytics rule has: a YAML with a query and none of them is a hunting query. */
const RULE_ONLY_KEYS = ['kind', 'severity', 'queryFrequency', 'triggerOperator'];

/** One file's rules; `workspaceName` is what a template's parameters('workspace') is given. */
export function readRuleFile(file: string, text: string, workspaceName: string): RuleFileRead | SkippedRuleFile {
  if (/\.ya?ml$/i.test(file)) return readYaml(file, text);
  if (/\.json$/i.test(file)) return readTemplate(file, text, workspaceName);
  return { path: file, reason: "not a rule file: analytics rules are Sentinel's YAML (.yaml, .yml) or an ARM template (.json)", failed: false };
}

function readYaml(file: string, text: string): RuleFileRead | SkippedRuleFile {
  const doc = parseDocument(text, { prettyErrors: false });
  // Well-formed YAML of another kind (a parser, a hunting query, a workbook's metadata) is not
  // a broken rule; broken YAML is read by ruleFromYaml, which says where it breaks.
  if (doc.errors.length === 0 && isMap(doc.contents)) {
    if (!doc.has('query')) return { path: file, reason: 'not an analytics rule: it has no query', failed: false };
    if (!RULE_ONLY_KEYS.some((k) => doc.has(k))) {
      return { path: file, reason: `a hunting query, not an analytics rule: it has none of ${RULE_ONLY_KEYS.join(', ')}`, failed: false };
    }
  }
  try {
    const rule = ruleFromYaml(text, file);
    return {
      rules: [{ name: rule.id, file, definition: rule.definition }],
      warnings: rule.warnings.map((w) => `${file}:${w.line}:${w.column}: ${w.path}: ${w.message}`),
    };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { path: file, reason: `invalid: ${messagesOf(error).join('; ')}`, failed: true };
  }
}

function readTemplate(file: string, text: string, workspaceName: string): RuleFileRead | SkippedRuleFile {
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const where = at === null ? '' : `:${lineColumn(text, Number(at[1]))}`;
    return { path: file, reason: `invalid: ${file}${where}: not valid JSON: ${message}`, failed: true };
  }
  const resources = (template as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources)) return { path: file, reason: 'not an ARM template: it has no resources', failed: false };
  if (!resources.some((r) => /alertRules/i.test(String((r as { type?: unknown } | null)?.type ?? '')))) {
    return { path: file, reason: 'an ARM template without analytics rules (no resource of type .../alertRules)', failed: false };
  }
  try {
    const rules = rulesFromArmTemplate(template, workspaceName);
    return { rules: rules.map((r) => ({ name: r.name, file, definition: r.definition })), warnings: [] };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The template's errors name a JSON path (resources[2].properties.query): say its line too.
    const locate = jsonLocator(text);
    const details = error.details.length > 0 ? error.details : [{ target: error.target, message: error.message }];
    const reasons = details.map((d) => `${file}${locate(d.target ?? '')}: ${d.message}`);
    return { path: file, reason: `invalid: ${reasons.join('; ')}`, failed: true };
  }
}

function messagesOf(error: ApiError): string[] {
  return error.details.length > 0 ? error.details.map((d) => d.message) : [error.message];
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** `resources[2].properties.entityMappings.0.columnName` -> `:line:col` of that field (or the nearest one above it that is written out). */
function jsonLocator(text: string): (target: string) => string {
  const lineCounter = new LineCounter();
  // JSON is YAML: the YAML parser keeps every node's position, which JSON.parse does not.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return (target) => {
    if (doc.errors.length > 0 || target === '') return '';
    const path = target.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = path.length; n > 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range !== undefined) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `:${line}:${col}`;
      }
    }
    return '';
  };
}
