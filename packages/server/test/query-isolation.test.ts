// Isolation of the query API. A caller who may not read a workspace gets, whatever form names it
// (path by id, name or resource id, $batch, the `workspaces` list, workspace() in the query by
// name, id or resource id), the same not-found answer as for a workspace that does not exist:
// no name or id they did not type, and no row. MSSP analysts delegated into customers query
// them, one at a time or together, and every row says which workspace it came from.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { customTable, INGEST, queryToken, queryWorld, upload, type Customer } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const N = WORLD.northwind;
const FWS = ws(F.subscription, F.rg, F.workspace);
const NWS = ws(N.subscription, N.rg, N.workspace);
const MISSING_ID = '0badc0de-0000-4000-8000-000000000000';
const MISSING_RID = ws(N.subscription, N.rg, 'ws-nothing-here');

let t: TestServer;
const ids: Record<'fabrikam' | 'northwind', string> = { fabrikam: '', northwind: '' };
const tokens: Record<string, string> = {};

before(async () => {
  t = await startTestServer({ environment: queryWorld() });
  const seed = async (c: Customer, owner: { upn: string; password: string }, app: (typeof INGEST)[keyof typeof INGEST], rows: object[]) => {
    const admin = await t.userToken(c.tenant, owner.upn, owner.password);
    const id = (await t.request('GET', `${ws(c.subscription, c.rg, c.workspace)}?api-version=2025-07-01`, { token: admin })).body.properties.customerId as string;
    await upload(t, app, await customTable(t, admin, c, 'Signins_CL'), rows);
    return id;
  };
  const now = Date.now();
  ids.fabrikam = await seed(F, WORLD.users.fabrikamAdmin, INGEST.fabrikam, [
    { TimeGenerated: new Date(now - 60_000).toISOString(), Computer: 'fab-dc01', EventID: 4625 },
    { TimeGenerated: new Date(now - 120_000).toISOString(), Computer: 'fab-web01', EventID: 4624 },
  ]);
  ids.northwind = await seed(N, WORLD.users.northwindAdmin, INGEST.northwind, [
    { TimeGenerated: new Date(now - 60_000).toISOString(), Computer: 'NORTHWIND-SECRET-HOST', EventID: 4625 },
  ]);
  tokens.ana = await queryToken(t, WORLD.soc.tenant, WORLD.users.ana);
  tokens.eli = await queryToken(t, WORLD.soc.tenant, WORLD.users.eli);
  tokens.lee = await queryToken(t, WORLD.soc.tenant, WORLD.users.lee);
  tokens.fabrikamAdmin = await queryToken(t, F.tenant, WORLD.users.fabrikamAdmin);
  tokens.northwindAdmin = await queryToken(t, N.tenant, WORLD.users.northwindAdmin);
});
after(async () => { await t.close(); });

/** What identifies Northwind: none of it may appear in an answer unless the caller typed it. */
const northwindSecrets = () => [ids.northwind, N.workspace, N.subscription, N.tenant, N.rg, 'NORTHWIND-SECRET', 'Northwind'];

function assertNoLeak(text: string, typed: string, where: string): void {
  for (const secret of northwindSecrets()) {
    if (typed.toLowerCase().includes(secret.toLowerCase())) continue;
    assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `${where}: the answer names '${secret}', which was not typed: ${text}`);
  }
}

async function post(path: string, token: string, body: object): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

/** Every way of naming Northwind's workspace, as [form, path, body, what the caller typed]. */
function forms(reference: string): [string, string, object, string][] {
  const q = 'Signins_CL | project Computer';
  return [
    ['path', `/v1/workspaces/${reference}/query`, { query: q }, reference],
    ['$batch', '/v1/$batch', { requests: [{ id: '1', body: { query: q }, path: '/query', method: 'POST', workspace: reference }] }, reference],
    ['workspaces list', `/v1/workspaces/${ids.fabrikam}/query`, { query: q, workspaces: [reference] }, `${ids.fabrikam} ${reference}`],
    ['workspace() in the query', `/v1/workspaces/${ids.fabrikam}/query`, { query: `workspace("${reference}").Signins_CL | project Computer` }, `${ids.fabrikam} ${reference}`],
  ];
}

/** The answer with what varies per request (correlation id, the reference typed) taken out. */
function shape(json: any, reference: string): string {
  const body = json.responses?.[0]?.body ?? json;
  return JSON.stringify(body).replace(/"correlationId":"[^"]+"/g, '').split(reference).join('<ref>');
}

