// The Analytics page in Debian's Chromium against a real test server (the example MSSP world with
// an ingesting app per customer): SecurityEvent rows sent through the Logs Ingestion API, rules
// saved through ARM by the customers' admins and run by the server's own scheduler.
// Eli, the MSSP's SOC engineer (Microsoft Sentinel Contributor on both customers through
// Lighthouse), sees Fabrikam's rules with their health after a run; makes a rule from a template
// in the wizard, where a bad query is refused with the server's message at the query field;
// tests it with current data (the per-window counts are the server's); creates it by keyboard;
// exports rules and imports them into Northwind (each rule's result, a refused one with its
// reason); an edit made stale by another change is refused (412) and said so; disables and
// deletes. Ana (Responder) reads and tests rules; what would be refused (create, import, change,
// delete) is not offered, by her permissions at the workspace (Microsoft.Authorization/permissions).
// Fabrikam's admin sees Fabrikam's rules only, never Northwind's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { eventually, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { INGEST, queryWorld, securityEventsRule, upload } from '../../server/test/query-fixtures.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil, unexpectedErrors } from './browser.ts';
import { rulesFromArmTemplate as readInBrowser, rulesToArmTemplate as writeInBrowser } from '../src/pages/analytics/arm-template.ts';
import type { AlertRule } from '../src/api/analytics.ts';
import { rulesFromArmTemplate as readOnServer, rulesToArmTemplate as writeOnServer } from '../../server/src/detect/rule-arm-template.ts';
import { parseRuleProperties } from '../../server/src/detect/rule-model.ts';

const { ana, eli, fabrikamAdmin, northwindAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);
const NORTHWIND_WS = ws(N.subscription, N.rg, N.workspace);
const V = 'api-version=2025-09-01';
const rulesOf = (w: string) => `${w}/providers/Microsoft.SecurityInsights/alertRules`;
const BRUTE_FORCE_TEMPLATE = '7ede9741-6a6b-4f5f-b304-841c5a641f62';

const suite = new PortalSuite();
let server: TestServer;
let fabToken: string;
let nwToken: string;

/** Fabrikam's own rule, saved by its admin before the data arrives and run by the scheduler. */
const fabrikamRule = {
  kind: 'Scheduled',
  properties: {
    displayName: 'Failed logons on a host', severity: 'High', enabled: true,
    query: 'SecurityEvent | where EventID == 4625 | summarize Failures = count(), TimeGenerated = max(TimeGenerated) by Computer',
    queryFrequency: 'PT5M', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0,
    tactics: ['CredentialAccess'], techniques: ['T1110'], suppressionEnabled: false, suppressionDuration: 'PT1H',
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
  },
};

before(async () => {
  // No ingestion delay, and the test runs the scheduler itself (its own tick every 5 minutes).
  server = await suite.start({ environment: queryWorld(), config: { scheduledRuleDelaySeconds: 0, schedulerTickSeconds: 300 } });
  fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
  nwToken = await server.userToken(N.tenant, northwindAdmin.upn, northwindAdmin.password);
  // 16 failed logons on dc01 half an hour ago: enough for the brute force template (15) and Fabrikam's rule.
  const target = await securityEventsRule(server, fabToken, F, FABRIKAM_WS, 'dcr-security-events');
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  await upload(server, INGEST.fabrikam, target, Array.from({ length: 16 }, (_x, i) => ({
    TimeGenerated: at, Computer: 'dc01', EventID: 4625, TargetAccount: 'FABRIKAM\\admin', IpAddress: `203.0.113.${i + 1}`, Activity: '4625 - An account failed to log on.',
  })));
  // The rows are queryable (a test of the rule over the last hour finds them).
  await eventually(
    () => server.request('POST', `${FABRIKAM_WS}/providers/Vigil.SecurityInsights/testAlertRule?api-version=2025-01-01`, { token: fabToken, body: { ...fabrikamRule, days: 1 } }),
    (r) => r.status === 200 && r.body.totalAlerts > 0, 'the failed logons to be queryable',
  );
  const saved = await server.request('PUT', `${rulesOf(FABRIKAM_WS)}/failed-logons?${V}`, { token: fabToken, body: fabrikamRule });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  const secret = await server.request('PUT', `${rulesOf(NORTHWIND_WS)}/nw-secret?${V}`, { token: nwToken, body: {
    kind: 'NRT', properties: { displayName: 'Northwind confidential detection', severity: 'Low', enabled: true, query: 'SecurityEvent | where EventID == 4720' },
  } });
  assert.equal(secret.status, 201, JSON.stringify(secret.body));
  // The scheduler runs the rule's first window (it ends when the rule was saved).
  await server.server.scheduler.tick();
  const runs = await server.request('GET', `${FABRIKAM_WS}/providers/Vigil.SecurityInsights/alertRules/failed-logons/runs?api-version=2025-01-01`, { token: fabToken });
  assert.equal(runs.status, 200, JSON.stringify(runs.body));
  assert.equal(runs.body.value.length, 1, JSON.stringify(runs.body));
  assert.equal(runs.body.value[0].alerts, 1, JSON.stringify(runs.body));
});

