// Analytics rule templates (Microsoft.SecurityInsights/alertRuleTemplates) through Microsoft's own
// SDK: the gallery listed and read, a rule made from a template remembering its name and version,
// the template then counting it, and a rule made from an older version showing the newer one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { SecurityInsights, type NrtAlertRuleTemplate, type ScheduledAlertRule, type ScheduledAlertRuleTemplate } from '@azure/arm-securityinsight';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { TEMPLATES } from '../src/detect/templates/gallery.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const TEMPLATE_PATH = `${FWS}/providers/Microsoft.SecurityInsights/alertRuleTemplates`;
const RULES = `${FWS}/providers/Microsoft.SecurityInsights/alertRules`;
const V = 'api-version=2024-09-01';
/** Brute force against a Windows account. */
const BRUTE_FORCE = '7ede9741-6a6b-4f5f-b304-841c5a641f62';

let t: TestServer;
let admin: string;
let client: SecurityInsights;
before(async () => {
  t = await startTestServer({ pageSize: 10 });
  admin = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const credential: TokenCredential = {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
      return { token: await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password, scope), expiresOnTimestamp: Date.now() + 50 * 60_000 };
    },
  };
  client = new SecurityInsights(credential, F.subscription, { endpoint: t.url });
});
after(async () => { await t.close(); });

test('@azure/arm-securityinsight alertRuleTemplates.list pages through the whole gallery; get reads one', async () => {
  const listed: (ScheduledAlertRuleTemplate | NrtAlertRuleTemplate)[] = [];
  for await (const item of client.alertRuleTemplates.list(F.rg, F.workspace)) listed.push(item as ScheduledAlertRuleTemplate | NrtAlertRuleTemplate);
  assert.equal(listed.length, TEMPLATES.length, 'every template, across pages of 10');
  assert.ok(listed.length >= 25);
  assert.deepEqual(new Set(listed.map((x) => x.kind)), new Set(['Scheduled', 'NRT']));
  for (const item of listed) {
    assert.equal(item.type, 'Microsoft.SecurityInsights/alertRuleTemplates');
    assert.equal(item.id, `${TEMPLATE_PATH}/${item.name}`);
    assert.match(item.version ?? '', /^\d+\.\d+\.\d+$/);
    assert.ok((item.requiredDataConnectors ?? []).length > 0, `${item.displayName}: requiredDataConnectors`);
    assert.ok(item.query && item.severity && item.tactics?.length, `${item.displayName}: query, severity, tactics`);
    assert.equal(item.status, 'Available');
    assert.equal(item.alertRulesCreatedByTemplateCount, 0);
    assert.ok(item.createdDateUTC instanceof Date && item.lastUpdatedDateUTC instanceof Date);
  }

  const got = await client.alertRuleTemplates.get(F.rg, F.workspace, BRUTE_FORCE.toUpperCase()) as ScheduledAlertRuleTemplate;
  assert.equal(got.kind, 'Scheduled');
  assert.equal(got.name, BRUTE_FORCE);
  assert.equal(got.displayName, 'Brute force against a Windows account');
  assert.equal(got.queryFrequency, 'PT1H');
  assert.equal(got.queryPeriod, 'PT1H');
  assert.equal(got.triggerOperator, 'GreaterThan');
  assert.equal(got.triggerThreshold, 0);
  assert.deepEqual(got.techniques, ['T1110']);
  assert.deepEqual(got.requiredDataConnectors?.map((c) => [c.connectorId, c.dataTypes]), [['SecurityEvents', ['SecurityEvent']], ['WindowsSecurityEvents', ['SecurityEvent']]]);
  assert.equal(got.entityMappings?.[0]?.entityType, 'Account');
  assert.equal(got.eventGroupingSettings?.aggregationKind, 'AlertPerResult');

  await assert.rejects(client.alertRuleTemplates.get(F.rg, F.workspace, '00000000-0000-4000-8000-00000000dead'),
    (e: { statusCode?: number; message?: string }) => e.statusCode === 404 && /no template with this id/.test(e.message ?? ''));
});

