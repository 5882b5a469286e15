// Retention: a background job deletes rows older than their table's retention. A table's
// totalRetentionInDays (its whole life, archive included in Log Analytics) decides; without
// one, its retentionInDays; without that, the workspace's. Vigil keeps all retained data
// queryable: there is no separate archive tier to search.
import type { Services } from '../services.ts';

const DAY_MICROS = 86_400_000_000n;

export interface RetentionResult {
  workspaceId: string;
  table: string;
  retentionDays: number;
  deleted: number;
}

export async function runRetention(services: Pick<Services, 'db' | 'logStore' | 'now' | 'log'>): Promise<RetentionResult[]> {
  const results: RetentionResult[] = [];
  const workspaces = await services.db.selectFrom('workspaces').select(['customer_id', 'retention_days']).execute();
  const nowMicros = BigInt(services.now().getTime()) * 1000n;
  for (const w of workspaces) {
    const settings = await services.db.selectFrom('log_tables').select(['name', 'retention_days', 'total_retention_days']).where('workspace_id', '=', w.customer_id).execute();
    const byName = new Map(settings.map((s) => [s.name.toLowerCase(), s]));
    let tables: { name: string }[];
    try {
      tables = await services.logStore.tables(w.customer_id);
    } catch (error) {
      services.log.error({ err: error, workspace: w.customer_id }, 'retention: cannot list tables');
      continue;
    }
    for (const { name } of tables) {
      const s = byName.get(name.toLowerCase());
      const days = positive(s?.total_retention_days) ?? positive(s?.retention_days) ?? w.retention_days;
      const deleted = await services.logStore.purge(w.customer_id, name, nowMicros - BigInt(days) * DAY_MICROS);
      if (deleted > 0) results.push({ workspaceId: w.customer_id, table: name, retentionDays: days, deleted });
    }
  }
  return results;
}

function positive(n: number | null | undefined): number | undefined {
  return n !== null && n !== undefined && n > 0 ? n : undefined;
}
