// The golden suite: each <case>.kql is compiled and run on the shared fixture (fixture.ts);
// its SQL must equal <case>.sql exactly and its result <case>.json (columns, rows, and whether
// the order is Kusto's). `UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden` rewrites the .sql
// and .json files from what the compiler does now.
//
// A rewritten .json is only a proposal: every committed .json has been checked by hand against
// the semantics Kusto documents for the operators involved (the case's comment says what it
// shows). Never accept a changed .json without redoing that check; a changed .sql needs a reason
// (and a look at the engine's plan when it is about speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { GOLDEN_NOW, goldenEngine } from './fixture.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

interface Expected {
  columns: { name: string; type: string }[];
  /** True when Kusto defines the row order (sort, top, serialize...); else rows compare as a multiset. */
  ordered: boolean;
  rows: unknown[][];
}

const canonical = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

/** One row per line, so that a reviewer reads (and diffs) rows. */
function format(e: Expected): string {
  const rows = e.rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n');
  return `{\n "columns": ${JSON.stringify(e.columns)},\n "ordered": ${e.ordered},\n "rows": [${rows === '' ? '' : `\n${rows}\n `}]\n}\n`;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.kql')).sort()) {
  const name = file.slice(0, -4);
  test(`golden ${name}`, async () => {
    const kql = readFileSync(join(dir, file), 'utf8');
    const engine = await goldenEngine();
    const result = await engine.run(kql, { now: GOLDEN_NOW, discover: (sql) => engine.sql(sql) });
    const sqlPath = join(dir, `${name}.sql`);
    const jsonPath = join(dir, `${name}.json`);
    const ordered = /^\/\/ ordered\b/m.test(kql);
    const actual: Expected = { columns: result.columns, ordered, rows: result.rows };
    if (update || !existsSync(sqlPath) || !existsSync(jsonPath)) {
      writeFileSync(sqlPath, `${result.sql}\n`);
      // An unordered result that only came back in another order is not rewritten (no churn to review).
      const before = existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) as Expected : undefined;
      const same = before !== undefined && !before.ordered && !ordered && JSON.stringify(before.columns) === JSON.stringify(actual.columns)
        && JSON.stringify(canonical(before.rows)) === JSON.stringify(canonical(actual.rows));
      if (!same) writeFileSync(jsonPath, format(actual));
      if (!update) assert.fail(`${name}: no expected output yet; wrote proposals to check by hand`);
      return;
    }
    assert.equal(result.sql, readFileSync(sqlPath, 'utf8').trimEnd(), `${name}: SQL changed`);
    const expected = JSON.parse(readFileSync(jsonPath, 'utf8')) as Expected;
    assert.deepEqual(actual.columns, expected.columns, `${name}: columns`);
    if (expected.ordered) assert.deepEqual(actual.rows, expected.rows, `${name}: rows (in order)`);
    else assert.deepEqual(canonical(actual.rows), canonical(expected.rows), `${name}: rows`);
  });
}
