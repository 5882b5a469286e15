// Run history kept within bounds: near-real-time rules record a run on every commit, so
// rule_runs grows by thousands of rows a day per rule. Runs that raised nothing and did not fail
// are dropped once older than RUN_HISTORY_DAYS; runs with alerts or errors are kept (they are
// the history users look at), and each rule's newest run is always kept: it is where the
// scheduler resumes.
import type { Db } from '../db/database.ts';

export const RUN_HISTORY_DAYS = 30;

export async function pruneRuleRuns(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - RUN_HISTORY_DAYS * 86_400_000).toISOString();
  const result = await db.deleteFrom('rule_runs')
    .where('status', '=', 'Succeeded')
    .where('alerts', '=', 0)
    .where('window_end', '<', cutoff)
    .where('id', 'not in', (eb) => eb.selectFrom('rule_runs as newest').select((e) => e.fn.max('newest.id').as('id')).groupBy('newest.rule_id'))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
