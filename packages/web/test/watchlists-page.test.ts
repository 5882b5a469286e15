// The Watchlists page in Debian's Chromium against a real test server (the example MSSP world),
// with pages of two items so that Load more is needed: Eli, the MSSP's SOC engineer (Microsoft
// Sentinel Contributor in Fabrikam through the delegation), creates a watchlist from a CSV file
// chosen in the browser; a file with bad lines is refused whole and every bad line is shown; the
// watchlist's items are listed a page at a time, added, edited and deleted, and a KQL query
// through the query API reads them with _GetWatchlist; he deletes it. Ana (Responder) reads it,
// and the page, from her permissions, offers no change and says why. Northwind's admin never sees it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil } from './browser.ts';

const { ana, eli, northwindAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);
const V = 'api-version=2025-09-01';

const suite = new PortalSuite();
let server: TestServer;
let eliToken: string;

before(async () => {
  server = await suite.start({ pageSize: 2 });
  eliToken = await server.userToken(WORLD.soc.tenant, eli.upn, eli.password);
});

after(() => suite.close());

const open = () => suite.open();

const watchlistsTable = (page: Page) => page.getByRole('table', { name: 'Watchlists' });
const createDialog = (page: Page) => page.getByRole('dialog', { name: 'New watchlist' });

async function rows(page: Page, table: ReturnType<Page['getByRole']>, cells: number): Promise<string[]> {
  const all = await table.locator('tbody tr').all();
  return Promise.all(all.map(async (r) => (await r.locator('td').allInnerTexts()).slice(0, cells).map((c) => c.trim()).join(' | ')));
}

async function until(check: () => Promise<boolean>, what: () => string): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`waited 15 s for ${what()}`);
}