test('no access to a workspace: every form answers exactly as for one that does not exist, and leaks nothing', async () => {
  let checked = 0;
  // Fabrikam's admin reaches Fabrikam (the home of the cross-workspace forms) but not Northwind.
  for (const [reference, missing] of [[ids.northwind, MISSING_ID], [N.workspace, 'ws-nothing-here'], [NWS, MISSING_RID], [NWS.toUpperCase(), MISSING_RID.toUpperCase()]] as const) {
    const denied = forms(reference);
    const absent = forms(missing);
    for (let i = 0; i < denied.length; i++) {
      const [form, path, body, typed] = denied[i]!;
      if (form === 'path' && reference.includes('/')) continue; // a resource id is not a path segment; the resource-centric form is below
      const res = await post(path, tokens.fabrikamAdmin!, body);
      const gone = await post(absent[i]![1], tokens.fabrikamAdmin!, absent[i]![2]);
      const where = `${form} with '${reference}'`;
      const status = form === '$batch' ? res.json.responses[0].status : res.status;
      assert.ok([400, 404].includes(status), `${where}: ${res.text}`);
      assert.equal(shape(res.json, reference), shape(gone.json, missing), `${where}: differs from a workspace that does not exist`);
      assertNoLeak(res.text, typed, where);
      assert.ok(!res.text.includes('NORTHWIND-SECRET'), `${where}: a row leaked`);
      checked++;
    }
  }
  for (const path of [`/v1${NWS}/query`, `/v1${NWS.toLowerCase()}/query`, `${NWS}/query`]) {
    const res = await post(path, tokens.fabrikamAdmin!, { query: 'Signins_CL' });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.json.error.code, 'WorkspaceNotFoundError');
    assertNoLeak(res.text, path, path);
    checked++;
  }
  assert.ok(checked >= 17);
});

test('callers with no access at all (Lee: a not-yet-activated eligible role; a customer admin of the other customer) get 404 for every form', async () => {
  for (const [who, token, target, other] of [
    ['lee', tokens.lee!, ids.fabrikam, FWS],
    ['lee', tokens.lee!, ids.northwind, NWS],
    ['northwind admin', tokens.northwindAdmin!, ids.fabrikam, FWS],
  ] as const) {
    for (const path of [`/v1/workspaces/${target}/query`, `/v1${other}/query`]) {
      const res = await post(path, token, { query: 'Signins_CL | project Computer' });
      assert.equal(res.status, 404, `${who} ${path}: ${res.text}`);
      assert.equal(res.json.error.code, 'WorkspaceNotFoundError');
      assert.ok(!res.text.includes('fab-dc01') && !res.text.includes('NORTHWIND-SECRET'), `${who}: rows leaked`);
    }
    const batch = await post('/v1/$batch', token, { requests: [{ id: 'x', body: { query: 'Signins_CL' }, path: '/query', method: 'POST', workspace: target }] });
    assert.equal(batch.json.responses[0].status, 404, `${who} $batch`);
  }
  // Northwind's admin, from Northwind, cannot reach into Fabrikam by workspace() or the list either.
  for (const body of [{ query: `workspace("${F.workspace}").Signins_CL` }, { query: 'Signins_CL', workspaces: [ids.fabrikam] }]) {
    const res = await post(`/v1/workspaces/${ids.northwind}/query`, tokens.northwindAdmin!, body);
    assert.ok([400, 404].includes(res.status), res.text);
    assert.ok(!res.text.includes('fab-dc01'), 'no Fabrikam row');
  }
});

