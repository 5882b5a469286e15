// GET /openapi.json: the API reference of this server, generated once from its route registry
// (after every route is registered: at the first request).
//
// No authentication, as Azure publishes its REST specifications: the document is built from
// code only (paths, zod schemas, api-versions, the actions routes check) and the server's
// public address, which whoever can reach it already knows. It names no directory, user,
// subscription or log, so it tells an anonymous reader nothing about who uses the server; and
// tools (SDK generators, API explorers) need it before anyone signs in.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { armRoutesOf } from './registry.ts';
import { buildOpenApi } from './generate.ts';

export function registerOpenApiRoutes(app: FastifyInstance, services: Services): void {
  let cached: Promise<{ text: string; etag: string }> | undefined;
  const documentText = () => (cached ??= buildOpenApi(armRoutesOf(services), { serverUrl: services.publicUrl }).then(({ document }) => {
    const text = JSON.stringify(document);
    return { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
  }).catch((error: unknown) => {
    cached = undefined;
    throw error;
  }));

  app.get('/openapi.json', async (request, reply) => {
    const { text, etag } = await documentText();
    void reply.header('etag', etag)
      // Changes only when the server is upgraded: reuse for an hour, then ask (a 304 is cheap).
      .header('cache-control', 'public, max-age=3600, must-revalidate')
      .header('x-content-type-options', 'nosniff')
      // Public, holds no tenant data: API tools on other origins may read it.
      .header('access-control-allow-origin', '*');
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').map((s) => s.trim().replace(/^W\//, '')).some((s) => s === etag || s === '*')) {
      return reply.code(304).send();
    }
    return reply.type('application/json; charset=utf-8').send(text);
  });
}
