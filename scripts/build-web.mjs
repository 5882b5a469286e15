#!/usr/bin/env node
// Builds the portal (packages/web) with Vite into packages/web/dist when it is missing or stale,
// so that `npm start` and `npm test` always serve the portal of the sources they run with.
// Stale = the hash of the portal's inputs differs from the one the last build recorded.
// Each asset is also written gzip- and brotli-compressed, so the server sends it compressed
// without compressing on every request. Usage: node scripts/build-web.mjs [--force]
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'packages', 'web');
// VIGIL_PORTAL_DIST builds (and the server serves) elsewhere than packages/web/dist.
const dist = process.env.VIGIL_PORTAL_DIST !== undefined && process.env.VIGIL_PORTAL_DIST !== '' ? process.env.VIGIL_PORTAL_DIST : join(web, 'dist');
const stampFile = join(dist, '.build-stamp');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of every input of the build: the portal's sources and the versions it builds with. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => filesUnder(join(web, p)))) {
    if (file.endsWith('.test.ts') || file.endsWith('.test.tsx')) continue;
    hash.update(relative(web, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  // The lock file pins what the portal is built from (React, Fluent UI, Vite).
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

export function isPortalBuilt() {
  return existsSync(join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === inputsHash();
}

/** Builds unless the last build is of the same inputs; returns whether it built. */
export async function ensurePortalBuilt({ force = false, quiet = false } = {}) {
  if (!force && isPortalBuilt()) return false;
  let vite;
  try {
    vite = await import('vite');
  } catch (error) {
    throw new Error(`Cannot build the portal: Vite is not installed (${error.message}). Run \`npm install\` at the repository root first.`);
  }
  const started = Date.now();
  if (!quiet) console.error('Building the portal (packages/web) ...');
  await vite.build({ root: web, configFile: join(web, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info', build: { outDir: dist } });
  for (const file of filesUnder(dist)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const bytes = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  }
  writeFileSync(stampFile, inputsHash() + '\n');
  if (!quiet) console.error(`Portal built into ${relative(root, dist)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  try {
    if (!(await ensurePortalBuilt({ force }))) console.error('Portal is up to date (packages/web/dist).');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
