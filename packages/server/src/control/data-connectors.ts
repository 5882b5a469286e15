// Data connectors: resources of a Sentinel workspace that describe where its data comes from.
// Syslog and CEF connectors run a receiver on their port; LogsIngestion connectors watch a data
// collection rule; the HttpDataCollector connector watches the Data Collector API. Each shows
// whether data is arriving, from the ingestion counters kept per source.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { DataConnectorTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { canonicalId } from '../arm/resource-id.ts';
import { validateBody } from '../validation.ts';

export type DataConnector = DataConnectorTable;

/** Kinds with a receiver or source of their own, and Sentinel's cloud kinds kept as configuration. */
export const DATA_CONNECTOR_KINDS = ['Syslog', 'CEF', 'LogsIngestion', 'HttpDataCollector', 'AzureActiveDirectory', 'AzureActivity', 'Office365', 'ThreatIntelligence'] as const;
export type DataConnectorKind = (typeof DATA_CONNECTOR_KINDS)[number];

export const ReceiverProperties = z.object({
  protocol: z.enum(['udp', 'tcp', 'tls']).default('tcp'),
  port: z.number().int().min(0).max(65535),
  /** The address to listen on; the server's own host when absent. */
  address: z.string().min(1).optional(),
}).passthrough();

const LogsIngestionProperties = z.object({ dataCollectionRuleId: z.string().min(1) }).passthrough();

const AzureActivityProperties = z.object({ subscriptionIds: z.array(z.string()).optional() }).passthrough();

/** Checks a connector's properties for its kind; returns them normalised. */
export async function checkConnectorProperties(db: Db, kind: DataConnectorKind, properties: Record<string, unknown>, workspaceDirectoryId: string): Promise<Record<string, unknown>> {
  if (kind === 'AzureActivity') {
    // Only the directory's own subscriptions: a workspace cannot subscribe to another
    // customer's activity log.
    const p = validateBody(AzureActivityProperties, properties);
    for (const [i, id] of (p.subscriptionIds ?? []).entries()) {
      const sub = await db.selectFrom('subscriptions').select('directory_id').where('id', '=', id.toLowerCase()).executeTakeFirst();
      if (sub === undefined || sub.directory_id !== workspaceDirectoryId) {
        throw new ApiError('InvalidParameter', `properties.subscriptionIds[${i}] '${id}' is not a subscription of this workspace's directory.`, { target: `properties.subscriptionIds[${i}]` });
      }
    }
    return p as Record<string, unknown>;
  }
  if (kind === 'Syslog' || kind === 'CEF') return validateBody(ReceiverProperties, properties) as Record<string, unknown>;
  if (kind === 'LogsIngestion') {
    const p = validateBody(LogsIngestionProperties, properties);
    const rule = await db.selectFrom('data_collection_rules').select('id').where('id', '=', canonicalId(p.dataCollectionRuleId)).executeTakeFirst();
    if (rule === undefined) {
      throw new ApiError('InvalidParameter', `properties.dataCollectionRuleId '${p.dataCollectionRuleId}' is not an existing data collection rule.`, { target: 'properties.dataCollectionRuleId' });
    }
    return p as Record<string, unknown>;
  }
  return properties;
}

/** The ingestion source a connector reports on (see ingestion_stats.source). */
export async function connectorSource(db: Db, c: DataConnector): Promise<string | undefined> {
  const p = JSON.parse(c.properties) as Record<string, unknown>;
  if (c.kind === 'Syslog' || c.kind === 'CEF') return `Syslog:${c.name}`;
  if (c.kind === 'HttpDataCollector') return 'HttpDataCollector';
  if (c.kind === 'AzureActivity') return 'AzureActivity';
  if (c.kind === 'LogsIngestion' && typeof p.dataCollectionRuleId === 'string') {
    const rule = await db.selectFrom('data_collection_rules').select('immutable_id').where('id', '=', canonicalId(p.dataCollectionRuleId)).executeTakeFirst();
    return rule === undefined ? undefined : `LogsIngestion:${rule.immutable_id}`;
  }
  return undefined;
}

export interface ConnectorStatus {
  /** Data arrived within the last ten minutes. */
  receiving: boolean;
  lastEventTime: string | null;
  /** The last 14 days, newest first: events and bytes taken, messages dropped. */
  days: { day: string; events: number; bytes: number; dropped: number }[];
}

const RECEIVING_WINDOW_MS = 10 * 60_000;

export async function connectorStatus(db: Db, workspaceId: string, source: string | undefined, now: Date): Promise<ConnectorStatus> {
  if (source === undefined) return { receiving: false, lastEventTime: null, days: [] };
  const since = new Date(now.getTime() - 14 * 86_400_000).toISOString().slice(0, 10);
  const rows = await db.selectFrom('ingestion_stats').selectAll()
    .where('workspace_id', '=', workspaceId).where('source', '=', source).where('day', '>=', since)
    .orderBy('day', 'desc').execute();
  const last = rows.map((r) => r.last_event_at).filter((t): t is string => t !== null).sort().at(-1) ?? null;
  return {
    receiving: last !== null && now.getTime() - Date.parse(last) < RECEIVING_WINDOW_MS,
    lastEventTime: last,
    days: rows.map((r) => ({ day: r.day, events: r.events, bytes: r.bytes, dropped: r.dropped })),
  };
}
