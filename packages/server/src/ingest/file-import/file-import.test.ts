import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { findStandardTable, withSystemColumns, type TableSchema } from '../../logstore/schema.ts';
import { hintFromName, RAW_LINES_REASON, readExport, type ExportFile } from './read-export.ts';
import { customSchemaFromFile, describeRejection, prepareRows, timeZoneId, type PreparedRows } from './prepare-rows.ts';

// packages/server/src/ingest/file-import -> six levels up is the folder holding main/ and shared/.
const SAMPLES = fileURLToPath(new URL('../../../../../../shared/corpus/sentinel/sample-data/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function readSample(name: string, opts?: Parameters<typeof readExport>[1]): ExportFile {
  return readExport({ name, text: readFileSync(join(SAMPLES, name), 'utf8') }, opts);
}

/** The table a file goes to: the standard table of its hint, or a string-typed custom table from its own columns. */
function schemaFor(file: ExportFile): TableSchema | undefined {
  if (file.tableHint === undefined) return undefined;
  return findStandardTable(file.tableHint) ?? customSchemaFromFile(file.tableHint, file);
}

const micros = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000n;

// ------------------------------------------------------------------ the sample corpus

test('every file of the sample data is read, and each CSV/JSON file loads rows or says why not', () => {
  const files = walk(SAMPLES);
  assert.ok(files.length > 90, `expected the sample corpus at ${SAMPLES}, found ${files.length} files`);
  const table: string[][] = [['file', 'format', 'table', 'loaded', 'rejected', 'first reason']];
  const tally = { full: 0, partial: 0, none: 0, notRows: 0 };
  for (const path of files) {
    const name = relative(SAMPLES, path);
    const file = readExport({ name, text: readFileSync(path, 'utf8') });
    if (file.format !== 'csv' && file.format !== 'json') {
      assert.ok(file.reason !== undefined && file.reason.length > 0, `${name}: ${file.format} without a reason`);
      assert.equal(file.rows.length, 0);
      tally.notRows++;
      table.push([name, file.format, file.tableHint ?? '-', '-', '-', file.reason]);
      continue;
    }
    assert.ok(file.rows.length > 0, `${name}: no rows read`);
    assert.ok(file.columns.every((c) => !/\[|\]|^\s|\s$|\uFEFF/.test(c)), `${name}: header not cleaned: ${file.columns.join('|')}`);
    const schema = schemaFor(file);
    assert.ok(schema !== undefined, `${name}: no table hint`);
    const prepared = prepareRows(file, schema, { fileName: name });
    const rejected = prepared.rejected.length;
    let first = '';
    if (prepared.problem !== undefined) {
      assert.equal(prepared.rows.length, 0);
      assert.ok(prepared.problem.includes(name), `${name}: the file problem does not name the file: ${prepared.problem}`);
      first = prepared.problem;
    } else {
      assert.equal(prepared.rows.length + rejected, file.rows.length, `${name}: every row is loaded or rejected`);
      for (const r of prepared.rejected) {
        assert.ok(r.row >= 1 && r.row <= file.rows.length, `${name}: rejected row number ${r.row}`);
        assert.ok(r.problem.length > 0);
        const text = describeRejection(name, r);
        assert.ok(text.startsWith(`${name}, row ${r.row}`), text);
      }
      if (rejected > 0) first = describeRejection(name, prepared.rejected[0]!);
      for (const row of prepared.rows) assert.equal(typeof row.TimeGenerated, 'bigint', `${name}: a loaded row without TimeGenerated`);
    }
    if (prepared.rows.length > 0 && rejected === 0) tally.full++;
    else if (prepared.rows.length > 0) tally.partial++;
    else tally.none++;
    table.push([name, file.format, schema.name, String(prepared.rows.length), String(rejected), first]);
  }
  const width = table[0]!.map((_h, k) => Math.min(48, Math.max(...table.map((r) => r[k]!.length))));
  const cell = (s: string, k: number): string => (k === 5 ? s.slice(0, 160) : s.length > width[k]! ? `${s.slice(0, width[k]! - 1)}…` : s.padEnd(width[k]!));
  console.log(table.map((r) => r.map(cell).join(' | ')).join('\n'));
  console.log(`loaded fully: ${tally.full}, partly: ${tally.partial}, not at all: ${tally.none}, not row files: ${tally.notRows}`);
  // Today's state of the corpus, so a change in behaviour shows.
  assert.deepEqual(tally, { full: 59, partial: 1, none: 26, notRows: 9 });
});

test('Syslog CSV export: US-format times in a " [UTC]" column, store-set columns ignored', () => {
  const file = readSample('Syslog/WatchGuardFireBoxV.csv');
  assert.equal(file.format, 'csv');
  assert.equal(file.tableHint, 'Syslog');
  assert.equal(file.tableHintFrom, 'column');
  assert.ok(file.columns.includes('TimeGenerated') && file.columns.includes('EventTime'));
  const prepared = prepareRows(file, findStandardTable('Syslog')!, { fileName: 'WatchGuardFireBoxV.csv' });
  assert.equal(prepared.rows.length, 1554);
  assert.equal(prepared.rejected.length, 0);
  const first = prepared.rows[0]!;
  // "7/7/2022, 8:55:10.130 PM" and "7/7/2022, 10:55:10.000 PM"
  assert.equal(first.TimeGenerated, micros('2022-07-07T20:55:10.130Z'));
  assert.equal(first.EventTime, micros('2022-07-07T22:55:10.000Z'));
  assert.equal(first.Computer, 'FireboxV-SM');
  for (const c of ['TenantId', 'Type', '_ResourceId']) assert.ok(prepared.ignoredColumns.includes(c), c);
  assert.ok(!('TenantId' in first) && !('Type' in first));
  assert.ok(prepared.notes.some((n) => n.includes('set by the store')));
});

test('JSON export: US times, table from the Type column, a bad time rejects just that row', () => {
  const esx = readSample('Syslog/VMwareESXi.json');
  const loaded = prepareRows(esx, findStandardTable(esx.tableHint!)!, { fileName: 'VMwareESXi.json' });
  assert.equal(loaded.rows.length, 676);
  assert.equal(loaded.rows[0]!.TimeGenerated, micros('2020-11-13T14:07:03.477Z')); // "11/13/2020, 2:07:03.477 PM"

  const risk = readSample('SecurityEvent/RiskIQ_scenrio.json');
  assert.equal(risk.tableHint, 'SecurityEvent'); // one row lacks Type; the others agree
  const prepared = prepareRows(risk, findStandardTable('SecurityEvent')!, { fileName: 'RiskIQ_scenrio.json' });
  assert.deepEqual(prepared.rowNumbers, [1, 3]);
  assert.deepEqual(prepared.rejected.map((r) => [r.row, r.column]), [[2, 'TimeGenerated'], [4, 'TimeGenerated']]);
  assert.match(prepared.rejected[0]!.problem, /14:51:35\.857 PM/);
});

test('dynamic columns are kept as JSON text (CSV and JSON)', () => {
  const csv = readSample('Training-Lab-Telemetry/azureActivity_adele.csv');
  assert.equal(csv.tableHint, 'AzureActivity');
  const activity = prepareRows(csv, findStandardTable('AzureActivity')!, { fileName: 'azureActivity_adele.csv' });
  assert.equal(activity.rows.length, 23);
  const props = activity.rows[0]!.Properties_d;
  assert.equal(typeof props, 'string');
  assert.deepEqual(JSON.parse(props as string), JSON.parse(csv.rows[0]!.Properties_d as string));

  const json = readSample('Custom/Sonrai_Tickets_CL.json');
  const base = customSchemaFromFile('Sonrai_Tickets_CL', json);
  const schema = { ...base, columns: base.columns.map((c) => (c.name === 'digest' ? { ...c, type: 'dynamic' as const } : c)) };
  const tickets = prepareRows(json, schema, { fileName: 'Sonrai_Tickets_CL.json' }, { missingTime: 'ingestion-time', now: () => new Date('2024-01-01T00:00:00Z') });
  assert.equal(tickets.rows.length, 2);
  const digest = tickets.rows[0]!.digest;
  assert.equal(typeof digest, 'string');
  assert.deepEqual(JSON.parse(digest as string), json.rows[0]!.digest);
  assert.equal(tickets.rows[0]!.TimeGenerated, micros('2024-01-01T00:00:00Z'));
});

test('times exported in a named zone are converted to UTC', () => {
  const infoblox = readSample('CEF/InfobloxCloudDataConnector-sampledata.csv');
  assert.equal(infoblox.zones.TimeGenerated, 'Pacific Time (US and Canada) Tijuana');
  const a = prepareRows(infoblox, findStandardTable('CommonSecurityLog')!, { fileName: 'Infoblox.csv' });
  assert.equal(a.rows[0]!.TimeGenerated, micros('2021-10-26T21:16:58.298Z')); // 2:16:58.298 PM PDT
  const dlp = readSample('CEF/SymantecDLP.json');
  const b = prepareRows(dlp, findStandardTable('CommonSecurityLog')!, { fileName: 'SymantecDLP.json' });
  assert.equal(b.rows.length, 405);
  assert.equal(b.rows[0]!.TimeGenerated, micros('2020-11-20T15:52:04.808Z')); // 10:52:04.808 AM EST
  assert.equal(timeZoneId('Local Time'), undefined);
  assert.equal(timeZoneId('UTC+02:00'), 'Etc/GMT-2');
});

test('a zip, raw syslog/CEF lines and the inventory are reported as such', () => {
  const zip = readSample('CEF/NozomiNetworksCEF.zip');
  assert.equal(zip.format, 'unsupported');
  assert.match(zip.reason!, /zip archive/);
  for (const name of ['CEF/CitrixADC.txt', 'CEF/IllumioCore', 'CEF/barracudaWAFCEF.txt', 'Syslog/OpenVPN.txt', 'Syslog/OracleDatabaseAudit.txt']) {
    const raw = readSample(name);
    assert.equal(raw.format, 'raw-lines', name);
    assert.equal(raw.reason, RAW_LINES_REASON);
  }
  assert.equal(readSample('CEF/CitrixADC.txt').tableHint, 'CommonSecurityLog');
  assert.equal(readSample('INVENTORY.md').format, 'unsupported');
  const prepared = prepareRows(zip, findStandardTable('CommonSecurityLog')!, { fileName: 'NozomiNetworksCEF.zip' });
  assert.equal(prepared.rows.length, 0);
  assert.match(prepared.problem!, /NozomiNetworksCEF\.zip: a zip archive/);
});

test('a file without TimeGenerated says so once, and can take it from a named column', () => {
  const file = readSample('Custom/Cisco_Umbrella_ip_CL.json');
  assert.equal(file.tableHint, 'Cisco_Umbrella_ip_CL');
  const schema = customSchemaFromFile('Cisco_Umbrella_ip_CL', file);
  const refused = prepareRows(file, schema, { fileName: 'Cisco_Umbrella_ip_CL.json' });
  assert.equal(refused.rows.length, 0);
  assert.equal(refused.rejected.length, 0);
  assert.match(refused.problem!, /Cisco_Umbrella_ip_CL\.json has no TimeGenerated column.*Timestamp/);
  const loaded = prepareRows(file, schema, { fileName: 'Cisco_Umbrella_ip_CL.json' }, { timeColumn: 'timestamp' });
  assert.equal(loaded.rows.length, 3);
  assert.equal(loaded.rows[0]!.TimeGenerated, micros('2017-10-02T19:57:12Z'));
  assert.equal(loaded.rows[0]!.Timestamp, '2017-10-02 19:57:12'); // still loaded as its own (string) column
  const missing = prepareRows(file, schema, { fileName: 'x.json' }, { timeColumn: 'When' });
  assert.match(missing.problem!, /no column "When"/);
});

// ------------------------------------------------------------------ CSV reading

test('CSV: RFC 4180 quoting, embedded line breaks, CRLF, BOM, suffixes, trailing blank lines', () => {
  const text = '\uFEFFTimeGenerated [UTC], Name ,"Note [Local Time]",Empty\r\n' +
    '2024-05-01T10:00:00Z,"a, b","say ""hi""\r\nsecond line",\r\n' +
    '"5/1/2024, 1:02:03.5 PM",plain,x"y,""\r\n\r\n\r\n';
  const file = readExport({ name: 'Foo_CL.csv', text });
  assert.equal(file.format, 'csv');
  assert.deepEqual(file.columns, ['TimeGenerated', 'Name', 'Note', 'Empty']);
  assert.deepEqual(file.zones, { Note: 'Local Time' });
  assert.deepEqual(file.rows, [
    { TimeGenerated: '2024-05-01T10:00:00Z', Name: 'a, b', Note: 'say "hi"\r\nsecond line', Empty: '' },
    { TimeGenerated: '5/1/2024, 1:02:03.5 PM', Name: 'plain', Note: 'x"y', Empty: '' },
  ]);
  assert.deepEqual(file.lines, [2, 4]);
  assert.deepEqual(file.badRows, []);
  assert.deepEqual(file.notes, []);
  assert.equal(file.tableHint, 'Foo_CL');
  // A last row without a line break, and LF line ends.
  assert.deepEqual(readExport({ name: 'a.csv', text: 'A,B\n1,"2"' }).rows, [{ A: '1', B: '2' }]);
  assert.deepEqual(readExport({ name: 'a.csv', text: 'A,B\n1,' }).rows, [{ A: '1', B: '' }]);
});

test('CSV: a ragged row is rejected with its number; the others load', () => {
  const text = 'TimeGenerated,Computer,EventID\n' +
    '2024-05-01T10:00:00Z,host1,4624\n' +
    '2024-05-01T10:00:01Z,host2,4625,extra\n' +
    '"2024-05-01T10:00:02Z","multi\nline host",4634\n' +
    '2024-05-01T10:00:03Z,host4\n';
  const file = readExport({ name: 'SecurityEvent.csv', text });
  assert.equal(file.tableHint, 'SecurityEvent');
  assert.deepEqual(file.badRows.map((b) => b.row), [2, 4]);
  assert.match(file.badRows[0]!.problem, /line 3: 4 fields where the header has 3 \(too many/);
  assert.match(file.badRows[1]!.problem, /line 6: 2 fields where the header has 3 \(too few/);
  const prepared = prepareRows(file, findStandardTable('SecurityEvent')!, { fileName: 'SecurityEvent.csv' });
  assert.deepEqual(prepared.rowNumbers, [1, 3]);
  assert.deepEqual(prepared.rejected.map((r) => [r.row, r.line]), [[2, 3], [4, 6]]);
  assert.equal(prepared.rows[1]!.Computer, 'multi\nline host');
  assert.equal(prepared.rows[1]!.EventID, 4634);
  assert.equal(describeRejection('SecurityEvent.csv', prepared.rejected[0]!).slice(0, 37), 'SecurityEvent.csv, row 2 (line 3): li');
});

test('CSV: an unclosed quote or text after a closing quote makes the file unsupported, naming the line', () => {
  const open = readExport({ name: 'x.csv', text: 'A,B\n1,2\n3,"never closed\n4,5\n' });
  assert.equal(open.format, 'unsupported');
  assert.match(open.reason!, /^broken CSV: line 3, column 3: a quoted field is never closed/);
  const after = readExport({ name: 'x.csv', text: 'A,B\n1,"2"x\n' });
  assert.equal(after.format, 'unsupported');
  assert.match(after.reason!, /line 2, column 6: unexpected text after a closing quote/);
});

// ------------------------------------------------------------------ JSON reading

test('JSON: broken JSON is unsupported with the line and column', () => {
  const broken = readExport({ name: 'x.json', text: '[\n  {"a": 1},\n  {"a": 2,}\n]' });
  assert.equal(broken.format, 'unsupported');
  assert.match(broken.reason!, /^broken JSON: line 3, column 11: /);
  const cut = readExport({ name: 'x.json', text: '[{"a": 1},\n{"a": 2' });
  assert.equal(cut.format, 'unsupported');
  assert.match(cut.reason!, /^broken JSON: line 2/);
  const lines = readExport({ name: 'x.jsonl', text: '{"a": 1}\n{"a": 2}\n{"a": \n' });
  assert.equal(lines.format, 'unsupported');
  assert.match(lines.reason!, /^broken JSON lines: line 3/);
  assert.equal(readExport({ name: 'x.json', text: '42' }).format, 'unsupported');
});

test('JSON: an array, a single object or JSON lines; non-objects are bad rows', () => {
  const one = readExport({ name: 'x.json', text: '{"TimeGenerated [UTC]": "2024-05-01T10:00:00Z", "Computer": "h"}' });
  assert.deepEqual(one.columns, ['TimeGenerated', 'Computer']);
  assert.equal(one.rows.length, 1);
  const lines = readExport({ name: 'x.log', text: '{"a": 1}\r\n\r\n{"a": 2, "b": {"c": [1]}}\r\n' });
  assert.equal(lines.format, 'json');
  assert.deepEqual(lines.rows, [{ a: 1 }, { a: 2, b: { c: [1] } }]);
  assert.deepEqual(lines.columns, ['a', 'b']);
  const mixed = readExport({ name: 'x.json', text: '[{"a": 1}, 7, null]' });
  assert.deepEqual(mixed.badRows.map((b) => b.row), [2, 3]);
  assert.equal(readExport({ name: 'data.txt', text: '[{"a": 1}]' }).format, 'json');
  assert.equal(readExport({ name: 'data.csv', text: '[{"a": 1}]' }, { format: 'csv' }).format, 'csv');
});

// ------------------------------------------------------------------ preparing rows

const EVENTS: TableSchema = withSystemColumns('Events_CL', [
  { name: 'Computer', type: 'string' },
  { name: 'Count', type: 'int' },
  { name: 'Props', type: 'dynamic' },
], 'custom');

test('a wrong type in an int column rejects the whole row, naming the column', () => {
  const file = readExport({
    name: 'Events_CL.json',
    text: JSON.stringify([
      { TimeGenerated: '2024-05-01T10:00:00Z', computer: 'a', COUNT: '12', Props: '{"k": [1, 2]}', Extra: 1, TenantId: 'x' },
      { TimeGenerated: '2024-05-01T10:00:01Z', computer: 'b', COUNT: 'twelve', Props: { k: 3 } },
      { TimeGenerated: '2024-05-01T10:00:02Z', computer: 'c', COUNT: 99999999999 },
      { TimeGenerated: '', computer: 'd', COUNT: 1 },
      { computer: 'e', COUNT: 'null' },
      { TimeGenerated: '2024-05-01T10:00:05Z', computer: 'f', COUNT: 'null' },
    ]),
  });
  const prepared = prepareRows(file, EVENTS, { fileName: 'Events_CL.json' });
  assert.deepEqual(prepared.rows, [
    { TimeGenerated: micros('2024-05-01T10:00:00Z'), Computer: 'a', Count: 12, Props: '{"k":[1,2]}' },
    { TimeGenerated: micros('2024-05-01T10:00:05Z'), Computer: 'f', Count: null, Props: null },
  ]);
  assert.deepEqual(prepared.rowNumbers, [1, 6]);
  assert.deepEqual(prepared.rejected.map((r) => [r.row, r.column]), [[2, 'COUNT'], [3, 'COUNT'], [4, 'TimeGenerated'], [5, 'TimeGenerated']]);
  assert.match(prepared.rejected[0]!.problem, /expected an int.*"twelve"/);
  assert.match(prepared.rejected[1]!.problem, /out of the int range/);
  assert.equal(prepared.rejected[2]!.problem, 'no TimeGenerated');
  assert.deepEqual(prepared.ignoredColumns, ['TenantId', 'Extra']);
  assert.ok(prepared.notes.some((n) => /ignored 1 column\(s\) that Events_CL does not have \(not an error/.test(n)));
  assert.ok(prepared.notes.some((n) => n.includes('"null" in COUNT (1 row)')));
});

test('a column in an unknown local zone stops the file rather than loading wrong times', () => {
  const file = readExport({ name: 'Events_CL.csv', text: 'TimeGenerated [Local Time],Computer\n"5/1/2024, 1:02:03 PM",a\n' });
  const prepared = prepareRows(file, EVENTS, { fileName: 'Events_CL.csv' });
  assert.equal(prepared.rows.length, 0);
  assert.match(prepared.problem!, /Events_CL\.csv: column TimeGenerated holds times in "Local Time", not UTC/);
});

test('table hints from names follow the sample data layout', () => {
  assert.deepEqual(hintFromName('Training-Lab-Telemetry/office_activity_inbox_rule.csv'), { table: 'OfficeActivity', from: 'name' });
  assert.deepEqual(hintFromName('Custom/Cisco_Umbrella_dns_CL.json'), { table: 'Cisco_Umbrella_dns_CL', from: 'name' });
  assert.deepEqual(hintFromName('CEF/Claroty.json'), { table: 'CommonSecurityLog', from: 'name' });
  assert.deepEqual(hintFromName('ForgeRock_CEF.csv'), { table: 'CommonSecurityLog', from: 'name' });
  assert.deepEqual(hintFromName('exports/signinLogs.csv'), { table: 'SigninLogs', from: 'name' });
  assert.equal(hintFromName('misc/data.json'), undefined);
  // A Type column whose rows disagree gives no hint; the folder does.
  const mixed = readExport({ name: 'Syslog/x.json', text: '[{"Type": "AMCore"}, {"Type": "Syslog"}]' });
  assert.deepEqual([mixed.tableHint, mixed.tableHintFrom], ['Syslog', 'name']);
  const prepared: PreparedRows = prepareRows(mixed, findStandardTable('Syslog')!, { fileName: 'x.json' });
  assert.match(prepared.problem!, /no TimeGenerated column/);
});
