// Bulk load of typed rows into a fixture engine's table: one NDJSON file of text values, read by
// DuckDB's read_json and cast to the column types there (the fixture engine's own VALUES path
// is meant for a handful of rows; the samples have thousands, up to 230 columns wide).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableDef } from '../../src/index.ts';
import { duckdb } from '../../src/sql/duckdb.ts';
import { catalogOf, type FixtureEngine } from '../fixture-engine.ts';

type Typed = string | number | bigint | boolean | null;

/** µs since the epoch -> `YYYY-MM-DD HH:MM:SS.ffffff` (what CAST(... AS TIMESTAMP) reads). */
function timestampText(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const iso = new Date(ms).toISOString();
  const us = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us).padStart(6, '0')}`;
}

export async function loadRows(engine: FixtureEngine, workspaceId: string, table: TableDef, rows: Record<string, Typed>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = table.columns.filter((c) => rows.some((r) => r[c.name] !== undefined && r[c.name] !== null));
  const lines = rows.map((r) => {
    const out: Record<string, string | null> = {};
    for (const c of columns) {
      const v = r[c.name];
      if (v === undefined || v === null) out[c.name] = null;
      else if (c.type === 'datetime' && typeof v === 'bigint') out[c.name] = timestampText(v);
      else out[c.name] = String(v);
    }
    return JSON.stringify(out);
  });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-corpus-'));
  try {
    const file = join(dir, 'rows.ndjson');
    writeFileSync(file, lines.join('\n'));
    const spec = columns.map((c) => `${duckdb.str(c.name)}: 'VARCHAR'`).join(', ');
    const select = columns.map((c) => `CAST(${duckdb.ident(c.name)} AS ${duckdb.sqlType(c.type)})`).join(', ');
    const target = `${duckdb.ident(catalogOf(workspaceId))}.main.${duckdb.ident(table.name)}`;
    await engine.sql(`INSERT INTO ${target} (${columns.map((c) => duckdb.ident(c.name)).join(', ')}) `
      + `SELECT ${select} FROM read_json(${duckdb.str(file)}, format = 'newline_delimited', columns = {${spec}}, maximum_object_size = 67108864)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
