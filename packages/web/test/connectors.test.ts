// The Data connectors page in Debian's Chromium against a real test server (the example MSSP
// world): Eli, the MSSP's SOC engineer (Microsoft Sentinel Contributor through the delegation),
// opens Fabrikam's workspace's connectors from the Workspaces list and may not deploy there
// (a delegation does not allow it: the page says so); he signs in directly to Fabrikam, where he
// is a guest, comes back to the same page and deploys a Syslog connector, listed with its port;
// a port already taken is refused by the server, and its message shown. Fabrikam's admin
// deploys in his own workspace from the navigation and removes a connector.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { WORLD, ws, type TestServer } from '../../server/test/harness.ts';
import { PortalSuite, checkPage, signInAtHome, signInOnLoginPage, unexpectedErrors } from './browser.ts';

const { eli, fabrikamAdmin } = WORLD.users;
const F = WORLD.fabrikam;
const FABRIKAM_WS = ws(F.subscription, F.rg, F.workspace);

const suite = new PortalSuite();
let server: TestServer;

before(async () => {
  server = await suite.start();
});

after(() => suite.close());

const open = () => suite.open();

/** A TCP port free on this host right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const accountButton = (page: Page) => page.locator('header').getByRole('button', { name: /@/ });
const connectorsTable = (page: Page) => page.getByRole('table', { name: 'Data connectors' });

/** Name, kind, status, last data, volume, listening on, of each listed connector. */
async function listedConnectors(page: Page): Promise<string[]> {
  await connectorsTable(page).waitFor();
  const rows = await connectorsTable(page).locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).slice(0, 6).map((c) => c.trim()).join(' | ')));
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`waited 10 s for ${what}`);
}

async function expectConnectors(page: Page, expected: string[]): Promise<void> {
  let seen: string[] = [];
  await until(async () => {
    seen = await listedConnectors(page).catch(() => []);
    return JSON.stringify(seen) === JSON.stringify(expected);
  }, `the connectors ${JSON.stringify(expected)} (seen ${JSON.stringify(seen)})`);
}

