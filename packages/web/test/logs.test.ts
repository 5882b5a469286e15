// The Logs page in Debian's Chromium against a real test server (the example MSSP world with an
// ingesting app per customer): rows sent through the Logs Ingestion API into a custom table of
// Fabrikam's and of Northwind's workspace. Ana, the MSSP's tier-1 analyst, queries both
// customers at once with workspace(), sees typed columns and expands a dynamic value, draws a
// timechart and a barchart, narrows and widens the time range, gets the server's error (with its
// position) for a bad query, has IntelliSense from the schema and the analyser's squiggle, finds
// her queries in the history and exports the results to CSV; saving in a customer's workspace is
// not offered to her (Responder: the server refuses it), Eli (Contributor) saves one that is
// there after a reload, and Fabrikam's admin cannot read Northwind's workspace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { customTable, INGEST, queryWorld, upload } from '../../server/test/query-fixtures.ts';
import { PortalSuite, checkPage, signInAtHome, unexpectedErrors } from './browser.ts';

const { ana, eli, fabrikamAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const TABLE = 'Events_CL';
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);
const BOTH = `union ${TABLE}, workspace("ws-northwind").${TABLE} | project TimeGenerated, Computer, EventID, Bytes, Score, Success, Props, Session | order by TimeGenerated desc`;

const suite = new PortalSuite();
let server: TestServer;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

before(async () => {
  server = await suite.start({ environment: queryWorld(), config: { queryMaxRows: 120 } });
  const fabrikamToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
  const northwindToken = await server.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const fabrikam = await customTable(server, fabrikamToken, F, TABLE);
  const northwind = await customTable(server, northwindToken, N, TABLE);
  await upload(server, INGEST.fabrikam, fabrikam, [
    { TimeGenerated: ago(10), Computer: 'fab-web-01', EventID: 4625, Bytes: 1234567890123, Score: 0.5, Success: false, Props: { user: 'alice', roles: ['admin', 'ops'], note: 'said "hi", left' }, Session: '6f1a3c52-0000-4000-8000-000000000001' },
    { TimeGenerated: ago(180), Computer: 'fab-db-02', EventID: 4624, Bytes: 42, Score: 1.25, Success: true, Props: { user: 'bob' }, Session: '6f1a3c52-0000-4000-8000-000000000002' },
    { TimeGenerated: ago(3 * 24 * 60), Computer: 'fab-old-03', EventID: 4624, Bytes: 7, Score: 2, Success: true, Props: { user: 'carol' }, Session: '6f1a3c52-0000-4000-8000-000000000003' },
  ]);
  await upload(server, INGEST.northwind, northwind, [
    { TimeGenerated: ago(20), Computer: 'nw-app-01', EventID: 4625, Bytes: 100, Score: 3.5, Success: false, Props: { user: 'dave' }, Session: '6f1a3c52-0000-4000-8000-000000000004' },
    { TimeGenerated: ago(120), Computer: 'nw-app-02', EventID: 4624, Bytes: 200, Score: 4, Success: true, Props: { user: 'erin' }, Session: '6f1a3c52-0000-4000-8000-000000000005' },
  ]);
});

after(() => suite.close());

const open = () => suite.open();


const editorInput = (page: Page) => page.locator('.monaco-editor textarea');
const workspacePicker = (page: Page) => page.getByRole('combobox', { name: 'Workspace', exact: true });

