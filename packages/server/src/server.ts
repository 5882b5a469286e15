// Starts Vigil: data directory, database, TLS, the HTTP application, one process.
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { VigilConfig } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { SigningKeys } from './identity/signing-keys.ts';
import { AuthorizationCodes } from './identity/authorization-codes.ts';
import { WorkerLogStore } from './logstore/worker/worker-log-store.ts';
import { TableCatalog } from './logstore/table-catalog.ts';
import { Ingestor, DEFAULT_INGEST_OPTIONS, type IngestOptions } from './ingest/ingestor.ts';
import { SyslogReceivers } from './ingest/syslog-receiver.ts';
import { startAllReceivers } from './api/data-connector-routes.ts';
import { runRetention } from './ingest/retention.ts';
import { scheduleJob } from './jobs.ts';
import { RuleScheduler } from './detect/scheduler.ts';
import { pruneRuleRuns } from './detect/prune-runs.ts';
import { materializeUsage } from './ingest/usage.ts';
import { appendAllWatchlistRows } from './watchlists/watchlist-log.ts';
import { loadTlsMaterial, trustInstructions, type TlsMaterial } from './tls.ts';
import { createApp } from './api/app.ts';
import type { Services } from './services.ts';
import { WorkspaceSchemas } from './query/workspace-schema.ts';
import { compileQuery, warmUpCompiler, type CompileQuery } from './query/compiler.ts';
import { logStoreGateway } from './query/store-gateway.ts';

/** Tables Vigil's detection writes: their commits do not start near-real-time runs. */
const SELF_WRITTEN = new Set(['SecurityAlert', 'SecurityIncident', 'SentinelHealth']);

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  app: FastifyInstance;
  tls: TlsMaterial;
  /** The analytics rule scheduler (ticks on its own; tests may tick it). */
  scheduler: RuleScheduler;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  now?: () => Date;
  pageSize?: number;
  ingest?: IngestOptions;
  /** A KQL compiler in place of packages/kql's (tests). */
  compileQuery?: CompileQuery;
  /**
   * Load and exercise the KQL analyser in the background after listening, so that the first
   * query does not wait for it (default true; test servers that never query turn it off).
   */
  warmUpCompiler?: boolean;
}

export async function startServer(config: VigilConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', 'password', 'client_secret'] });
  const { db, close: closeDb } = await openDatabase(config.dataDir);
  const tls = await loadTlsMaterial(config);
  const now = options.now ?? (() => new Date());
  // The one directory SQL may read files from besides the data: externaldata's (the store's
  // lock-down keeps every other path out).
  const logStore = new WorkerLogStore(config.dataDir, config.externalDataDirectory !== undefined ? { allowedDirectories: [config.externalDataDirectory] } : {});
  const catalog = new TableCatalog(db);
  const ingestor = new Ingestor(logStore, db, log, now, options.ingest ?? DEFAULT_INGEST_OPTIONS);
  const services: Services = {
    db,
    config,
    logStore,
    catalog,
    schemas: new WorkspaceSchemas(db, () => services.logStore),
    compileQuery: options.compileQuery ?? compileQuery,
    queryStore: logStoreGateway(() => services.logStore),
    ingestor,
    receivers: new SyslogReceivers({ db, ingestor, log, now }, { cert: tls.cert, key: tls.key }),
    keys: new SigningKeys(db),
    codes: new AuthorizationCodes(),
    log,
    now,
    publicUrl: '',
    pageSize: options.pageSize ?? 1000,
  };
  // A table's first rows make the compiler's schema of its workspace stale (the table is stored now).
  ingestor.onCommitted((workspaceId, tables) => services.schemas.tablesStored(workspaceId, tables));
  // The public URL is known once the port is (port 0 picks a free one): set it before routes run.
  const portForUrl = config.port;
  services.publicUrl = config.publicUrl?.replace(/\/$/, '') ?? `https://${urlHost(config.host)}:${portForUrl}`;
  const app = await createApp(services, { https: { cert: tls.cert, key: tls.key } });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await logStore.close();
    await closeDb();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  if (config.publicUrl === undefined) services.publicUrl = `https://${urlHost(config.host)}:${port}`;
  await startAllReceivers(services);
  if (options.warmUpCompiler !== false && options.compileQuery === undefined) {
    const started = Date.now();
    void warmUpCompiler().then(
      () => log.debug({ ms: Date.now() - started }, 'KQL compiler ready'),
      (error: unknown) => log.warn({ err: error }, 'KQL compiler warm-up failed; the first query will load it'),
    );
  }
  // Alerts a stop caught between their commit and their SecurityAlert row are appended first.
  const scheduler = new RuleScheduler(services);
  await scheduler.recover();
  // Watchlist rows a stop caught between their change's commit and their append.
  await appendAllWatchlistRows(services);
  // Near-real-time rules run as rows commit (SecurityAlert and the other tables Vigil writes
  // itself are left out: a rule reading its own alerts would otherwise run itself again).
  ingestor.onCommitted((workspaceId, tables) => {
    if (tables.some((t) => !SELF_WRITTEN.has(t))) scheduler.nudge(workspaceId);
  });
  const stopJobs = [
    scheduleJob('rules', services, config.schedulerTickSeconds * 1000, () => scheduler.tick()),
    scheduleJob('retention', services, 3_600_000, async () => {
      const purged = await runRetention(services);
      if (purged.length > 0) log.info({ purged }, 'retention purged old rows');
    }),
    scheduleJob('usage', services, 300_000, () => materializeUsage(services)),
    scheduleJob('rule-runs', services, 3_600_000, () => pruneRuleRuns(services.db, services.now())),
    scheduleJob('watchlists', services, 30_000, async () => { await appendAllWatchlistRows(services); }),
  ];
  return {
    url: services.publicUrl,
    port,
    services,
    app,
    tls,
    scheduler,
    close: async () => {
      // Stop taking requests (in-flight ones finish), commit what is queued, then close stores.
      for (const stop of stopJobs) await stop();
      await scheduler.stop();
      await services.receivers.stopAll();
      await app.close();
      await services.ingestor.close();
      await logStore.close();
      await closeDb();
    },
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function startupBanner(server: RunningServer): string {
  return [
    `Vigil is listening on ${server.url}`,
    `  data directory: ${server.services.config.dataDir}`,
    `  token service:  ${server.url}/{tenantId}/oauth2/v2.0/token`,
    trustInstructions(server.tls).split('\n').map((l) => `  ${l}`).join('\n'),
  ].join('\n');
}

export type { Db };