/** Fills and sends the deploy dialog. */
async function deploy(page: Page, c: { kind: string; name: string; protocol?: string; port?: number }): Promise<void> {
  await page.getByRole('button', { name: 'Deploy connector' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy a data connector' });
  await dialog.getByLabel('Kind').selectOption(c.kind);
  await dialog.getByLabel('Name').fill(c.name);
  if (c.protocol !== undefined) await dialog.getByLabel('Protocol').selectOption(c.protocol);
  if (c.port !== undefined) await dialog.getByLabel('Port').fill(String(c.port));
}


describe('the Data connectors page', () => {
  test("the MSSP's engineer cannot deploy through the delegation, signs in directly to Fabrikam and deploys a Syslog connector", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, eli, 'Contoso SOC');
    // From the Workspaces list, Fabrikam's workspace's connectors.
    await page.getByRole('link', { name: `Data connectors of ${F.workspace}` }).click();
    await page.waitForURL(`${server.url}/data-connectors?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await page.getByRole('heading', { level: 1, name: 'Data connectors' }).waitFor();
    assert.match(await page.getByLabel('Workspace').locator('option:checked').innerText(), /ws-fabrikam \(Fabrikam, delegated\)/);
    await page.getByText('Data connectors need a direct sign-in').waitFor();
    await page.getByText(`${F.workspace} has no data connector yet.`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Deploy connector' }).isDisabled(), true);
    await checkPage(page, '70-connectors-delegated');

    // The direct sign-in, as a guest of Fabrikam with his home account, back to the same page.
    await page.getByRole('button', { name: 'Sign in to Fabrikam' }).click();
    await signInOnLoginPage(page, 'Fabrikam', eli);
    await page.waitForURL(`${server.url}/data-connectors?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await accountButton(page).filter({ hasText: 'Fabrikam' }).waitFor();
    assert.match(await page.getByLabel('Workspace').locator('option:checked').innerText(), /ws-fabrikam \(Fabrikam\)/);
    await page.getByRole('button', { name: 'Deploy connector' }).and(page.locator(':not([disabled])')).waitFor();
    assert.equal(await page.getByText('Data connectors need a direct sign-in').count(), 0);

    const port = await freePort();
    await deploy(page, { kind: 'Syslog', name: 'syslog-dc', protocol: 'tcp', port });
    await checkPage(page, '71-connectors-deploy');
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).waitFor({ state: 'hidden' });
    await expectConnectors(page, [`syslog-dc | Syslog | Waiting for data | None yet | 0 events, 0 B | TCP ${port}`]);
    await checkPage(page, '72-connectors-deployed');
    // It listens: the port takes a connection.
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(); });
      socket.once('error', reject);
    });

    // The server refuses a second connector on the same port: its message is shown in the dialog.
    await deploy(page, { kind: 'CEF', name: 'cef-same-port', protocol: 'tcp', port });
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).getByRole('button', { name: 'Deploy' }).click();
    const refusal = page.getByRole('dialog', { name: 'Deploy a data connector' }).getByRole('alert');
    await refusal.getByText('The connector could not be deployed').waitFor();
    assert.match(await refusal.innerText(), new RegExp(`Port ${port}/tcp .* is already in use`));
    await checkPage(page, '73-connectors-refused');
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).getByRole('button', { name: 'Cancel' }).click();
    await expectConnectors(page, [`syslog-dc | Syslog | Waiting for data | None yet | 0 events, 0 B | TCP ${port}`]);
    assert.deepEqual(unexpectedErrors(checked, [409]), []);
    assert.ok(checked.errors.length <= 1, JSON.stringify(checked.errors));
  });

  test("a customer's admin deploys in his own workspace from the navigation and removes a connector", async () => {
    const checked = await open();
    const { page } = checked;
    await signInAtHome(page, server.url, fabrikamAdmin, 'Fabrikam');
    await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: 'Data connectors' }).click();
    await page.waitForURL(`${server.url}/data-connectors`);
    assert.match(await page.getByLabel('Workspace').locator('option:checked').innerText(), /ws-fabrikam \(Fabrikam\)/);
    await page.getByText('Own directory').waitFor();
    // Eli's connector, deployed by the test before (each test file has its own server; the tests run in order).
    await connectorsTable(page).getByText('syslog-dc').waitFor();
    const before = await listedConnectors(page);

    await deploy(page, { kind: 'CEF', name: 'cef-firewall', protocol: 'udp', port: 0 });
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('dialog', { name: 'Deploy a data connector' }).waitFor({ state: 'hidden' });
    await connectorsTable(page).getByText('cef-firewall').waitFor();
    const res = await server.request('GET', `${FABRIKAM_WS}/providers/Microsoft.SecurityInsights/dataConnectors/cef-firewall?api-version=2025-09-01`,
      { token: await server.userToken(F.tenant, fabrikamAdmin.upn, fabrikamAdmin.password) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const port = res.body.properties.connectivity.listening.port as number;
    assert.ok(port > 0);
    await expectConnectors(page, [`cef-firewall | Common Event Format (CEF) | Waiting for data | None yet | 0 events, 0 B | UDP ${port}`, ...before]);

    await page.getByRole('button', { name: 'Remove syslog-dc' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove syslog-dc?' });
    await checkPage(page, '74-connectors-remove');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await expectConnectors(page, [`cef-firewall | Common Event Format (CEF) | Waiting for data | None yet | 0 events, 0 B | UDP ${port}`]);
    await checkPage(page, '75-connectors-own');
    // Loaded directly, the page shows the same.
    await page.goto(`${server.url}/data-connectors?workspace=${encodeURIComponent(FABRIKAM_WS)}`);
    await expectConnectors(page, [`cef-firewall | Common Event Format (CEF) | Waiting for data | None yet | 0 events, 0 B | UDP ${port}`]);
    assert.deepEqual(checked.errors, []);
  });
});
