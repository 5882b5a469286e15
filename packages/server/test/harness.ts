// Test harness: a real Vigil server over real HTTPS on a free port, with its own temporary
// data directory, set up from an environment file exactly as users do with `vigil apply`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { resolveConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { applyEnvironmentText } from '../src/bootstrap/apply-environment.ts';
import type { CompileQuery } from '../src/query/compiler.ts';

export const EXAMPLE_ENVIRONMENT = new URL('../../../docs/examples/mssp.yaml', import.meta.url);
export const SHARED = new URL('../../../../shared/', import.meta.url);

/** Ids from docs/examples/mssp.yaml. */
export const WORLD = {
  soc: { tenant: '22222222-2222-2222-2222-222222222222', subscription: '00000000-0000-0000-0000-00000000ff01' },
  fabrikam: { tenant: '11111111-1111-1111-1111-111111111111', subscription: '00000000-0000-0000-0000-00000000aa01', rg: 'rg-sentinel', workspace: 'ws-fabrikam' },
  northwind: { tenant: '44444444-4444-4444-4444-444444444444', subscription: '00000000-0000-0000-0000-00000000bb01', rg: 'rg-sec', workspace: 'ws-northwind' },
  users: {
    ana: { upn: 'ana@contososoc.example', password: 'Tier1-Passw0rd!' },
    eli: { upn: 'eli@contososoc.example', password: 'Engineer-Passw0rd!' },
    lee: { upn: 'lee@contososoc.example', password: 'Lead-Passw0rd!' },
    fabrikamAdmin: { upn: 'admin@fabrikam.example', password: 'Fabrikam-Passw0rd!' },
    northwindAdmin: { upn: 'admin@northwind.example', password: 'Northwind-Passw0rd!' },
  },
  automation: { appId: '33333333-3333-3333-3333-333333333333', secret: 'automation-secret-0123456789' },
} as const;

export interface TestServer {
  url: string;
  server: RunningServer;
  dataDir: string;
  /** A token for a user (password grant) of `tenant`. */
  userToken(tenant: string, upn: string, password: string, scope?: string): Promise<string>;
  /** A token for a service principal (client_credentials) of `tenant`. */
  appToken(tenant: string, appId: string, secret: string, scope?: string): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Environment file text to apply; the example MSSP world by default, '' for none. */
  environment?: string;
  pageSize?: number;
  now?: () => Date;
  maxBodyBytes?: number;
  /** More settings (query limits...). */
  config?: Partial<Pick<Parameters<typeof resolveConfig>[0], 'queryMaxRows' | 'queryMaxBytes' | 'queryTimeoutSeconds' | 'queryMaxTimeoutSeconds' | 'externalDataDirectory' | 'scheduledRuleDelaySeconds' | 'schedulerTickSeconds'>>;
  /** A stand-in for the KQL compiler. */
  compileQuery?: CompileQuery;
  /** Use this data directory (kept on close: a test restarts a server on it) instead of a new temporary one. */
  dataDir?: string;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const certFile = process.env.VIGIL_TEST_TLS_CERT;
  const keyFile = process.env.VIGIL_TEST_TLS_KEY;
  const overrides: Parameters<typeof resolveConfig>[0] = { dataDir, port: 0, host: '127.0.0.1', logLevel: (process.env.VIGIL_TEST_LOG as 'silent') ?? 'silent' };
  if (certFile !== undefined && keyFile !== undefined) overrides.tls = { certFile, keyFile };
  if (options.maxBodyBytes !== undefined) overrides.maxBodyBytes = options.maxBodyBytes;
  const config = resolveConfig(overrides, options.config ?? {});
  // No compiler warm-up: most suites never query, and each would pay for loading the analyser.
  const startOptions: Parameters<typeof startServer>[1] = { logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }), warmUpCompiler: false };
  if (options.pageSize !== undefined) startOptions.pageSize = options.pageSize;
  if (options.now !== undefined) startOptions.now = options.now;
  if (options.compileQuery !== undefined) startOptions.compileQuery = options.compileQuery;
  const server = await startServer(config, startOptions);
  const environment = options.environment ?? readFileSync(EXAMPLE_ENVIRONMENT, 'utf8');
  if (environment !== '') {
    try {
      await applyEnvironmentText(server.services.db, environment, 'test-environment.yaml');
    } catch (error) {
      // A world that fails to apply must not leave a listening server behind (the run would hang).
      await server.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const url = server.url;

  const token = async (tenant: string, form: Record<string, string>): Promise<string> => {
    const res = await fetch(`${url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    const body = (await res.json()) as { access_token?: string; error_description?: string };
    if (res.status !== 200 || body.access_token === undefined) throw new Error(`token request failed (${res.status}): ${body.error_description}`);
    return body.access_token;
  };
  return {
    url,
    server,
    dataDir,
    userToken: (tenant, upn, password, scope = 'https://management.azure.com/.default') =>
      token(tenant, { grant_type: 'password', client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', username: upn, password, scope }),
    appToken: (tenant, appId, secret, scope = 'https://management.azure.com/.default') =>
      token(tenant, { grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope }),
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text === '' ? undefined : JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await server.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ws = (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${name}`;

/**
 * Polls `fn` until `ok` holds. Failures of `fn` count as "not yet" (a table appears with its
 * first rows). Generous deadline: a loaded CI machine must not fail this; a real loss still
 * fails it, only later.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  for (;;) {
    last = await fn().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(last, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TokenCredential for Microsoft's SDKs: a password sign-in of `user` in `tenant`, for whatever scope the SDK asks. */
export function userCredential(t: TestServer, tenant: string, user: { upn: string; password: string }): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
      return { token: await t.userToken(tenant, user.upn, user.password, scope), expiresOnTimestamp: Date.now() + 50 * 60_000 };
    },
  };
}
