// Server configuration: defaults, then a config file (JSON or YAML), then VIGIL_* environment
// variables, then explicit overrides (command-line flags). Later sources win.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const DEFAULT_PORT = 8443;

const ConfigSchema = z
  .object({
    dataDir: z.string().min(1),
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    /** The URL clients reach this server at; used in issuers and nextLinks. Derived from host/port when absent. */
    publicUrl: z.string().url().optional(),
    tls: z
      .object({
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
        message: 'tls.certFile and tls.keyFile must be given together',
      }),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** Largest request body accepted, in bytes (Azure's ARM limit is 4 MiB). */
    maxBodyBytes: z.number().int().positive(),
    /** Lifetime of issued access tokens, in seconds (Entra ID issues 60-90 minute tokens). */
    tokenLifetimeSeconds: z.number().int().min(60).max(86_400),
    /** Log Analytics query API: rows of one result at most (Log Analytics: 500,000); past it the answer is partial. */
    queryMaxRows: z.number().int().positive(),
    /** Bytes of one result at most (Log Analytics: about 64 MB); past it the answer is partial. */
    queryMaxBytes: z.number().int().positive(),
    /** A query's time limit when the request asks for none (Log Analytics: 3 minutes). */
    queryTimeoutSeconds: z.number().int().positive(),
    /** The most a request may ask for with `Prefer: wait=N` (Log Analytics: 10 minutes). */
    queryMaxTimeoutSeconds: z.number().int().positive(),
    /**
     * The directory KQL's externaldata reads (files by relative path; an http(s) address from its
     * mirror `<host>/<path>` there). Nothing is ever fetched from the network. Unset: externaldata is refused.
     */
    externalDataDirectory: z.string().min(1).optional(),
    /**
     * How long after a scheduled rule's window ends it runs, for late data to arrive (Sentinel:
     * 5 minutes). Rows that arrive later than this are missed by that window, as in Sentinel.
     */
    scheduledRuleDelaySeconds: z.number().int().min(0).max(3600),
    /** How often the rule scheduler looks for due windows. */
    schedulerTickSeconds: z.number().int().min(1).max(300),
  })
  .strict();

export type VigilConfig = z.infer<typeof ConfigSchema>;

export const DEFAULTS: VigilConfig = {
  dataDir: './data',
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  tls: {},
  logLevel: 'info',
  maxBodyBytes: 4 * 1024 * 1024,
  tokenLifetimeSeconds: 3600,
  queryMaxRows: 500_000,
  queryMaxBytes: 64 * 1024 * 1024,
  queryTimeoutSeconds: 180,
  queryMaxTimeoutSeconds: 600,
  scheduledRuleDelaySeconds: 300,
  schedulerTickSeconds: 15,
};

export type ConfigOverrides = Partial<Omit<VigilConfig, 'tls'>> & { tls?: VigilConfig['tls'] };

/** Reads VIGIL_* variables. Only the ones that are set are returned. */
export function configFromEnvironment(env: NodeJS.ProcessEnv): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (env.VIGIL_DATA_DIR) out.dataDir = env.VIGIL_DATA_DIR;
  if (env.VIGIL_HOST) out.host = env.VIGIL_HOST;
  if (env.VIGIL_PORT) out.port = parseIntegerVariable('VIGIL_PORT', env.VIGIL_PORT);
  if (env.VIGIL_PUBLIC_URL) out.publicUrl = env.VIGIL_PUBLIC_URL;
  if (env.VIGIL_LOG_LEVEL) out.logLevel = env.VIGIL_LOG_LEVEL as VigilConfig['logLevel'];
  if (env.VIGIL_MAX_BODY_BYTES) out.maxBodyBytes = parseIntegerVariable('VIGIL_MAX_BODY_BYTES', env.VIGIL_MAX_BODY_BYTES);
  if (env.VIGIL_QUERY_MAX_ROWS) out.queryMaxRows = parseIntegerVariable('VIGIL_QUERY_MAX_ROWS', env.VIGIL_QUERY_MAX_ROWS);
  if (env.VIGIL_QUERY_MAX_BYTES) out.queryMaxBytes = parseIntegerVariable('VIGIL_QUERY_MAX_BYTES', env.VIGIL_QUERY_MAX_BYTES);
  if (env.VIGIL_QUERY_TIMEOUT_SECONDS) out.queryTimeoutSeconds = parseIntegerVariable('VIGIL_QUERY_TIMEOUT_SECONDS', env.VIGIL_QUERY_TIMEOUT_SECONDS);
  if (env.VIGIL_QUERY_MAX_TIMEOUT_SECONDS) out.queryMaxTimeoutSeconds = parseIntegerVariable('VIGIL_QUERY_MAX_TIMEOUT_SECONDS', env.VIGIL_QUERY_MAX_TIMEOUT_SECONDS);
  if (env.VIGIL_EXTERNAL_DATA_DIR) out.externalDataDirectory = env.VIGIL_EXTERNAL_DATA_DIR;
  if (env.VIGIL_SCHEDULED_RULE_DELAY_SECONDS) out.scheduledRuleDelaySeconds = parseIntegerVariable('VIGIL_SCHEDULED_RULE_DELAY_SECONDS', env.VIGIL_SCHEDULED_RULE_DELAY_SECONDS);
  if (env.VIGIL_SCHEDULER_TICK_SECONDS) out.schedulerTickSeconds = parseIntegerVariable('VIGIL_SCHEDULER_TICK_SECONDS', env.VIGIL_SCHEDULER_TICK_SECONDS);
  if (env.VIGIL_TLS_CERT || env.VIGIL_TLS_KEY) {
    out.tls = {};
    if (env.VIGIL_TLS_CERT) out.tls.certFile = env.VIGIL_TLS_CERT;
    if (env.VIGIL_TLS_KEY) out.tls.keyFile = env.VIGIL_TLS_KEY;
  }
  return out;
}

function parseIntegerVariable(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(`${name}=${JSON.stringify(value)} is not a whole number. Set it to digits only, for example ${name}=8443.`);
  }
  return Number(value);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function configFromFile(path: string): ConfigOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`The configuration file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`The configuration file ${path} must hold an object of settings (dataDir, host, port, tls, ...).`);
  }
  return parsed as ConfigOverrides;
}

/** Merges the sources in order and validates the result, naming the setting at fault. */
export function resolveConfig(...sources: ConfigOverrides[]): VigilConfig {
  const merged: Record<string, unknown> = { ...DEFAULTS, tls: { ...DEFAULTS.tls } };
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      merged[key] = key === 'tls' ? { ...(merged.tls as object), ...(value as object) } : value;
    }
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}. Valid settings are dataDir, host, port, publicUrl, tls.certFile, tls.keyFile, logLevel, maxBodyBytes, tokenLifetimeSeconds, queryMaxRows, queryMaxBytes, queryTimeoutSeconds, queryMaxTimeoutSeconds, externalDataDirectory, scheduledRuleDelaySeconds, schedulerTickSeconds.`);
  }
  const config = result.data;
  if (config.queryTimeoutSeconds > config.queryMaxTimeoutSeconds) {
    throw new ConfigError(`Invalid configuration: queryTimeoutSeconds (${config.queryTimeoutSeconds}) is above queryMaxTimeoutSeconds (${config.queryMaxTimeoutSeconds}); the default time limit cannot exceed the most a request may ask for.`);
  }
  config.dataDir = resolve(config.dataDir);
  if (config.externalDataDirectory !== undefined) config.externalDataDirectory = resolve(config.externalDataDirectory);
  return config;
}
