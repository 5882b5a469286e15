// One window of one rule: compile its query as the principal the rule runs as, run it over the
// window, build the alerts, and commit the run record with its alerts in one transaction (the
// record is unique per window: a window that ran is never run again). The alerts then reach the
// SecurityAlert table through the outbox, and the run its SentinelHealth row.
import { performance } from 'node:perf_hooks';
import type { Services } from '../services.ts';
import { callerOfPrincipal, type Caller } from '../access/caller.ts';
import type { RuleDefinition } from './rule-model.ts';
import type { AlertRule } from '../control/alert-rules.ts';
import type { Workspace } from '../control/workspaces.ts';
import { inTransaction } from '../db/database.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { typeRows } from '../ingest/type-rows.ts';
import { runCompiled } from '../query/query-service.ts';
import { buildAlerts, type Alert } from './alerts.ts';
import { parseIsoDuration } from './durations.ts';
import { compileRuleQuery } from './rule-query.ts';
import { securityAlertRow } from './security-alert.ts';
import { customersOf } from './customers.ts';
import { groupIntoIncidents, touchedIncidents, type IncidentChanges } from '../incidents/grouping.ts';
import { runAutomation, type AutomationEvent } from '../incidents/automation.ts';
import { recordIncidentChanges } from '../incidents/security-incident.ts';
import type { Window } from './windows.ts';

/** A rule's query may run this long per window (Log Analytics' longest query). */
const RUN_TIMEOUT_SECONDS = 600;

export type RunOutcome =
  | { status: 'Succeeded'; rows: number; alerts: number; suppressed: boolean; durationMs: number }
  | { status: 'Failed'; error: string; durationMs: number }
  /** Another run recorded this window first. */
  | { status: 'AlreadyRan' };

/** Runs the rule's query over `window` and returns the alerts it would raise, without raising them. */
export async function evaluateRule(services: Services, rule: AlertRule, workspace: Workspace, window: Window): Promise<{ rows: number; alerts: Alert[] }> {
  const caller = await callerOfPrincipal(services.db, rule.row.run_as_principal_id);
  if (caller === undefined) {
    throw new Error(`the principal the rule runs as (${rule.row.updated_by}, who last saved it) no longer exists; save the rule again to run it as yourself`);
  }
  return evaluateDefinition(services, caller, rule.definition, workspace, window);
}

/** The same for a rule's settings run as `caller` (a rule being written, tested before it is saved). */
export async function evaluateDefinition(services: Services, caller: Caller, definition: RuleDefinition, workspace: Workspace, window: Window): Promise<{ rows: number; alerts: Alert[] }> {
  const compiled = await compileRuleQuery(services, caller, workspace, definition.kind, definition.properties.query, window);
  const answer = await runCompiled(services, compiled, { query: definition.properties.query, maxRows: services.config.queryMaxRows, timeoutSeconds: RUN_TIMEOUT_SECONDS });
  return { rows: answer.rows.length, alerts: buildAlerts(definition, compiled.columns, answer.rows) };
}

export async function runRuleWindow(services: Services, rule: AlertRule, workspace: Workspace, window: Window): Promise<RunOutcome> {
  const started = performance.now();
  const startedAt = services.now();
  let evaluated: { rows: number; alerts: Alert[] };
  try {
    evaluated = await evaluateRule(services, rule, workspace, window);
  } catch (error) {
    return { status: 'Failed', error: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - started) };
  }
  const suppressed = evaluated.alerts.length > 0 && await isSuppressed(services, rule, startedAt);
  const alerts = suppressed ? [] : evaluated.alerts;
  const durationMs = Math.round(performance.now() - started);
  const recorded = await recordRun(services, rule, window, startedAt, durationMs, { status: 'Succeeded', rows: evaluated.rows, alerts, workspace });
  if (recorded === undefined) return { status: 'AlreadyRan' };
  await appendPendingAlerts(services, workspace.customer_id);
  await recordIncidentChanges(services, touchedIncidents(recorded.changes));
  if (recorded.pendingAutomation !== undefined) await runPendingAutomation(services, workspace, recorded.pendingAutomation);
  return { status: 'Succeeded', rows: evaluated.rows, alerts: alerts.length, suppressed, durationMs };
}

/** Records a window that failed for good (its retries spent). */
export async function recordFailedRun(services: Services, rule: AlertRule, window: Window, error: string, durationMs: number): Promise<boolean> {
  return (await recordRun(services, rule, window, services.now(), durationMs, { status: 'Failed', error })) !== undefined;
}

type RunRecord =
  | { status: 'Succeeded'; rows: number; alerts: Alert[]; workspace: Workspace }
  | { status: 'Failed'; error: string };

/**
 * Commits the run (and its alerts, grouped into incidents, and the automation they owe); the
 * incidents created and changed and the pending automation's id, or undefined when the window
 * had run already.
 */
