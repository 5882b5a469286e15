#!/usr/bin/env node
// Runs a benchmark (packages/*/bench/<name>.bench.ts) with the test certificate trusted.
// Usage: node scripts/bench.mjs ingest | kql
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestCertificate } from './test-tls.mjs';

const root = new URL('..', import.meta.url).pathname;
const name = process.argv[2];
const file = readdirSync(join(root, 'packages'))
  .map((pkg) => join(root, 'packages', pkg, 'bench', `${name}.bench.ts`))
  .find((f) => existsSync(f));
if (name === undefined || file === undefined) {
  console.error(`usage: node scripts/bench.mjs <name>; no benchmark packages/*/bench/${name}.bench.ts`);
  process.exit(2);
}
const tls = await ensureTestCertificate(root);
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(3)], { stdio: 'inherit', cwd: root, env: { ...process.env, ...tls.env } });
process.exit(result.status ?? 1);
