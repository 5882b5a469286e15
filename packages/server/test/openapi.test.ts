// The API reference (issue 7): GET /openapi.json and docs/api.md are generated from the route
// registry armRoute() fills, so they cannot drift. This test checks that the registry covers
// every route the server registers, that the document has OpenAPI 3.1's essential structure
// (checked here, without a validator library), that every body schema converted (or says
// why not), that docs/api.md is what `npm run docs:api` makes now, and that the served
// document needs no sign-in, is cached, and reveals no tenant data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { collectRoutes, type CollectedRoutes } from '../src/api/openapi/collect.ts';
import { buildOpenApi, convertSchema, openApiPath, pathParams, type GeneratedReference } from '../src/api/openapi/generate.ts';
import { PLAIN_ROUTES, notApi } from '../src/api/openapi/plain-routes.ts';
import { toMarkdown } from '../src/api/openapi/markdown.ts';
import { startTestServer, WORLD, type TestServer } from './harness.ts';

const DOCS = new URL('../../../docs/api.md', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let collected: CollectedRoutes;
let generated: GeneratedReference;
let doc: Record<string, any>;
before(async () => {
  collected = await collectRoutes();
  generated = await buildOpenApi(collected.armRoutes, { serverUrl: 'https://vigil.example' });
  doc = generated.document;
});

const operationsOf = (document: Record<string, any>) =>
  Object.entries<Record<string, any>>(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({ path, method: m.toUpperCase(), op: item[m] as Record<string, any> })));

test('every armRoute() route and every described plain route is in the document, once', () => {
  assert.ok(collected.armRoutes.length > 100, `only ${collected.armRoutes.length} armRoute routes recorded`);
  for (const r of collected.armRoutes) {
    assert.ok(doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()] !== undefined, `${r.method} ${r.path} is missing from the document`);
  }
  for (const r of PLAIN_ROUTES) assert.ok(doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()] !== undefined, `${r.method} ${r.path} is missing`);
  const operations = operationsOf(doc);
  assert.equal(operations.length, collected.armRoutes.length + PLAIN_ROUTES.length);
  assert.equal(generated.operations, operations.length);
  // Paths are unique as OpenAPI reads them (parameter names do not count) and as the server
  // matches them (case-insensitive).
  const shapes = new Map<string, string>();
  for (const path of Object.keys(doc.paths)) {
    const shape = path.toLowerCase().replace(/\{[^}]+\}/g, '{}');
    assert.equal(shapes.get(shape), undefined, `${path} and ${shapes.get(shape)} are the same path`);
    shapes.set(shape, path);
  }
  const ids = operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('every route the server registers is documented, or is not API on purpose (the portal); no description is stale', () => {
  const arm = new Set(collected.armRoutes.map((r) => `${r.method} ${r.path}`));
  const plain = new Set(PLAIN_ROUTES.map((r) => `${r.method} ${r.path}`));
  const registered = new Set(collected.registered.map((r) => `${r.method} ${r.path}`));
  const undocumented = collected.registered.filter((r) => !arm.has(`${r.method} ${r.path}`) && !plain.has(`${r.method} ${r.path}`) && notApi(r.method, r.path) === undefined);
  assert.deepEqual(undocumented, [], 'routes served but neither documented nor excluded: describe them in api/openapi/plain-routes.ts (or route them through armRoute())');
  for (const key of plain) assert.ok(registered.has(key), `plain-routes.ts describes ${key}, which the server does not serve`);
  assert.ok(collected.registered.some((r) => notApi(r.method, r.path) !== undefined), 'the portal\'s paths are registered and excluded');
  // The exclusions are the portal's own paths, nothing that looks like API.
  for (const [method, path] of [['GET', '/subscriptions'], ['GET', '/workspaces/:workspaceId/query'], ['POST', '/incidents'], ['GET', '/v1/workspaces/:workspaceId/query'], ['GET', '/assets/:file/x']]) {
    assert.equal(notApi(method!, path!), undefined, `${method} ${path} is not excluded`);
  }
});