async function expectRows(page: Page, table: ReturnType<Page['getByRole']>, cells: number, expected: string[]): Promise<void> {
  let seen: string[] = [];
  await until(async () => {
    seen = await rows(page, table, cells).catch(() => []);
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, () => `the rows ${JSON.stringify(expected)} (seen ${JSON.stringify(seen)})`);
}

/** What a KQL query of Fabrikam's workspace reads through _GetWatchlist, as Eli. */
async function queried(alias: string, columns = 'SearchKey, Tier'): Promise<unknown[][]> {
  const res = await server.request('POST', `/v1${FABRIKAM_WS}/query`, {
    token: eliToken, body: { query: `_GetWatchlist('${alias}') | project ${columns} | sort by SearchKey asc` },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.tables[0].rows as unknown[][];
}

async function listedByApi(): Promise<string[]> {
  const res = await server.request('GET', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/watchlists?${V}`, { token: eliToken });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.value as { name: string }[]).map((w) => w.name);
}

const GOOD_CSV = 'Account,Tier,Team\r\nCONTOSO\\alice,gold,finance\r\nCONTOSO\\bob,silver,"sales, north"\r\nCONTOSO\\dave,bronze,it\r\n';
/** 22 bad lines (more than the 20 the server's message lists: the page shows all of them, from the details). */
const BAD_CSV = ['Account,Tier,Team', 'CONTOSO\\alice,gold,finance',
  ...Array.from({ length: 21 }, (_v, i) => `CONTOSO\\user${i},gold`), 'CONTOSO\\zed,gold,it,extra'].join('\n');

describe('the Watchlists page', () => {
  test("the MSSP's engineer creates a watchlist from a CSV file in a customer's workspace, works its items and deletes it", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await page.goto(`${server.url}/watchlists?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByRole('heading', { level: 1, name: 'Watchlists' }).waitFor();
    assert.match(await page.getByRole('combobox', { name: 'Workspace' }).locator('option:checked').innerText(), /ws-fabrikam \(Fabrikam, delegated\)/);
    await page.getByText(`${F.workspace} has no watchlist yet.`).waitFor();
    await checkPage(page, '80-watchlists-empty');

    // New watchlist, opened with the keyboard.
    await page.getByRole('combobox', { name: 'Workspace' }).focus();
    await tabUntil(page, () => page.evaluate(() => document.activeElement?.textContent === 'New watchlist'), 'New watchlist', 10);
    await page.keyboard.press('Enter');
    const dialog = createDialog(page);
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill('VIP users');
    assert.equal(await dialog.getByLabel('Alias').inputValue(), 'VIP-users');
    await dialog.getByLabel('Alias').fill('vip-users');
    await dialog.getByLabel('Description').fill('Accounts to watch closely');

    // A file with bad lines: refused whole, every bad line shown, nothing created.
    await dialog.getByLabel('File (CSV or TSV)').setInputFiles({ name: 'vip.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) });
    await dialog.getByLabel('Search key').locator('option', { hasText: 'Team' }).waitFor({ state: 'attached' });
    assert.deepEqual(await dialog.getByLabel('Search key').locator('option').allInnerTexts(), ['Account', 'Tier', 'Team']);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('The watchlist was not created').waitFor();
    const problems = await dialog.getByRole('list', { name: 'Problems in the file' }).locator('li').allInnerTexts();
    assert.equal(problems.length, 22, JSON.stringify(problems));
    for (let line = 3; line <= 23; line++) assert.ok(problems.some((p) => p.startsWith(`line ${line}: 2 field(s) where the header has 3`)), `line ${line} in ${JSON.stringify(problems)}`);
    assert.ok(problems.some((p) => p.startsWith('line 24: 4 field(s) where the header has 3 (too many')), JSON.stringify(problems));
    assert.match(await dialog.getByRole('alert').innerText(), /nothing was saved[\s\S]*InvalidParameter/);
    await checkPage(page, '81-watchlists-bad-file');
    assert.deepEqual(await listedByApi(), [], 'nothing created from a bad file');
    // Nothing typed is lost: the same dialog takes the fixed file.
    assert.equal(await dialog.getByLabel('Name').inputValue(), 'VIP users');
    await dialog.getByLabel('File (CSV or TSV)').setInputFiles({ name: 'vip.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD_CSV) });
    await dialog.getByLabel('Search key').selectOption('Account');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Listed with its items count (read through _GetWatchlist), its items shown a page at a time.
    await expectRows(page, watchlistsTable(page), 4, ['VIP users | vip-users | vip.csv | 3']);
    const items = page.getByRole('table', { name: 'Items of VIP users' });
    await expectRows(page, items, 3, ['CONTOSO\\alice | gold | finance', 'CONTOSO\\bob | silver | sales, north']);
    await page.getByText("_GetWatchlist('vip-users')", { exact: false }).first().waitFor();
    await checkPage(page, '82-watchlists-created');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expectRows(page, items, 3, ['CONTOSO\\alice | gold | finance', 'CONTOSO\\bob | silver | sales, north', 'CONTOSO\\dave | bronze | it']);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
    assert.deepEqual(await queried('vip-users'), [['CONTOSO\\alice', 'gold'], ['CONTOSO\\bob', 'silver'], ['CONTOSO\\dave', 'bronze']]);

    // Add an item; the search key is required.
    await page.getByRole('button', { name: 'Add item' }).click();
    const add = page.getByRole('dialog', { name: 'Add an item to VIP users' });
    await add.getByLabel('Tier').fill('gold');
    await add.getByRole('button', { name: 'Save' }).click();
    await add.getByText('Account is the search key: every item needs it.').waitFor();
    await add.getByLabel('Account').fill('CONTOSO\\carol');
    await add.getByLabel('Team').fill('legal');
    await checkPage(page, '83-watchlists-add-item');
    await add.getByRole('button', { name: 'Save' }).click();
    await add.waitFor({ state: 'hidden' });
    // Edit bob; someone changes him meanwhile through the API: refused (412) and explained, Reload shows the change.
    await page.getByRole('button', { name: 'Edit CONTOSO\\bob' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit item of VIP users' });
    assert.equal(await edit.getByLabel('Tier').inputValue(), 'silver');
    await edit.getByLabel('Tier').fill('gold');
    const apiItems = (await server.request('GET', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/watchlists/vip-users/watchlistItems?${V}`, { token: eliToken })).body.value as { name: string; properties: { itemsKeyValue: Record<string, string> } }[];
    const bob = apiItems.find((i) => i.properties.itemsKeyValue.Account === 'CONTOSO\\bob')!;
    const meanwhile = await server.request('PUT', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/watchlists/vip-users/watchlistItems/${bob.name}?${V}`,
      { token: eliToken, body: { properties: { itemsKeyValue: { ...bob.properties.itemsKeyValue, Team: 'sales, south' } } } });
    assert.equal(meanwhile.status, 200, JSON.stringify(meanwhile.body));
    await edit.getByRole('button', { name: 'Save' }).click();
    const conflict = edit.getByRole('alert').filter({ hasText: 'This item was changed since the list was read' });
    await conflict.waitFor();
    assert.equal(await edit.getByLabel('Tier').inputValue(), 'gold', 'what was typed stays');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await edit.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: 'sales, south' }).waitFor();
    await page.getByRole('button', { name: 'Edit CONTOSO\\bob' }).click();
    assert.equal(await edit.getByLabel('Team').inputValue(), 'sales, south');
    await edit.getByLabel('Tier').fill('gold');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    // Delete alice.
    await page.getByRole('button', { name: 'Delete item CONTOSO\\alice' }).click();
    await page.getByRole('dialog', { name: 'Delete item CONTOSO\\alice?' }).getByRole('button', { name: 'Delete' }).click();
    await until(async () => JSON.stringify(await queried('vip-users')) === JSON.stringify([['CONTOSO\\bob', 'gold'], ['CONTOSO\\carol', 'gold'], ['CONTOSO\\dave', 'bronze']]), () => 'the query to see the changes');
    await expectRows(page, watchlistsTable(page), 4, ['VIP users | vip-users | vip.csv | 3']);
    // The failed responses: the bad file's 400 and the conflict's 412.
    assert.deepEqual(checked.errors.filter((e) => !/the server responded with a status of (400|412)/.test(e)), []);
    assert.equal(checked.errors.length, 2, JSON.stringify(checked.errors));
  });

  test('the tier-1 analyst (Responder) reads the watchlist and its items; her roles do not let her change them, and the page says so', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Watchlists' }).click();
    await page.getByRole('heading', { level: 1, name: 'Watchlists' }).waitFor();
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: `${F.workspace} (Fabrikam, delegated)` });
    await page.waitForURL(`${server.url}/watchlists?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await expectRows(page, watchlistsTable(page), 4, ['VIP users | vip-users | vip.csv | 3']);
    // Decided from her permissions at the workspace (the server's permissions API): nothing is sent to be refused.
    await page.getByText('You can read these watchlists, not change them').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New watchlist' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Delete VIP users' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Items of VIP users' }).click();
    // Items are in the server's order (ids are random GUIDs): both pages, then all three.
    const items = page.getByRole('table', { name: 'Items of VIP users' });
    await items.waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await until(async () => (await rows(page, items, 2)).length === 3, () => 'three items');
    assert.deepEqual((await rows(page, items, 2)).sort(), ['CONTOSO\\bob | gold', 'CONTOSO\\carol | gold', 'CONTOSO\\dave | bronze']);
    assert.equal(await page.getByRole('button', { name: 'Add item' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Edit CONTOSO\\bob' }).isDisabled(), true);
    await checkPage(page, '84-watchlists-read-only');
    // The server agrees: her delete is refused.
    const anaToken = await server.userToken(WORLD.soc.tenant, ana.upn, ana.password);
    assert.equal((await server.request('DELETE', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/watchlists/vip-users?${V}`, { token: anaToken })).status, 403);
    assert.deepEqual(await listedByApi(), ['vip-users']);
    assert.deepEqual(checked.errors, []);
  });

  test("another customer's admin never sees the watchlist", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, northwindAdmin, 'Northwind');
    await page.goto(`${server.url}/watchlists`);
    assert.match(await page.getByRole('combobox', { name: 'Workspace' }).locator('option:checked').innerText(), new RegExp(`${N.workspace} \\(Northwind Traders\\)`));
    await page.getByText(`${N.workspace} has no watchlist yet.`).waitFor();
    assert.deepEqual(await page.getByRole('combobox', { name: 'Workspace' }).locator('option').allInnerTexts(), [`${N.workspace} (Northwind Traders)`]);
    // Fabrikam's workspace asked for by its id: not in his selection, nothing read.
    await page.goto(`${server.url}/watchlists?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByText('Workspace not in your selection').waitFor();
    assert.equal(await page.getByText('VIP users').count(), 0);
    await checkPage(page, '85-watchlists-other-customer');
    assert.deepEqual(checked.errors, []);
  });

  test('the engineer deletes the watchlist after a confirmation; queries find nothing', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await page.goto(`${server.url}/watchlists?workspace=${encodeURIComponent(FABRIKAM_WS)}&watchlist=vip-users`);
    await page.getByRole('table', { name: 'Items of VIP users' }).waitFor();
    await page.getByRole('button', { name: 'Delete VIP users' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete VIP users?' });
    await confirm.getByText("_GetWatchlist('vip-users')").waitFor();
    await checkPage(page, '86-watchlists-delete');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`${F.workspace} has no watchlist yet.`).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Items of VIP users' }).count(), 0);
    assert.deepEqual(await listedByApi(), []);
    assert.deepEqual(await queried('vip-users', 'SearchKey'), []);
    assert.deepEqual(checked.errors, []);
  });
});
