// The Automation page in Debian's Chromium against a real test server (the example MSSP world):
// Eli, the MSSP's SOC engineer (Microsoft Sentinel Contributor in Fabrikam through the
// delegation), creates a rule in Fabrikam's workspace with the form (on incident created,
// severity equals High: assign Ana and add a task); a rule whose owner cannot reach Fabrikam is
// refused with the server's message naming the action, nothing typed lost; the rules are listed in
// order. Incidents then made through the ARM API really get the owner and the task (a Low one
// does not); disabled, the rule stops acting; a rule changed meanwhile is refused (412) and
// explained; deleted after a confirmation. Northwind's admin never sees Fabrikam's rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil } from './browser.ts';

const { ana, eli, fabrikamAdmin, northwindAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);
const RULES = `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/automationRules`;
const INCIDENTS = `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/incidents`;
const V = 'api-version=2025-09-01';

const suite = new PortalSuite();
let server: TestServer;
let fabToken: string;

before(async () => {
  server = await suite.start();
  fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
});

after(() => suite.close());

const open = () => suite.open();

const rulesTable = (page: Page) => page.getByRole('table', { name: 'Automation rules' });
const editor = (page: Page) => page.getByRole('dialog', { name: 'Create automation rule' });

/** Order, name, trigger, conditions, actions, enabled of each listed rule. */
async function listedRules(page: Page): Promise<string[]> {
  const rows = await rulesTable(page).locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).slice(0, 6).map((c) => c.trim().replace(/\s*\n\s*/g, '; ')).join(' | ')));
}

async function expectRules(page: Page, expected: string[]): Promise<void> {
  let seen: string[] = [];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    seen = await listedRules(page).catch(() => []);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`waited 15 s for the rules ${JSON.stringify(expected)} (seen ${JSON.stringify(seen)})`);
}

