// The route registry without a running server (for `npm run docs:api` and its test): the real
// createApp() with a stand-in for the services, which route registration only stores. Nothing
// listens, no database is opened.
import pino from 'pino';
import { createApp } from '../app.ts';
import type { Services } from '../../services.ts';
import { armRoutesOf, registeredRoutesOf, type RecordedRoute } from './registry.ts';

export interface CollectedRoutes {
  armRoutes: readonly RecordedRoute[];
  /** Every route Fastify registered (method, path). */
  registered: readonly { method: string; path: string }[];
}

export async function collectRoutes(): Promise<CollectedRoutes> {
  const known: Record<string, unknown> = { log: pino({ level: 'silent' }), config: { maxBodyBytes: 1024 * 1024 }, publicUrl: 'https://vigil.invalid' };
  // Registration reads a few members into closures (db, now); none may be used before a request.
  const services = new Proxy(known, { get: (target, key) => (typeof key === 'string' ? target[key] : undefined) }) as unknown as Services;
  const app = await createApp(services);
  try {
    await app.ready();
    return { armRoutes: [...armRoutesOf(services)], registered: [...registeredRoutesOf(services)] };
  } finally {
    await app.close();
  }
}
