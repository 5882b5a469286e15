#!/usr/bin/env node
// Writes docs/api.md (the API reference) from the server's route registry: the same
// declarations that serve the requests, so it cannot drift. `--check` only compares, and
// exits 1 when docs/api.md is out of date. Run through tsx: `npm run docs:api`.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const { collectRoutes } = await import('../packages/server/src/api/openapi/collect.ts');
const { buildOpenApi } = await import('../packages/server/src/api/openapi/generate.ts');
const { toMarkdown } = await import('../packages/server/src/api/openapi/markdown.ts');

const target = new URL('../docs/api.md', import.meta.url);
const { armRoutes } = await collectRoutes();
const { document, operations, bodies } = await buildOpenApi(armRoutes, { serverUrl: 'https://vigil.example' });
const text = toMarkdown(document);
const schemas = new Set(bodies.map((b) => b.schema));
const notConverted = bodies.filter((b) => b.result !== 'converted');
const summary = `${operations} operations (${armRoutes.length} armRoute routes), ${bodies.length} request bodies from ${schemas.size} schemas, ${notConverted.length} not fully converted`;
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`docs/api.md is out of date with the routes: run npm run docs:api (${summary}).`);
    process.exit(1);
  }
  console.log(`docs/api.md is up to date: ${summary}.`);
} else {
  writeFileSync(target, text);
  console.log(`docs/api.md written: ${summary}.`);
  for (const b of notConverted) console.log(`  ${b.operation}: ${b.note}`);
}