test('the document has OpenAPI 3.1\'s structure: parameters match the path templates, every $ref resolves, every operation answers', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(typeof doc.info.title, 'string');
  assert.equal(typeof doc.info.version, 'string');
  assert.ok(Array.isArray(doc.servers) && doc.servers[0].url === 'https://vigil.example');
  const tagNames = new Set(doc.tags.map((t: { name: string }) => t.name));
  const schemes = new Set(Object.keys(doc.components.securitySchemes));
  for (const requirement of doc.security) for (const name of Object.keys(requirement)) assert.ok(schemes.has(name), `security scheme ${name}`);
  for (const { path, method, op } of operationsOf(doc)) {
    const where = `${method} ${path}`;
    assert.ok(path.startsWith('/') && !path.includes(':'), `${where}: a templated path`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path');
    assert.deepEqual(declared.map((p: any) => p.name).sort(), [...templated].sort(), `${where}: path parameters`);
    for (const p of declared) assert.equal(p.required, true, `${where}: path parameter ${p.name} is required`);
    for (const p of op.parameters ?? []) {
      assert.ok(['path', 'query', 'header', 'cookie'].includes(p.in), `${where}: parameter ${p.name} in ${p.in}`);
      assert.ok(p.schema !== undefined, `${where}: parameter ${p.name} has a schema`);
    }
    const keys = (op.parameters ?? []).map((p: any) => `${p.in}:${p.name.toLowerCase()}`);
    assert.equal(new Set(keys).size, keys.length, `${where}: parameters are unique`);
    assert.ok(Object.keys(op.responses).some((s) => /^[23]\d\d$/.test(s)), `${where}: a success response`);
    assert.ok(op.responses.default !== undefined, `${where}: the error response`);
    for (const tag of op.tags) assert.ok(tagNames.has(tag), `${where}: tag ${tag} is declared`);
    assert.ok(typeof op.summary === 'string' && op.summary.length > 0 && !op.summary.includes('undefined'), `${where}: a summary`);
    for (const requirement of op.security ?? []) for (const name of Object.keys(requirement)) assert.ok(schemes.has(name), `${where}: security scheme ${name}`);
  }
  // Every $ref points at something in the document.
  const refs: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) if (k === '$ref' && typeof v === 'string') refs.push(v); else walk(v);
    }
  };
  walk(doc);
  assert.ok(refs.length > 100);
  for (const ref of new Set(refs)) {
    assert.ok(ref.startsWith('#/'), `${ref} is local`);
    let node: any = doc;
    for (const part of ref.slice(2).split('/')) node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    assert.ok(node !== undefined, `${ref} resolves`);
  }
  // The document is plain JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
});

test('api-version is an enum of the versions the route accepts; the query API takes none', () => {
  for (const r of collected.armRoutes) {
    const op = doc.paths[openApiPath(r.path)][r.method.toLowerCase()];
    const param = op.parameters.find((p: any) => p.name === 'api-version');
    if (r.spec.apiVersions === 'none') assert.equal(param, undefined, `${r.method} ${r.path}`);
    else assert.deepEqual(param.schema.enum, [...r.spec.apiVersions], `${r.method} ${r.path}`);
    assert.deepEqual(op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name), pathParams(r.path));
  }
  const incidents = doc.paths['/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}/providers/Microsoft.SecurityInsights/incidents'].get;
  assert.deepEqual(incidents.parameters.filter((p: any) => p.in === 'query' && p.name !== 'api-version').map((p: any) => p.name).sort(), ['$filter', '$orderby', '$skipToken', '$top']);
});

