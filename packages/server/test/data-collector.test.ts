// The HTTP Data Collector API, signed as Microsoft's documentation and samples sign it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { workspaceCatalog } from '../src/logstore/log-store.ts';

let t: TestServer;
let workspaceId: string;
let key: string;
const F = WORLD.fabrikam;
before(async () => {
  t = await startTestServer();
  const owner = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const path = ws(F.subscription, F.rg, F.workspace);
  workspaceId = (await t.request('GET', `${path}?api-version=2025-07-01`, { token: owner })).body.properties.customerId;
  const keys = await t.request('POST', `${path}/sharedKeys?api-version=2020-08-01`, { token: owner });
  assert.equal(keys.status, 200);
  key = keys.body.primarySharedKey;
});
after(async () => { await t.close(); });

function post(body: string, opts: { logType?: string; date?: string; sign?: string; workspace?: string; timeField?: string } = {}) {
  const date = opts.date ?? new Date().toUTCString();
  const length = Buffer.byteLength(body, 'utf8');
  const signature = opts.sign ?? createHmac('sha256', Buffer.from(key, 'base64')).update(`POST\n${length}\napplication/json\nx-ms-date:${date}\n/api/logs`, 'utf8').digest('base64');
  const headers: Record<string, string> = {
    'content-type': 'application/json', 'log-type': opts.logType ?? 'FirewallEvents', 'x-ms-date': date,
    authorization: `SharedKey ${opts.workspace ?? workspaceId}:${signature}`,
  };
  if (opts.timeField) headers['time-generated-field'] = opts.timeField;
  return fetch(`${t.url}/api/logs?api-version=2016-04-01`, { method: 'POST', headers, body });
}
const rows = async (sql: string) => (await t.server.services.logStore.query({ sql, workspaces: [workspaceId] })).rows;
const T = (table: string) => `"${workspaceCatalog(workspaceId)}".main."${table}"`;

test('records land in <Log-Type>_CL with Log Analytics\' type suffixes, and the table grows new columns', async () => {
  const res = await post(JSON.stringify([
    { Computer: 'fw01', Action: 'deny', Bytes: 1500, Blocked: true, Seen: '2026-11-20T08:00:00Z', Rule: '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', Meta: { zone: 'dmz' } },
  ]), { timeField: 'Seen' });
  assert.equal(res.status, 200, await res.text());
  assert.deepEqual(await rows(`SELECT Computer_s, Action_s, Bytes_d, Blocked_b, Rule_g::VARCHAR, Meta_s, strftime(Seen_t, '%Y-%m-%dT%H:%M:%SZ'), strftime(TimeGenerated, '%Y-%m-%dT%H:%M:%SZ'), Type FROM ${T('FirewallEvents_CL')}`),
    [['fw01', 'deny', 1500, true, '6e2c1c4e-0f4b-4a31-9d2b-2a2c8d1f3b5e', '{"zone":"dmz"}', '2026-11-20T08:00:00Z', '2026-11-20T08:00:00Z', 'FirewallEvents_CL']]);
  const again = await post(JSON.stringify({ Computer: 'fw02', Port: 443 }));
  assert.equal(again.status, 200);
  assert.deepEqual(await rows(`SELECT Computer_s, Port_d FROM ${T('FirewallEvents_CL')} ORDER BY Computer_s`), [['fw01', null], ['fw02', 443]]);
});

test('a forged signature, a wrong key, a stale date and a bad Log-Type are refused; nothing is stored', async () => {
  const before = await rows(`SELECT count(*) FROM ${T('FirewallEvents_CL')}`);
  const forged = await post('[{"Computer":"evil"}]', { sign: Buffer.from('x'.repeat(32)).toString('base64') });
  assert.equal(forged.status, 403);
  assert.equal(((await forged.json()) as { Error: string }).Error, 'InvalidAuthorization');
  const stale = await post('[{"Computer":"old"}]', { date: new Date(Date.now() - 3600_000).toUTCString() });
  assert.equal(stale.status, 403);
  assert.match(((await stale.json()) as { Message: string }).Message, /15 minutes/);
  const otherWorkspace = await post('[{"Computer":"x"}]', { workspace: '00000000-0000-4000-8000-000000000000' });
  assert.equal(otherWorkspace.status, 403);
  const badType = await post('[{"Computer":"x"}]', { logType: 'bad-name!' });
  assert.equal(badType.status, 400);
  const broken = await post('[{"Computer": ');
  assert.equal(broken.status, 400);
  assert.equal(((await broken.json()) as { Error: string }).Error, 'InvalidJson');
  assert.deepEqual(await rows(`SELECT count(*) FROM ${T('FirewallEvents_CL')}`), before);
});

test('a Log Analytics Reader cannot read the shared keys', async () => {
  const analyst = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);
  const res = await t.request('POST', `${ws(F.subscription, F.rg, F.workspace)}/sharedKeys?api-version=2020-08-01`, { token: analyst });
  assert.equal(res.status, 403);
});
