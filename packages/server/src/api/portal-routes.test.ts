import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { registerPortalRoutes } from './portal-routes.ts';

function appWith(dist: string) {
  const app = Fastify();
  registerPortalRoutes(app, { distDirectory: dist });
  app.get('/subscriptions', async () => ({ value: [] }));
  return app;
}

test('portal paths answer index.html, hashed assets are cached for good and sent precompressed, nothing else is served', async () => {
  const dist = mkdtempSync(join(tmpdir(), 'vigil-portal-'));
  try {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Vigil</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
    writeFileSync(join(dist, 'assets', 'codicon-abc123.ttf'), 'font');
    writeFileSync(join(dist, 'secret.txt'), 'not for the web');
    const app = appWith(dist);

    for (const url of ['/', '/workspaces', '/settings/anything', '/signin?code=x&state=y']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    }
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, 'console.log(1)');
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(gz.headers['content-encoding'], 'gzip', 'no .br file: gzip');
    assert.equal(gz.headers.vary, 'accept-encoding');
    const font = await app.inject({ url: '/assets/codicon-abc123.ttf' });
    assert.equal(font.statusCode, 200, 'the KQL editor\'s icon font');
    assert.equal(font.headers['content-type'], 'font/ttf');

    for (const url of ['/assets/missing.js', '/assets/..%2fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/index-abc123.js.gz', '/secret.txt']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
    }
    // API routes are untouched.
    assert.deepEqual((await app.inject({ url: '/subscriptions' })).json(), { value: [] });
    await app.close();
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('without a built portal, its paths say how to build it', async () => {
  const app = appWith(join(tmpdir(), 'vigil-no-such-dist'));
  const res = await app.inject({ url: '/workspaces' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build:web/);
  await app.close();
});
