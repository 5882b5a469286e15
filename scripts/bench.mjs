#!/usr/bin/env node
// Runs a benchmark (packages/*/bench/<name>.bench.ts) with the test certificate trusted.
// Usage: node scripts/bench.mjs ingest
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTestCertificate } from './test-tls.mjs';

const root = new URL('..', import.meta.url).pathname;
const name = process.argv[2];
const file = join(root, 'packages', 'server', 'bench', `${name}.bench.ts`);
if (name === undefined || !existsSync(file)) {
  console.error(`usage: node scripts/bench.mjs <name>; no benchmark at ${file}`);
  process.exit(2);
}
const tls = await ensureTestCertificate(root);
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(3)], { stdio: 'inherit', cwd: root, env: { ...process.env, ...tls.env } });
process.exit(result.status ?? 1);
