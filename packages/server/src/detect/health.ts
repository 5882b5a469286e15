// Each rule run as a row of the workspace's SentinelHealth table, as Sentinel's health
// monitoring writes them ("Scheduled analytics rule run" / "NRT analytics rule run").
import type { Services } from '../services.ts';
import type { AlertRule } from '../control/alert-rules.ts';
import type { Workspace } from '../control/workspaces.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { typeRows } from '../ingest/type-rows.ts';
import type { RunOutcome } from './rule-run.ts';
import type { Window } from './windows.ts';
import { displayId } from '../control/workspaces.ts';

/** A run's SentinelHealth row (written in batches: see writeHealthRows). */
export async function ruleHealthRow(services: Services, rule: AlertRule, workspace: Workspace, window: Window, outcome: Exclude<RunOutcome, { status: 'AlreadyRan' }>): Promise<Record<string, unknown>> {
  const kind = rule.definition.kind;
  const ok = outcome.status === 'Succeeded';
  const row = {
    TimeGenerated: services.now().toISOString(),
    OperationName: kind === 'NRT' ? 'NRT analytics rule run' : 'Scheduled analytics rule run',
    SentinelResourceId: `${await displayId(services.db, workspace)}/providers/Microsoft.SecurityInsights/alertRules/${rule.row.name}`,
    SentinelResourceName: rule.definition.properties.displayName,
    SentinelResourceType: 'Analytics Rule',
    SentinelResourceKind: kind,
    Status: ok ? 'Success' : 'Failure',
    Description: ok ? (outcome.alerts > 0 ? `The rule ran and raised ${outcome.alerts} alert(s).` : outcome.suppressed ? 'The rule ran; its alerts were suppressed.' : 'The rule ran and raised no alert.') : 'The rule failed to run.',
    Reason: ok ? '' : outcome.error,
    WorkspaceId: workspace.customer_id,
    ExtendedProperties: {
      QueryStartTimeUTC: window.start.toISOString(),
      QueryEndTimeUTC: window.end.toISOString(),
      QueryResultAmount: ok ? outcome.rows : null,
      AlertsGeneratedAmount: ok ? outcome.alerts : 0,
      Suppressed: ok ? outcome.suppressed : false,
      DurationMs: outcome.durationMs,
    },
    RecordId: `${rule.row.id}|${window.end.toISOString()}`,
  };
  return row;
}

/**
 * Appends a workspace's health rows in one write: one commit per pass of the scheduler rather
 * than one per run (a commit costs more than a small rule's whole run).
 */
export async function writeHealthRows(services: Services, workspaceId: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const table = findStandardTable('SentinelHealth')!;
  const bytes = rows.reduce((n, r) => n + JSON.stringify(r).length, 0);
  const typed = typeRows(table, rows, { workspaceId, receivedAt: services.now(), bytes });
  if (typed.rejected.length > 0) throw new Error(`SentinelHealth rows did not type: ${typed.rejected.map((r) => r.problem).join('; ')}`);
  await services.ingestor.write(workspaceId, table, typed, 'SentinelHealth', bytes);
}
