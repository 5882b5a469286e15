// The Overview page in Debian's Chromium against a real test server (the example MSSP world plus
// an ingesting app per customer). Events arrive through the Logs Ingestion API with their own
// TimeGenerated, over the last week: Fabrikam's Windows security events (one an hour, then a
// burst of 30 in the last hour: a spike) and alerts of a product, Northwind's syslog (one an
// hour, until an hour ago: stopped) and alerts; incidents are made through the ARM API by each
// customer's admin. Ana, the MSSP's tier-1 analyst, sees both customers' figures, each computed
// here from what was sent; she opens Fabrikam's workspace from the Workspaces list (by keyboard)
// and sees its figures alone; Fabrikam's admin sees only Fabrikam's; a part that fails shows the
// server's message with Try again, and the others stay.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually, WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { INGEST, query, queryToken, queryWorld, upload } from '../../server/test/query-fixtures.ts';
import { PortalSuite, checkPage, signInAtHome, tabUntil } from './browser.ts';

const { ana, fabrikamAdmin, northwindAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const NWS = ws(N.subscription, N.rg, N.workspace);
const HOUR = 3_600_000;

const suite = new PortalSuite();
let server: TestServer;

/** What was sent, by workspace and table: each row's age in hours when it was sent. */
const sent: Record<'fabrikam' | 'northwind', Record<string, number[]>> = { fabrikam: {}, northwind: {} };
const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i + 0.5);

