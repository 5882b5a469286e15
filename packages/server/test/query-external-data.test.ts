// externaldata through the query API: files of the configured directory, http(s) addresses
// from its mirror (<host>/<path>), nothing from the network, nothing outside the directory,
// and a clear refusal where no directory is configured.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, WORLD, ws, type TestServer } from './harness.ts';
import { query, queryToken, queryWorld } from './query-fixtures.ts';

const F = WORLD.fabrikam;
const FWS = ws(F.subscription, F.rg, F.workspace);
const directory = mkdtempSync(join(tmpdir(), 'vigil-external-data-'));
let t: TestServer;
let plain: TestServer;

before(async () => {
  writeFileSync(join(directory, 'iocs.csv'), 'Indicator,Score\n203.0.113.7,90\n198.51.100.1,40\n');
  mkdirSync(join(directory, 'raw.githubusercontent.com', 'feeds', 'Sample Data'), { recursive: true });
  writeFileSync(join(directory, 'raw.githubusercontent.com', 'feeds', 'Sample Data', 'ips.csv'), 'Ip\n192.0.2.10\n');
  [t, plain] = await Promise.all([
    startTestServer({ environment: queryWorld(), config: { externalDataDirectory: directory } }),
    startTestServer({ environment: queryWorld() }),
  ]);
});
after(async () => { await Promise.all([t?.close(), plain?.close()]); });

async function ask(server: TestServer, kql: string) {
  const admin = await server.userToken(F.tenant, WORLD.users.fabrikamAdmin.upn, WORLD.users.fabrikamAdmin.password);
  const workspaceId = (await server.request('GET', `${FWS}?api-version=2025-07-01`, { token: admin })).body.properties.customerId as string;
  return query(server, await queryToken(server, F.tenant, WORLD.users.fabrikamAdmin), workspaceId, { query: kql });
}

test('externaldata reads a file of the directory, and an address from its mirror', async () => {
  const file = await ask(t, 'externaldata (Indicator:string, Score:long) [@"iocs.csv"] with (format="csv", ignoreFirstRecord=true) | where Score > 50');
  assert.equal(file.status, 200, JSON.stringify(file.body));
  assert.deepEqual(file.body.tables[0].rows, [['203.0.113.7', 90]]);
  const mirrored = await ask(t, 'externaldata (Ip:string) [@"https://raw.githubusercontent.com/feeds/Sample%20Data/ips.csv"] with (format="csv", ignoreFirstRecord=true)');
  assert.equal(mirrored.status, 200, JSON.stringify(mirrored.body));
  assert.deepEqual(mirrored.body.tables[0].rows, [['192.0.2.10']]);
});

test('outside the directory, an address not mirrored, or no directory: clear errors', async () => {
  const outside = await ask(t, 'externaldata (x:string) [@"../../etc/passwd"]');
  assert.equal(outside.status, 400);
  assert.match(JSON.stringify(outside.body), /VQ031|outside the external data directory/);
  const missing = await ask(t, 'externaldata (x:string) [@"https://example.com/nothing.csv"]');
  assert.equal(missing.status, 400, JSON.stringify(missing.body));
  assert.match(missing.body.error.message, /holds no file example\.com\/nothing\.csv/);
  assert.doesNotMatch(JSON.stringify(missing.body), new RegExp(directory), 'the server\'s paths are not shown');
  const none = await ask(plain, 'externaldata (x:string) [@"https://example.com/iocs.csv"]');
  assert.equal(none.status, 400);
  assert.match(JSON.stringify(none.body), /not configured an external data directory/);
});
