import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findStandardTable, type Column } from '../../logstore/schema.ts';
import { coerce } from '../../logstore/coerce.ts';
import { CEF_KEYS, CEF_KEY_COLUMNS, cefColumnFor } from './cef-mapping.ts';
import { parseCef, type Cef } from './parse-cef.ts';
import { parseSyslog, type ParsedSyslog } from './parse-syslog.ts';
import { FACILITY_NAMES, SEVERITY_NAMES } from './syslog-names.ts';
import { cefRow, syslogRow, type Row } from './to-rows.ts';

const ctx = { receivedAt: new Date('2024-03-01T12:00:00Z'), sourceIp: '192.0.2.7', collectorHostName: 'vigil-collector' };

function syslog(frame: string): ParsedSyslog {
  const p = parseSyslog(frame, ctx);
  if ('error' in p) assert.fail(p.error);
  return p;
}

function cef(message: string): Cef {
  const c = parseCef(message);
  if ('error' in c) assert.fail(c.error);
  return c;
}

/** Every value must be accepted by the store for its column's type. */
function assertStorable(tableName: string, row: Row): void {
  const table = findStandardTable(tableName);
  assert.ok(table);
  for (const [name, value] of Object.entries(row)) {
    const column: Column | undefined = table.columns.find((c) => c.name === name);
    assert.ok(column, `${tableName} has no column ${name}`);
    const typed = coerce(column.type, value);
    assert.ok(typed.ok, `${name}: ${typed.ok ? '' : typed.reason}`);
  }
}

test('a Syslog row has the columns Log Analytics fills', () => {
  const row = syslogRow(syslog('<38>Feb  5 17:32:18 web01 sshd[4242]: Accepted publickey for root'), ctx);
  assert.deepEqual(row, {
    TimeGenerated: new Date('2024-03-01T12:00:00.000Z'), EventTime: new Date('2024-02-05T17:32:18.000Z'), Facility: 'auth', SeverityLevel: 'info',
    Computer: 'web01', HostName: 'web01', HostIP: '192.0.2.7', ProcessName: 'sshd', ProcessID: 4242,
    SyslogMessage: 'Accepted publickey for root', SourceSystem: 'Linux', CollectorHostName: 'vigil-collector',
  });
  assertStorable('Syslog', row);
});

test('without a hostname the source address names the computer; a non-numeric procid is no ProcessID', () => {
  const row = syslogRow(syslog('<13>1 2003-10-11T22:14:15.003Z - app abc - [a@1 x="y"] hello'), ctx);
  assert.equal(row['Computer'], '192.0.2.7');
  assert.equal(row['HostName'], '192.0.2.7');
  assert.equal(row['ProcessID'], undefined);
  assert.equal(row['SyslogMessage'], '[a@1 x="y"] hello');
  assertStorable('Syslog', row);
});

test('facility and severity names for every PRI', () => {
  assert.equal(FACILITY_NAMES.length, 24);
  assert.equal(SEVERITY_NAMES.length, 8);
  const expected: Record<number, string> = { 0: 'kern', 4: 'auth', 10: 'authpriv', 13: 'audit', 14: 'alert', 15: 'clock', 16: 'local0', 23: 'local7' };
  for (const [f, name] of Object.entries(expected)) {
    assert.equal(syslogRow(syslog(`<${Number(f) * 8 + 3}>Oct 11 22:14:15 h t: m`), ctx)['Facility'], name);
  }
  assert.deepEqual(SEVERITY_NAMES, ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']);
});

test('every mapped CEF key names a CommonSecurityLog column of the declared type', () => {
  const table = findStandardTable('CommonSecurityLog');
  assert.ok(table);
  for (const key of CEF_KEYS) {
    const target = cefColumnFor(key);
    assert.ok(target, key);
    const name: string = target.column;
    const column: Column | undefined = table.columns.find((c) => c.name === name);
    assert.ok(column, `${key} -> ${target.column} is not a CommonSecurityLog column`);
    assert.equal(column.type, target.type, `${key} -> ${target.column}`);
  }
  assert.ok(CEF_KEY_COLUMNS.size >= 150);
  const required = ['act', 'app', 'cat', 'cnt', 'dhost', 'dmac', 'dntdom', 'dpid', 'dpriv', 'dproc', 'dpt', 'dst', 'duid', 'duser', 'dvc', 'dvchost', 'dvcmac', 'dvcpid',
    'end', 'externalId', 'fname', 'fileHash', 'fileId', 'filePath', 'fsize', 'in', 'out', 'msg', 'outcome', 'proto', 'reason', 'request', 'requestClientApplication',
    'requestContext', 'requestCookies', 'requestMethod', 'rt', 'shost', 'smac', 'sntdom', 'spid', 'spriv', 'sproc', 'spt', 'src', 'start', 'suid', 'suser',
    'deviceDirection', 'deviceExternalId', 'deviceFacility', 'deviceInboundInterface', 'deviceOutboundInterface', 'deviceProcessName', 'deviceTranslatedAddress',
    'destinationTranslatedAddress', 'destinationTranslatedPort', 'sourceTranslatedAddress', 'sourceTranslatedPort', 'oldFileName', 'oldFileHash', 'oldFilePath',
    'deviceCustomDate1', 'deviceCustomDate2Label', 'destinationAddress', 'sourceAddress',
    ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`cs${n}`, `cs${n}Label`]), ...[1, 2, 3].flatMap((n) => [`cn${n}`, `cn${n}Label`]),
    ...[1, 2, 3, 4].flatMap((n) => [`cfp${n}`, `cfp${n}Label`, `c6a${n}`, `c6a${n}Label`])];
  for (const key of required) assert.ok(cefColumnFor(key), `no mapping for ${key}`);
});

