// Bad input gets a precise 4xx with a message that says what is wrong, and nothing is half-written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { SignJWT, generateKeyPair, decodeJwt, decodeProtectedHeader } from 'jose';
import { EXAMPLE_ENVIRONMENT, startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyEnvironmentText, EnvironmentError } from '../src/bootstrap/apply-environment.ts';
import { ROLE_IDS } from '../src/access/builtin-roles.ts';

const F = WORLD.fabrikam;
const SOC = WORLD.soc;
const FIXTURES = new URL('../../../../shared/fixtures/lighthouse/delegated-resource-management/subscription/', import.meta.url);
const CONTRIB = { upn: 'contrib@fabrikam.example', password: 'Contrib-Passw0rd!' };

// The example world plus a plain Contributor in the customer directory.
function environment(): string {
  const env = parse(readFileSync(EXAMPLE_ENVIRONMENT, 'utf8'));
  const fab = env.directories.find((d: any) => d.name === 'fabrikam');
  fab.users.push({ name: 'contrib', upn: CONTRIB.upn, password: CONTRIB.password });
  fab.subscriptions[0].roleAssignments.push({ principal: 'contrib', role: 'Contributor' });
  // A standing delegated Contributor (Lee), whose role alone would allow registrationDefinitions/write.
  fab.subscriptions[0].delegations[0].authorizations.push({ principal: 'leads', role: 'Contributor' });
  return stringify(env);
}

let clock = Date.now();
let t: TestServer;
let admin: string;
let eli: string;
let ana: string;
before(async () => {
  t = await startTestServer({ environment: environment(), now: () => new Date(clock) });
  [admin, eli, ana] = await Promise.all([
    t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password),
    t.userToken(SOC.tenant, WORLD.users.eli.upn, WORLD.users.eli.password),
    t.userToken(SOC.tenant, WORLD.users.ana.upn, WORLD.users.ana.password),
  ]);
});
after(async () => { await t?.close(); });

const rgPath = (name: string) => `/subscriptions/${F.subscription}/resourceGroups/${name}?api-version=2025-04-01`;
const defsPath = `/subscriptions/${F.subscription}/providers/Microsoft.ManagedServices/registrationDefinitions`;
const defs = async () => (await t.request('GET', `${defsPath}?api-version=2022-10-01`, { token: admin })).body.value as any[];
const definitionBody = (roleDefinitionId: string, principalId: string) => ({
  properties: { registrationDefinitionName: 'Bad offer', managedByTenantId: SOC.tenant, authorizations: [{ principalId, roleDefinitionId }] },
});

test('malformed JSON body on a PUT: 400 InvalidRequestContent, nothing created', async () => {
  const res = await t.request('PUT', rgPath('rg-badjson'), { token: admin, rawBody: '{"location": "westeurope",' });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'InvalidRequestContent');
  assert.match(res.body.error.message, /not valid JSON/);
  assert.equal((await t.request('GET', rgPath('rg-badjson'), { token: admin })).status, 404);
});

test('the published Lighthouse parameter file as it stands: 400 naming managedByTenantId, no definition created', async () => {
  const template = JSON.parse(readFileSync(new URL('subscription.json', FIXTURES), 'utf8'));
  const parameters = JSON.parse(readFileSync(new URL('subscription.parameters.json', FIXTURES), 'utf8')).parameters;
  const before = await defs();
  const res = await t.request('PUT', `/subscriptions/${F.subscription}/providers/Microsoft.Resources/deployments/lighthouse-as-is?api-version=2025-04-01`, {
    token: admin, body: { location: 'westeurope', properties: { mode: 'Incremental', template, parameters } },
  });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(JSON.stringify(res.body.error), /managedByTenantId/);
  assert.match(JSON.stringify(res.body.error), /<insert managing tenant id>/);
  assert.deepEqual((await defs()).map((d) => d.id), before.map((d) => d.id), 'no registration definition created');
});

