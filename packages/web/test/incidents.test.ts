// The Incidents pages in Debian's Chromium against a real test server (the example MSSP world),
// with incidents in both customers' workspaces made through the ARM API as their admins would:
// Ana, the MSSP's tier-1 analyst, works both customers' incidents in one queue (filters, sort,
// bulk changes with a result per incident), opens one, takes it, comments, adds and completes a
// task, closes it with a classification, and sees it so after a reload; a change made meanwhile
// is refused (412) and said so; errors are shown; a customer's admin sees only its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil, unexpectedErrors } from './browser.ts';

const { ana, fabrikamAdmin, northwindAdmin } = WORLD.users;
/** Owners are shown by name, as Sentinel does. */
const ANA = 'Ana (tier-1 analyst)';
const FABRIKAM_ADMIN = 'Fabrikam admin';
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const V = 'api-version=2022-09-01-preview';
const incidentsOf = (c: { subscription: string; rg: string; workspace: string }) => `${ws(c.subscription, c.rg, c.workspace)}/providers/Microsoft.SecurityInsights/incidents`;

const suite = new PortalSuite();
let server: TestServer;
let fabToken: string;

before(async () => {
  server = await suite.start();
  fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
  const nwToken = await server.userToken(N.tenant, northwindAdmin.upn, northwindAdmin.password);
  const made: [string, { subscription: string; rg: string; workspace: string }, string, string, string][] = [
    [fabToken, F, 'f1', 'High', 'Brute force on dc01'],
    [fabToken, F, 'f2', 'Low', 'Rare process on web02'],
    [fabToken, F, 'f3', 'Medium', 'Mass download by a contractor'],
    [nwToken, N, 'n1', 'High', 'Impossible travel for the CFO'],
    [nwToken, N, 'n2', 'Informational', 'New admin consent'],
  ];
  for (const [token, c, name, severity, title] of made) {
    const res = await server.request('PUT', `${incidentsOf(c)}/${name}?${V}`, { token, body: { properties: { title, severity, status: 'New' } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  // Two alerts on Fabrikam's brute force, as a rule run would have written them (rule runs have
  // their own tests; this one needs only what the incident page reads).
  const db = server.server.services.db;
  const f1 = await db.selectFrom('incidents').select(['id', 'workspace_id']).where('id', '=', `${incidentsOf(F)}/f1`.toLowerCase()).executeTakeFirstOrThrow();
  for (const [n, ip] of [[1, '203.0.113.7'], [2, '203.0.113.9']] as const) {
    const time = `2026-11-27T0${n}:00:00.000Z`;
    const entities = [{ $id: '1', Type: 'host', HostName: 'dc01' }, { $id: '2', Type: 'ip', Address: ip }];
    await db.insertInto('alerts').values({
      id: `alert-${n}`, workspace_id: f1.workspace_id, rule_id: 'brute-force', window_end: time, time_generated: time, severity: 'High',
      display_name: `Brute force on dc01 from ${ip}`, entities: JSON.stringify(entities), appended: 1, incident_id: f1.id,
      record: JSON.stringify({
        DisplayName: `Brute force on dc01 from ${ip}`, Description: '', AlertSeverity: 'High', Status: 'New', AlertType: 'brute-force', ProductName: 'Azure Sentinel',
        TimeGenerated: time, StartTime: time, EndTime: time, Tactics: 'CredentialAccess', ExtendedProperties: '{}', Entities: JSON.stringify(entities),
      }),
    }).execute();
  }
});

after(() => suite.close());

const open = () => suite.open();

const queue = (page: Page) => page.getByRole('table', { name: 'Incidents' });

/** Severity, number, title, status, owner, directory, workspace of each listed incident. */
async function listed(page: Page): Promise<string[]> {
  await queue(page).waitFor();
  const rows = await queue(page).locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).slice(1, 8).map((c) => c.trim()).join(' | ')));
}
const titles = async (page: Page) => (await listed(page)).map((r) => r.split(' | ')[2]!);

/** Waits until the queue shows exactly these titles, in this order. */
async function expectTitles(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await titles(page).catch(() => []);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(seen, expected);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`waited 10 s for ${what}`);
}

const row = (page: Page, title: string) => queue(page).locator('tbody tr').filter({ has: page.getByRole('link', { name: title, exact: true }) });
const isFocused = (locator: ReturnType<Page['locator']>) => () => locator.evaluate((el) => el === document.activeElement).catch(() => false);


