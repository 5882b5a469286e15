// The Settings page in Debian's Chromium against a real test server: the example MSSP world with
// one more Fabrikam subscription where Microsoft.SecurityInsights is not registered. Its owner
// sees it NotRegistered and registers it; Fabrikam's admin sees Contoso SOC's offer with its
// authorizations and revokes it, after which Ana (the MSSP's analyst) no longer finds Fabrikam in
// her Directory + subscription filter; the activity log shows the revocation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { EXAMPLE_ENVIRONMENT, WORLD, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, openSection } from './browser.ts';

const { ana, fabrikamAdmin } = WORLD.users;
const DEV_SUBSCRIPTION = '00000000-0000-0000-0000-00000000aa02';

/** The example world, plus Fabrikam development: Microsoft.OperationalInsights only, Fabrikam's admin its owner. */
function settingsWorld(): string {
  const doc = parse(readFileSync(EXAMPLE_ENVIRONMENT, 'utf8')) as { directories: any[] };
  const fabrikam = doc.directories.find((d) => d.name === 'fabrikam');
  fabrikam.subscriptions.push({
    name: 'dev', id: DEV_SUBSCRIPTION, displayName: 'Fabrikam development',
    providers: ['Microsoft.OperationalInsights'],
    roleAssignments: [{ principal: 'admin', role: 'Owner' }],
  });
  return stringify(doc);
}

const suite = new PortalSuite();
let server: TestServer;

before(async () => {
  server = await suite.start({ environment: settingsWorld() });
});

after(() => suite.close());

const open = () => suite.open();

const openSettings = (page: Page) => openSection(page, server.url, 'Settings', '/settings');

const providerState = (page: Page, namespace: string, subscription: string) => page.getByLabel(`${namespace} in ${subscription}: `, { exact: false });
const filterButton = (page: Page) => page.getByRole('button', { name: /^Directory \+ subscription: / });

/** The directories and subscriptions the filter offers. */
async function filterOffers(page: Page): Promise<string> {
  await filterButton(page).click();
  const panel = page.getByRole('dialog', { name: 'Directory + subscription filter' });
  await panel.waitFor();
  const text = await panel.innerText();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  return text;
}

describe('the Settings page', () => {
  test("a provider not registered is shown so and its owner registers it; the customer revokes the MSSP's offer and the analyst loses the customer", async () => {
    // Ana first, to see Fabrikam in her filter while the delegation stands.
    const analyst = await open();
    await signInAtHome(analyst.page, server.url, ana, 'Contoso SOC');
    assert.match(await filterOffers(analyst.page), /Fabrikam/);
    await openSettings(analyst.page);
    // Her customers' subscriptions are reached through delegations: all registered, nothing for her to register.
    await providerState(analyst.page, 'Microsoft.SecurityInsights', 'Fabrikam production').filter({ hasText: 'Registered' }).waitFor();
    // Where her roles do not allow reading a subscription's providers (Northwind's delegation gives her no
    // Microsoft.Resources read), the page says so from her permissions there, without asking for them.
    await providerState(analyst.page, 'Microsoft.SecurityInsights', 'Northwind production').filter({ hasText: 'You cannot read providers in this subscription (needs Microsoft.Resources/subscriptions/providers/read).' }).waitFor();
    await checkPage(analyst.page, '60-settings-analyst');

    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await openSettings(page);

    // Provider registration: verify, then register.
    await providerState(page, 'Microsoft.OperationalInsights', 'Fabrikam development').filter({ hasText: 'Registered' }).waitFor();
    const missing = providerState(page, 'Microsoft.SecurityInsights', 'Fabrikam development');
    assert.equal((await missing.innerText()).trim(), 'NotRegistered');
    await providerState(page, 'Microsoft.SecurityInsights', 'Fabrikam production').filter({ hasText: 'Registered' }).waitFor();
    await checkPage(page, '61-settings-not-registered');
    await page.getByRole('button', { name: 'Register Microsoft.SecurityInsights in Fabrikam development' }).click();
    await missing.filter({ hasText: /^Registered$/ }).waitFor();
    const token = await server.userToken(WORLD.fabrikam.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
    const api = await server.request('GET', `/subscriptions/${DEV_SUBSCRIPTION}/providers/Microsoft.SecurityInsights?api-version=2021-04-01`, { token });
    assert.equal(api.body.registrationState, 'Registered');

    // Delegations: Contoso SOC's offer with its authorizations and eligible ones.
    const offer = page.getByRole('region', { name: 'Offer Contoso SOC managed Sentinel' });
    await offer.waitFor();
    const offerText = await offer.innerText();
    assert.match(offerText, /Managed by Contoso SOC/);
    for (const role of ['Microsoft Sentinel Responder', 'Log Analytics Reader', 'Microsoft Sentinel Contributor', 'Managed Services Registration assignment Delete Role', 'Contributor', 'PT4H']) {
      assert.ok(offerText.includes(role), `the offer shows ${role}:\n${offerText}`);
    }
    const authorizations = await offer.getByRole('table', { name: 'Authorizations of Contoso SOC managed Sentinel', exact: true }).locator('tbody tr').count();
    assert.equal(authorizations, 5, offerText);
    assert.equal(await offer.getByRole('table', { name: 'Eligible authorizations of Contoso SOC managed Sentinel' }).locator('tbody tr').count(), 1);
    await checkPage(page, '62-settings-offers');

    // Revoke, confirmed in a dialog.
    await offer.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: /Revoke Contoso SOC managed Sentinel/ });
    await dialog.waitFor();
    await checkPage(page, '63-settings-revoke');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await offer.waitFor({ state: 'detached' });
    await page.getByText('The offer Contoso SOC managed Sentinel was revoked').waitFor();

    // The activity log of Fabrikam production, newest first, shows the revocation.
    await page.getByRole('combobox', { name: 'Subscription' }).selectOption({ label: 'Fabrikam production' });
    const log = page.getByRole('table', { name: 'Activity log' });
    await log.locator('tbody tr').first().filter({ hasText: /registrationAssignments\/delete/i }).waitFor();
    const first = await log.locator('tbody tr').first().innerText();
    assert.match(first, /admin@fabrikam\.example|Fabrikam admin/);
    await checkPage(page, '64-settings-activity');

    // Ana's next load no longer offers Fabrikam.
    await analyst.page.reload();
    await analyst.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const offers = await filterOffers(analyst.page);
    assert.doesNotMatch(offers, /Fabrikam/);
    assert.match(offers, /Northwind/);
    await analyst.page.getByText('Fabrikam production').waitFor({ state: 'detached' });
    assert.deepEqual(analyst.errors, [], 'no refused request on her page');
    assert.deepEqual(checked.errors, []);
  });
});
