// Vigil's gallery of analytics rule templates, one file per family of data. Every template is
// checked here when the module loads, through the same gate as a saved rule
// (parseRuleProperties): a template that could not become a rule stops the server at start,
// naming the template and the field, instead of failing when a user picks it.
import { parseRuleProperties, type RuleDefinition } from '../rule-model.ts';
import { compareVersions, isTemplateVersion, ruleFromTemplate, type RuleTemplate } from './rule-template.ts';
import { WINDOWS_TEMPLATES } from './windows.ts';
import { ENTRA_ID_TEMPLATES } from './entra-id.ts';
import { LINUX_TEMPLATES } from './linux.ts';
import { NETWORK_TEMPLATES } from './network.ts';
import { AZURE_TEMPLATES } from './azure.ts';
import { OFFICE_TEMPLATES } from './office.ts';

export interface GalleryTemplate {
  template: RuleTemplate;
  /** The rule a template makes, in canonical form (defaults filled). */
  rule: RuleDefinition;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks every template; throws an Error naming each one that is wrong, and why. */
export function checkTemplates(templates: readonly RuleTemplate[]): GalleryTemplate[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: GalleryTemplate[] = [];
  for (const t of templates) {
    const who = `template ${t.id} ('${t.properties.displayName}')`;
    if (!GUID.test(t.id)) problems.push(`${who}: id must be a lower-case GUID`);
    if (seen.has(t.id)) problems.push(`${who}: id is used by another template`);
    seen.add(t.id);
    if (!isTemplateVersion(t.version)) problems.push(`${who}: version '${t.version}' is not a.b.c`);
    if (t.requiredDataConnectors.length === 0 || t.requiredDataConnectors.some((c) => c.dataTypes.length === 0)) problems.push(`${who}: requiredDataConnectors must name at least one connector, each with its data types`);
    if (t.lastUpdatedDateUTC < t.createdDateUTC) problems.push(`${who}: lastUpdatedDateUTC is before createdDateUTC`);
    try {
      out.push({ template: t, rule: parseRuleProperties(t.kind, ruleFromTemplate(t), `${who}.properties`) });
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new Error(`The rule template gallery is invalid:\n${problems.join('\n')}`);
  return out;
}

/** The gallery, in a stable order (family, then as written). */
export const TEMPLATES: readonly GalleryTemplate[] = checkTemplates([
  ...WINDOWS_TEMPLATES, ...ENTRA_ID_TEMPLATES, ...LINUX_TEMPLATES, ...NETWORK_TEMPLATES, ...AZURE_TEMPLATES, ...OFFICE_TEMPLATES,
]);

const BY_ID = new Map(TEMPLATES.map((t) => [t.template.id, t]));

/** A template by id (case-insensitive, as ARM names are). */
export function findTemplate(id: string): GalleryTemplate | undefined {
  return BY_ID.get(id.toLowerCase());
}

/**
 * The gallery's version of the template a rule was made from, when it is newer than the one
 * the rule was made from (or the rule does not say which); undefined otherwise, and for a
 * template name the gallery does not hold.
 */
export function newerTemplateVersion(templateName: string | null, templateVersion: string | null): string | undefined {
  if (templateName === null) return undefined;
  const found = findTemplate(templateName);
  if (found === undefined) return undefined;
  const latest = found.template.version;
  return templateVersion === null || compareVersions(latest, templateVersion) > 0 ? latest : undefined;
}
