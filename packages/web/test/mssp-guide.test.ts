// The flow of Microsoft's Sentinel MSSP guide, walked in one go in Debian's Chromium against a
// real test server: Eli, the MSSP's engineer, signs in at home, picks his two customers in the
// Directory + subscription filter, sees both customers' workspaces, opens one and sees its
// overview, works an incident (assigns it, comments, closes it), runs a KQL query across both
// customers with workspace(), is told that a connector needs a direct sign-in in a delegated
// workspace, signs in directly to the customer and deploys it there. Then the customer registers a
// provider that was not registered, and revokes the delegation: Eli's next request no longer
// shows that customer. Each page: no console errors, axe-core, a screenshot (90-guide-*).
//
// The pages have their own, more thorough tests (portal, incidents, connectors, settings, ...);
// this one proves they make one working journey, in the order an MSSP works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { customTable, INGEST, queryWorld, upload } from '../../server/test/query-fixtures.ts';
import { PortalSuite, checkPage, signInAtHome, signInOnLoginPage } from './browser.ts';

const { eli, fabrikamAdmin, northwindAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);
const DEV_SUBSCRIPTION = '00000000-0000-0000-0000-00000000aa02';
const V = 'api-version=2022-09-01-preview';

/** The example world with an ingesting app per customer, and Fabrikam development, where Microsoft.SecurityInsights is not registered. */
function guideWorld(): string {
  const doc = parse(queryWorld()) as { directories: any[] };
  doc.directories.find((d) => d.name === 'fabrikam').subscriptions.push({
    name: 'dev', id: DEV_SUBSCRIPTION, displayName: 'Fabrikam development',
    providers: ['Microsoft.OperationalInsights'],
    roleAssignments: [{ principal: 'admin', role: 'Owner' }],
  });
  return stringify(doc);
}

const suite = new PortalSuite();
let server: TestServer;

