// Syslog and CEF over real sockets: util-linux's logger and Node sockets send RFC 3164,
// RFC 5424 and CEF over UDP, TCP and TLS into Syslog and CEF connectors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { eventually, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';

const run = promisify(execFile);
let t: TestServer;
let owner: string;
let workspaceId: string;
const F = WORLD.fabrikam;
const WS = ws(F.subscription, F.rg, F.workspace);
const ports: Record<string, number> = {};

before(async () => {
  t = await startTestServer();
  owner = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  workspaceId = (await t.request('GET', `${WS}?api-version=2025-07-01`, { token: owner })).body.properties.customerId;
  for (const [name, kind, protocol] of [['sys-udp', 'Syslog', 'udp'], ['sys-tcp', 'Syslog', 'tcp'], ['cef-tls', 'CEF', 'tls']] as const) {
    const res = await t.request('PUT', `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/${name}?api-version=2024-09-01`, { token: owner, body: { kind, properties: { protocol, port: 0 } } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    ports[name] = res.body.properties.connectivity.listening.port;
  }
});
after(async () => { await t.close(); });

const query = async (sql: string) => (await t.server.services.logStore.query({ sql, workspaces: [workspaceId] })).rows;
const T = (table: string) => `"${workspaceCatalog(workspaceId)}".main."${table}"`;
const sendTcp = (port: number, data: string | Buffer) => new Promise<void>((resolve, reject) => {
  const s = tcpConnect(port, '127.0.0.1', () => s.end(data));
  s.on('close', () => resolve());
  s.on('error', reject);
});

test('logger (util-linux) sends RFC 3164 over UDP and RFC 5424 over TCP; rows arrive parsed', async () => {
  await run('logger', ['-d', '-n', '127.0.0.1', '-P', String(ports['sys-udp']), '--rfc3164', '-p', 'auth.warning', '-t', 'sshd', '--id=4242', 'Failed password for root from 203.0.113.9 port 22 ssh2']);
  await run('logger', ['-T', '-n', '127.0.0.1', '-P', String(ports['sys-tcp']), '--rfc5424', '-p', 'local4.err', '-t', 'app', '--sd-id', 'origin@32473', '--sd-param', 'ip="10.0.0.9"', 'disk almost full']);
  const rows = await eventually(
    () => query(`SELECT Facility, SeverityLevel, ProcessName, ProcessID, SyslogMessage, HostIP FROM ${T('Syslog')} ORDER BY ProcessName`),
    (r) => r.length >= 2, 'two syslog rows');
  assert.deepEqual(rows[0]!.slice(0, 4), ['local4', 'err', 'app', null]);
  assert.match(String(rows[0]![4]), /disk almost full/);
  assert.match(String(rows[0]![4]), /origin@32473/);
  assert.deepEqual(rows[1]!.slice(0, 5), ['auth', 'warning', 'sshd', 4242, 'Failed password for root from 203.0.113.9 port 22 ssh2']);
  assert.equal(rows[1]![5], '127.0.0.1');
});

test('CEF over TLS, octet-counted, lands in CommonSecurityLog with the header and extensions mapped', async () => {
  const cef = 'CEF:0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|end|3|src=10.1.1.5 dst=198.51.100.7 spt=51515 dpt=443 proto=TCP act=allow suser=alice cs1Label=Rule cs1=allow-web msg=a message with = escaped\\= and spaces custom1=kept';
  const frame = `<134>1 2026-11-27T10:00:00.000Z fw01 PAN - - - ${cef}`;
  await new Promise<void>((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: ports['cef-tls']!, ca: readFileSync(process.env.VIGIL_TEST_TLS_CERT!), servername: 'localhost' }, () => {
      socket.end(`${Buffer.byteLength(frame)} ${frame}`);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  const [row] = await eventually(
    () => query(`SELECT DeviceVendor, DeviceProduct, DeviceEventClassID, Activity, LogSeverity, SourceIP, DestinationIP, SourcePort, DestinationPort, Protocol, DeviceAction, SourceUserName, DeviceCustomString1Label, DeviceCustomString1, Message, AdditionalExtensions, Computer FROM ${T('CommonSecurityLog')}`),
    (r) => r.length >= 1, 'a CEF row');
  assert.deepEqual(row, ['Palo Alto Networks', 'PAN-OS', 'TRAFFIC', 'end', '3', '10.1.1.5', '198.51.100.7', 51515, 443, 'TCP', 'allow', 'alice', 'Rule', 'allow-web', 'a message with = escaped= and spaces', 'custom1=kept', 'fw01']);
});

test('Node sockets: many RFC 3164 lines over one TCP connection, newline framed, each stored once', async () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `<38>Nov 27 10:00:00 web01 nginx[77]: request ${i}`).join('\n') + '\n';
  await sendTcp(ports['sys-tcp']!, lines);
  await eventually(() => query(`SELECT count(*) FROM ${T('Syslog')} WHERE ProcessName = 'nginx'`), (r) => Number(r[0]![0]) === 2000, '2000 nginx rows');
  assert.deepEqual(await query(`SELECT count(DISTINCT SyslogMessage), min(ProcessID), max(ProcessID) FROM ${T('Syslog')} WHERE ProcessName = 'nginx'`), [[2000n, 77, 77]], 'each line once, none merged or split');
});

test('binary garbage on the TCP port and invalid UDP datagrams are counted as drops; good data still flows', async () => {
  await sendTcp(ports['sys-tcp']!, Buffer.concat([Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a]), Buffer.alloc(200_000, 0x41), Buffer.from('\n<14>Nov 27 10:00:01 host after: garbage survived\n')]));
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.send(Buffer.from('no priority at all'), ports['sys-udp']!, '127.0.0.1', () => resolve()));
  udp.close();
  await eventually(() => query(`SELECT count(*) FROM ${T('Syslog')} WHERE SyslogMessage = 'garbage survived'`), (r) => Number(r[0]![0]) === 1, 'the good line after the garbage');
  const status = await eventually(
    () => t.request('GET', `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/sys-udp?api-version=2024-09-01`, { token: owner }),
    (r) => (r.body.properties.connectivity.days[0]?.dropped ?? 0) >= 1, 'a counted UDP drop');
  assert.equal(status.body.properties.connectivity.receiving, true);
  const tcp = await t.request('GET', `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/sys-tcp?api-version=2024-09-01`, { token: owner });
  assert.ok(tcp.body.properties.connectivity.days[0].dropped >= 1, 'the garbage was counted');
  assert.ok(tcp.body.properties.connectivity.days[0].events >= 2001);
  assert.ok(tcp.body.properties.connectivity.lastEventTime);
});

test('a connector on a port in use is refused and not saved', async () => {
  const res = await t.request('PUT', `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/clash?api-version=2024-09-01`, { token: owner, body: { kind: 'Syslog', properties: { protocol: 'tcp', port: ports['sys-tcp'] } } });
  assert.equal(res.status, 409);
  assert.match(res.body.error.message, /already in use/);
  assert.equal((await t.request('GET', `${WS}/providers/Microsoft.SecurityInsights/dataConnectors/clash?api-version=2024-09-01`, { token: owner })).status, 404);
});
