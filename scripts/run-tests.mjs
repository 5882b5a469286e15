#!/usr/bin/env node
// Runs the test suites. Node 20's test runner takes no globs, so we find the files ourselves.
// Test servers serve HTTPS with one certificate made here once; every test process trusts it
// through NODE_EXTRA_CA_CERTS, exactly as a user's Azure SDK scripts would.
// Usage: node scripts/run-tests.mjs [path-filter...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureTestCertificate } from './test-tls.mjs';

const root = new URL('..', import.meta.url).pathname;
const tls = await ensureTestCertificate(root);

const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(relative(root, path));
  }
}
walk(join(root, 'packages'));
const filters = process.argv.slice(2);
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (selected.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}
// The portal's browser tests load the built portal: build it first when it is missing or stale.
if (selected.some((f) => f.startsWith('packages/web/'))) {
  const { ensurePortalBuilt } = await import('./build-web.mjs');
  await ensurePortalBuilt();
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, ...tls.env },
});
process.exit(result.status ?? 1);