test('every body schema is converted by z.toJSONSchema() or says why not; the action each route checks is named', () => {
  const withBody = collected.armRoutes.filter((r) => r.spec.body !== undefined);
  assert.ok(withBody.length >= 25, `${withBody.length} routes with a body`);
  for (const r of withBody) {
    const body = doc.paths[openApiPath(r.path)][r.method.toLowerCase()].requestBody;
    assert.equal(body?.required, true, `${r.method} ${r.path} has its body`);
    const ref: string = body.content['application/json'].schema.$ref;
    const schema = doc.components.schemas[ref.split('/').pop()!];
    assert.ok(schema !== undefined, `${ref} exists`);
    assert.equal(schema.$schema, undefined, 'no $schema inside the document');
  }
  for (const b of generated.bodies) {
    if (b.result !== 'converted') assert.ok((b.note ?? '').length > 20, `${b.operation}: a ${b.result} conversion explains itself`);
  }
  // The query API documents the bodies it reads itself.
  const query = doc.paths['/v1/workspaces/{workspaceId}/query'].post;
  const querySchema = doc.components.schemas[query.requestBody.content['application/json'].schema.$ref.split('/').pop()];
  assert.deepEqual(querySchema.required, ['query']);
  // A passthrough (loose) object keeps accepting other properties.
  const role = doc.paths['/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments/{name}'].put;
  const roleSchema = doc.components.schemas[role.requestBody.content['application/json'].schema.$ref.split('/').pop()];
  assert.deepEqual(roleSchema.properties.properties.required, ['roleDefinitionId', 'principalId']);
  assert.notEqual(roleSchema.additionalProperties, false);
  assert.deepEqual(role['x-vigil-authorization'], { mode: 'scope', action: 'Microsoft.Authorization/roleAssignments/write', scope: '/subscriptions/{subscriptionId}' });
  const ingest = doc.paths['/dataCollectionRules/{immutableId}/streams/{stream}'].post['x-vigil-authorization'];
  assert.deepEqual(ingest, { mode: 'request', action: 'Microsoft.Insights/Telemetry/Write', dataAction: true });
  const scoped = operationsOf(doc).filter((o) => o.op['x-vigil-authorization']?.mode === 'scope');
  assert.ok(scoped.length > 100, `${scoped.length} operations name their action and scope`);
  for (const o of scoped) assert.match(o.op['x-vigil-authorization'].action, /^[A-Za-z.]+\/[A-Za-z/]+$/, `${o.method} ${o.path}`);
});

test('a schema JSON Schema cannot express is shown in part with a note, one that cannot convert at all falls back; neither throws', () => {
  const partial = convertSchema(z.object({ when: z.date(), name: z.string() }));
  assert.equal(partial.result, 'partial');
  assert.match(partial.note!, /any value/);
  assert.equal(partial.schema.properties.name.type, 'string');
  const broken = convertSchema({} as z.ZodType);
  assert.equal(broken.result, 'fallback');
  assert.match(broken.note!, /could not be converted/);
  assert.deepEqual(broken.schema, { type: 'object' });
});

test('docs/api.md is what `npm run docs:api` makes from the routes now', () => {
  const expected = toMarkdown(doc);
  const actual = readFileSync(DOCS, 'utf8');
  if (actual !== expected) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    const line = a.findIndex((l, i) => l !== e[i]);
    assert.fail(`docs/api.md is out of date with the routes (first difference at line ${line + 1}: ${JSON.stringify(a[line])} should be ${JSON.stringify(e[line])}). Run: npm run docs:api`);
  }
  for (const r of collected.armRoutes) assert.ok(actual.includes(`\`${r.method} ${openApiPath(r.path)}\``), `docs/api.md lists ${r.method} ${r.path}`);
});

let t: TestServer;
test('the server serves the document without sign-in, cached, with its own address and no tenant data', async () => {
  t = await startTestServer();
  const res = await fetch(`${t.url}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
  const etag = res.headers.get('etag');
  assert.ok(etag !== null && etag.startsWith('"'));
  const text = await res.text();
  const served = JSON.parse(text);
  assert.equal(served.servers[0].url, t.url);
  assert.match(served.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl, new RegExp(`^${t.url.replace(/[.]/g, '\\.')}/\\{tenantId\\}/oauth2/v2\\.0/token$`));
  // The same operations as the registry collected without a server.
  assert.deepEqual(operationsOf(served).map((o) => `${o.method} ${o.path}`).sort(), operationsOf(doc).map((o) => `${o.method} ${o.path}`).sort());
  // Nothing about who uses the server: no directory, subscription, user or workspace of the world applied.
  const lower = text.toLowerCase();
  for (const secret of [WORLD.soc.tenant, WORLD.fabrikam.tenant, WORLD.northwind.tenant, WORLD.fabrikam.subscription, WORLD.soc.subscription, WORLD.users.ana.upn, 'fabrikam', 'northwind', 'contoso', WORLD.fabrikam.workspace]) {
    assert.ok(!lower.includes(secret.toLowerCase()), `the document mentions ${secret}`);
  }
  const again = await fetch(`${t.url}/openapi.json`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  // The rest of the API still wants a token.
  const arm = await t.request('GET', '/subscriptions?api-version=2022-12-01');
  assert.equal(arm.status, 401);
});
after(async () => { await t?.close(); });
