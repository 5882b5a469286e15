// The MSSP's side of the Settings page in Debian's Chromium against a real test server: the
// example MSSP world, where Lee (SOC lead, through SOC Leads) is eligible for Contributor on
// Fabrikam production with Eli as approver; here the customer also asks for multifactor
// authentication at activation. Lee sees his customer and his eligible role, activates it by
// keyboard (a duration beyond the maximum is refused with the server's message), Eli denies the
// request, Lee asks again, Eli approves, and Lee's Contributor is active and really works (a
// write through the API). Ana sees her customers and roles, has nothing to activate or approve,
// and her page makes no refused request. Fabrikam's admin sees no MSSP data of other directories.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { EXAMPLE_ENVIRONMENT, WORLD, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil, type CheckedPage, openSection } from './browser.ts';

const { ana, eli, lee, fabrikamAdmin } = WORLD.users;
const FABRIKAM = `/subscriptions/${WORLD.fabrikam.subscription}`;

/** The example world, the customer asking for multifactor authentication to activate Lee's eligible role. */
function msspWorld(): string {
  const doc = parse(readFileSync(EXAMPLE_ENVIRONMENT, 'utf8')) as { directories: any[] };
  const eligible = doc.directories.find((d) => d.name === 'fabrikam').subscriptions[0].delegations[0].eligibleAuthorizations[0];
  assert.equal(eligible.principal, 'leads');
  eligible.multiFactorAuthProvider = 'Azure';
  return stringify(doc);
}

const suite = new PortalSuite();
let server: TestServer;

before(async () => {
  server = await suite.start({ environment: msspWorld() });
});

after(() => suite.close());

const open = () => suite.open();

const openSettings = (page: Page) => openSection(page, server.url, 'Settings', '/settings');

const customer = (page: Page, name: string) => page.getByRole('region', { name: `Customer ${name}` });
const eligibleTable = (page: Page) => customer(page, 'Fabrikam').getByRole('table', { name: 'Your eligible roles on Fabrikam production (Contoso SOC managed Sentinel)' });
const leeStatus = (page: Page) => eligibleTable(page).getByLabel('Contributor on Fabrikam production: ', { exact: false });
const isFocused = (page: Page, locator: ReturnType<Page['locator']>) => () => locator.evaluate((el) => el === document.activeElement).catch(() => false);
const rgPath = (name: string) => `${FABRIKAM}/resourcegroups/${name}?api-version=2025-04-01`;
/** The browser logs each refused request as a console error: those a test expects, by status, and nothing else. */
const unexpected = (checked: CheckedPage, expected: Record<number, number> = {}) => {
  const left = { ...expected };
  return checked.errors.filter((e) => {
    const status = Object.keys(left).map(Number).find((s) => e.includes(`the server responded with a status of ${s}`) && left[s]! > 0);
    if (status === undefined) return true;
    left[status]!--;
    return false;
  });
};