/** Replaces the editor's text (inserted, not typed, so IntelliSense does not complete it). */
async function setQuery(page: Page, text: string): Promise<void> {
  await editorInput(page).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The editor's text as shown. */
async function shownQuery(page: Page): Promise<string> {
  // Long lines wrap: the text is compared with its white space collapsed.
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until the editor shows text matching `expected` (Monaco renders a new value on its next frame). */
async function expectShownQuery(page: Page, expected: RegExp | string): Promise<void> {
  let shown = '';
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    shown = await shownQuery(page);
    if (typeof expected === 'string' ? shown.trim() === expected : expected.test(shown)) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`the editor shows ${JSON.stringify(shown)}, not ${String(expected)}`);
}

/** Waits for the answer of the run after the one shown when `start` is called (results or an error). */
async function answerOf(page: Page, start: () => Promise<void>): Promise<void> {
  const shown = Number(await page.locator('[data-run]').getAttribute('data-run'));
  await start();
  await page.locator(`[data-run="${shown + 1}"]:not([data-state="running"])`).waitFor({ timeout: 30_000 });
}

/** Runs with Shift+Enter in the editor. */
async function runByKeyboard(page: Page): Promise<void> {
  await answerOf(page, async () => {
    await editorInput(page).focus();
    await page.keyboard.press('Shift+Enter');
  });
}

async function run(page: Page, text: string): Promise<void> {
  await setQuery(page, text);
  await answerOf(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());
}

async function rowCount(page: Page): Promise<number> {
  const summary = page.locator('[data-run] [role="status"]');
  if (await summary.count() === 0) assert.fail(`no results: ${await page.locator('[data-run]').innerText()}`);
  const text = await summary.innerText();
  return Number(/([\d,]+) rows?/.exec(text)![1]!.replace(/,/g, ''));
}

/** The column of each header, and the cells of the results grid, row by row. */
async function grid(page: Page): Promise<{ headers: string[]; rows: string[][] }> {
  const table = page.getByRole('table', { name: 'Results' });
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.replace(/\s+/g, ' ').trim());
  const rows: string[][] = [];
  for (const r of await table.locator('tbody tr').all()) {
    const cells = (await r.locator('td').allInnerTexts()).map((c) => c.trim());
    if (cells.length === headers.length) rows.push(cells);
  }
  return { headers, rows };
}

async function openLogs(page: Page, workspace: string): Promise<void> {
  await page.goto(`${server.url}/logs`);
  await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
  await workspacePicker(page).locator('option').first().waitFor({ state: 'attached' });
  const options = await workspacePicker(page).locator('option').allInnerTexts();
  await workspacePicker(page).selectOption({ index: options.findIndex((o) => o.startsWith(`${workspace} `)) });
  await page.locator('.monaco-editor').waitFor();
}