after(() => suite.close());

const open = () => suite.open();

const rulesTable = (page: Page) => page.getByRole('table', { name: 'Analytics rules' });
const ruleRow = (page: Page, name: string) => rulesTable(page).getByRole('row').filter({ has: page.getByRole('button', { name, exact: true }) });
const wizard = (page: Page) => page.getByRole('region', { name: 'Analytics rule wizard' });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`waited 10 s for ${what}`);
}

/** Name cells of the listed rules. */
async function listedRules(page: Page): Promise<string[]> {
  await rulesTable(page).waitFor();
  return rulesTable(page).locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r.querySelectorAll('td')[1] as HTMLElement).querySelector('button')!.innerText.trim()));
}

async function expectRules(page: Page, expected: string[]): Promise<void> {
  let seen: string[] = [];
  await until(async () => {
    seen = await listedRules(page).catch(() => []);
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, `the rules ${JSON.stringify(expected)} (seen ${JSON.stringify(seen)})`);
}

/** The text of what describes a form control (its Field's validation message). */
async function description(control: Locator): Promise<string> {
  return control.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
}

/** Opens Analytics for a workspace from the navigation and picks the workspace. */
async function openAnalytics(page: Page, workspaceOption: RegExp): Promise<void> {
  await page.getByRole('link', { name: 'Analytics' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
  const picker = page.getByRole('combobox', { name: 'Workspace' });
  await picker.locator('option').first().waitFor({ state: 'attached' });
  const options = await picker.locator('option').allInnerTexts();
  const option = options.find((o) => workspaceOption.test(o));
  assert.ok(option !== undefined, `no workspace ${workspaceOption} among ${JSON.stringify(options)}`);
  await picker.selectOption({ label: option });
}

describe('the Analytics page', () => {
  test("the MSSP's engineer works a customer's rules: health, a rule from a template, test with current data, export and import, conflict, disable, delete", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await openAnalytics(page, /^ws-fabrikam \(Fabrikam, delegated\)$/);
    assert.match(page.url(), new RegExp(`/analytics\\?workspace=${encodeURIComponent(FABRIKAM_WS).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    // Fabrikam's rule with its health: the scheduler's run, its result and the alert it raised.
    await expectRules(page, ['Failed logons on a host']);
    const row = ruleRow(page, 'Failed logons on a host');
    await row.getByText('Enabled').waitFor();
    await row.getByText('Succeeded · 1 row').waitFor();
    await row.getByText('1 in 1 run').waitFor();
    await row.getByText('Credential Access').waitFor();
    await checkPage(page, 'a0-analytics-rules');

    // The template gallery: Create rule opens the wizard filled from the template.
    await page.getByRole('tab', { name: 'Rule templates' }).click();
    await page.waitForURL(/tab=templates/);
    const templates = page.getByRole('table', { name: 'Rule templates' });
    await templates.waitFor();
    assert.equal(await templates.locator('tbody tr').count(), 29);
    await page.getByLabel('Search templates').fill('Brute force against a Windows');
    await until(async () => (await templates.locator('tbody tr').count()) === 1, 'one template matching');
    await templates.getByText('SecurityEvent').first().waitFor();
    await checkPage(page, 'a1-analytics-templates');
    await page.getByRole('button', { name: 'Create rule from Brute force against a Windows account' }).click();
    const w = wizard(page);
    await w.getByRole('heading', { name: 'Create scheduled analytics rule' }).waitFor();
    await w.getByText(`From template ${BRUTE_FORCE_TEMPLATE}, version 1.0.0.`).waitFor();
    assert.equal(await w.getByRole('textbox', { name: /^Name/ }).inputValue(), 'Brute force against a Windows account');
    assert.equal(await w.getByRole('checkbox', { name: 'Credential Access' }).isChecked(), true);
    assert.equal(await w.getByLabel('Techniques').inputValue(), 'T1110, T1110.001');
    await w.getByRole('textbox', { name: /^Name/ }).fill('Brute force on Fabrikam hosts');
    await checkPage(page, 'a2-analytics-wizard-general');

    // A bad query: the server's message at the query field, the logic step opened on it, nothing lost.
    await w.getByRole('tab', { name: 'Set rule logic' }).click();
    const query = w.getByLabel('Rule query');
    const templateQuery = await query.inputValue();
    assert.match(templateQuery, /EventID == 4625/);
    await query.fill('SecurityEvent | where NoSuchColumn == 1');
    await w.getByRole('tab', { name: 'Review + create' }).click();
    await w.getByText('Brute force on Fabrikam hosts').first().waitFor();
    await w.getByRole('button', { name: 'Create' }).click();
    await w.getByRole('alert').filter({ hasText: 'The rule could not be created' }).waitFor();
    await w.getByRole('tab', { name: 'Set rule logic (1 problem)', selected: true }).waitFor();
    const problem = await description(query);
    assert.match(problem, /properties\.query: .*NoSuchColumn/);
    assert.equal(await query.inputValue(), 'SecurityEvent | where NoSuchColumn == 1');
    await checkPage(page, 'a3-analytics-wizard-bad-query');

    // Test with current data: the windows of the last day, counted by the server.
    await query.fill(templateQuery);
    const expected = await server.request('POST', `${FABRIKAM_WS}/providers/Vigil.SecurityInsights/testAlertRule?api-version=2025-01-01`, {
      token: fabToken,
      body: { kind: 'Scheduled', days: 1, properties: { displayName: 'x', severity: 'Medium', enabled: true, query: templateQuery, queryFrequency: 'PT1H', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0, eventGroupingSettings: { aggregationKind: 'AlertPerResult' } } },
    });
    assert.equal(expected.status, 200, JSON.stringify(expected.body));
    assert.equal(expected.body.totalAlerts, 1);
    const simulation = w.getByRole('region', { name: 'Test with current data' });
    await simulation.getByRole('button', { name: 'Test with current data' }).click();
    await simulation.getByRole('status').getByText(`1 alert in 1 of ${expected.body.windows.length} windows over the last 1 day.`).waitFor();
    const alerting = simulation.getByRole('table', { name: 'Windows that would have raised alerts' });
    assert.equal(await alerting.locator('tbody tr').count(), 1);
    const window = expected.body.windows.find((x: any) => x.alerts > 0);
    assert.deepEqual((await alerting.locator('tbody tr td').allInnerTexts()).slice(2), [String(window.rows), '1']);
    await simulation.getByRole('img', { name: /Alerts per window/ }).waitFor();
    await checkPage(page, 'a4-analytics-wizard-test');

    // Incident settings, then Create by keyboard.
    await w.getByRole('tab', { name: 'Incident settings' }).click();
    await w.getByRole('switch', { name: /Group related alerts/ }).check();
    await w.getByRole('radio', { name: /if all the entities match/ }).waitFor();
    await w.getByRole('tab', { name: 'Review + create' }).click();
    await w.getByText('AllEntities within 5 hours').waitFor();
    await checkPage(page, 'a5-analytics-wizard-review');
    const create = w.getByRole('button', { name: 'Create', exact: true });
    await create.focus();
    await page.keyboard.press('Shift+Tab');
    await tabUntil(page, () => create.evaluate((el) => el === document.activeElement), 'the Create button', 5);
    await page.keyboard.press('Enter');
    await expectRules(page, ['Brute force on Fabrikam hosts', 'Failed logons on a host']);
    const made = (await server.request('GET', `${rulesOf(FABRIKAM_WS)}?${V}`, { token: fabToken })).body.value.find((r: any) => r.properties.displayName === 'Brute force on Fabrikam hosts');
    assert.equal(made.properties.alertRuleTemplateName, BRUTE_FORCE_TEMPLATE);
    assert.equal(made.properties.templateVersion, '1.0.0');
    assert.equal(made.properties.query, templateQuery);
    assert.deepEqual(made.properties.subTechniques, ['T1110.001']);
    assert.equal(made.properties.incidentConfiguration.groupingConfiguration.enabled, true);
    assert.match(made.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    // Export both as an ARM template.
    await rulesTable(page).getByRole('checkbox', { name: 'Select all rules' }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (2)' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    assert.deepEqual(exported.parameters, { workspace: { type: 'String' } });
    assert.deepEqual(exported.resources.map((r: any) => r.name).sort(), [
      `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${made.name}')]`,
      "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/failed-logons')]",
    ].sort());
    assert.ok(exported.resources.every((r: any) => r.type === 'Microsoft.OperationalInsights/workspaces/providers/alertRules'));

    // Import into Northwind, with one more resource the server refuses (its reason shown).
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'ws-northwind (Northwind Traders, delegated)' });
    await expectRules(page, ['Northwind confidential detection']);
    const broken = { ...exported.resources[0], name: "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/broken-rule')]", properties: { ...exported.resources[0].properties, displayName: 'Broken severity', severity: 'Severe' } };
    const file = { ...exported, resources: [...exported.resources, broken] };
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import analytics rules' });
    await dialog.getByText('Into ws-northwind (Northwind Traders).').waitFor();
    await dialog.locator('input[type=file]').setInputFiles({ name: 'rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file, null, 2)) });
    await dialog.getByText('2 of 3 rules imported').waitFor();
    const results = dialog.getByRole('table', { name: 'Import results' });
    assert.deepEqual((await results.locator('tbody tr').allInnerTexts()).map((t) => t.split(/\t|\n/)[0]!.trim()).sort(), ['Broken severity', 'Brute force on Fabrikam hosts', 'Failed logons on a host']);
    const refused = results.getByRole('row').filter({ hasText: 'Broken severity' });
    await refused.getByText('Refused').waitFor();
    await refused.getByText(/properties\.severity/).waitFor();
    assert.equal(await results.getByRole('row').filter({ hasText: 'Created' }).count(), 2);
    await checkPage(page, 'a6-analytics-import');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expectRules(page, ['Brute force on Fabrikam hosts', 'Failed logons on a host', 'Northwind confidential detection']);
    const nwRules = (await server.request('GET', `${rulesOf(NORTHWIND_WS)}?${V}`, { token: nwToken })).body.value;
    const copy = nwRules.find((r: any) => r.name === made.name);
    assert.equal(copy.properties.query, templateQuery);
    assert.equal(copy.properties.alertRuleTemplateName, BRUTE_FORCE_TEMPLATE);
    assert.deepEqual(copy.properties.entityMappings, made.properties.entityMappings);

    // A file that is not a template: said so, nothing sent.
    await page.getByRole('button', { name: 'Import' }).click();
    await dialog.locator('input[type=file]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"rules": ') });
    await dialog.getByRole('alert').filter({ hasText: 'The file could not be read' }).getByText(/The file is not JSON/).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Editing: Northwind's admin saves the rule meanwhile; Eli's save is refused (412) and said so.
    await page.getByRole('button', { name: 'Failed logons on a host', exact: true }).click();
    await wizard(page).getByRole('heading', { name: 'Edit analytics rule: Failed logons on a host' }).waitFor();
    const current = await server.request('GET', `${rulesOf(NORTHWIND_WS)}/failed-logons?${V}`, { token: nwToken });
    const changed = await server.request('PUT', `${rulesOf(NORTHWIND_WS)}/failed-logons?${V}`, { token: nwToken, body: { kind: 'Scheduled', properties: { ...current.body.properties, severity: 'Low' } } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await wizard(page).getByRole('combobox', { name: 'Severity' }).selectOption('Medium');
    await wizard(page).getByRole('tab', { name: 'Review + create' }).click();
    await wizard(page).getByRole('button', { name: 'Save' }).click();
    const conflict = wizard(page).getByRole('alert').filter({ hasText: 'The rule was changed since you opened it' });
    await conflict.waitFor();
    await checkPage(page, 'a7-analytics-conflict');
    await conflict.getByRole('button', { name: 'Open the current version' }).click();
    await conflict.waitFor({ state: 'detached' });
    await wizard(page).getByRole('tab', { name: 'General' }).click();
    assert.equal(await wizard(page).getByRole('combobox', { name: 'Severity' }).inputValue(), 'Low');
    // Leaving a wizard with changes asks first.
    await wizard(page).getByRole('combobox', { name: 'Severity' }).selectOption('High');
    await wizard(page).getByRole('button', { name: 'Cancel' }).click();
    const discard = page.getByRole('dialog', { name: 'Discard your changes?' });
    await discard.getByRole('button', { name: 'Keep editing' }).click();
    assert.equal(await wizard(page).getByRole('combobox', { name: 'Severity' }).inputValue(), 'High');
    await wizard(page).getByRole('button', { name: 'Cancel' }).click();
    await discard.getByRole('button', { name: 'Discard' }).click();
    await wizard(page).waitFor({ state: 'detached' });

    // Disable from the row's menu, then delete after the confirmation.
    await page.getByRole('button', { name: 'Actions for Failed logons on a host' }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await page.getByText('Failed logons on a host is disabled.').waitFor();
    await ruleRow(page, 'Failed logons on a host').getByText('Disabled').waitFor();
    assert.equal((await server.request('GET', `${rulesOf(NORTHWIND_WS)}/failed-logons?${V}`, { token: nwToken })).body.properties.enabled, false);
    await page.getByRole('button', { name: 'Actions for Failed logons on a host' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Failed logons on a host?' });
    await checkPage(page, 'a8-analytics-delete');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expectRules(page, ['Brute force on Fabrikam hosts', 'Northwind confidential detection']);
    assert.equal((await server.request('GET', `${rulesOf(NORTHWIND_WS)}/failed-logons?${V}`, { token: nwToken })).status, 404);
    assert.deepEqual(unexpectedErrors(checked, [400, 412]), []);
  });

  test('a Responder reads and tests the rules; nothing the server would refuse her is offered', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await openAnalytics(page, /^ws-fabrikam \(Fabrikam, delegated\)$/);
    await ruleRow(page, 'Failed logons on a host').getByText('Succeeded · 1 row').waitFor();
    const note = page.getByText('You can read these rules, not change them');
    await note.waitFor();
    assert.match(await note.locator('..').innerText(), /through the delegation from Fabrikam.*Microsoft\.SecurityInsights\/alertRules\/write/s);
    assert.equal(await page.getByRole('button', { name: 'Create' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Import' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Actions for Failed logons on a host' }).click();
    assert.equal(await page.getByRole('menuitem', { name: 'Disable' }).getAttribute('aria-disabled'), 'true');
    assert.equal(await page.getByRole('menuitem', { name: 'Delete' }).getAttribute('aria-disabled'), 'true');
    await checkPage(page, 'a9-analytics-responder');
    await page.getByRole('menuitem', { name: 'View' }).click();

    // The rule opens for reading and testing; there is nothing to save.
    const w = wizard(page);
    await w.getByRole('heading', { name: 'View analytics rule: Failed logons on a host' }).waitFor();
    await w.getByRole('tab', { name: 'Set rule logic' }).click();
    const simulation = w.getByRole('region', { name: 'Test with current data' });
    await simulation.getByRole('button', { name: 'Test with current data' }).click();
    const summary = await simulation.getByRole('status').innerText();
    assert.match(summary, /^[1-9]\d* alerts? in [1-9]\d* of 288 windows over the last 1 day\.$/);
    await w.getByRole('tab', { name: 'Review + create' }).click();
    await w.getByText('Your roles do not allow saving analytics rules in this workspace').waitFor();
    assert.equal(await w.getByRole('button', { name: /^(Save|Create)$/ }).count(), 0);
    await checkPage(page, 'a9-analytics-responder-view');
    await w.getByRole('button', { name: 'Close' }).click();

    // The gallery: its Create rule buttons are disabled too.
    await page.getByRole('tab', { name: 'Rule templates' }).click();
    assert.equal(await page.getByRole('button', { name: 'Create rule from Brute force against a Windows account' }).isDisabled(), true);
    assert.deepEqual(unexpectedErrors(checked), []);
  });

  test("a customer's admin sees the customer's rules only", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await page.getByRole('link', { name: 'Analytics' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
    assert.deepEqual(await page.getByRole('combobox', { name: 'Workspace' }).locator('option').allInnerTexts(), ['ws-fabrikam (Fabrikam)']);
    await expectRules(page, ['Brute force on Fabrikam hosts', 'Failed logons on a host']);
    assert.equal(await page.getByText('Northwind confidential detection').count(), 0);
    // Northwind's workspace asked for by URL: not in the selection, and not requested.
    await page.goto(`${server.url}/analytics?workspace=${encodeURIComponent(NORTHWIND_WS)}`);
    await page.getByText('Workspace not in your selection').waitFor();
    assert.equal(await rulesTable(page).count(), 0);
    await checkPage(page, 'aa-analytics-customer');
    assert.deepEqual(unexpectedErrors(checked), []);
  });
});

// The page's ARM template reader and writer (in the browser) against the server's, which
// `vigil rules import|export` use and which read Sentinel's own Export: each reads what the other
// writes, strings that look like expressions included.
describe("the Analytics page's ARM templates", () => {
  const properties = {
    displayName: '[Fabrikam] Failed logons [high]', description: "It's [[not] an expression", severity: 'High', enabled: true,
    query: "SecurityEvent | where EventID == 4625 | extend Note = '[x]'", queryFrequency: 'PT5M', queryPeriod: 'PT1H',
    tactics: ['CredentialAccess'], techniques: ['T1110'], alertRuleTemplateName: BRUTE_FORCE_TEMPLATE, templateVersion: '1.0.0',
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
    customDetails: { Note: 'Note' },
  };

  test('what the page exports, the server (and so the CLI) imports unchanged', () => {
    const definition = parseRuleProperties('Scheduled', properties);
    const rule = { id: 'x', name: 'rule-1', kind: 'Scheduled', etag: '"e"', properties: { ...definition.properties, lastModifiedUtc: '2026-11-27T00:00:00Z', disabledReason: 'x' } } as unknown as AlertRule;
    const template = JSON.parse(JSON.stringify(writeInBrowser([rule])));
    assert.equal(template.resources[0].properties.displayName, '[[Fabrikam] Failed logons [high]');
    assert.equal(template.resources[0].properties.lastModifiedUtc, undefined);
    const [read, ...rest] = readOnServer(template, 'ws-northwind');
    assert.equal(rest.length, 0);
    assert.equal(read!.name, 'rule-1');
    assert.deepEqual(read!.definition, definition);
  });

  test('what the server exports, the page imports unchanged; what it cannot evaluate is named', () => {
    const definition = parseRuleProperties('Scheduled', properties);
    const template = writeOnServer([{ name: 'rule-1', definition }, { name: 'rule-2', definition: parseRuleProperties('NRT', { displayName: 'NRT', severity: 'Low', enabled: false, query: 'SecurityEvent' }) }]);
    const [one, two] = readInBrowser(JSON.stringify(template));
    if (!one?.ok || !two?.ok) assert.fail(`both rules read: ${JSON.stringify([one, two])}`);
    assert.equal(one.name, 'rule-1');
    assert.deepEqual(parseRuleProperties(one.kind, one.properties), definition);
    assert.equal(two.kind, 'NRT');
    assert.equal(two.properties.enabled, false);

    const first = (template['resources'] as { properties: object }[])[0]!;
    const withVariable = { ...template, resources: [{ ...first, properties: { ...first.properties, severity: "[variables('severity')]" } }] };
    const [refused] = readInBrowser(JSON.stringify(withVariable));
    if (refused === undefined || refused.ok) assert.fail('the expression is refused');
    assert.match(refused.message, /^resources\[0\]\.properties\.severity is the template expression "\[variables\('severity'\)\]".*vigil rules import/);
    assert.throws(() => readInBrowser('{"resources": 1}'), /no "resources" array/);
    assert.throws(() => readInBrowser('[1'), /The file is not JSON/);
    const [other] = readInBrowser(JSON.stringify({ resources: [{ type: 'Microsoft.Storage/storageAccounts', name: 'x' }] }));
    if (other === undefined || other.ok) assert.fail('the storage account is not read as a rule');
    assert.match(other.message, /not an analytics rule/);
  });
});
