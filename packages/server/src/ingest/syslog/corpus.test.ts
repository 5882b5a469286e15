// Every raw line in the Sentinel sample-data corpus parses. The files are as a syslog daemon
// wrote them to disk, so their PRI is gone: each line is sent here as it would arrive on the
// wire, behind <134> (local0.info). CitrixADC and IllumioCore lines are bare CEF without any
// syslog header; they parse as RFC 3164 messages with no readable timestamp (RFC 3164 4.3.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findStandardTable } from '../../logstore/schema.ts';
import { coerce } from '../../logstore/coerce.ts';
import { parseCef } from './parse-cef.ts';
import { parseSyslog } from './parse-syslog.ts';
import { cefRow, syslogRow, type Row } from './to-rows.ts';

const root = '/work/shared/corpus/sentinel/sample-data';
const skip = existsSync(root) ? false : `no corpus at ${root}`;
const ctx = { receivedAt: new Date('2024-03-01T12:00:00Z'), sourceIp: '192.0.2.7', collectorHostName: 'vigil-collector' };

const CEF_FILES = ['CEF/CitrixADC.txt', 'CEF/barracudaWAFCEF.txt', 'CEF/fortiwebwafsamplelog.txt', 'CEF/IllumioCore'];
const SYSLOG_FILES = ['Syslog/OpenVPN.txt', 'Syslog/OracleDatabaseAudit.txt', 'Syslog/barracudasamplelogs.txt'];

function lines(file: string): string[] {
  return readFileSync(join(root, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
}

function assertStorable(tableName: string, row: Row, where: string): void {
  const table = findStandardTable(tableName)!;
  for (const [name, value] of Object.entries(row)) {
    const column = table.columns.find((c) => c.name === name);
    assert.ok(column, `${where}: ${tableName} has no column ${name}`);
    const typed = coerce(column.type, value);
    assert.ok(typed.ok, `${where}: ${name}: ${typed.ok ? '' : typed.reason}`);
  }
}

test('corpus CEF lines parse as syslog, then as CEF, into storable CommonSecurityLog rows', { skip }, () => {
  let count = 0;
  for (const file of CEF_FILES) {
    lines(file).forEach((line, n) => {
      const where = `${file}:${n + 1}`;
      assert.ok('error' in parseSyslog(line, ctx), `${where}: a line without PRI is refused`);
      const p = parseSyslog(`<134>${line}`, ctx);
      assert.ok(!('error' in p), `${where}: ${'error' in p ? p.error : ''}`);
      const c = parseCef(p.message);
      assert.ok(!('error' in c), `${where}: ${'error' in c ? c.error : ''}`);
      assert.ok(Object.keys(c.extensions).length > 3, where);
      assert.equal(c.unparsedExtension, undefined, where);
      const row = cefRow(c, p, ctx);
      assertStorable('CommonSecurityLog', row, where);
      count++;
    });
  }
  assert.equal(count, 6 + 346 + 104 + 2);
});

test('corpus CEF spot checks: escapes, the syslog header, a trailing custom key', { skip }, () => {
  const citrix = lines('CEF/CitrixADC.txt')[2]!;
  const c = parseCef(citrix);
  assert.ok(!('error' in c));
  assert.equal(c.extensions['request'], 'http://test.example.com/css/login_post.html?usr=admin');
  const barracuda = parseSyslog(`<134>${lines('CEF/barracudaWAFCEF.txt')[0]!}`, ctx);
  assert.ok(!('error' in barracuda));
  assert.equal(barracuda.hostname, 'Barracuda');
  const row = cefRow(parseCef(barracuda.message) as never, barracuda, ctx);
  assert.equal(row['Computer'], 'Barracuda');
  assert.equal(row['DestinationServiceName'], 'app18247_561194');
  assert.equal(row['Message'], 'lang=en');
  assert.equal(row['RequestClientApplication'], 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36');
  assert.match(String(row['AdditionalExtensions']), /^BarracudaWafCustomHeader1=;BarracudaWafCustomHeader2=;/);
  const forti = parseSyslog(`<134>${lines('CEF/fortiwebwafsamplelog.txt')[0]!}`, ctx);
  assert.ok(!('error' in forti));
  assert.equal(forti.appName, 'syslogng');
  assert.equal(forti.procId, '9');
});

test('corpus Syslog lines parse into storable Syslog rows', { skip }, () => {
  let count = 0;
  for (const file of SYSLOG_FILES) {
    lines(file).forEach((line, n) => {
      const where = `${file}:${n + 1}`;
      const p = parseSyslog(`<134>${line}`, ctx);
      assert.ok(!('error' in p), `${where}: ${'error' in p ? p.error : ''}`);
      assert.equal(p.format, 'rfc3164', where);
      assert.ok(p.hostname, `${where}: hostname`);
      assert.notEqual(p.timestamp, ctx.receivedAt, `${where}: the timestamp was read`);
      assertStorable('Syslog', syslogRow(p, ctx), where);
      count++;
    });
  }
  assert.equal(count, 32 + 9 + 137);
  const vpn = parseSyslog(`<134>${lines('Syslog/OpenVPN.txt')[1]!}`, ctx);
  assert.ok(!('error' in vpn));
  assert.deepEqual([vpn.hostname, vpn.appName, vpn.procId], ['demo-host.local', 'openvpn', '30264']);
});
