// A rule's query, compiled as the scheduler will run it: in the rule's workspace, with the reach
// of the principal it runs as, over one window's time range. Saving a rule compiles it this way
// too, so that a rule that is stored is one whose query compiles.
import type { Services } from '../services.ts';
import type { Caller } from '../access/caller.ts';
import type { Workspace } from '../control/workspaces.ts';
import type { CompiledQuery } from '../../../kql/src/index.ts';
import { ApiError } from '../errors.ts';
import { compileForCaller } from '../query/query-service.ts';
import type { TimeRange } from '../query/timespan.ts';
import { ruleWindows, type RuleDefinition, type RuleKind } from './rule-model.ts';
import { checkRuleColumns } from './rule-columns.ts';
import { firstWindowEnd } from './windows.ts';

/** Schema discovery (evaluate bag_unpack) while a rule compiles or runs may take this long. */
const DISCOVERY_SECONDS = 60;

/** Scheduled rules read their window of TimeGenerated; near-real-time rules their window of ingestion time. */
export async function compileRuleQuery(services: Services, caller: Caller, workspace: Workspace, kind: RuleKind, query: string, window: TimeRange, reached?: Set<string>): Promise<CompiledQuery> {
  const timeRange = { ...window, column: kind === 'NRT' ? '_TimeReceived' as const : 'TimeGenerated' as const };
  return compileForCaller(services, { caller, home: workspace, query, timeRange, now: window.end, waitSeconds: DISCOVERY_SECONDS, ...(reached !== undefined ? { reached } : {}) });
}

/** The same, for saving: a query that does not compile is a bad `properties.query`. */
export async function checkRuleQuery(services: Services, caller: Caller, workspace: Workspace, kind: RuleKind, query: string, window: TimeRange): Promise<CompiledQuery> {
  let compiled: CompiledQuery;
  const reached = new Set<string>();
  try {
    compiled = await compileRuleQuery(services, caller, workspace, kind, query, window, reached);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 || error instanceof ApiError && error.status === 404) {
      throw new ApiError('InvalidRequestContent', `properties.query: ${error.message}`, { target: 'properties.query', cause: error });
    }
    throw error;
  }
  // As in Sentinel: a near-real-time rule reads its own workspace only. It runs as that
  // workspace's rows commit, so that is the only arrival it can keep up with exactly.
  if (kind === 'NRT' && [...reached].some((id) => id !== workspace.customer_id)) {
    throw new ApiError('InvalidRequestContent', "properties.query: a near-real-time (NRT) rule cannot read other workspaces (workspace() or the union of several): it runs as its own workspace's rows arrive. Make it a Scheduled rule (frequencies down to 1 minute), which may read across workspaces.", { target: 'properties.query' });
  }
  return compiled;
}

/**
 * Everything checked when a rule is saved or tested, as it will run: its query compiled over a
 * first window with `caller`'s reach, and every column it names among the query's results.
 * Returns where that first window ends (a new or rescheduled rule's windows count from there).
 */
export async function checkRule(services: Services, caller: Caller, workspace: Workspace, definition: RuleDefinition, now: Date): Promise<Date> {
  const end = firstWindowEnd(services.config, definition.kind, now);
  const compiled = await checkRuleQuery(services, caller, workspace, definition.kind, definition.properties.query, { start: new Date(end.getTime() - ruleWindows(definition).periodMs), end });
  checkRuleColumns(definition, compiled.columns);
  return end;
}
