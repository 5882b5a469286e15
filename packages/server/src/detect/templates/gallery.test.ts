import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkTemplates, findTemplate, newerTemplateVersion, TEMPLATES } from './gallery.ts';
import { compareVersions, ruleFromTemplate, type RuleTemplate } from './rule-template.ts';

const sample: RuleTemplate = {
  id: '00000000-0000-4000-8000-000000000001',
  kind: 'Scheduled',
  version: '1.2.0',
  requiredDataConnectors: [{ connectorId: 'SecurityEvents', dataTypes: ['SecurityEvent'] }],
  createdDateUTC: '2026-11-27T00:00:00Z',
  lastUpdatedDateUTC: '2026-11-27T00:00:00Z',
  properties: { displayName: 'Sample', description: 'd', severity: 'Low', query: 'SecurityEvent', queryFrequency: 'PT1H', queryPeriod: 'PT1H' },
};

test('every template of the gallery becomes a rule that names it and its version', () => {
  assert.ok(TEMPLATES.length >= 25);
  for (const { template, rule } of TEMPLATES) {
    assert.equal(rule.kind, template.kind);
    assert.equal(rule.properties.alertRuleTemplateName, template.id);
    assert.equal(rule.properties.templateVersion, template.version);
    assert.equal(rule.properties.enabled, true);
    assert.ok(rule.properties.tactics.length > 0, `${template.properties.displayName}: no tactic`);
    assert.ok(rule.properties.entityMappings.length > 0, `${template.properties.displayName}: no entity mapping`);
  }
  const names = TEMPLATES.map((t) => t.template.properties.displayName);
  assert.equal(new Set(names).size, names.length, 'two templates with one name');
});

test('a template that could not become a rule is refused, naming the template and the field', () => {
  assert.throws(() => checkTemplates([sample, { ...sample, version: '1.2' }]), /id is used by another template[\s\S]*version '1\.2' is not a\.b\.c/);
  assert.throws(() => checkTemplates([{ ...sample, properties: { ...sample.properties, queryFrequency: 'PT2H' } }]),
    /template 00000000-0000-4000-8000-000000000001 \('Sample'\)\.properties\.queryFrequency: \(2 hours\) must not be longer than queryPeriod/);
  assert.throws(() => checkTemplates([{ ...sample, id: 'Not-A-Guid' }]), /id must be a lower-case GUID/);
  assert.throws(() => checkTemplates([{ ...sample, requiredDataConnectors: [] }]), /requiredDataConnectors/);
  assert.equal(checkTemplates([sample]).length, 1);
  assert.deepEqual(ruleFromTemplate(sample).alertRuleTemplateName, sample.id);
});

test('versions compare by number; a newer template version is shown only when there is one', () => {
  assert.equal(compareVersions('1.10.0', '1.9.9'), 1);
  assert.equal(compareVersions('1.0.0', '1.0.0'), 0);
  assert.equal(compareVersions('1.0.0', '2.0.0'), -1);
  assert.equal(compareVersions('x', '1.0.0'), -1);
  const [first] = TEMPLATES;
  const id = first!.template.id;
  assert.equal(findTemplate(id.toUpperCase())?.template.id, id);
  assert.equal(newerTemplateVersion(id, first!.template.version), undefined);
  assert.equal(newerTemplateVersion(id, '0.9.0'), first!.template.version);
  assert.equal(newerTemplateVersion(id, null), first!.template.version);
  assert.equal(newerTemplateVersion(id, '9.0.0'), undefined);
  assert.equal(newerTemplateVersion(null, null), undefined);
  assert.equal(newerTemplateVersion('00000000-0000-4000-8000-00000000dead', '0.0.1'), undefined, 'a template the gallery does not hold');
});

test('docs/detection.md lists every template of the gallery by name and id', () => {
  const docs = readFileSync(new URL('../../../../../docs/detection.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('## Rule templates'));
  const missing = TEMPLATES.filter(({ template }) => !section.includes(`| ${template.properties.displayName} |`) || !section.includes(template.id));
  assert.deepEqual(missing.map((g) => g.template.properties.displayName), []);
});
