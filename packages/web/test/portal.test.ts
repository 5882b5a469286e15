// The portal in Debian's Chromium against a real test server over HTTPS (the example MSSP
// world): signing in at home and directly to another directory, the Directory + subscription
// filter (by keyboard), the Workspaces page, every section of the navigation, errors the API returns, and
// the portal's static routes beside the API. Each page: no console errors, no serious or
// critical axe-core violation, usable at 1280 px, a screenshot under test-results/portal/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { WORLD, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome as signInAtHomeOf, signInOnLoginPage, tabUntil, type CheckedPage } from './browser.ts';

const { ana, eli, fabrikamAdmin } = WORLD.users;

const suite = new PortalSuite();
let server: TestServer;

before(async () => {
  server = await suite.start();
});

after(() => suite.close());

const open = () => suite.open();

function assertNoErrors(checked: CheckedPage): void {
  assert.deepEqual(checked.errors, [], 'console errors or uncaught exceptions in the page');
}

function signInAtHome(page: Page, user: { upn: string; password: string }, directoryName: string): Promise<void> {
  return signInAtHomeOf(page, server.url, user, directoryName);
}

function workspaceRows(page: Page) {
  return page.getByRole('table', { name: 'Microsoft Sentinel workspaces' }).locator('tbody tr');
}

/** Name and access of each listed workspace, once the list has loaded. */
async function listedWorkspaces(page: Page): Promise<string[]> {
  await page.getByRole('table', { name: 'Microsoft Sentinel workspaces' }).waitFor();
  const rows = await workspaceRows(page).all();
  return Promise.all(rows.map(async (r) => {
    const cells = await r.locator('td').allInnerTexts();
    return `${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} | ${cells[4]} | ${cells[5]}`;
  }));
}

const filterButton = (page: Page) => page.getByRole('button', { name: /^Directory \+ subscription: / });
const accountButton = (page: Page) => page.locator('header').getByRole('button', { name: /@/ });
const isFocused = (page: Page, locator: ReturnType<Page['locator']>) => () => locator.evaluate((el) => el === document.activeElement).catch(() => false);