describe('the Incidents pages', () => {
  test("the MSSP analyst works both customers' incidents in one queue and closes one; the change is there after a reload", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Incidents' }).click();
    await page.waitForURL(`${server.url}/incidents`);
    // Newest first, both customers, each with its directory and workspace.
    assert.deepEqual(await listed(page), [
      'Informational | 2 | New admin consent | New |  | Northwind Traders | ws-northwind',
      'High | 1 | Impossible travel for the CFO | New |  | Northwind Traders | ws-northwind',
      'Medium | 3 | Mass download by a contractor | New |  | Fabrikam | ws-fabrikam',
      'Low | 2 | Rare process on web02 | New |  | Fabrikam | ws-fabrikam',
      'High | 1 | Brute force on dc01 | New |  | Fabrikam | ws-fabrikam',
    ].map((r) => r.replace('|  |', '| Unassigned |')));
    await checkPage(page, '50-incidents');

    // Filter on severity, then sort by clicking the headers.
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('High');
    await expectTitles(page, ['Impossible travel for the CFO', 'Brute force on dc01']);
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('All');
    await page.getByRole('columnheader', { name: 'Severity' }).getByRole('button').click();
    await page.locator('th[aria-sort=descending]').filter({ hasText: 'Severity' }).waitFor();
    const bySeverity = async () => (await listed(page)).map((r) => r.split(' | ')[0]);
    assert.deepEqual(await bySeverity(), ['High', 'High', 'Medium', 'Low', 'Informational']);
    await page.getByRole('columnheader', { name: 'Severity' }).getByRole('button').click();
    await page.locator('th[aria-sort=ascending]').filter({ hasText: 'Severity' }).waitFor();
    assert.deepEqual(await bySeverity(), ['Informational', 'Low', 'Medium', 'High', 'High']);

    // Bulk, by keyboard for the first: select two incidents of two customers and take them.
    const select = (title: string) => row(page, title).getByRole('checkbox');
    await tabUntil(page, isFocused(select('Rare process on web02')), "the checkbox of Fabrikam's incident", 60);
    await page.keyboard.press('Space');
    await select('New admin consent').check();
    await page.getByRole('button', { name: 'Assign to me' }).click();
    const result = page.getByRole('status', { name: 'Result of the change' });
    await result.getByText('Assign to me: 2 of 2 incidents updated').waitFor();
    await row(page, 'Rare process on web02').getByText(ANA).waitFor();
    await row(page, 'New admin consent').getByText(ANA).waitFor();

    // Assigning to Fabrikam's admin: Northwind's incident refuses them, named with the server's reason.
    await select('Rare process on web02').check();
    await select('New admin consent').check();
    await page.getByRole('button', { name: 'Assign to…' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign 2 incidents' });
    await assign.getByLabel('Owner (user principal name)').fill(fabrikamAdmin.upn);
    await checkPage(page, '51-incidents-assign');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await result.getByText(`Assign to ${fabrikamAdmin.upn}: 1 of 2 incidents updated`).waitFor();
    const failure = await result.locator('li').allInnerTexts();
    assert.equal(failure.length, 1);
    assert.match(failure[0]!, /^Incident 2 \(New admin consent, Northwind Traders\): /);
    assert.match(failure[0]!, /admin@fabrikam\.example/);
    await row(page, 'Rare process on web02').getByText(FABRIKAM_ADMIN).waitFor();
    await checkPage(page, '52-incidents-bulk-result');

    // Bulk close with a classification: the queue shows open incidents only, so it leaves.
    await page.getByRole('button', { name: 'Close…' }).click();
    const close = page.getByRole('dialog', { name: 'Close 1 incident' });
    await close.getByRole('combobox', { name: 'Classification' }).selectOption('BenignPositive');
    await close.getByLabel('Comment').fill('Expected: the admin consented during onboarding.');
    await close.getByRole('button', { name: 'Close incident' }).click();
    await result.getByText('Close: 1 of 1 incident updated').waitFor();
    await row(page, 'New admin consent').waitFor({ state: 'detached' });

    // The incident page: open one by its title.
    await row(page, 'Brute force on dc01').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Incident 1: Brute force on dc01' }).waitFor();
    const facts = page.getByLabel('About the incident');
    await facts.getByText('Fabrikam').first().waitFor();
    await facts.getByText('ws-fabrikam (Fabrikam production)').waitFor();
    await facts.getByText('Delegated').waitFor();
    await page.getByRole('table', { name: 'Alerts' }).getByText('Brute force on dc01 from 203.0.113.9').waitFor();
    assert.deepEqual(await page.getByRole('list', { name: 'Entities' }).getByRole('listitem').allInnerTexts(), ['Host dc01', 'Ip 203.0.113.7', 'Ip 203.0.113.9']);
    await page.getByRole('list', { name: 'Timeline' }).getByText('Brute force on dc01 from 203.0.113.7').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Incident 1 created').waitFor();
    await checkPage(page, '53-incident');

    const form = page.getByRole('form', { name: 'Change the incident' });
    await form.getByRole('button', { name: 'Assign to me' }).click();
    await form.getByRole('combobox', { name: 'Status' }).selectOption('Active');
    // Tags: comma-separated, blanks and repeats dropped.
    await form.getByLabel('Tags').fill(' credential-access, vip,, vip ');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    await facts.getByText(`${ANA} (${ana.upn})`).waitFor();
    assert.deepEqual(await facts.locator('dt:has-text("Tags") + dd > *').allInnerTexts(), ['credential-access', 'vip']);

    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Add a comment').fill('Failed sign-ins from one IP; the account is a test account.');
    await comments.getByRole('button', { name: 'Add comment' }).click();
    await comments.getByRole('list', { name: 'Comments' }).getByText('Failed sign-ins from one IP; the account is a test account.').waitFor();
    const tasks = page.getByRole('region', { name: 'Tasks' });
    await tasks.getByLabel('New task').fill('Confirm with the customer');
    await tasks.getByRole('button', { name: 'Add task' }).click();
    await tasks.getByRole('checkbox', { name: 'Confirm with the customer', exact: true }).click();
    await tasks.getByRole('checkbox', { name: 'Confirm with the customer (completed)' }).waitFor();

    await form.getByRole('combobox', { name: 'Status' }).selectOption('Closed');
    await form.getByRole('combobox', { name: 'Classification' }).selectOption('FalsePositive');
    await form.getByRole('combobox', { name: 'Reason' }).selectOption('InaccurateData');
    await form.getByLabel('Closing comment').fill('A test account, not an attack.');
    await checkPage(page, '54-incident-closing');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1 }).locator('..').getByText('Closed', { exact: true }).waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Incident 1: Brute force on dc01' }).waitFor();
    await facts.getByText('False positive (Inaccurate data) — A test account, not an attack.').waitFor();
    const labels = await server.request('GET', `${incidentsOf(F)}/f1?${V}`, { token: fabToken });
    assert.deepEqual(labels.body.properties.labels, [{ labelName: 'credential-access', labelType: 'User' }, { labelName: 'vip', labelType: 'User' }]);
    assert.equal(await form.getByLabel('Tags').inputValue(), 'credential-access, vip');
    await facts.getByText(`${ANA} (${ana.upn})`).waitFor();
    await comments.getByText('Failed sign-ins from one IP; the account is a test account.').waitFor();
    await tasks.getByRole('checkbox', { name: 'Confirm with the customer (completed)' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Failed sign-ins from one IP; the account is a test account.').waitFor();
    await checkPage(page, '55-incident-closed');

    // The queue of closed incidents has it, with Ana as owner.
    await page.getByRole('link', { name: 'Incidents' }).first().click();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Closed');
    await expectTitles(page, ['New admin consent', 'Brute force on dc01']);
    assert.match((await listed(page))[1]!, /Closed \| Ana \(tier-1 analyst\) \| Fabrikam \| ws-fabrikam/);
    assert.deepEqual(unexpectedErrors(checked), []);
  });

  test('a change made meanwhile is refused and said so; errors are messages with a retry', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    const f3 = `${incidentsOf(F)}/f3`;
    await page.goto(`${server.url}/incidents${f3}`);
    await page.getByRole('heading', { level: 1, name: 'Incident 3: Mass download by a contractor' }).waitFor();
    // Fabrikam's admin changes it after Ana opened it.
    const current = await server.request('GET', `${f3}?${V}`, { token: fabToken });
    const changed = await server.request('PUT', `${f3}?${V}`, { token: fabToken, body: { properties: { ...current.body.properties, severity: 'High' } } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const form = page.getByRole('form', { name: 'Change the incident' });
    await form.getByRole('combobox', { name: 'Severity' }).selectOption('Low');
    await form.getByRole('button', { name: 'Save' }).click();
    const conflict = form.getByRole('alert').filter({ hasText: 'This incident was changed since you opened it — reload' });
    await conflict.waitFor();
    await checkPage(page, '56-incident-conflict');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await conflict.waitFor({ state: 'detached' });
    await until(async () => (await form.getByRole('combobox', { name: 'Severity' }).inputValue()) === 'High', 'the reloaded severity');

    // An incident that does not exist: the API's message, not a blank page.
    await page.goto(`${server.url}/incidents${incidentsOf(F)}/no-such-incident`);
    await page.getByRole('alert').filter({ hasText: 'The incident could not be loaded' }).getByText(/was not found/).waitFor();

    // The queue fails once: its message and a retry that works.
    let failures = 1;
    await page.route('**/providers/Vigil.SecurityInsights/incidents?*', async (route) => {
      if (failures-- <= 0) return route.continue();
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The incident store is restarting; try again in a minute.' } }) });
    });
    await page.goto(`${server.url}/incidents`);
    const alert = page.getByRole('alert').filter({ hasText: 'The incidents could not be listed' });
    await alert.getByText('The incident store is restarting; try again in a minute. (ServiceUnavailable)').waitFor();
    await checkPage(page, '57-incidents-error');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await queue(page).waitFor();
    assert.deepEqual(unexpectedErrors(checked, [412, 404, 503]), []);
  });

  test("a customer's admin sees only its own incidents", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    // Pages of two (the portal asks for 50), to show the queue follows the server's nextLink.
    await page.route('**/providers/Vigil.SecurityInsights/incidents?*', (route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.get('$top') === '50') url.searchParams.set('$top', '2');
      return route.continue({ url: url.toString() });
    });
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('All');
    await expectTitles(page, ['Mass download by a contractor', 'Rare process on web02']);
    await page.getByText('2+ incidents').waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await expectTitles(page, ['Mass download by a contractor', 'Rare process on web02', 'Brute force on dc01']);
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    for (const r of await listed(page)) assert.match(r, / \| Fabrikam \| ws-fabrikam$/);
    await checkPage(page, '58-incidents-customer');
    assert.deepEqual(unexpectedErrors(checked), []);
  });
});