/** An incident made through the ARM API as Fabrikam's admin; the answer is the incident as automation left it. */
async function incident(name: string, severity: string): Promise<{ owner?: string; tasks: string[]; labels: string[] }> {
  const res = await server.request('PUT', `${INCIDENTS}/${name}?${V}`, { token: fabToken, body: { properties: { title: `Incident ${name}`, severity, status: 'New' } } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const got = await server.request('GET', `${INCIDENTS}/${name}?${V}`, { token: fabToken });
  const tasks = await server.request('GET', `${INCIDENTS}/${name}/tasks?${V}`, { token: fabToken });
  assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
  return {
    owner: got.body.properties.owner?.userPrincipalName ?? undefined,
    tasks: (tasks.body.value as { properties: { title: string } }[]).map((t) => t.properties.title),
    labels: (got.body.properties.labels as { labelName: string }[]).map((l) => l.labelName),
  };
}

const TRIAGE = '2 | Triage high severity | When an incident is created | Incident Severity equals High | Set owner ana@contososoc.example; Add task “Check the sign-in logs” | On';
const LABEL = '1 | Label everything | When an incident is created | Always | Set labels mssp | On';

describe('the Automation page', () => {
  test("the MSSP's engineer creates a rule in a customer's workspace; incidents made through the API get its owner and task", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Automation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Automation' }).waitFor();
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: `${F.workspace} (Fabrikam, delegated)` });
    await page.waitForURL(`${server.url}/automation?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByText(`${F.workspace} has no automation rule yet.`).waitFor();
    await checkPage(page, '90-automation-empty');

    // Create rule, opened with the keyboard.
    await page.getByRole('combobox', { name: 'Workspace' }).focus();
    await tabUntil(page, () => page.evaluate(() => document.activeElement?.textContent === 'Create rule'), 'Create rule', 10);
    await page.keyboard.press('Enter');
    const form = editor(page);
    await form.waitFor();
    await form.getByLabel('Name').fill('Triage high severity');
    assert.equal(await form.getByLabel('Order').inputValue(), '1');
    await form.getByLabel('Order').fill('2');
    assert.equal(await form.getByLabel('Trigger').inputValue(), 'IncidentCreated');
    await form.getByRole('button', { name: 'Add condition' }).click();
    const condition = form.getByRole('group', { name: 'Condition 1' });
    await condition.getByLabel('Property').selectOption('IncidentSeverity');
    assert.equal(await condition.getByLabel('Operator').locator('option').count(), 8, 'the eight operators the server supports');
    await condition.getByLabel('Operator').selectOption('Equals');
    await condition.getByLabel('Values').fill('High');
    // Owner: first one who cannot reach Fabrikam's incidents (Northwind's admin): refused by the server.
    await form.getByRole('group', { name: 'Action 1' }).getByLabel('Owner').fill(northwindAdmin.upn);
    await form.getByRole('button', { name: 'Add action' }).click();
    const task = form.getByRole('group', { name: 'Action 2' });
    await task.getByLabel('Action', { exact: true }).selectOption('AddIncidentTask');
    await task.getByLabel('Task title').fill('Check the sign-in logs');
    await task.getByLabel('Task description').fill('Sign-ins of the accounts in the incident, last 24 hours');
    await checkPage(page, '91-automation-form');
    await form.getByRole('button', { name: 'Save' }).click();
    const refusal = form.getByRole('alert').filter({ hasText: 'The rule was not saved' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /properties\.actions\[0\]\.actionConfiguration\.owner.*InvalidRequestContent/s);
    // The action at fault is marked with the message; nothing typed is lost.
    assert.match(await form.getByRole('group', { name: 'Action 1' }).innerText(), /properties\.actions\[0\]\.actionConfiguration\.owner/);
    await checkPage(page, '92-automation-refused');
    assert.equal(await form.getByLabel('Name').inputValue(), 'Triage high severity');
    assert.equal(await task.getByLabel('Task title').inputValue(), 'Check the sign-in logs');
    assert.equal(await condition.getByLabel('Values').inputValue(), 'High');
    await form.getByRole('group', { name: 'Action 1' }).getByLabel('Owner').fill(ana.upn);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'hidden' });
    await expectRules(page, [TRIAGE]);

    // A second rule, order 1: listed first.
    await page.getByRole('button', { name: 'Create rule' }).click();
    await form.getByLabel('Name').fill('Label everything');
    await form.getByLabel('Order').fill('1');
    await form.getByRole('group', { name: 'Action 1' }).getByLabel('Add labels').fill('mssp');
    await form.getByLabel('Expires').fill('2030-01-31T12:00');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'hidden' });
    await expectRules(page, [LABEL, TRIAGE]);
    // The expiry typed in the browser's time zone (the test's too) is saved as UTC, and listed.
    const listed = (await server.request('GET', `${RULES}?${V}`, { token: fabToken })).body.value as { properties: { displayName: string; triggeringLogic: { expirationTimeUtc?: string } } }[];
    assert.deepEqual(listed.map((r) => [r.properties.displayName, r.properties.triggeringLogic.expirationTimeUtc]),
      [['Label everything', new Date('2030-01-31T12:00').toISOString()], ['Triage high severity', undefined]]);
    assert.deepEqual(await rulesTable(page).locator('tbody tr td:nth-child(7)').allInnerTexts(), [new Date('2030-01-31T12:00').toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }), 'Never']);
    await checkPage(page, '93-automation-listed');

    // The rules are real: a High incident gets Ana and the task, a Low one only the label.
    assert.deepEqual(await incident('high-1', 'High'), { owner: ana.upn, tasks: ['Check the sign-in logs'], labels: ['mssp'] });
    assert.deepEqual(await incident('low-1', 'Low'), { owner: undefined, tasks: [], labels: ['mssp'] });

    // Disabled, the triage rule no longer acts.
    await page.getByRole('switch', { name: 'Triage high severity enabled' }).click();
    await expectRules(page, [LABEL, TRIAGE.replace(/On$/, 'Off')]);
    const saved = await server.request('GET', `${RULES}?${V}`, { token: fabToken });
    assert.deepEqual((saved.body.value as { properties: { displayName: string; triggeringLogic: { isEnabled: boolean } } }[]).map((r) => [r.properties.displayName, r.properties.triggeringLogic.isEnabled]),
      [['Label everything', true], ['Triage high severity', false]]);
    assert.deepEqual(await incident('high-2', 'High'), { owner: undefined, tasks: [], labels: ['mssp'] });
    assert.deepEqual(checked.errors.filter((e) => !e.includes('the server responded with a status of 400')), []);
    assert.equal(checked.errors.length, 1, JSON.stringify(checked.errors));
  });

  test('a rule changed meanwhile is refused and explained; editing keeps the rule; deleting asks first', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await page.goto(`${server.url}/automation?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await expectRules(page, [LABEL, TRIAGE.replace(/On$/, 'Off')]);
    // Fabrikam's admin changes the label rule after the page read it.
    const rules = (await server.request('GET', `${RULES}?${V}`, { token: fabToken })).body.value as { name: string; properties: Record<string, unknown> }[];
    const label = rules.find((r) => r.properties.displayName === 'Label everything')!;
    const changed = await server.request('PUT', `${RULES}/${label.name}?${V}`, { token: fabToken, body: { properties: { ...label.properties, displayName: 'Label everything (admin)' } } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await page.getByRole('switch', { name: 'Label everything enabled' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'This rule was changed since the list was read' });
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /nothing was overwritten/);
    await checkPage(page, '94-automation-conflict');
    await conflict.getByRole('button', { name: 'Refresh' }).click();
    await expectRules(page, [LABEL.replace('Label everything', 'Label everything (admin)'), TRIAGE.replace(/On$/, 'Off')]);

    // Edit the triage rule: the form shows it as saved; enabled again with a second value.
    await page.getByRole('button', { name: 'Edit Triage high severity' }).click();
    const form = page.getByRole('dialog', { name: 'Edit Triage high severity' });
    assert.equal(await form.getByRole('group', { name: 'Condition 1' }).getByLabel('Values').inputValue(), 'High');
    assert.equal(await form.getByRole('group', { name: 'Action 1' }).getByLabel('Owner').inputValue(), ana.upn);
    await form.getByRole('group', { name: 'Condition 1' }).getByLabel('Values').fill('High, Medium');
    await form.getByLabel('Enabled').check();
    await checkPage(page, '95-automation-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'hidden' });
    await expectRules(page, [LABEL.replace('Label everything', 'Label everything (admin)'), TRIAGE.replace('equals High', 'equals High or Medium')]);
    assert.deepEqual(await incident('medium-1', 'Medium'), { owner: ana.upn, tasks: ['Check the sign-in logs'], labels: ['mssp'] });

    await page.getByRole('button', { name: 'Delete Triage high severity' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Triage high severity?' });
    await checkPage(page, '96-automation-delete');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expectRules(page, [LABEL.replace('Label everything', 'Label everything (admin)')]);
    const left = await server.request('GET', `${RULES}?${V}`, { token: fabToken });
    assert.deepEqual((left.body.value as { properties: { displayName: string } }[]).map((r) => r.properties.displayName), ['Label everything (admin)']);
    assert.deepEqual(checked.errors.filter((e) => !e.includes('the server responded with a status of 412')), []);
    assert.equal(checked.errors.length, 1, JSON.stringify(checked.errors));
  });

  test('the tier-1 analyst (Responder, whose role holds automationRules/*) may change the rules through the delegation', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await page.goto(`${server.url}/automation?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await expectRules(page, [LABEL.replace('Label everything', 'Label everything (admin)')]);
    await page.getByRole('button', { name: 'Create rule' }).and(page.locator(':not([disabled])')).waitFor();
    assert.equal(await page.getByRole('switch', { name: 'Label everything (admin) enabled' }).isDisabled(), false);
    assert.equal(await page.getByText('You can read these automation rules, not change them').count(), 0);
    assert.deepEqual(checked.errors, []);
  });

  test("another customer's admin never sees Fabrikam's rules", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, northwindAdmin, 'Northwind');
    await page.goto(`${server.url}/automation`);
    assert.match(await page.getByRole('combobox', { name: 'Workspace' }).locator('option:checked').innerText(), new RegExp(`${N.workspace} \\(Northwind Traders\\)`));
    await page.getByText(`${N.workspace} has no automation rule yet.`).waitFor();
    await page.goto(`${server.url}/automation?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByText('Workspace not in your selection').waitFor();
    assert.equal(await page.getByText('Label everything').count(), 0);
    await checkPage(page, '97-automation-other-customer');
    assert.deepEqual(checked.errors, []);
  });
});
