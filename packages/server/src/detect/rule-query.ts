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

/** Schema discovery (evaluate bag_unpack) while a rule compiles or runs may take this long. */
const DISCOVERY_SECONDS = 60;

export async function compileRuleQuery(services: Services, caller: Caller, workspace: Workspace, query: string, window: TimeRange): Promise<CompiledQuery> {
  return compileForCaller(services, { caller, home: workspace, query, timeRange: window, now: window.end, waitSeconds: DISCOVERY_SECONDS });
}

/** The same, for saving: a query that does not compile is a bad `properties.query`. */
export async function checkRuleQuery(services: Services, caller: Caller, workspace: Workspace, query: string, window: TimeRange): Promise<CompiledQuery> {
  try {
    return await compileRuleQuery(services, caller, workspace, query, window);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 || error instanceof ApiError && error.status === 404) {
      throw new ApiError('InvalidRequestContent', `properties.query: ${error.message}`, { target: 'properties.query', cause: error });
    }
    throw error;
  }
}