test('registration definitions that break Lighthouse rules: unknown role, Owner, a role with DataActions', async () => {
  const socPrincipal = String(decodeJwt(ana).oid);
  const before = await defs();
  const cases: [string, string, RegExp][] = [
    ['11111111-9999-4999-8999-999999999999', 'RoleDefinitionNotFound', /not a built-in role/],
    [ROLE_IDS.owner, 'DelegationRuleViolation', /Owner role cannot be delegated/],
    [ROLE_IDS.monitoringMetricsPublisher, 'DelegationRuleViolation', /DataActions/],
  ];
  for (const [i, [role, code, message]] of cases.entries()) {
    const res = await t.request('PUT', `${defsPath}/${`0000000${i}`}-aaaa-4aaa-8aaa-aaaaaaaaaaaa?api-version=2022-10-01`, { token: admin, body: definitionBody(role, socPrincipal) });
    assert.equal(res.status, 400, `${code}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, code);
    assert.match(res.body.error.message, message);
    assert.match(res.body.error.message, /authorizations\[0\]/);
  }
  assert.deepEqual((await defs()).map((d) => d.id), before.map((d) => d.id), 'nothing written');
});

test('api-version missing or unknown', async () => {
  const path = ws(F.subscription, F.rg, F.workspace);
  const missing = await t.request('GET', path, { token: admin });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
  assert.match(missing.body.error.message, /api-version/);
  const unknown = await t.request('GET', `${path}?api-version=1999-01-01`, { token: admin });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'InvalidApiVersionParameter');
  assert.match(unknown.body.error.message, /1999-01-01/);
  assert.match(unknown.body.error.message, /2025-07-01/, 'lists the supported versions');
  const put = await t.request('PUT', rgPath('rg-noversion').replace(/\?api-version=.*$/, ''), { token: admin, body: { location: 'westeurope' } });
  assert.equal(put.body.error.code, 'MissingApiVersionParameter');
  assert.equal((await t.request('GET', rgPath('rg-noversion'), { token: admin })).status, 404);
});

test('tokens: none, another issuer, expired, tampered', async () => {
  const path = ws(F.subscription, F.rg, F.workspace) + '?api-version=2025-07-01';
  const none = await t.request('GET', path);
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'AuthenticationFailed');
  assert.match(none.body.error.message, /Authorization/);

  const { privateKey } = await generateKeyPair('RS256');
  const realKid = decodeProtectedHeader(admin).kid!;
  const claims = decodeJwt(admin);
  for (const kid of ['foreign-key', realKid]) {
    const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
    const res = await t.request('GET', path, { token: forged });
    assert.equal(res.status, 401, kid);
    assert.equal(res.body.error.code, 'InvalidAuthenticationToken', kid);
    assert.match(res.body.error.message, /signed|signature/);
  }

  const [h, p, s] = admin.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  payload.oid = String(decodeJwt(eli).oid);
  const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
  const tamperedRes = await t.request('GET', path, { token: tampered });
  assert.equal(tamperedRes.status, 401);
  assert.equal(tamperedRes.body.error.code, 'InvalidAuthenticationToken');
  const flipped = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  assert.equal((await t.request('GET', path, { token: flipped })).status, 401);

  const fresh = await t.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const exp = Number(decodeJwt(fresh).exp) * 1000;
  const saved = clock;
  clock = exp + 10 * 60_000;
  try {
    const expired = await t.request('PUT', rgPath('rg-expired'), { token: fresh, body: { location: 'westeurope' } });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'ExpiredAuthenticationToken');
    assert.match(expired.body.error.message, /expired/);
  } finally { clock = saved; }
  assert.equal((await t.request('GET', rgPath('rg-expired'), { token: admin })).status, 404, 'nothing created');
});

test('onboarding by a non-Owner of the customer and by a delegated MSSP principal: 403, nothing written', async () => {
  const contrib = await t.userToken(F.tenant, CONTRIB.upn, CONTRIB.password);
  const socPrincipal = String(decodeJwt(ana).oid);
  const before = await defs();
  const body = definitionBody('acdd72a7-3385-48ef-bd42-f606fba81ae7', socPrincipal);
  const byContrib = await t.request('PUT', `${defsPath}/0000000a-bbbb-4bbb-8bbb-bbbbbbbbbbbb?api-version=2022-10-01`, { token: contrib, body });
  assert.equal(byContrib.status, 403, JSON.stringify(byContrib.body));
  assert.equal(byContrib.body.error.code, 'LinkedAuthorizationFailed');
  assert.match(byContrib.body.error.message, /Owner/);
  const byDelegate = await t.request('PUT', `${defsPath}/0000000b-bbbb-4bbb-8bbb-bbbbbbbbbbbb?api-version=2022-10-01`, { token: eli, body });
  assert.equal(byDelegate.status, 403, JSON.stringify(byDelegate.body));
  // Eli's delegated Sentinel Contributor does not include the action at all.
  assert.equal(byDelegate.body.error.code, 'AuthorizationFailed');
  // Lee's delegated Contributor includes it, but a delegation cannot extend itself.
  const lee = await t.userToken(SOC.tenant, WORLD.users.lee.upn, WORLD.users.lee.password);
  const byLee = await t.request('PUT', `${defsPath}/0000000c-bbbb-4bbb-8bbb-bbbbbbbbbbbb?api-version=2022-10-01`, { token: lee, body });
  assert.equal(byLee.status, 403, JSON.stringify(byLee.body));
  assert.equal(byLee.body.error.code, 'LinkedAuthorizationFailed');
  assert.match(byLee.body.error.message, /customer/);
  assert.deepEqual((await defs()).map((d) => d.id), before.map((d) => d.id));
});

test('an oversized body: 413 RequestEntityTooLarge, nothing created', async () => {
  const small = await startTestServer({ maxBodyBytes: 1024 });
  try {
    const token = await small.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
    const res = await small.request('PUT', rgPath('rg-big'), { token, body: { location: 'westeurope', tags: { big: 'x'.repeat(4096) } } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'RequestEntityTooLarge');
    assert.match(res.body.error.message, /larger/);
    assert.equal((await small.request('GET', rgPath('rg-big'), { token })).status, 404);
  } finally { await small.close(); }
});

test('an environment file with an error reports file:line:column', async () => {
  const { db, close } = await openDatabase(':memory:');
  try {
    const text = [
      'directories:',
      '  - name: d1',
      '    displayName: D1',
      '    domain: d1.example',
      '    users:',
      '      - { name: u1, upn: u1@d1.example, password: Passw0rd-long }',
      '    subscriptions:',
      '      - name: s1',
      '        roleAssignments:',
      '          - { principal: u1, role: No Such Role }',
      '',
    ].join('\n');
    await assert.rejects(applyEnvironmentText(db, text, 'broken.yaml'), (error: unknown) => {
      assert.ok(error instanceof EnvironmentError, String(error));
      assert.equal(error.file, 'broken.yaml');
      assert.equal(error.line, 10);
      assert.ok(error.column > 0);
      assert.match(error.message, /^broken\.yaml:10:\d+: /);
      assert.match(error.message, /No Such Role/);
      return true;
    });
    assert.equal((await db.selectFrom('directories').select('id').execute()).length, 0, 'nothing applied');
  } finally { await close(); }
});

test('applying mssp.yaml twice changes nothing the second time', async () => {
  const { db, close } = await openDatabase(':memory:');
  try {
    const text = readFileSync(EXAMPLE_ENVIRONMENT, 'utf8');
    const first = await applyEnvironmentText(db, text, 'mssp.yaml');
    assert.ok(first.created.length > 0);
    const second = await applyEnvironmentText(db, text, 'mssp.yaml');
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.updated, []);
    assert.ok(second.unchanged > 0);
  } finally { await close(); }
});