async function recordRun(services: Services, rule: AlertRule, window: Window, startedAt: Date, durationMs: number, r: RunRecord): Promise<{ changes: IncidentChanges; pendingAutomation?: number } | undefined> {
  try {
    return await inTransaction(services.db, async (trx) => {
      if (rule.definition.kind === 'NRT') {
        // Near-real-time windows tile ingestion time: one may only follow the newest recorded.
        const last = await trx.selectFrom('rule_runs').select((eb) => eb.fn.max('window_end').as('end')).where('rule_id', '=', rule.row.id).executeTakeFirst();
        if (last?.end != null && last.end > window.start.toISOString()) throw new AlreadyRan();
      }
      await trx.insertInto('rule_runs').values({
        rule_id: rule.row.id,
        window_start: window.start.toISOString(),
        window_end: window.end.toISOString(),
        started_at: startedAt.toISOString(),
        duration_ms: durationMs,
        status: r.status,
        rows: r.status === 'Succeeded' ? r.rows : null,
        alerts: r.status === 'Succeeded' ? r.alerts.length : 0,
        error: r.status === 'Failed' ? r.error : null,
      }).execute();
      if (r.status === 'Succeeded' && r.alerts.length > 0) {
        const now = services.now();
        const customers = await customersOf(trx, r.workspace.customer_id, r.alerts);
        await trx.insertInto('alerts').values(r.alerts.map((a) => ({
          id: a.id,
          workspace_id: r.workspace.customer_id,
          rule_id: rule.row.id,
          window_end: window.end.toISOString(),
          time_generated: now.toISOString(),
          severity: a.severity,
          display_name: a.displayName,
          entities: JSON.stringify(a.entities),
          record: JSON.stringify(securityAlertRow(a, rule, r.workspace, window, r.rows, now, customers.get(a.id) ?? [])),
          appended: 0,
          incident_id: null,
        }))).execute();
        const changes = await groupIntoIncidents(trx, rule, r.workspace, r.alerts, now, (a) => (customers.get(a.id) ?? []).map((c) => `Customer: ${c.directory}`));
        // Automation after the commit, as Sentinel runs it after creation: incidents created, then
        // each new alert, then incidents the alerts joined. Owed in this transaction, so a stop
        // before it runs leaves it to be run at start (RuleScheduler.recover).
        const events: AutomationEvent[] = [
          ...changes.created.map((incidentId) => ({ kind: 'IncidentCreated' as const, incidentId })),
          ...r.alerts.map((alert) => ({ kind: 'AlertCreated' as const, alertId: alert.id })),
          ...[...changes.updated].map(([incidentId, before]) => ({ kind: 'IncidentUpdated' as const, incidentId, before, alertsAdded: true })),
        ];
        const pending = await trx.insertInto('pending_automation').values({ workspace_id: r.workspace.customer_id, events: JSON.stringify(events), created_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow();
        return { changes, pendingAutomation: pending.id };
      }
      return { changes: { created: [], updated: new Map() } };
    });
  } catch (error) {
    if (error instanceof AlreadyRan || /UNIQUE constraint failed: rule_runs/.test(String(error))) return undefined;
    throw error;
  }
}

class AlreadyRan extends Error {}

/** Suppression: after a rule raised an alert, it raises none for suppressionDuration. */
async function isSuppressed(services: Services, rule: AlertRule, now: Date): Promise<boolean> {
  const p = rule.definition.properties;
  if (!p.suppressionEnabled) return false;
  const since = new Date(now.getTime() - parseIsoDuration(p.suppressionDuration)!).toISOString();
  const recent = await services.db.selectFrom('alerts').select('id').where('rule_id', '=', rule.row.id).where('time_generated', '>', since).executeTakeFirst();
  return recent !== undefined;
}

/**
 * Appends the workspace's alerts not yet in its SecurityAlert table (the outbox). Also run at
 * start, for alerts committed just before a stop. An append that was durable but not yet marked
 * when the process died is appended again: the one case of a repeated SecurityAlert row.
 */
export async function appendPendingAlerts(services: Pick<Services, 'db' | 'ingestor' | 'now'>, workspaceId: string): Promise<number> {
  const pending = await services.db.selectFrom('alerts').select(['id', 'record']).where('workspace_id', '=', workspaceId).where('appended', '=', 0).orderBy('time_generated').execute();
  if (pending.length === 0) return 0;
  const table = findStandardTable('SecurityAlert')!;
  const rows = pending.map((p) => JSON.parse(p.record) as Record<string, unknown>);
  const bytes = pending.reduce((n, p) => n + p.record.length, 0);
  const typed = typeRows(table, rows, { workspaceId, receivedAt: services.now(), bytes });
  // Rows we build ourselves: one that does not type is a bug, and must not pass for appended.
  if (typed.rejected.length > 0) throw new Error(`SecurityAlert rows did not type: ${typed.rejected.map((r) => `${r.column ?? ''} ${r.problem}`).join('; ')}`);
  await services.ingestor.write(workspaceId, table, typed, 'Analytics', bytes);
  await services.db.updateTable('alerts').set({ appended: 1 }).where('id', 'in', pending.map((p) => p.id)).execute();
  return pending.length;
}

/** Runs automation a run owes, then forgets it. Also used at start for automation left behind. */
export async function runPendingAutomation(services: Services, workspace: Workspace, id: number): Promise<void> {
  const row = await services.db.selectFrom('pending_automation').select('events').where('id', '=', id).executeTakeFirst();
  if (row === undefined) return;
  await runAutomation(services, workspace, JSON.parse(row.events) as AutomationEvent[]);
  await services.db.deleteFrom('pending_automation').where('id', '=', id).execute();
}