describe('the portal', () => {
  test('the MSSP analyst signs in at home, picks two customers in the filter by keyboard and sees their workspaces, delegated; remembered after reload', async (t) => {
    const checked = await open();
    const { page } = checked;
    // What the first pages cost: the JavaScript each loads, as sent (compressed) and as run.
    const js: Promise<{ url: string; raw: number; sent: number }>[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) {
        js.push(Promise.all([response.request().sizes(), response.body()]).then(([sizes, body]) => ({ url: response.url(), raw: body.length, sent: sizes.responseBodySize })));
      }
    });
    const jsSoFar = async (what: string) => {
      const loaded = await Promise.all(js);
      const kb = (n: number) => (n / 1024).toFixed(0);
      // A file from the browser's cache (hashed assets are immutable) has no body size.
      const fetched = loaded.filter((f) => f.sent >= 0);
      t.diagnostic(`${what}: ${loaded.length} JavaScript files, ${kb(loaded.reduce((n, f) => n + f.raw, 0))} KB; ${fetched.length} fetched, ${kb(fetched.reduce((n, f) => n + f.sent, 0))} KB sent compressed; ${loaded.length - fetched.length} from the cache`);
    };
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await jsSoFar('the sign-in page loads');
    await checkPage(page, '01-sign-in');

    await signInAtHome(page, ana, 'Contoso SOC');
    // Nothing saved yet: everything Ana can reach, her own SOC's workspace and both customers'.
    assert.deepEqual(await listedWorkspaces(page), [
      'ws-soc | Contoso SOC | Contoso SOC production | rg-soc | westeurope | Own directory',
      'ws-fabrikam | Fabrikam | Fabrikam production | rg-sentinel | westeurope | Delegated',
      'ws-northwind | Northwind Traders | Northwind production | rg-sec | northeurope | Delegated',
    ]);
    await expectText(page, 'header', 'ana@contososoc.example');
    js.length = 0;
    await page.reload();
    await page.getByRole('table', { name: 'Microsoft Sentinel workspaces' }).waitFor();
    await jsSoFar('signed in, the Workspaces page loads');
    await checkPage(page, '02-workspaces-all');

    // The filter, by keyboard: Tab to it, Enter opens it, Space toggles, Enter applies.
    await tabUntil(page, isFocused(page, filterButton(page)), 'the Directory + subscription filter');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'Directory + subscription filter' });
    await panel.waitFor();
    const box = (name: string) => panel.getByRole('checkbox', { name });
    const soc = box('Contoso SOC contososoc.example Home');
    const fabrikam = box('Fabrikam fabrikam.example Delegated');
    const northwind = box('Northwind Traders northwind.example Delegated');
    const northwindSub = box(`Northwind production ${WORLD.northwind.subscription}`);
    const fabrikamSub = box(`Fabrikam production ${WORLD.fabrikam.subscription}`);
    for (const b of [soc, fabrikam, northwind, northwindSub, fabrikamSub]) assert.equal(await b.isChecked(), true);
    await checkPage(page, '03-filter-open');
    // Clear all three directories, then pick Fabrikam by its directory and Northwind by its subscription.
    for (const directory of [soc, fabrikam, northwind]) {
      await tabUntil(page, isFocused(page, directory), 'a directory in the filter');
      await page.keyboard.press('Space');
      assert.equal(await directory.isChecked(), false);
    }
    assert.equal(await northwindSub.isChecked(), false, "unticking a directory unticks its subscriptions");
    await tabUntil(page, isFocused(page, fabrikam), 'Fabrikam in the filter');
    await page.keyboard.press('Space');
    assert.equal(await fabrikamSub.isChecked(), true, "ticking a directory ticks its subscriptions");
    await tabUntil(page, isFocused(page, northwindSub), "Northwind's subscription in the filter");
    await page.keyboard.press('Space');
    assert.equal(await northwind.isChecked(), true, "ticking a subscription ticks its directory");
    assert.equal(await soc.isChecked(), false);
    const apply = panel.getByRole('button', { name: 'Apply' });
    await tabUntil(page, isFocused(page, apply), 'Apply');
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    await filterButton(page).filter({ hasText: '2 directories, 2 subscriptions' }).waitFor();

    const customers = [
      'ws-fabrikam | Fabrikam | Fabrikam production | rg-sentinel | westeurope | Delegated',
      'ws-northwind | Northwind Traders | Northwind production | rg-sec | northeurope | Delegated',
    ];
    await page.getByText('2 workspaces in 2 selected subscriptions').waitFor();
    assert.deepEqual(await listedWorkspaces(page), customers);
    await checkPage(page, '04-workspaces-customers');

    // Saved on the server: the API says so, and a reload shows the same choice.
    const token = await server.userToken(WORLD.soc.tenant, ana.upn, ana.password);
    const saved = await server.request('GET', '/providers/Vigil.Portal/directoryFilter?api-version=2025-01-01', { token });
    assert.equal(saved.body.saved, true);
    assert.deepEqual([...saved.body.directories].sort(), [WORLD.fabrikam.tenant, WORLD.northwind.tenant].sort());
    await page.reload();
    await filterButton(page).filter({ hasText: '2 directories, 2 subscriptions' }).waitFor();
    await page.getByText('2 workspaces in 2 selected subscriptions').waitFor();
    assert.deepEqual(await listedWorkspaces(page), customers);

    // Escape closes the filter without changing anything.
    await filterButton(page).focus();
    await page.keyboard.press('Enter');
    await panel.waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    assert.deepEqual(await listedWorkspaces(page), customers);
    assertNoErrors(checked);
  });

  test('each section of the navigation opens under its own heading, from the navigation and when loaded directly', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, ana, 'Contoso SOC');
    const nav = page.getByRole('navigation', { name: 'Microsoft Sentinel' });
    await nav.getByRole('link', { name: 'Settings' }).waitFor();
    const links = await nav.getByRole('link').all();
    const sections = await Promise.all(links.map(async (l) => ({ label: (await l.innerText()).trim(), path: new URL((await l.getAttribute('href'))!, server.url).pathname })));
    assert.deepEqual(sections.map((s) => s.label), ['Workspaces', 'Overview', 'Incidents', 'Logs', 'Analytics', 'Watchlists', 'Automation', 'Data connectors', 'Settings']);
    for (const [i, s] of sections.entries()) {
      // Each page's heading names its section ("Microsoft Sentinel workspaces", "Logs", ...).
      const heading = page.getByRole('heading', { level: 1, name: new RegExp(s.label, 'i') });
      await nav.getByRole('link', { name: s.label }).click();
      await page.waitForURL(`${server.url}${s.path}`);
      await heading.waitFor();
      assert.equal(await nav.getByRole('link', { name: s.label }).getAttribute('aria-current'), 'page');
      // Loaded directly (a bookmark, a reload): the server answers the portal's path with the portal.
      await page.goto(`${server.url}${s.path}`);
      await heading.waitFor();
      assert.equal(await page.title(), `${s.label} - Vigil`);
      if (i === 0) await checkPage(page, '10-navigation');
    }
    await page.goto(`${server.url}/workspaces/nothing-here`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    // The navigation is reachable by keyboard.
    const incidents = nav.getByRole('link', { name: 'Incidents' });
    await tabUntil(page, isFocused(page, incidents), 'Incidents in the navigation');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/incidents`);
    assertNoErrors(checked);
  });

  test("a customer's admin sees only its own directory and workspace", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, fabrikamAdmin, 'Fabrikam');
    assert.deepEqual(await listedWorkspaces(page), ['ws-fabrikam | Fabrikam | Fabrikam production | rg-sentinel | westeurope | Own directory']);
    await filterButton(page).click();
    const panel = page.getByRole('dialog', { name: 'Directory + subscription filter' });
    assert.deepEqual(await panel.getByRole('checkbox').count(), 2, 'one directory and its subscription');
    await panel.getByRole('checkbox', { name: 'Fabrikam fabrikam.example Home' }).waitFor();
    await checkPage(page, '20-customer-filter');
    await page.keyboard.press('Escape');
    assertNoErrors(checked);
  });

  test('signing in directly to another directory, switching back, signing out', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, eli, 'Contoso SOC');
    await accountButton(page).click();
    await page.getByRole('menuitem', { name: 'Sign in to another directory…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to another directory' });
    await dialog.getByRole('radio', { name: 'Fabrikam (fabrikam.example)' }).check();
    await checkPage(page, '30-direct-sign-in');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    // Eli is a guest in Fabrikam: the login hint is his home account, his home password signs him in.
    await signInOnLoginPage(page, 'Fabrikam', eli);
    await page.waitForURL(`${server.url}/workspaces`);
    await accountButton(page).filter({ hasText: 'Fabrikam' }).waitFor();
    assert.deepEqual(await listedWorkspaces(page), ['ws-fabrikam | Fabrikam | Fabrikam production | rg-sentinel | westeurope | Own directory']);
    await checkPage(page, '31-signed-in-directly');

    await accountButton(page).click();
    await page.getByRole('menuitem', { name: 'Switch to Contoso SOC' }).click();
    await accountButton(page).filter({ hasText: 'Contoso SOC' }).waitFor();
    await page.getByRole('table', { name: 'Microsoft Sentinel workspaces' }).getByText('ws-soc').waitFor();

    await accountButton(page).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('vigil.sessions')), null);
    assertNoErrors(checked);
  });

  test('an expired sign-in signs in again and comes back to the same page', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, ana, 'Contoso SOC');
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    await page.evaluate(() => {
      const sessions = JSON.parse(sessionStorage.getItem('vigil.sessions') ?? '{}') as Record<string, { expiresAt: number }>;
      for (const s of Object.values(sessions)) s.expiresAt = Date.now() - 1000;
      sessionStorage.setItem('vigil.sessions', JSON.stringify(sessions));
    });
    await page.reload();
    await signInOnLoginPage(page, 'Contoso SOC', ana);
    await page.waitForURL(`${server.url}/incidents`);
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    assertNoErrors(checked);
  });

  test('errors the API returns are shown as messages, with a retry', async () => {
    const checked = await open();
    const { page } = checked;
    // Everything Ana can reach (another test saves a narrower choice).
    const token = await server.userToken(WORLD.soc.tenant, ana.upn, ana.password);
    const reset = await server.request('PUT', '/providers/Vigil.Portal/directoryFilter?api-version=2025-01-01', {
      token, body: { directories: [WORLD.soc.tenant, WORLD.fabrikam.tenant, WORLD.northwind.tenant], subscriptions: [WORLD.soc.subscription, WORLD.fabrikam.subscription, WORLD.northwind.subscription] },
    });
    assert.equal(reset.status, 200);
    await signInAtHome(page, ana, 'Contoso SOC');
    await listedWorkspaces(page);
    // The workspace list of Fabrikam's subscription fails once: its error is shown, the others still listed.
    let failures = 1;
    await page.route(`**/subscriptions/${WORLD.fabrikam.subscription}/providers/Microsoft.OperationalInsights/workspaces?*`, async (route) => {
      if (failures-- <= 0) return route.continue();
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The workspace service is restarting; try again in a minute.' } }) });
    });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Workspaces of subscription Fabrikam production could not be listed' });
    await alert.getByText('The workspace service is restarting; try again in a minute.').waitFor();
    assert.deepEqual((await listedWorkspaces(page)).map((w) => w.split(' | ')[0]), ['ws-soc', 'ws-northwind']);
    await checkPage(page, '40-workspaces-error');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('3 workspaces in 3 selected subscriptions').waitFor();
    // Chromium reports every failed response on the console; the one this test forced is the only one allowed.
    assert.deepEqual(checked.errors.filter((e) => !e.includes('the server responded with a status of 503')), []);
    assert.equal(checked.errors.length, 1);
  });

  test('the portal is served beside the API without shadowing it', async () => {
    const index = await fetch(`${server.url}/workspaces`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await index.text();
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(entry !== undefined, 'index.html names its entry script');
    const asset = await fetch(`${server.url}${entry}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(asset.headers.get('content-encoding'), 'br');
    assert.ok((await asset.text()).length > 1000);
    // API routes answer as before: JSON, not the portal.
    const api = await fetch(`${server.url}/subscriptions?api-version=2022-12-01`);
    assert.equal(api.status, 401);
    assert.match(api.headers.get('content-type') ?? '', /application\/json/);
    const unknown = await fetch(`${server.url}/no-such-route`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error.code, 'NotFound');
    const login = await fetch(`${server.url}/${WORLD.soc.tenant}/oauth2/v2.0/authorize`);
    assert.equal(login.status, 400, 'the login page still answers its own path');
    for (const bad of ['/assets/..%2f..%2fpackage.json', '/assets/nothing.js', '/assets/.build-stamp']) {
      const res = await fetch(`${server.url}${bad}`);
      assert.equal(res.status, 404, bad);
    }
  });
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor();
}
