import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SYSTEM_COLUMNS, findStandardTable, mergeSupplement, SchemaSupplementError, standardTables, type SchemaSupplement } from './schema.ts';

const reference = { Syslog: { columns: [{ name: 'Computer', type: 'string' }, { name: 'SyslogMessage', type: 'string' }] } };
const supplement = (s: Partial<SchemaSupplement>): SchemaSupplement => ({ columns: [], tables: [], ...s });
const refused = (s: SchemaSupplement, pattern: RegExp) =>
  assert.throws(() => mergeSupplement(reference, s), (e: unknown) => e instanceof SchemaSupplementError && pattern.test(e.message));

test('the supplement appends columns to a reference table and adds tables, the reference untouched', () => {
  const merged = mergeSupplement(reference, supplement({
    columns: [{ table: 'syslog', source: 'x', columns: [{ name: 'MG', type: 'string' }] }],
    tables: [{ name: 'StorageFileLogs', source: 'y', columns: [{ name: 'Uri', type: 'string' }, { name: 'DurationMs', type: 'real' }] }],
  }));
  assert.deepEqual(merged.Syslog!.columns.map((c) => c.name), ['Computer', 'SyslogMessage', 'MG']);
  assert.deepEqual(merged.StorageFileLogs!.columns, [{ name: 'Uri', type: 'string' }, { name: 'DurationMs', type: 'real' }]);
  assert.equal(reference.Syslog.columns.length, 2);
});

test('a supplement column the reference already has is refused, whatever its case', () => {
  refused(supplement({ columns: [{ table: 'Syslog', source: 'x', columns: [{ name: 'Computer', type: 'string' }] }] }), /Syslog already has Computer/);
  refused(supplement({ columns: [{ table: 'Syslog', source: 'x', columns: [{ name: 'syslogmessage', type: 'string' }] }] }), /already has SyslogMessage/);
});

test('a supplement table the reference has, or columns of a table nobody has, are refused', () => {
  refused(supplement({ tables: [{ name: 'SYSLOG', source: 'x', columns: [] }] }), /reference already has Syslog/);
  refused(supplement({ columns: [{ table: 'NoSuchTable', source: 'x', columns: [{ name: 'A', type: 'string' }] }] }), /no such table/);
});

test('the supplement may not repeat itself nor use a type Log Analytics lacks', () => {
  refused(supplement({ columns: [
    { table: 'Syslog', source: 'x', columns: [{ name: 'MG', type: 'string' }] },
    { table: 'Syslog', source: 'y', columns: [{ name: 'mg', type: 'string' }] },
  ] }), /Syslog already has MG/);
  refused(supplement({ tables: [{ name: 'T', source: 'x', columns: [{ name: 'A', type: 'string' }, { name: 'a', type: 'long' }] }] }), /declared twice/);
  refused(supplement({ columns: [{ table: 'Syslog', source: 'x', columns: [{ name: 'MG', type: 'varchar' }] }] }), /type 'varchar'/);
});

test('the standard tables are the reference with our supplement merged in', () => {
  const file = JSON.parse(readFileSync(new URL('./tables-supplement.json', import.meta.url), 'utf8')) as SchemaSupplement;
  for (const entry of [...file.columns, ...file.tables]) assert.ok(entry.source.length > 0, `every supplement entry names its source`);
  const reference = JSON.parse(readFileSync(new URL('./standard-tables.json', import.meta.url), 'utf8')) as { tables: Record<string, unknown> };
  assert.equal(standardTables().size, Object.keys(reference.tables).length + file.tables.length);

  const diagnostics = findStandardTable('AzureDiagnostics')!;
  const names = diagnostics.columns.map((c) => c.name);
  assert.ok(names.includes('msg_s'), 'reference columns stay');
  assert.equal(diagnostics.columns.find((c) => c.name === 'ResourceId')?.type, 'string');
  assert.equal(names.filter((n) => n === 'TenantId').length, 1, 'a documented system column is not doubled');

  const devops = findStandardTable('azuredevopsauditing')!;
  assert.equal(devops.kind, 'standard');
  assert.deepEqual(devops.columns.slice(0, SYSTEM_COLUMNS.length).map((c) => c.name), SYSTEM_COLUMNS.map((c) => c.name));
  assert.equal(devops.columns.find((c) => c.name === 'Data')?.type, 'dynamic');
  assert.equal(findStandardTable('SecurityEvent')!.columns.find((c) => c.name === 'EventOriginId')?.type, 'string');
});