describe("the Settings page, the MSSP's side", () => {
  test('the lead activates his eligible Contributor by keyboard; the approver denies, then approves a second request; the role works until its end', async () => {
    const lead = await open();
    const { page } = lead;
    await signInAtHome(page, server.url, lee, 'Contoso SOC');
    await openSettings(page);

    // His customer, his eligible role with its policy; no standing role there.
    const fabrikam = customer(page, 'Fabrikam');
    await fabrikam.waitFor();
    await customer(page, 'Northwind Traders').waitFor({ state: 'detached' });
    await fabrikam.getByText('You hold no active role on Fabrikam production through this offer.').waitFor();
    const row = eligibleTable(page).locator('tbody tr');
    assert.equal(await row.count(), 1);
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 6), ['Contributor', 'SOC Leads', '4 hours', 'Required (Azure)', 'eli', 'Not activated']);
    await checkPage(page, '70-mssp-lead-customers');

    const token = await server.userToken(WORLD.soc.tenant, lee.upn, lee.password);
    assert.equal((await server.request('PUT', rgPath('rg-lee-before'), { token, body: { location: 'westeurope' } })).status, 403, 'eligible is not active');

    // Activate by keyboard: Tab to the button, Enter, type, Enter submits.
    const activate = page.getByRole('button', { name: 'Activate Contributor on Fabrikam production' });
    await tabUntil(page, isFocused(page, activate), 'Activate', 80);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Activate Contributor on Fabrikam production' });
    await dialog.waitFor();
    await dialog.getByText('The customer asks for Azure multifactor authentication').waitFor();
    await dialog.getByText('At most 4 hours (PT4H).').waitFor();
    const justification = dialog.getByRole('textbox', { name: 'Justification' });
    await tabUntil(page, isFocused(page, justification), 'the justification');
    await page.keyboard.type('Incident 12 at Fabrikam: isolate the VM');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await checkPage(page, '71-mssp-activate-dialog');
    await page.keyboard.press('Enter');
    // Beyond the maximum: the server's message, and nothing requested.
    await dialog.getByText("The requested duration 'PT5H' must be an ISO 8601 duration greater than zero and at most PT4H").waitFor();
    await dialog.getByText('(InvalidJustInTimeRequest)', { exact: false }).waitFor();
    // Not a number: said in the field, not sent.
    const duration = dialog.getByRole('textbox', { name: /Duration/ });
    await duration.fill('two');
    await dialog.getByRole('button', { name: 'Request activation' }).click();
    await dialog.getByText('"two" is not a duration: enter the hours as a number greater than 0 (at most 4 hours)').waitFor();
    await duration.fill('2');
    await duration.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await fabrikam.getByText('Contributor on Fabrikam production was requested: it waits for approval by eli.').waitFor();
    await leeStatus(page).filter({ hasText: /^Pending approval/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Activate Contributor on Fabrikam production' }).isDisabled(), true, 'one request at a time');
    await checkPage(page, '72-mssp-lead-pending');
    assert.equal((await server.request('PUT', rgPath('rg-lee-pending'), { token, body: { location: 'westeurope' } })).status, 403, 'pending is not active');

    // Eli, the approver, sees it and denies it.
    const approver = await open();
    await signInAtHome(approver.page, server.url, eli, 'Contoso SOC');
    await openSettings(approver.page);
    const requests = approver.page.getByRole('table', { name: 'Requests to approve' });
    const pending = requests.locator('tbody tr').filter({ hasText: 'Incident 12 at Fabrikam' });
    await pending.waitFor();
    const pendingCells = await pending.locator('td').allInnerTexts();
    assert.deepEqual([pendingCells[0], pendingCells[1], pendingCells[2], pendingCells[4]], ['Lee (SOC lead)', 'Contributor', 'Fabrikam production (Fabrikam)', '2 hours']);
    assert.match(pendingCells[5]!, /^Pending approval\s+requested /);
    await checkPage(approver.page, '73-mssp-approver-pending');
    await approver.page.getByRole('button', { name: "Deny Lee (SOC lead)'s Contributor" }).click();
    await approver.page.getByText("You denied Lee (SOC lead)'s request for Contributor on Fabrikam production.").waitFor();
    await requests.getByLabel("Lee (SOC lead)'s Contributor: Denied").waitFor();

    await page.getByRole('region', { name: 'Customer Fabrikam' }).waitFor();
    await page.getByRole('button', { name: 'Refresh my customers' }).click();
    await leeStatus(page).filter({ hasText: /^Denied$/ }).waitFor();
    assert.equal((await server.request('PUT', rgPath('rg-lee-denied'), { token, body: { location: 'westeurope' } })).status, 403, 'denied is not active');

    // Asked again; Eli's page, still showing it pending, is refused once it was decided elsewhere.
    await page.getByRole('button', { name: 'Activate Contributor on Fabrikam production' }).click();
    await dialog.getByRole('textbox', { name: 'Justification' }).fill('Incident 12 at Fabrikam: the VM must be isolated now');
    await dialog.getByRole('textbox', { name: /Duration/ }).fill('1');
    await dialog.getByRole('button', { name: 'Request activation' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await leeStatus(page).filter({ hasText: /^Pending approval/ }).waitFor();

    await approver.page.getByRole('button', { name: 'Refresh requests to approve' }).click();
    const second = requests.locator('tbody tr').filter({ hasText: 'must be isolated now' });
    await second.getByRole('button', { name: "Approve Lee (SOC lead)'s Contributor" }).waitFor();
    const eliToken = await server.userToken(WORLD.soc.tenant, eli.upn, eli.password);
    const stale = await server.request('GET', `/providers/Microsoft.Authorization/roleAssignmentScheduleRequests?api-version=2022-04-01&$filter=asApprover()`, { token: eliToken });
    const secondId = stale.body.value.find((r: any) => r.properties.justification.includes('must be isolated now')).id as string;
    assert.equal((await server.request('POST', `${secondId}/approve?api-version=2022-04-01`, { token: eliToken })).status, 200);
    await second.getByRole('button', { name: "Approve Lee (SOC lead)'s Contributor" }).click();
    await approver.page.getByText(/only pending requests can be approved or denied/).waitFor();
    await approver.page.getByText("Lee (SOC lead)'s request for Contributor on Fabrikam production could not be approved").waitFor();
    await second.getByLabel("Lee (SOC lead)'s Contributor: Active until", { exact: false }).waitFor();
    await checkPage(approver.page, '74-mssp-approver-refused');

    // Lee's activation is active, until its end, and Contributor works.
    await page.getByRole('button', { name: 'Refresh my customers' }).click();
    await leeStatus(page).filter({ hasText: /^Active until / }).waitFor();
    const roles = fabrikam.getByRole('table', { name: 'Your roles on Fabrikam production (Contoso SOC managed Sentinel)' });
    const activeRow = await roles.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.deepEqual(activeRow.slice(0, 2), ['Contributor', 'You']);
    assert.match(activeRow[2]!, /^Activated, until /);
    assert.equal(await page.getByRole('button', { name: 'Activate Contributor on Fabrikam production' }).isDisabled(), true);
    await checkPage(page, '75-mssp-lead-active');
    const put = await server.request('PUT', rgPath('rg-lee-active'), { token, body: { location: 'westeurope' } });
    assert.equal(put.status, 201, JSON.stringify(put.body));

    assert.deepEqual(unexpected(lead, { 400: 1 }), [], 'the lead: only the refused duration');
    assert.deepEqual(unexpected(approver, { 409: 1 }), [], 'the approver: only the refused approval');
  });

  test('Ana sees her customers and roles, has no eligible role and nothing to approve; no refused request on her page', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await openSettings(page);
    const fabrikam = customer(page, 'Fabrikam');
    const roles = fabrikam.getByRole('table', { name: 'Your roles on Fabrikam production (Contoso SOC managed Sentinel)' });
    await roles.waitFor();
    assert.deepEqual((await roles.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim()).sort(), [
      'Log Analytics Reader SOC Tier 1 Standing', 'Microsoft Sentinel Responder SOC Tier 1 Standing',
    ]);
    await fabrikam.getByText('No eligible role for you on Fabrikam production through this offer.').waitFor();
    const northwind = customer(page, 'Northwind Traders');
    await northwind.getByRole('table', { name: 'Your roles on Northwind production (Contoso SOC managed Sentinel)' }).waitFor();
    await northwind.getByText('No eligible role for you on Northwind production through this offer.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Activate / }).count(), 0);
    await page.getByText('No request waits for your approval.').waitFor();
    // Providers she may not read are said so, without asking.
    await page.getByLabel('Microsoft.SecurityInsights in Northwind production: not readable').waitFor();
    await page.getByText('You cannot read providers in this subscription (needs Microsoft.Resources/subscriptions/providers/read).').first().waitFor();
    await page.getByLabel('Microsoft.SecurityInsights in Fabrikam production: Registered').waitFor();
    await checkPage(page, '76-mssp-analyst');
    assert.deepEqual(checked.errors, []);
  });

  test("a customer's admin sees no MSSP data of other directories", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await openSettings(page);
    await page.getByText('No customer has delegated a subscription or resource group to Fabrikam with a role for you.').waitFor();
    await page.getByText('No request waits for your approval.').waitFor();
    const section = page.getByRole('region', { name: 'My customers' });
    assert.equal(await section.getByRole('table').count(), 0);
    const approvals = page.getByRole('region', { name: 'Requests to approve' });
    assert.doesNotMatch(await approvals.innerText(), /Lee|Contributor|isolate/);
    assert.doesNotMatch(await section.innerText(), /Northwind|Contoso SOC production/);
    await checkPage(page, '77-mssp-customer-admin');
    assert.deepEqual(checked.errors, []);
  });
});