before(async () => {
  server = await suite.start({ environment: guideWorld() });
  // Each customer's own incidents, as their Sentinel made them.
  const fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
  const nwToken = await server.userToken(N.tenant, northwindAdmin.upn, northwindAdmin.password);
  for (const [token, c, name, severity, title] of [
    [fabToken, F, 'brute-force', 'High', 'Brute force on dc01'],
    [nwToken, N, 'travel', 'Medium', 'Impossible travel for the CFO'],
  ] as const) {
    const res = await server.request('PUT', `${ws(c.subscription, c.rg, c.workspace)}/providers/Microsoft.SecurityInsights/incidents/${name}?${V}`, { token, body: { properties: { title, severity, status: 'New' } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  // Each customer's sign-in failures, sent through the Logs Ingestion API by its own app.
  const now = Date.now();
  for (const [c, app, token, computer, count] of [[F, INGEST.fabrikam, fabToken, 'dc01', 3], [N, INGEST.northwind, nwToken, 'nw-dc', 2]] as const) {
    const target = await customTable(server, token, c, 'Signins_CL');
    await upload(server, app, target, Array.from({ length: count }, (_, i) => ({
      TimeGenerated: new Date(now - (i + 1) * 60_000).toISOString(), Computer: computer, EventID: 4625, Bytes: 0, Score: 1, Success: false, Props: {}, Session: '00000000-0000-4000-8000-00000000000' + i,
    })));
  }
});

after(() => suite.close());

const open = () => suite.open();

const nav = (page: Page) => page.getByRole('navigation', { name: 'Microsoft Sentinel' });
const filterButton = (page: Page) => page.getByRole('button', { name: /^Directory \+ subscription: / });
const accountButton = (page: Page) => page.locator('header').getByRole('button', { name: /@/ });
const workspacesTable = (page: Page) => page.getByRole('table', { name: 'Microsoft Sentinel workspaces' });

/** Name, directory and access of each listed workspace. */
async function listedWorkspaces(page: Page): Promise<string[]> {
  await workspacesTable(page).waitFor();
  const rows = await workspacesTable(page).locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => {
    const cells = (await r.locator('td').allInnerTexts()).map((c) => c.trim());
    return `${cells[0]} | ${cells[1]} | ${cells[5]}`;
  }));
}

describe('the MSSP guide, end to end', () => {
  test("an MSSP engineer works two customers from home; the customer registers a provider and revokes the delegation", async () => {
    const checked = await open();
    const { page } = checked;

    // 1. Sign in at home.
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await checkPage(page, '90-guide-signed-in');

    // 2. Pick the two customer directories and their subscriptions.
    await filterButton(page).click();
    const panel = page.getByRole('dialog', { name: 'Directory + subscription filter' });
    const box = (name: string) => panel.getByRole('checkbox', { name });
    for (const name of ['Contoso SOC contososoc.example Home', 'Fabrikam fabrikam.example Delegated', 'Northwind Traders northwind.example Delegated']) await box(name).uncheck();
    await box('Fabrikam fabrikam.example Delegated').check();
    await box('Northwind Traders northwind.example Delegated').check();
    assert.equal(await box(`Fabrikam production ${F.subscription}`).isChecked(), true);
    assert.equal(await box(`Northwind production ${N.subscription}`).isChecked(), true);
    await checkPage(page, '91-guide-filter');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await filterButton(page).filter({ hasText: '2 directories, 2 subscriptions' }).waitFor();

    // 3. Both customers' workspaces, delegated.
    await page.getByText('2 workspaces in 2 selected subscriptions').waitFor();
    assert.deepEqual(await listedWorkspaces(page), ['ws-fabrikam | Fabrikam | Delegated', 'ws-northwind | Northwind Traders | Delegated']);
    await checkPage(page, '92-guide-workspaces');

    // 4. Open Fabrikam's workspace: its overview, as for a workspace of his own directory.
    await page.getByRole('link', { name: 'Overview of ws-fabrikam' }).click();
    await page.waitForURL(`${server.url}/overview?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('group', { name: 'Incidents created, last 24 hours', exact: true }).getByText('1', { exact: true }).waitFor({ timeout: 30_000 });
    const sources = page.getByRole('table', { name: 'Data sources', exact: true });
    await sources.locator('tbody tr').filter({ hasText: 'Signins_CL' }).filter({ has: page.getByRole('cell', { name: '3', exact: true }) }).waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Recent incidents', exact: true }).getByText('Brute force on dc01').waitFor();
    await checkPage(page, '93-guide-overview');

    // 5. Work an incident: assign it, comment, close it.
    await nav(page).getByRole('link', { name: 'Incidents' }).click();
    const queue = page.getByRole('table', { name: 'Incidents' });
    await queue.getByRole('link', { name: 'Impossible travel for the CFO' }).waitFor();
    await checkPage(page, '94-guide-incidents');
    await queue.getByRole('link', { name: 'Brute force on dc01' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incident 1: Brute force on dc01' }).waitFor();
    const form = page.getByRole('form', { name: 'Change the incident' });
    const facts = page.getByLabel('About the incident');
    await form.getByRole('button', { name: 'Assign to me' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    await facts.getByText(`Eli (SOC engineer) (${eli.upn})`).waitFor();
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Add a comment').fill('Blocked the source IP at the customer firewall.');
    await comments.getByRole('button', { name: 'Add comment' }).click();
    await comments.getByRole('list', { name: 'Comments' }).getByText('Blocked the source IP at the customer firewall.').waitFor();
    await form.getByRole('combobox', { name: 'Status' }).selectOption('Closed');
    await form.getByRole('combobox', { name: 'Classification' }).selectOption('TruePositive');
    await form.getByRole('combobox', { name: 'Reason' }).selectOption('SuspiciousActivity');
    await form.getByLabel('Closing comment').fill('Contained: source blocked, password reset.');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1 }).locator('..').getByText('Closed', { exact: true }).waitFor();
    await checkPage(page, '95-guide-incident-closed');
    const fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
    const closed = await server.request('GET', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/incidents/brute-force?${V}`, { token: fabToken });
    assert.equal(closed.body.properties.status, 'Closed');
    assert.equal(closed.body.properties.classification, 'TruePositive');
    assert.equal(closed.body.properties.owner.userPrincipalName, eli.upn);

    // 6. One KQL query across both customers, with workspace().
    await nav(page).getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
    await page.locator('.monaco-editor textarea').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText("union workspace('ws-fabrikam').Signins_CL, workspace('ws-northwind').Signins_CL\n| summarize Failures = count() by Computer\n| order by Computer asc");
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const results = page.getByRole('table', { name: 'Results' });
    await results.locator('tbody tr').filter({ hasText: 'nw-dc' }).waitFor({ timeout: 30_000 });
    const rows = await Promise.all((await results.locator('tbody tr').all()).map(async (r) => (await r.locator('td').allInnerTexts()).map((c) => c.trim()).join(' | ')));
    assert.deepEqual(rows, ['dc01 | 3', 'nw-dc | 2']);
    await checkPage(page, '96-guide-logs');

    // 7. A connector in a delegated workspace needs a direct sign-in; Eli is Fabrikam's guest.
    await nav(page).getByRole('link', { name: 'Workspaces' }).click();
    await page.getByRole('link', { name: `Data connectors of ${F.workspace}` }).click();
    await page.getByText('Data connectors need a direct sign-in').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Deploy connector' }).isDisabled(), true);
    await checkPage(page, '97-guide-connectors-delegated');
    await page.getByRole('button', { name: 'Sign in to Fabrikam' }).click();
    await signInOnLoginPage(page, 'Fabrikam', eli);
    await page.waitForURL(`${server.url}/data-connectors?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await accountButton(page).filter({ hasText: 'Fabrikam' }).waitFor();
    await page.getByRole('button', { name: 'Deploy connector' }).and(page.locator(':not([disabled])')).click();
    const deploy = page.getByRole('dialog', { name: 'Deploy a data connector' });
    await deploy.getByLabel('Kind').selectOption('Syslog');
    await deploy.getByLabel('Name').fill('syslog-firewalls');
    await deploy.getByLabel('Protocol').selectOption('udp');
    await deploy.getByLabel('Port').fill('0');
    await deploy.getByRole('button', { name: 'Deploy' }).click();
    await deploy.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Data connectors' }).getByText('syslog-firewalls').waitFor();
    await checkPage(page, '98-guide-connector-deployed');
    const connector = await server.request('GET', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/dataConnectors/syslog-firewalls?api-version=2025-09-01`, { token: fabToken });
    assert.equal(connector.status, 200, JSON.stringify(connector.body));
    // Back home.
    await accountButton(page).click();
    await page.getByRole('menuitem', { name: 'Switch to Contoso SOC' }).click();
    await accountButton(page).filter({ hasText: 'Contoso SOC' }).waitFor();

    // 8. Fabrikam's admin: a provider not registered is shown so, and registered.
    const customer = await open();
    await signInAtHome(customer.page, server.url, fabrikamAdmin, 'Fabrikam');
    await nav(customer.page).getByRole('link', { name: 'Settings' }).click();
    const securityInsights = customer.page.getByLabel('Microsoft.SecurityInsights in Fabrikam development: ', { exact: false });
    await securityInsights.filter({ hasText: /^NotRegistered$/ }).waitFor();
    await checkPage(customer.page, '99-guide-provider-not-registered');
    await customer.page.getByRole('button', { name: 'Register Microsoft.SecurityInsights in Fabrikam development' }).click();
    await securityInsights.filter({ hasText: /^Registered$/ }).waitFor();

    // 9. Fabrikam revokes Contoso SOC's delegation: Eli's next request no longer shows Fabrikam.
    const offer = customer.page.getByRole('region', { name: 'Offer Contoso SOC managed Sentinel' });
    await offer.getByRole('button', { name: 'Revoke' }).click();
    await customer.page.getByRole('dialog', { name: /Revoke Contoso SOC managed Sentinel/ }).getByRole('button', { name: 'Revoke' }).click();
    await customer.page.getByText('The offer Contoso SOC managed Sentinel was revoked').waitFor();
    await nav(page).getByRole('link', { name: 'Workspaces' }).click();
    await page.reload();
    await page.getByText('1 workspace in 1 selected subscription').waitFor();
    assert.deepEqual(await listedWorkspaces(page), ['ws-northwind | Northwind Traders | Delegated']);
    await checkPage(page, '9a-guide-after-revocation');
    assert.deepEqual(checked.errors, []);
    assert.deepEqual(customer.errors, []);
  });
});