/** A data collection rule in the customer's resource group sending the standard stream Microsoft-<table> to its workspace. */
async function standardRule(token: string, c: { subscription: string; rg: string }, workspace: string, table: string) {
  const res = await server.request('PUT', `/subscriptions/${c.subscription}/resourceGroups/${c.rg}/providers/Microsoft.Insights/dataCollectionRules/dcr-${table.toLowerCase()}?api-version=2023-03-11`, {
    token,
    body: { location: 'westeurope', properties: {
      destinations: { logAnalytics: [{ workspaceResourceId: workspace, name: 'la' }] },
      dataFlows: [{ streams: [`Microsoft-${table}`], destinations: ['la'], outputStream: `Microsoft-${table}` }],
    } },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { immutableId: res.body.properties.immutableId as string, stream: `Microsoft-${table}` };
}

async function send(customer: 'fabrikam' | 'northwind', token: string, table: string, ages: number[], row: (i: number) => object): Promise<void> {
  const c = customer === 'fabrikam' ? F : N;
  const rule = await standardRule(token, c, customer === 'fabrikam' ? FWS : NWS, table);
  const now = Date.now();
  await upload(server, INGEST[customer], rule, ages.map((age, i) => ({ TimeGenerated: new Date(now - age * HOUR).toISOString(), ...row(i) })));
  sent[customer][table] = [...(sent[customer][table] ?? []), ...ages];
}

/** Rows of a table sent with an age in [from, to) hours. */
const between = (customer: 'fabrikam' | 'northwind', table: string, from: number, to: number) =>
  (sent[customer][table] ?? []).filter((a) => a >= from && a < to).length;

before(async () => {
  server = await suite.start({ environment: queryWorld() });
  const fabToken = await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password);
  const nwToken = await server.userToken(N.tenant, northwindAdmin.upn, northwindAdmin.password);

  // Fabrikam: a Windows security event an hour for a week, then 30 in the last hour.
  await send('fabrikam', fabToken, 'SecurityEvent', [...hours(1, 167), ...Array.from({ length: 30 }, (_, i) => 0.2 + i / 100)],
    (i) => ({ Computer: 'dc01.fabrikam.example', EventID: 4625, Account: `FABRIKAM\\user${i % 7}`, Activity: '4625 - An account failed to log on.' }));
  // Northwind: a syslog line an hour for a week, none in the last hour.
  await send('northwind', nwToken, 'Syslog', hours(1, 167),
    (i) => ({ Computer: 'fw01', HostName: 'fw01', Facility: 'authpriv', SeverityLevel: 'info', SyslogMessage: `session ${i} opened` }));
  // Alerts of a security product (as Defender's connector writes them), this period and the one before.
  const alert = (name: string) => (i: number) => ({ AlertName: name, DisplayName: `${name} ${i}`, AlertSeverity: 'Medium', ProductName: 'Microsoft Defender for Endpoint', Status: 'New' });
  await send('fabrikam', fabToken, 'SecurityAlert', [2.5, 5.5, 10.5, 30.5], alert('Suspicious PowerShell'));
  await send('northwind', nwToken, 'SecurityAlert', [3.5, 26.5, 40.5], alert('Ransomware behaviour'));

  // Incidents, by each customer's admin through the ARM API.
  const incidents: [string, string, string, string, object][] = [
    [fabToken, FWS, 'f1', 'Brute force on dc01', { severity: 'High', status: 'New' }],
    [fabToken, FWS, 'f2', 'Rare process on web02', { severity: 'Low', status: 'Active' }],
    [fabToken, FWS, 'f3', 'Mass download by a contractor', { severity: 'Medium', status: 'Closed', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected' }],
    [nwToken, NWS, 'n1', 'Impossible travel for the CFO', { severity: 'High', status: 'New' }],
    [nwToken, NWS, 'n2', 'New admin consent', { severity: 'Informational', status: 'New' }],
  ];
  for (const [token, workspace, name, title, properties] of incidents) {
    const res = await server.request('PUT', `${workspace}/providers/Microsoft.SecurityInsights/incidents/${name}?api-version=2025-09-01`, { token, body: { properties: { title, ...properties } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  // Rows are committed in the background: wait until every one can be queried.
  const anaQuery = await queryToken(server, WORLD.soc.tenant, ana);
  const ids = await Promise.all([[fabToken, FWS], [nwToken, NWS]].map(async ([token, path]) => (await server.request('GET', `${path}?api-version=2022-10-01`, { token })).body.properties.customerId as string));
  const total = Object.values(sent).flatMap((t) => Object.values(t)).reduce((a, b) => a + b.length, 0);
  const count = (kql: string, n: number, what: string) => eventually(
    () => query(server, anaQuery, ids[0]!, { query: `${kql} | count`, workspaces: [ids[1]] }),
    (r) => r.status === 200 && r.body.tables[0].rows[0][0] === n,
    what,
  );
  await count('union SecurityEvent, Syslog, SecurityAlert', total, 'the rows sent to be queryable');
  await count('SecurityIncident', incidents.length, "the incidents' SecurityIncident rows to be queryable");
});

after(() => suite.close());

const open = () => suite.open();

/** "+58% from 48", as the page words a change. */
function change(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'none in either period' : 'none in the previous period';
  if (current === previous) return `no change from ${previous}`;
  const percent = Math.round(((current - previous) / previous) * 100);
  return `${percent > 0 ? '+' : ''}${percent}% from ${previous}`;
}

/** Waits until a figure (its label, number and change) reads as expected. */
async function expectFigure(page: Page, label: string, current: number, previous: number): Promise<void> {
  const figure = page.getByRole('group', { name: label, exact: true });
  const expected = [label, String(current), change(current, previous)].join(' | ');
  let seen = '';
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    seen = (await figure.innerText({ timeout: 30_000 }).catch(() => '')).split('\n').map((s) => s.trim()).filter((s) => s !== '').join(' | ');
    if (seen === expected) return;
    await page.waitForTimeout(100);
  }
  assert.equal(seen, expected);
}

/** The cells of each row of a table (by its accessible name), the first `n` of each. */
async function rowsOf(page: Page, table: string, n: number): Promise<string[]> {
  const t = page.getByRole('table', { name: table, exact: true });
  await t.waitFor({ timeout: 30_000 });
  const rows = await t.locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).slice(0, n).map((c) => c.trim()).join(' | ')));
}

/** Status, High, Medium, Low, Informational, Total for each status. */
const matrix = (page: Page) => rowsOf(page, 'Incidents created, last 24 hours, by status and severity', 6);
const sources = (page: Page, n = 4) => rowsOf(page, 'Data sources', n);
const anomalies = (page: Page, n = 4) => rowsOf(page, 'Anomalies in data arrival', n);
const recentTitles = async (page: Page) => (await rowsOf(page, 'Recent incidents', 2)).map((r) => r.split(' | ')[1]);

/** The expected figures of one customer or both. */
function expected(customers: ('fabrikam' | 'northwind')[], period: number) {
  const sum = (tables: string[], from: number, to: number) =>
    customers.reduce((a, c) => a + tables.reduce((b, t) => b + between(c, t, from, to), 0), 0);
  return {
    events: sum(['SecurityEvent', 'Syslog'], 0, period), previousEvents: sum(['SecurityEvent', 'Syslog'], period, 2 * period),
    alerts: sum(['SecurityAlert'], 0, period), previousAlerts: sum(['SecurityAlert'], period, 2 * period),
  };
}

describe('the Overview page', () => {
  test("the MSSP analyst sees both customers' figures, then one workspace's opened from the Workspaces list", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(`${server.url}/overview`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    assert.match(await page.getByRole('combobox', { name: 'Workspace' }).inputValue(), /^$/);

    const both = expected(['fabrikam', 'northwind'], 24);
    assert.deepEqual(both, { events: 76, previousEvents: 48, alerts: 4, previousAlerts: 3 });
    await expectFigure(page, 'Events, last 24 hours', both.events, both.previousEvents);
    await expectFigure(page, 'Alerts, last 24 hours', both.alerts, both.previousAlerts);
    await expectFigure(page, 'Incidents created, last 24 hours', 5, 0);
    assert.deepEqual(await matrix(page), ['New | 2 | 0 | 0 | 1 | 3', 'Active | 0 | 0 | 1 | 0 | 1', 'Closed | 0 | 1 | 0 | 0 | 1']);
    assert.deepEqual(await sources(page), [
      `SecurityEvent | ws-fabrikam (Fabrikam) | ${between('fabrikam', 'SecurityEvent', 0, 24)} | ${change(between('fabrikam', 'SecurityEvent', 0, 24), between('fabrikam', 'SecurityEvent', 24, 48))}`,
      `Syslog | ws-northwind (Northwind Traders) | ${between('northwind', 'Syslog', 0, 24)} | ${change(between('northwind', 'Syslog', 0, 24), between('northwind', 'Syslog', 24, 48))}`,
    ]);
    assert.deepEqual(new Set(await recentTitles(page)), new Set(['Brute force on dc01', 'Rare process on web02', 'Mass download by a contractor', 'Impossible travel for the CFO', 'New admin consent']));
    // The planted anomalies: Fabrikam's burst of security events, Northwind's syslog that stopped.
    assert.deepEqual(await anomalies(page), [
      'SecurityEvent | ws-fabrikam (Fabrikam) | Far above usual | 30',
      'Syslog | ws-northwind (Northwind Traders) | Stopped | 0',
    ]);
    // The chart's figures as a table: the hourly events of both periods add up to the totals.
    await page.getByText('Events: the figures as a table').click();
    const hourly = await rowsOf(page, 'Events per hour', 4);
    assert.equal(hourly.length, 24);
    assert.equal(hourly.reduce((a, r) => a + Number(r.split(' | ')[1]), 0), both.events);
    assert.equal(hourly.reduce((a, r) => a + Number(r.split(' | ')[3]), 0), both.previousEvents);
    await checkPage(page, '70-overview-all');

    // A week: everything sent is in this period, nothing in the one before.
    await page.getByRole('combobox', { name: 'Time range' }).selectOption('7d');
    await page.waitForURL(`${server.url}/overview?range=7d`);
    const week = expected(['fabrikam', 'northwind'], 168);
    await expectFigure(page, 'Events, last 7 days', week.events, week.previousEvents);
    await expectFigure(page, 'Alerts, last 7 days', week.alerts, week.previousAlerts);
    await checkPage(page, '71-overview-week');
    await page.getByRole('combobox', { name: 'Time range' }).selectOption('30d');
    await page.waitForURL(`${server.url}/overview?range=30d`);
    const month = expected(['fabrikam', 'northwind'], 720);
    await expectFigure(page, 'Events, last 30 days', month.events, month.previousEvents);
    assert.equal((await rowsOf(page, 'Incidents created, last 30 days, by status and severity', 6)).length, 3);

    // Fabrikam's workspace, opened from the Workspaces list by keyboard.
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Workspaces' }).click();
    const link = page.getByRole('link', { name: 'Overview of ws-fabrikam' });
    await link.waitFor();
    await tabUntil(page, () => link.evaluate((el) => el === document.activeElement), "the link to ws-fabrikam's overview", 60);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/overview?workspace=${encodeURIComponent(FWS)}`);
    assert.equal(await page.getByRole('combobox', { name: 'Workspace' }).inputValue(), FWS);
    const fabrikam = expected(['fabrikam'], 24);
    await expectFigure(page, 'Events, last 24 hours', fabrikam.events, fabrikam.previousEvents);
    await expectFigure(page, 'Alerts, last 24 hours', fabrikam.alerts, fabrikam.previousAlerts);
    await expectFigure(page, 'Incidents created, last 24 hours', 3, 0);
    assert.deepEqual(await matrix(page), ['New | 1 | 0 | 0 | 0 | 1', 'Active | 0 | 0 | 1 | 0 | 1', 'Closed | 0 | 1 | 0 | 0 | 1']);
    // One workspace: no workspace column.
    assert.deepEqual(await sources(page, 3), [`SecurityEvent | ${fabrikam.events} | ${change(fabrikam.events, fabrikam.previousEvents)}`]);
    assert.deepEqual(new Set(await recentTitles(page)), new Set(['Brute force on dc01', 'Rare process on web02', 'Mass download by a contractor']));
    assert.deepEqual(await anomalies(page, 3), ['SecurityEvent | Far above usual | 30']);
    await page.locator('main').getByText('Delegated', { exact: true }).waitFor();
    await checkPage(page, '72-overview-fabrikam');

    // Northwind's workspace, picked here; a workspace id that is not in the selection is said so.
    await page.getByRole('combobox', { name: 'Workspace' }).selectOption(NWS);
    const northwind = expected(['northwind'], 24);
    await expectFigure(page, 'Events, last 24 hours', northwind.events, northwind.previousEvents);
    assert.deepEqual(await anomalies(page, 3), ['Syslog | Stopped | 0']);
    await page.goto(`${server.url}/overview?workspace=${encodeURIComponent(ws(WORLD.soc.subscription, 'rg-nowhere', 'ws-nowhere'))}`);
    await page.getByText('Workspace not in your selection').waitFor();
    assert.deepEqual(checked.errors, []);
  });

  test("a customer's admin sees only its own figures", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await page.goto(`${server.url}/overview`);
    const fabrikam = expected(['fabrikam'], 24);
    await expectFigure(page, 'Events, last 24 hours', fabrikam.events, fabrikam.previousEvents);
    await expectFigure(page, 'Alerts, last 24 hours', fabrikam.alerts, fabrikam.previousAlerts);
    await expectFigure(page, 'Incidents created, last 24 hours', 3, 0);
    assert.deepEqual(await sources(page), [`SecurityEvent | ws-fabrikam (Fabrikam) | ${fabrikam.events} | ${change(fabrikam.events, fabrikam.previousEvents)}`]);
    assert.deepEqual(new Set(await recentTitles(page)), new Set(['Brute force on dc01', 'Rare process on web02', 'Mass download by a contractor']));
    assert.deepEqual(await anomalies(page), ['SecurityEvent | ws-fabrikam (Fabrikam) | Far above usual | 30']);
    const text = await page.locator('main').innerText();
    for (const other of ['Northwind', 'Syslog', 'Impossible travel']) assert.ok(!text.includes(other), `Fabrikam's admin sees "${other}"`);
    await checkPage(page, '73-overview-customer');
    assert.deepEqual(checked.errors, []);
  });

  test('a part that fails shows the server\'s message with Try again; the others stay', async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, ana, 'Contoso SOC');
    let failures = 1;
    await page.route('**/v1/workspaces/*/query', async (route) => {
      if (!(route.request().postData() ?? '').includes('arg_max(TimeGenerated, Status, Severity') || failures-- <= 0) return route.continue();
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The log store is restarting; try again in a minute.' } }) });
    });
    await page.goto(`${server.url}/overview`);
    const alert = page.getByRole('alert').filter({ hasText: 'Incidents could not be counted' });
    await alert.getByText('The log store is restarting; try again in a minute. (ServiceUnavailable)').waitFor();
    const both = expected(['fabrikam', 'northwind'], 24);
    await expectFigure(page, 'Events, last 24 hours', both.events, both.previousEvents);
    await checkPage(page, '74-overview-error');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expectFigure(page, 'Incidents created, last 24 hours', 5, 0);
    await alert.waitFor({ state: 'detached' });
    assert.deepEqual(checked.errors.filter((e) => !e.includes('status of 503')), []);
  });
});
