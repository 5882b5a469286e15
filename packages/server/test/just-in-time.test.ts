// Eligible authorizations: request with a justification, approval by a different named
// approver, access while active, and expiry by itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, WORLD, type TestServer } from './harness.ts';
import { ROLE_IDS } from '../src/access/builtin-roles.ts';

let t: TestServer;
let clock = new Date('2026-11-27T09:00:00Z');
before(async () => { t = await startTestServer({ now: () => clock }); });
after(async () => { await t.close(); });

const F = WORLD.fabrikam;
const SUB = `/subscriptions/${F.subscription}`;
const V = 'api-version=2022-04-01';
const rgPath = `${SUB}/resourcegroups/rg-jit?api-version=2025-04-01`;
const request = (principalId: string, duration: string, justification = 'Investigating incident 42 for Fabrikam') => ({
  properties: {
    principalId, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.contributor}`, requestType: 'SelfActivate',
    justification, scheduleInfo: { expiration: { type: 'AfterDuration', duration } },
  },
});
const oid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).oid as string;

test('an eligible lead activates Contributor on a customer subscription only once a different approver approves, until it expires', async () => {
  const lee = await t.userToken(WORLD.soc.tenant, WORLD.users.lee.upn, WORLD.users.lee.password);
  const eli = await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password);
  const ana = await t.userToken(WORLD.soc.tenant, WORLD.users.ana.upn, WORLD.users.ana.password);

  assert.equal((await t.request('PUT', rgPath, { token: lee, body: { location: 'westeurope' } })).status, 403, 'eligible is not active');

  const tooLong = await t.request('PUT', `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?${V}`, { token: lee, body: request(oid(lee), 'PT5H') });
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.body.error.message, /at most PT4H/);

  const noReason = await t.request('PUT', `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?${V}`, { token: lee, body: request(oid(lee), 'PT1H', '') });
  assert.equal(noReason.status, 400);
  assert.match(noReason.body.error.message, /justification/);

  const notEligible = await t.request('PUT', `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?${V}`, { token: ana, body: request(oid(ana), 'PT1H') });
  assert.equal(notEligible.status, 403, 'ana holds no eligible authorization');

  const name = randomUUID();
  const path = `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}`;
  const created = await t.request('PUT', `${path}?${V}`, { token: lee, body: request(oid(lee), 'PT2H') });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.properties.status, 'PendingApproval');
  assert.equal((await t.request('PUT', rgPath, { token: lee, body: { location: 'westeurope' } })).status, 403, 'pending is not active');

  const self = await t.request('POST', `${path}/approve?${V}`, { token: lee });
  assert.equal(self.status, 403, 'lee is not an approver');
  const byAna = await t.request('POST', `${path}/approve?${V}`, { token: ana });
  assert.equal(byAna.status, 403);
  const approved = await t.request('POST', `${path}/approve?${V}`, { token: eli });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.properties.status, 'Provisioned');

  const put = await t.request('PUT', rgPath, { token: lee, body: { location: 'westeurope' } });
  assert.equal(put.status, 201, JSON.stringify(put.body));

  clock = new Date(clock.getTime() + 2 * 3600_000 + 1000);
  const lee2 = await t.userToken(WORLD.soc.tenant, WORLD.users.lee.upn, WORLD.users.lee.password);
  const late = await t.request('PUT', rgPath, { token: lee2, body: { location: 'westeurope' } });
  assert.equal(late.status, 403, 'the activation expired by itself');
  const status = await t.request('GET', `${path}?${V}`, { token: lee2 });
  assert.equal(status.body.properties.status, 'Expired');
  const again = await t.request('POST', `${path}/approve?${V}`, { token: await t.userToken(WORLD.soc.tenant, WORLD.users.eli.upn, WORLD.users.eli.password) });
  assert.equal(again.status, 409, 'a decided request cannot be decided again');
});
