// Remakes the README's screenshot (docs/images/portal-incidents.png): `vigil serve` on an empty
// data directory (the demo world and its traffic), Ana signs in in Debian's Chromium, and the
// incident queue across the demo's customers is taken once the first incidents are in.
// Usage: npx tsx scripts/readme-screenshot.ts   (needs chromium on the PATH and a built portal)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePortalBuilt } from './build-web.mjs';
import { freePort, machineLock, VIGIL_BIN } from '../packages/server/test/child-server.ts';
import { launchChromium, signInAtHome } from '../packages/web/test/browser.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'images', 'portal-incidents.png');

await ensurePortalBuilt({ quiet: true });
const unlock = await machineLock('vigil-demo-ports');
const dir = mkdtempSync(join(tmpdir(), 'vigil-screenshot-'));
const port = await freePort();
const server = spawn(process.execPath, [VIGIL_BIN, 'serve', '--data-dir', join(dir, 'data'), '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VIGIL_LOG_LEVEL: 'warn' },
});
try {
  let out = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (d) => { out += String(d); if (out.includes('Portal: ')) resolve(); });
    server.once('exit', (code) => reject(new Error(`vigil serve exited (${code}): ${out}`)));
  });
  // Chromium trusts the certificate this server made, by its public key (browser.ts).
  process.env.VIGIL_TEST_TLS_CERT = join(dir, 'data', 'tls', 'cert.pem');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const url = `https://127.0.0.1:${port}`;
  await signInAtHome(page, url, { upn: 'ana@contososoc.example', password: 'Tier1-Passw0rd!' }, 'Contoso SOC');
  // The first attacks come 20 s after start; wait for an incident of each customer.
  for (const deadline = Date.now() + 5 * 60_000; Date.now() < deadline;) {
    await page.goto(`${url}/incidents`);
    await page.getByText(/\d+ incidents?|No incidents/).first().waitFor();
    const directories = new Set(await page.getByRole('table', { name: 'Incidents' }).locator('tbody tr td:nth-child(7)').allInnerTexts());
    if (directories.size >= 3) break;
    await page.waitForTimeout(5000);
  }
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`wrote ${OUT}`);
  await browser.close();
} finally {
  server.kill('SIGINT');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  unlock();
}