describe('Logs', () => {
  test('Ana queries both customers, reads typed columns, charts, time ranges, errors, IntelliSense, history and CSV', async (t) => {
    const checked = await open();
    const { page } = checked;
    // The JavaScript each step loads (the workers' scripts too), as run and as sent.
    const js: Promise<{ name: string; raw: number; sent: number }>[] = [];
    checked.context.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.endsWith('.js')) js.push(Promise.all([response.request().sizes(), response.body()]).then(([sizes, body]) => ({ name: path.split('/').pop()!, raw: body.length, sent: sizes.responseBodySize })));
    });
    const loaded = async (what: string) => {
      const files = await Promise.all(js.splice(0));
      const kb = (n: number) => (n / 1024).toFixed(0);
      const groups = new Map<string, { raw: number; sent: number }>();
      for (const f of files) {
        const group = /^(LogsPage|monaco-kql|kustoMode|kusto\.worker|editor\.worker|ResultsChart)-/.exec(f.name)?.[1] ?? 'shared';
        const g = groups.get(group) ?? { raw: 0, sent: 0 };
        groups.set(group, { raw: g.raw + f.raw, sent: g.sent + Math.max(0, f.sent) });
      }
      t.diagnostic(`${what}: ${kb(files.reduce((n, f) => n + f.raw, 0))} KB of JavaScript, ${kb(files.reduce((n, f) => n + Math.max(0, f.sent), 0))} KB sent; ${[...groups].map(([g, v]) => `${g} ${kb(v.raw)} KB (${kb(v.sent)} KB sent)`).join(', ')}`);
      return files.map((f) => f.name);
    };
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await page.getByRole('table', { name: 'Microsoft Sentinel workspaces' }).waitFor();
    const firstPage = await loaded('sign-in and Workspaces');
    assert.deepEqual(firstPage.filter((n) => /monaco|kusto|worker|LogsPage|ResultsChart/i.test(n)), [], 'the first page loads no editor');
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
    await workspacePicker(page).locator('option').first().waitFor({ state: 'attached' });
    const options = await workspacePicker(page).locator('option').allInnerTexts();
    assert.ok(options.some((o) => o.startsWith('ws-fabrikam')) && options.some((o) => o.startsWith('ws-northwind')), options.join());
    await workspacePicker(page).selectOption({ index: options.findIndex((o) => o.startsWith('ws-fabrikam')) });
    await page.locator('.monaco-editor').waitFor();

    // Both customers' rows in one query, over the last 24 hours (the default range).
    await setQuery(page, BOTH);
    await runByKeyboard(page);
    assert.equal(await rowCount(page), 4);
    const logsPage = await loaded('the Logs page with its editor, workers and a first query');
    assert.ok(logsPage.some((n) => n.startsWith('kusto.worker-')), logsPage.join());
    const { headers, rows } = await grid(page);
    assert.deepEqual(headers, ['TimeGenerated datetime (UTC)', 'Computer string', 'EventID int', 'Bytes long', 'Score real', 'Success bool', 'Props dynamic', 'Session guid']);
    assert.deepEqual(rows.map((r) => r[1]), ['fab-web-01', 'nw-app-01', 'nw-app-02', 'fab-db-02']);
    const first = rows[0]!;
    assert.match(first[0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/);
    assert.deepEqual(first.slice(2, 6), ['4625', '1234567890123', '0.5', 'false']);
    assert.equal(first[7], '6f1a3c52-0000-4000-8000-000000000001');
    const bytesCell = page.getByRole('table', { name: 'Results' }).locator('tbody tr').first().locator('td').nth(3);
    assert.equal(await bytesCell.evaluate((e) => getComputedStyle(e).textAlign), 'right', 'numbers are right-aligned');
    // The dynamic value expands to its JSON.
    await page.getByRole('button', { name: 'Expand Props of row 1' }).click();
    const json = await page.getByLabel('Props of row 1', { exact: true }).innerText();
    assert.deepEqual(JSON.parse(json), { user: 'alice', roles: ['admin', 'ops'], note: 'said "hi", left' });
    assert.match(json, /\n {2}"roles": \[/, 'pretty-printed');
    await checkPage(page, 'logs-01-results');

    // CSV export of what is shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export to CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^ws-fabrikam-results-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.ok(csv.startsWith('\uFEFFTimeGenerated,Computer,EventID,Bytes,Score,Success,Props,Session\r\n'), csv.slice(0, 100));
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines.length, 5);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z,fab-web-01,4625,1234567890123,0\.5,false,"\{""user"":""alice"",""roles"":\[""admin"",""ops""\],""note"":""said \\""hi\\"", left""\}",6f1a3c52-0000-4000-8000-000000000001$/);

    // The time range: the last hour leaves out the older rows, 7 days brings the oldest.
    await page.getByLabel('Time range (UTC)').selectOption('PT1H');
    await runByKeyboard(page);
    assert.equal(await rowCount(page), 2);
    assert.deepEqual((await grid(page)).rows.map((r) => r[1]), ['fab-web-01', 'nw-app-01']);
    await page.getByLabel('Time range (UTC)').selectOption('P7D');
    await runByKeyboard(page);
    assert.equal(await rowCount(page), 5);
    assert.equal((await grid(page)).rows.at(-1)![1], 'fab-old-03');
    // A custom range needs both ends, in order.
    await page.getByLabel('Time range (UTC)').selectOption('custom');
    await editorInput(page).focus();
    await page.keyboard.press('Shift+Enter');
    await page.getByText('A custom time range needs a start and an end (UTC).').waitFor();
    const local = (minutes: number) => ago(minutes).slice(0, 16);
    await page.getByLabel('From (UTC)').fill(local(4 * 24 * 60));
    await page.getByLabel('To (UTC)').fill(local(2 * 24 * 60));
    await runByKeyboard(page);
    assert.deepEqual((await grid(page)).rows.map((r) => r[1]), ['fab-old-03']);
    await page.getByLabel('Time range (UTC)').selectOption('P1D');
    // A query that filters TimeGenerated itself sets its own range ("Set in query").
    await page.getByLabel('Time range (UTC)').selectOption('PT1H');
    await setQuery(page, `${BOTH.replace('| project', '| where TimeGenerated > ago(5d) | project')}`);
    await runByKeyboard(page);
    assert.equal(await rowCount(page), 5);
    assert.match(await page.locator('[data-run] [role="status"]').innerText(), /Set in query/);
    await page.getByLabel('Time range (UTC)').selectOption('P1D');

    // A long query shows its progress and can be cancelled; the next one runs.
    await setQuery(page, 'range x from 1 to 20000000000 step 1 | summarize count()');
    await editorInput(page).focus();
    await page.keyboard.press('Shift+Enter');
    await page.getByText(/Running the query… \d+ s/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alert').filter({ hasText: 'The query was cancelled' }).waitFor();
    await run(page, `${TABLE} | count`);
    assert.deepEqual((await grid(page)).rows, [['2']], "Fabrikam's rows of the last 24 hours");

    // render timechart and barchart draw charts.
    await run(page, `${TABLE} | summarize Events = count() by bin(TimeGenerated, 1h) | render timechart`);
    const timechart = page.locator('figure[data-visualization="timechart"]');
    assert.match(String(await timechart.locator('svg[aria-label]').first().getAttribute('aria-label')), /Line chart with 1 lines\. The X axis displays TimeGenerated\. The Y axis displays Events/);
    assert.equal(await timechart.getByLabel('Events, line 1 of 1 with 2 data points.').count(), 1, 'a line through two hours of Fabrikam events');
    await run(page, `union ${TABLE}, workspace("ws-northwind").${TABLE} | summarize Events = count() by Computer | render barchart`);
    await loaded('the first chart');
    const barchart = page.locator('figure[data-visualization="barchart"]');
    await barchart.locator('svg').first().waitFor();
    const bars = await barchart.locator('rect[aria-label]').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label')));
    assert.deepEqual(bars.sort(), ['fab-db-02. Events, 1.', 'fab-web-01. Events, 1.', 'nw-app-01. Events, 1.', 'nw-app-02. Events, 1.'], 'a bar for each computer of both customers');
    await checkPage(page, 'logs-02-barchart');
    await page.getByRole('tab', { name: 'Results' }).click();
    assert.equal(await rowCount(page), 4);

    // A bad query: the server's error with its position, and a way there.
    await setQuery(page, `${TABLE}\n| whre Computer == "x"`);
    await runByKeyboard(page);
    const error = page.getByRole('alert').filter({ hasText: 'The query was refused' });
    await error.waitFor();
    const errorText = await error.innerText();
    assert.match(errorText, /at line 2, column 3/, errorText);
    assert.match(errorText, /BadArgumentError/);
    await page.getByRole('button', { name: 'Go to line 2, column 3' }).click();
    await checkPage(page, 'logs-03-error');

    // IntelliSense from the workspace's schema, and the analyser's squiggle for an unknown column.
    await setQuery(page, `${TABLE} | where `);
    await page.keyboard.type('Compu');
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'Computer' }).first().waitFor();
    await page.keyboard.press('Escape');
    await setQuery(page, `${TABLE} | where NoSuchColumn == 1`);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    // workspace("...") is known to the analyser (no squiggle), as the server's compiler knows it.
    await setQuery(page, `workspace("ws-northwind").${TABLE} | where Computer != ""`);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.monaco-editor .squiggly-error').count(), 0, 'no squiggle under workspace("...")');
    await checkPage(page, 'logs-04-editor');

    // History: the queries run, newest first; clicking one loads it.
    const history = page.getByRole('region', { name: 'Query history' });
    const entries = await history.getByRole('listitem').allInnerTexts();
    assert.ok(entries[0]!.includes('| whre Computer'), entries[0]);
    assert.ok(entries.some((e) => e.includes('render barchart')), entries.join('\n'));
    assert.ok(entries.some((e) => e.startsWith('union Events_CL, workspace("ws-northwind").Events_CL | project')), entries.join('\n'));
    await history.getByRole('button', { name: /render timechart/ }).click();
    await expectShownQuery(page, /summarize Events = count\(\) by bin\(TimeGenerated, 1h\) \| render timechart/);

    // Saving in a customer's workspace needs savedSearches/write, which Responder does not have:
    // not offered (the page reads her permissions), and the server refuses it all the same.
    assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled(), true);
    await page.getByRole('tab', { name: 'Saved queries' }).click();
    await page.getByRole('region', { name: 'Saved queries' }).getByText(/You can open the saved queries of ws-fabrikam, not save them or delete them/).waitFor();
    await checkPage(page, 'logs-05-saved-read-only');
    const anaToken = await server.userToken(WORLD.soc.tenant, ana.upn, ana.password);
    const refused = await server.request('PUT', `${FABRIKAM_WS}/savedSearches/ana-try?api-version=2020-08-01`, { token: anaToken, body: { properties: { category: 'Hunting', displayName: 'Hourly events', query: TABLE } } });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.deepEqual(unexpectedErrors(checked, [400]), []);
    assert.equal(checked.errors.filter((e) => e.includes('status of 400')).length, 1, checked.errors.join('\n'));
  });

  test('Eli saves a query in Fabrikam; it is there after a reload, opens and runs, and he deletes it', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    await openLogs(page, 'ws-fabrikam');
    const query = `${TABLE} | where Success == false | project Computer, EventID`;
    await setQuery(page, query);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Give the query a name.').waitFor();
    await dialog.getByLabel('Name').fill('Failed sign-ins');
    await dialog.getByLabel('Category').fill('Hunting');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved in ws-fabrikam.').waitFor();

    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await page.getByRole('tab', { name: 'Saved queries' }).click();
    const saved = page.getByRole('region', { name: 'Saved queries' });
    await saved.getByRole('region', { name: 'Saved queries: Hunting' }).getByRole('button', { name: 'Failed sign-ins', exact: true }).click();
    await expectShownQuery(page, query);
    await runByKeyboard(page);
    assert.deepEqual((await grid(page)).rows, [['fab-web-01', '4625']]);
    await checkPage(page, 'logs-06-saved');

    await saved.getByRole('button', { name: 'Delete Failed sign-ins' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await saved.getByText('No saved queries in this workspace yet.').waitFor();
    assert.deepEqual(unexpectedErrors(checked), []);
  });

  test("Fabrikam's admin cannot query Northwind's workspace: the server's refusal is shown, and no row", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await openLogs(page, 'ws-fabrikam');
    assert.deepEqual((await workspacePicker(page).locator('option').allInnerTexts()).map((o) => o.split(' ')[0]), ['ws-fabrikam']);
    await setQuery(page, `workspace("ws-northwind").${TABLE} | take 5`);
    await runByKeyboard(page);
    const error = await page.getByRole('alert').filter({ hasText: 'The query was refused' }).innerText();
    assert.match(error, /ws-northwind/);
    assert.match(error, /BadArgumentError/);
    assert.equal(await page.getByRole('table', { name: 'Results' }).count(), 0);
    await checkPage(page, 'logs-07-refused');
    // His own workspace answers.
    await setQuery(page, `${TABLE} | count`);
    await runByKeyboard(page);
    assert.deepEqual((await grid(page)).rows, [['2']]);
    // A long result comes a page at a time; past the server's row limit (120 here) it is partial, and says so.
    await setQuery(page, 'range x from 1 to 150 step 1 | extend Double = x * 2');
    await runByKeyboard(page);
    assert.equal(await rowCount(page), 120);
    await page.getByText('Partial results').waitFor();
    assert.match(await page.locator('[data-run]').innerText(), /record count limit 120/);
    assert.equal((await grid(page)).rows.length, 50);
    const pages = page.getByRole('navigation', { name: 'Pages of Results' });
    assert.match(await pages.innerText(), /Rows 1–50 of 120 \(page 1 of 3\)/);
    await pages.getByRole('button', { name: 'Next page' }).click();
    await pages.getByRole('button', { name: 'Next page' }).click();
    assert.deepEqual((await grid(page)).rows.map((r) => r[0]), Array.from({ length: 20 }, (_x, i) => String(101 + i)));
    assert.equal(await pages.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await checkPage(page, 'logs-08-partial-paged');
    assert.deepEqual(unexpectedErrors(checked, [400]), []);
  });
});
