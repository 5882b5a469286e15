// The Usage table: what each workspace ingested per table and hour, in Log Analytics' Usage
// schema (Quantity in MB), which is what MSSPs bill their customers by. Counters are kept per
// hour as data is committed; once an hour is over, its rows are written to the workspace's
// Usage table. The Usage table's own rows are not counted (they are not billable).
import type { Services } from '../services.ts';
import { findStandardTable } from '../logstore/schema.ts';
import type { TypedRow } from '../logstore/log-store.ts';

export async function materializeUsage(services: Pick<Services, 'db' | 'logStore' | 'now'> & Partial<Pick<Services, 'schemas'>>): Promise<number> {
  const currentHour = services.now().toISOString().slice(0, 13) + ':00:00Z';
  const pending = await services.db.selectFrom('usage_hourly').selectAll()
    .where('materialized_at', 'is', null).where('hour', '<', currentHour).execute();
  const usage = findStandardTable('Usage')!;
  const byWorkspace = new Map<string, typeof pending>();
  for (const row of pending) byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row]);
  let written = 0;
  for (const [workspaceId, rows] of byWorkspace) {
    const typed: TypedRow[] = rows.map((r) => {
      const start = BigInt(Date.parse(r.hour)) * 1000n;
      const end = start + 3_600_000_000n;
      return {
        TimeGenerated: end, StartTime: start, EndTime: end, DataType: r.table_name, Quantity: r.bytes / 1_000_000, QuantityUnit: 'MBytes',
        IsBillable: r.table_name !== 'Usage', Solution: 'LogManagement', SourceSystem: 'OMS', TotalBatches: null,
        TenantId: workspaceId, Type: 'Usage', _TimeReceived: BigInt(services.now().getTime()) * 1000n, _ItemId: `${workspaceId}/${r.table_name}/${r.hour}`,
        _BilledSize: 0, _ResourceId: null,
      };
    });
    // Written straight to the store, not through the ingestor, so Usage does not count itself.
    await services.logStore.append(workspaceId, [{ table: usage, rows: typed }]);
    services.schemas?.tablesStored(workspaceId, [usage.name]);
    const stamp = services.now().toISOString();
    for (const r of rows) {
      await services.db.updateTable('usage_hourly').set({ materialized_at: stamp })
        .where('workspace_id', '=', r.workspace_id).where('table_name', '=', r.table_name).where('hour', '=', r.hour).execute();
    }
    written += typed.length;
  }
  return written;
}
