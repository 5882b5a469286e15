// Appends a workspace's waiting Watchlist rows (the outbox written with each change) to its log
// store, oldest first, and removes them once committed. One append at a time per workspace, so
// two requests never append the same rows. Run after each change, at start, and by a job (which
// retries rows an append failed to take). A stop after an append but before the removal appends
// those rows again: a repeated row of the same change, which _GetWatchlist's arg_max absorbs.
import type { Services } from '../services.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { typeRows } from '../ingest/type-rows.ts';

/** Rows appended in one write: bounded so a large watchlist does not fill the ingestion queue at once. */
const BATCH = 20_000;

const running = new Map<string, Promise<number>>();

type LogServices = Pick<Services, 'db' | 'ingestor' | 'now' | 'schemas'>;

/** Appends the workspace's waiting rows; resolves to how many. */
export function appendWatchlistRows(services: LogServices, workspaceId: string): Promise<number> {
  const before = running.get(workspaceId) ?? Promise.resolve(0);
  const next = before.catch(() => 0).then(() => drain(services, workspaceId));
  running.set(workspaceId, next);
  void next.finally(() => { if (running.get(workspaceId) === next) running.delete(workspaceId); }).catch(() => undefined);
  return next;
}

/** Every workspace with rows waiting (start, and the retry job). */
export async function appendAllWatchlistRows(services: LogServices): Promise<number> {
  const workspaces = await services.db.selectFrom('watchlist_outbox').select('workspace_id').distinct().execute();
  let n = 0;
  for (const w of workspaces) n += await appendWatchlistRows(services, w.workspace_id);
  return n;
}

async function drain(services: LogServices, workspaceId: string): Promise<number> {
  const table = findStandardTable('Watchlist')!;
  let total = 0;
  for (;;) {
    const pending = await services.db.selectFrom('watchlist_outbox').select(['seq', 'record'])
      .where('workspace_id', '=', workspaceId).orderBy('seq').limit(BATCH).execute();
    if (pending.length === 0) break;
    const bytes = pending.reduce((n, p) => n + p.record.length, 0);
    const typed = typeRows(table, pending.map((p) => JSON.parse(p.record) as unknown), { workspaceId, receivedAt: services.now(), bytes });
    // Rows we build ourselves: one that does not type is a bug, and must not pass for appended.
    if (typed.rejected.length > 0) throw new Error(`Watchlist rows did not type: ${typed.rejected.map((r) => `${r.column ?? ''} ${r.problem}`).join('; ')}`);
    await services.ingestor.write(workspaceId, table, typed, 'Watchlist', bytes);
    await services.db.deleteFrom('watchlist_outbox').where('workspace_id', '=', workspaceId).where('seq', '<=', pending.at(-1)!.seq).execute();
    total += pending.length;
  }
  // _GetWatchlist's columns are discovered per query (its bag_unpack), and the Watchlist table's
  // first rows are reported by the ingestor; but the analyser keeps bound function bodies with a
  // schema object, so a new one after each change makes sure nothing bound before it is reused.
  if (total > 0) services.schemas.invalidate(workspaceId);
  return total;
}
