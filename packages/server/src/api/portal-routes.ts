// The portal (packages/web, built by Vite into packages/web/dist) from the API's own origin:
// index.html for / and every portal path (the portal routes in the browser), the hashed
// files under /assets cached for a year, precompressed (.br/.gz from the build) when the
// browser accepts it. Only GETs of these paths: every API path keeps answering as before.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The first segments of the portal's own paths (packages/web/src/shell/sections.ts), and its sign-in callback. */
export const PORTAL_PATHS = ['workspaces', 'overview', 'incidents', 'logs', 'analytics', 'watchlists', 'automation', 'data-connectors', 'settings', 'signin'] as const;

// VIGIL_PORTAL_DIST serves a portal built elsewhere (scripts/build-web.mjs builds into the same
// directory when it is set): two checkouts' test runs on one machine then never rebuild the
// portal under each other's running server.
const DEFAULT_DIST = process.env.VIGIL_PORTAL_DIST !== undefined && process.env.VIGIL_PORTAL_DIST !== ''
  ? process.env.VIGIL_PORTAL_DIST
  : fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  // The KQL editor's icon font (Monaco's codicon.ttf, which its CSS loads from /assets).
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

// Griffel (Fluent UI's CSS-in-JS) inserts <style> elements at run time, hence 'unsafe-inline'
// for styles only; scripts come from this origin alone.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
].join('; ');

// File names Vite writes: letters, digits, '-', '_' and dots. Nothing else (no '/', no '..') is served.
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head><body>
<main><h1>The Vigil portal is not built</h1><p>The API is running, but packages/web/dist has no portal. Build it with
<code>npm run build:web</code> (<code>npm start</code> builds it first when it is missing or out of date), then reload.</p></main></body></html>`;

export function registerPortalRoutes(app: FastifyInstance, options: { distDirectory?: string } = {}): void {
  const dist = options.distDirectory ?? DEFAULT_DIST;

  const sendIndex = async (_request: FastifyRequest, reply: FastifyReply) => {
    const file = join(dist, 'index.html');
    void reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // The page names the current hashed files: always ask whether it changed.
      .header('cache-control', 'no-cache');
    if (!existsSync(file)) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').send(await readFile(file));
  };

  const sendFile = async (request: FastifyRequest, reply: FastifyReply, directory: string, name: string, cacheControl: string) => {
    const dot = name.lastIndexOf('.');
    const type = dot > 0 ? CONTENT_TYPES[name.slice(dot)] : undefined;
    const path = join(directory, name);
    if (!FILE_NAME.test(name) || type === undefined || !existsSync(path) || !statSync(path).isFile()) {
      return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(`Not found: ${request.url.split('?')[0]}`);
    }
    void reply.type(type).header('cache-control', cacheControl).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
    const accepted = String(request.headers['accept-encoding'] ?? '');
    for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
      if (new RegExp(`\\b${encoding}\\b`).test(accepted) && existsSync(path + suffix)) {
        return reply.header('content-encoding', encoding).send(await readFile(path + suffix));
      }
    }
    return reply.send(await readFile(path));
  };

  app.get('/', sendIndex);
  for (const segment of PORTAL_PATHS) {
    app.get(`/${segment}`, sendIndex);
    app.get(`/${segment}/*`, sendIndex);
  }
  // Vite names these after their content: a new build makes new names, so they never change.
  app.get('/assets/:file', (request, reply) =>
    sendFile(request, reply, join(dist, 'assets'), (request.params as { file: string }).file, 'public, max-age=31536000, immutable'));
  // Files of public/ (favicon.svg) keep their names: cache briefly.
  app.get('/favicon.svg', (request, reply) => sendFile(request, reply, dist, 'favicon.svg', 'public, max-age=3600'));
  // Browsers ask for /favicon.ico on pages that name no icon (the login page).
  app.get('/favicon.ico', (_request, reply) => reply.header('cache-control', 'public, max-age=3600').redirect('/favicon.svg', 301));
}