test('a CEF row: header columns, mapped extensions, typed values, AdditionalExtensions for the rest', () => {
  const p = syslog('<134>Mar  1 11:00:00 fw01 CEF:0|Palo Alto Networks|PAN-OS|10.1|end|TRAFFIC|3|src=10.0.0.1 spt=5555 destinationAddress=10.0.0.2 dpt=443 act=allow cs1Label=Rule cs1=allow all cn1=9007199254740993 cfp1=1.5 in=100 out=200 rt=Mar 01 2024 10:59:59 start=1709290799000 end=Mar 01 2024 11:00:00 UTC externalId=abc-1 PanOSFlag=x;y custom=has spaces dpid=notanumber');
  const row = cefRow(cef(p.message), p, ctx);
  assert.deepEqual(row, {
    TimeGenerated: new Date('2024-03-01T12:00:00.000Z'), Computer: 'fw01', DeviceVendor: 'Palo Alto Networks', DeviceProduct: 'PAN-OS', DeviceVersion: '10.1',
    DeviceEventClassID: 'end', Activity: 'TRAFFIC', LogSeverity: '3', SourceSystem: 'OpsManager', CollectorHostName: 'vigil-collector',
    SourceIP: '10.0.0.1', SourcePort: 5555, DestinationIP: '10.0.0.2', DestinationPort: 443, DeviceAction: 'allow',
    DeviceCustomString1Label: 'Rule', DeviceCustomString1: 'allow all', FieldDeviceCustomNumber1: '9007199254740993', DeviceCustomFloatingPoint1: 1.5,
    ReceivedBytes: 100, SentBytes: 200, ReceiptTime: 'Mar 01 2024 10:59:59', StartTime: '2024-03-01T10:59:59.000Z', EndTime: '2024-03-01T11:00:00.000Z',
    ExtID: 'abc-1', AdditionalExtensions: 'PanOSFlag=x;y;custom=has spaces;dpid=notanumber',
  });
  assertStorable('CommonSecurityLog', row);
});

test('keys match without regard to case; a column set twice keeps the first and files the second', () => {
  const p = syslog('<134>Mar  1 11:00:00 fw01 CEF:0|v|p|1|id|n|5|DeviceExternalID=dev1 src=1.1.1.1 sourceAddress=2.2.2.2');
  const row = cefRow(cef(p.message), p, ctx);
  assert.equal(row['DeviceExternalID'], 'dev1');
  assert.equal(row['SourceIP'], '1.1.1.1');
  assert.equal(row['AdditionalExtensions'], 'sourceAddress=2.2.2.2');
});

test('values a typed column cannot hold go to AdditionalExtensions instead of failing the row', () => {
  const p = syslog('<134>Mar  1 11:00:00 fw01 CEF:0|v|p|1|id|n|5|dpt=99999999999 cn3=N/A start=yesterday cfp2=1e999 fsize=');
  const row = cefRow(cef(p.message), p, ctx);
  assert.equal(row['AdditionalExtensions'], 'dpt=99999999999;cn3=N/A;start=yesterday;cfp2=1e999');
  assert.equal(row['FileSize'], undefined);
  assertStorable('CommonSecurityLog', row);
});
