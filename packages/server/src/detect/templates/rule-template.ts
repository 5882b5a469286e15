// An analytics rule template of Vigil's gallery, as Sentinel's alertRuleTemplates carry one: a
// fixed GUID, a version (a.b.c), the data it needs, and the settings of the rule it makes, in the
// ARM form of alertRules. A rule made from a template names it (alertRuleTemplateName) and the
// version it was made from (templateVersion), so that a newer version can be pointed out.
import type { RuleKind } from '../rule-model.ts';

/** A connector and the tables of it a template reads (Sentinel's AlertRuleTemplateDataSource). */
export interface TemplateDataSource {
  connectorId: string;
  dataTypes: string[];
}

export interface RuleTemplate {
  /** A fixed GUID: rules made from the template keep it as alertRuleTemplateName. */
  id: string;
  kind: RuleKind;
  /** a.b.c; raised whenever the settings change, so rules made from an older one can be told. */
  version: string;
  requiredDataConnectors: TemplateDataSource[];
  /** When the template was added, and last changed (ISO 8601, UTC). */
  createdDateUTC: string;
  lastUpdatedDateUTC: string;
  /**
   * The rule's settings in ARM form (displayName, description, severity, query, schedule,
   * mappings...), without `enabled` and the template's own name and version, which a rule made
   * from it gets (ruleFromTemplate).
   */
  properties: TemplateRuleProperties;
}

export interface TemplateRuleProperties {
  displayName: string;
  description: string;
  severity: 'High' | 'Medium' | 'Low' | 'Informational';
  query: string;
  [setting: string]: unknown;
}

/** The ARM properties of a rule made from `template`: enabled, naming the template and its version. */
export function ruleFromTemplate(template: RuleTemplate): Record<string, unknown> {
  return { ...template.properties, enabled: true, alertRuleTemplateName: template.id, templateVersion: template.version };
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export function isTemplateVersion(text: string): boolean {
  return VERSION.test(text);
}

/** Compares a.b.c versions by number; a version that is not a.b.c sorts before every one that is. */
export function compareVersions(a: string, b: string): number {
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  if (pa === null || pb === null) return (pa === null ? 0 : 1) - (pb === null ? 0 : 1);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