test('a rule made from a template remembers its name and version, and the template counts it', async () => {
  const template = await client.alertRuleTemplates.get(F.rg, F.workspace, BRUTE_FORCE) as ScheduledAlertRuleTemplate;
  const rule: ScheduledAlertRule = {
    kind: 'Scheduled',
    displayName: template.displayName, description: template.description, severity: template.severity, enabled: true,
    query: template.query, queryFrequency: template.queryFrequency, queryPeriod: template.queryPeriod,
    triggerOperator: template.triggerOperator, triggerThreshold: template.triggerThreshold,
    tactics: template.tactics, techniques: template.techniques, entityMappings: template.entityMappings, customDetails: template.customDetails,
    alertDetailsOverride: template.alertDetailsOverride, eventGroupingSettings: template.eventGroupingSettings,
    suppressionDuration: 'PT5H', suppressionEnabled: false,
    alertRuleTemplateName: template.name, templateVersion: template.version,
  };
  const created = await client.alertRules.createOrUpdate(F.rg, F.workspace, 'from-template', rule) as ScheduledAlertRule;
  assert.equal(created.alertRuleTemplateName, BRUTE_FORCE);
  assert.equal(created.templateVersion, '1.0.0');
  const raw = await t.request('GET', `${RULES}/from-template?${V}`, { token: admin });
  assert.equal(raw.status, 200);
  assert.equal(raw.body.properties.templateVersion, '1.0.0');
  assert.equal(raw.body.properties.templateVersionAvailable, undefined, 'made from the newest version: nothing newer to show');

  const after = await client.alertRuleTemplates.get(F.rg, F.workspace, BRUTE_FORCE) as ScheduledAlertRuleTemplate;
  assert.equal(after.alertRulesCreatedByTemplateCount, 1);
  assert.equal(after.status, 'Installed');
  const other = TEMPLATES.find((g) => g.template.id !== BRUTE_FORCE)!;
  assert.equal((await client.alertRuleTemplates.get(F.rg, F.workspace, other.template.id)).kind, other.template.kind);
});

test('a rule made from an older version of a template shows the newer one', async () => {
  const older = TEMPLATES.find((g) => g.template.id === BRUTE_FORCE)!;
  const body = { kind: 'Scheduled', properties: { ...older.rule.properties, templateVersion: '0.9.0' } };
  const saved = await t.request('PUT', `${RULES}/from-old-template?${V}`, { token: admin, body });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  assert.equal(saved.body.properties.templateVersion, '0.9.0');
  assert.equal(saved.body.properties.templateVersionAvailable, '1.0.0');
  const listed = await t.request('GET', `${RULES}?${V}`, { token: admin });
  const shown = listed.body.value.map((r: any) => [r.name, r.properties.templateVersion, r.properties.templateVersionAvailable ?? null]);
  assert.deepEqual(shown.filter((r: unknown[]) => r[1] !== null), [['from-old-template', '0.9.0', '1.0.0'], ['from-template', '1.0.0', null]]);
  const viaSdk = await client.alertRules.get(F.rg, F.workspace, 'from-old-template') as ScheduledAlertRule;
  assert.equal(viaSdk.templateVersion, '0.9.0');
  const template = await t.request('GET', `${TEMPLATE_PATH}/${BRUTE_FORCE}?${V}`, { token: admin });
  assert.equal(template.body.properties.alertRulesCreatedByTemplateCount, 2);
});

test('who may read templates: a Sentinel Responder through delegation yes, another customer and no token no', async () => {
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const northwind = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const byAna = await t.request('GET', `${TEMPLATE_PATH}?${V}`, { token: ana });
  assert.equal(byAna.status, 200, JSON.stringify(byAna.body));
  assert.ok(byAna.body.value.length > 0);
  for (const path of [TEMPLATE_PATH, `${TEMPLATE_PATH}/${BRUTE_FORCE}`]) {
    const res = await t.request('GET', `${path}?${V}`, { token: northwind });
    assert.equal(res.status, 403, path);
    assert.equal(res.body.error.code, 'AuthorizationFailed');
    assert.equal((await t.request('GET', `${path}?${V}`)).status, 401, `${path} without a token`);
  }
  const noVersion = await t.request('GET', TEMPLATE_PATH, { token: admin });
  assert.equal(noVersion.status, 400);
});