test('delegated analysts query each customer, and both at once; every row carries its workspace\'s TenantId', async () => {
  for (const analyst of ['ana', 'eli']) {
    const token = tokens[analyst]!;
    const fab = await post(`/v1/workspaces/${ids.fabrikam}/query`, token, { query: 'Signins_CL | project Computer, TenantId | sort by Computer asc' });
    assert.equal(fab.status, 200, fab.text);
    assert.deepEqual(fab.json.tables[0].rows, [['fab-dc01', ids.fabrikam], ['fab-web01', ids.fabrikam]]);
    const nw = await post(`/v1${NWS}/query`, token, { query: 'Signins_CL | project Computer, TenantId' });
    assert.deepEqual(nw.json.tables[0].rows, [['NORTHWIND-SECRET-HOST', ids.northwind]]);

    const union = await post(`/v1/workspaces/${ids.fabrikam}/query`, token, {
      query: `union workspace("${F.workspace}").Signins_CL, workspace("${N.workspace}").Signins_CL | project Computer, TenantId | sort by Computer asc`,
    });
    assert.equal(union.status, 200, `${analyst}: ${union.text}`);
    assert.deepEqual(union.json.tables[0].rows, [['NORTHWIND-SECRET-HOST', ids.northwind], ['fab-dc01', ids.fabrikam], ['fab-web01', ids.fabrikam]]);

    const byIds = await post(`/v1/workspaces/${ids.northwind}/query`, token, {
      query: `union workspace("${ids.fabrikam}").Signins_CL, workspace("${FWS}").Signins_CL, Signins_CL | summarize n = count() by TenantId | sort by TenantId asc`,
    });
    assert.equal(byIds.status, 200, byIds.text);
    assert.deepEqual(byIds.json.tables[0].rows, [[ids.fabrikam, 4], [ids.northwind, 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));

    const listed = await post(`/v1/workspaces/${ids.fabrikam}/query`, token, { query: 'Signins_CL | summarize n = count() by TenantId', workspaces: [N.workspace] });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(new Map(listed.json.tables[0].rows), new Map([[ids.fabrikam, 2], [ids.northwind, 1]]));
    // The list applies to every table the query reads, toscalar()'s and `in (...)`'s too.
    const scalar = await post(`/v1/workspaces/${ids.fabrikam}/query`, token, {
      query: 'print total = toscalar(Signins_CL | count), hosts = toscalar(Signins_CL | where Computer in ((Signins_CL | distinct Computer)) | summarize dcount(Computer))', workspaces: [N.workspace],
    });
    assert.equal(scalar.status, 200, scalar.text);
    assert.deepEqual(scalar.json.tables[0].rows, [[3, 3]]);
    // union * from the SOC's own workspace (no rows) reads the tables only the listed workspaces hold.
    const everything = await post(`/v1/workspaces/ws-soc/query`, token, { query: 'union withsource=Table * | summarize n = count() by Table, TenantId', workspaces: [ids.fabrikam, N.workspace] });
    assert.equal(everything.status, 200, everything.text);
    assert.deepEqual(new Map(everything.json.tables[0].rows.map((r: unknown[]) => [r[1], r[2]])), new Map([[ids.fabrikam, 2], [ids.northwind, 1]]));
  }
});

test('a name two readable workspaces share is refused, asking for the id or resource id; it stays unique for those who read one', async () => {
  const northwindOwner = await t.userToken(N.tenant, WORLD.users.northwindAdmin.upn, WORLD.users.northwindAdmin.password);
  const twin = ws(N.subscription, N.rg, F.workspace);
  const created = await t.request('PUT', `${twin}?api-version=2025-07-01`, { token: northwindOwner, body: { location: 'northeurope' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const twinId = created.body.properties.customerId as string;
  try {
    const byName = await post(`/v1/workspaces/${F.workspace}/query`, tokens.ana!, { query: 'print 1' });
    assert.equal(byName.status, 400, byName.text);
    assert.equal(byName.json.error.innererror.code, 'AmbiguousWorkspace');
    assert.match(byName.json.error.message, /2 workspaces.*workspace id.*resource id/);
    assert.ok(!byName.text.includes(twinId) && !byName.text.includes(ids.fabrikam), 'names no id');
    const inQuery = await post(`/v1/workspaces/${ids.northwind}/query`, tokens.ana!, { query: `workspace("${F.workspace}").Signins_CL` });
    assert.equal(inQuery.status, 400, inQuery.text);
    assert.match(inQuery.text, /AmbiguousWorkspace|2 workspaces/);
    const byId = await post(`/v1/workspaces/${ids.fabrikam}/query`, tokens.ana!, { query: `workspace("${FWS}").Signins_CL | count` });
    assert.equal(byId.status, 200, byId.text);
    assert.deepEqual(byId.json.tables[0].rows, [[2]]);
    // Fabrikam's admin reads only one of the two: the name is theirs alone.
    const own = await post(`/v1/workspaces/${F.workspace}/query`, tokens.fabrikamAdmin!, { query: 'Signins_CL | count' });
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.json.tables[0].rows, [[2]]);
  } finally {
    await t.request('DELETE', `${twin}?api-version=2025-07-01`, { token: northwindOwner });
  }
});
