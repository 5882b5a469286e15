// Debian's Chromium driven by playwright-core for the portal's browser tests: found on the PATH
// (Playwright cannot download its own browser here), trusting exactly the test server's
// certificate (by its public key), with the checks every page gets: console errors, axe-core,
// a screenshot under test-results/.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensurePortalBuilt } from '../../../scripts/build-web.mjs';
import { startTestServer, type TestServer, type TestServerOptions } from '../../server/test/harness.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'test-results', 'portal');

export function chromiumPath(): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') return explicit;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "Chromium is not installed: the portal's browser tests drive Debian's chromium package through playwright-core. " +
      'Install it with `sudo apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
}

/**
 * Chromium does not read NODE_EXTRA_CA_CERTS. Rather than ignoring every certificate error,
 * it is told to accept the test certificate alone, by the SHA-256 of its public key.
 */
function spkiHash(certFile: string): string {
  const der = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

export async function launchChromium(): Promise<Browser> {
  const certFile = process.env.VIGIL_TEST_TLS_CERT;
  if (certFile === undefined) throw new Error('VIGIL_TEST_TLS_CERT is not set: run the browser tests through `npm test` (scripts/run-tests.mjs), which makes the test certificate.');
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [`--ignore-certificate-errors-spki-list=${spkiHash(certFile)}`, '--disable-dev-shm-usage'],
  });
}

export interface CheckedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions so far. */
  errors: string[];
}

/** A fresh context (its own storage) at 1280 x 800, recording console errors and page errors. */
export async function openPage(browser: Browser): Promise<CheckedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error at ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught at ${page.url()}: ${error.stack ?? error.message}`));
  page.setDefaultTimeout(15_000);
  return { page, context, errors };
}

/**
 * What every browser test file needs: the portal built (when stale), its own test server and
 * Chromium, started together; pages opened one fresh context each; all closed at the end.
 */
export class PortalSuite {
  private browser: Browser | undefined;
  private server: TestServer | undefined;
  private readonly opened: CheckedPage[] = [];

  async start(options: TestServerOptions = {}): Promise<TestServer> {
    await ensurePortalBuilt({ quiet: true });
    [this.server, this.browser] = await Promise.all([startTestServer(options), launchChromium()]);
    return this.server;
  }

  async open(): Promise<CheckedPage> {
    if (this.browser === undefined) throw new Error('PortalSuite.open() before start()');
    const checked = await openPage(this.browser);
    this.opened.push(checked);
    return checked;
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.map((p) => p.context.close()));
    await this.browser?.close();
    await this.server?.close();
  }
}

/** Console errors other than the failed responses a test caused on purpose (Chromium logs each failed response). */
export function unexpectedErrors(checked: CheckedPage, allowedStatuses: number[] = []): string[] {
  return checked.errors.filter((e) => !allowedStatuses.some((s) => e.includes(`the server responded with a status of ${s}`)));
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * axe-core run in the page. Evaluated through the debugging protocol rather than added as a
 * <script>, so the portal's Content-Security-Policy (scripts from its origin only) stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Fluent's motions (a popover fading in) would be measured half-transparent.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    // Tabster's focus sentinels (Fluent's focus traps) are focusable and aria-hidden on purpose: they
    // hand focus on at once, and screen readers must not announce them (microsoft/tabster#288).
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/** Presses Tab until `isTarget` holds for the focused element (at most `limit` times): keyboard reachability. */
export async function tabUntil(page: Page, isTarget: () => Promise<boolean>, what: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await isTarget()) return;
    await page.keyboard.press('Tab');
  }
  if (!(await isTarget())) throw new Error(`${what} was not reached with ${limit} presses of Tab`);
}

/** The checks every page gets: no serious or critical axe-core violation, no sideways scrolling at 1280 px, a screenshot. */
export async function checkPage(page: Page, name: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  if (violations.length > 0) throw new Error(`serious or critical accessibility violations on ${name}:\n${JSON.stringify(violations, null, 2)}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 1280) throw new Error(`${name} is ${width} px wide at a 1280 px window (it scrolls sideways)`);
  await screenshot(page, name);
}

/** The server's login page of a directory: the user types the password (and name, if not hinted). */
export async function signInOnLoginPage(page: Page, directoryName: string, user: { upn: string; password: string }): Promise<void> {
  await page.waitForURL(/\/oauth2\/v2\.0\/authorize/);
  const shown = await page.locator('.directory').innerText();
  if (!new RegExp(directoryName, 'i').test(shown)) throw new Error(`the login page is ${shown}'s, not ${directoryName}'s`);
  const username = page.locator('#username');
  if ((await username.inputValue()) === '') await username.fill(user.upn);
  if ((await username.inputValue()) !== user.upn) throw new Error(`the login page names ${await username.inputValue()}, not ${user.upn}`);
  await page.locator('#password').fill(user.password);
  await page.locator('button[type=submit]').click();
}

/** Opens a section from the left navigation and waits for its page (its heading names it). */
export async function openSection(page: Page, serverUrl: string, label: string, path: string, heading = label): Promise<void> {
  await page.getByRole('navigation', { name: 'Microsoft Sentinel' }).getByRole('link', { name: label }).click();
  await page.waitForURL(`${serverUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Signs in from the portal's own sign-in page and lands on the first page (Workspaces). */
export async function signInAtHome(page: Page, serverUrl: string, user: { upn: string; password: string }, directoryName: string): Promise<void> {
  await page.goto(`${serverUrl}/`);
  await page.getByLabel('Email, or directory domain or ID').fill(user.upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await signInOnLoginPage(page, directoryName, user);
  await page.waitForURL(`${serverUrl}/workspaces`);
}
