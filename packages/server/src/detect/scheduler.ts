// The rule scheduler.
//
// Scheduled rules: each tick, for every enabled rule, it runs the windows that are due, in order,
// oldest first. Windows are counted from the rule's schedule_from, and the newest one recorded
// in rule_runs says where the rule stands, so a restart or downtime resumes exactly there (it
// catches up, a bounded number of windows per rule per tick so no rule starves the others).
//
// Near-real-time rules run per workspace as its rows commit (nudge(), called by the ingestor's
// commit listener, debounced), each over ingestion time from its last window's end to the
// workspace's received watermark; a tick nudges every workspace with such rules too. Runs of
// one workspace's NRT rules are serialized.
//
// A window that fails is retried (next tick / next nudge); after its tries it is recorded as
// failed, and a rule whose last windows all failed is disabled, with the reason kept.
import type { Services } from '../services.ts';
import { disableAlertRule, ruleOf, type AlertRule } from '../control/alert-rules.ts';
import { getWorkspaceByCustomerId, type Workspace } from '../control/workspaces.ts';
import { ruleWindows } from './rule-model.ts';
import { appendPendingAlerts, recordFailedRun, runPendingAutomation, runRuleWindow, type RunOutcome } from './rule-run.ts';
import { isDue, nextNrtWindow, nextWindow, scheduledDelayMs, type Window } from './windows.ts';
import { ruleHealthRow, writeHealthRows } from './health.ts';

/** Windows one rule may run in one tick (catching up after downtime takes several ticks). */
const WINDOWS_PER_TICK = 20;
/** Tries of one window before it is recorded as failed. */
export const ATTEMPTS_PER_WINDOW = 3;
/** Failed windows in a row after which a rule is disabled. */
export const FAILED_WINDOWS_TO_DISABLE = 3;
/** Commits within this long of each other share one near-real-time run. */
const NRT_DEBOUNCE_MS = 100;

export class RuleScheduler {
  private running: Promise<unknown> = Promise.resolve();
  /** Failed tries of the window a rule is stuck on: `${ruleId}|${windowStart}|${windowEnd}` -> count. */
  private readonly attempts = new Map<string, number>();
  private readonly nrtTimers = new Map<string, NodeJS.Timeout>();
  private readonly nrtChains = new Map<string, Promise<unknown>>();
  private stopped = false;
  /** SentinelHealth rows waiting for the end of a pass, per workspace. */
  private readonly health = new Map<string, Record<string, unknown>[]>();

  constructor(private readonly services: Services) {}

  /** One pass over every enabled rule; calls queue behind a pass in progress (never two at once). */
  tick(): Promise<void> {
    const next = this.running.then(() => this.pass());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Rows committed in a workspace: its near-real-time rules run shortly. */
  nudge(workspaceId: string): void {
    if (this.stopped || this.nrtTimers.has(workspaceId)) return;
    const timer = setTimeout(() => {
      this.nrtTimers.delete(workspaceId);
      void this.runNrt(workspaceId);
    }, NRT_DEBOUNCE_MS);
    timer.unref();
    this.nrtTimers.set(workspaceId, timer);
  }

  /** Appends alerts committed but not yet in SecurityAlert, and runs automation owed (after a stop between a run's commit and them). */
  async recover(): Promise<void> {
    const workspaces = await this.services.db.selectFrom('alerts').select('workspace_id').distinct().where('appended', '=', 0).execute();
    for (const w of workspaces) await appendPendingAlerts(this.services, w.workspace_id);
    const owed = await this.services.db.selectFrom('pending_automation').select(['id', 'workspace_id']).orderBy('id').execute();
    for (const o of owed) {
      const workspace = await getWorkspaceByCustomerId(this.services.db, o.workspace_id);
      if (workspace !== undefined) await runPendingAutomation(this.services, workspace, o.id);
    }
  }

  /** Stops nudges and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.nrtTimers.values()) clearTimeout(timer);
    this.nrtTimers.clear();
    await this.running;
    await Promise.all(this.nrtChains.values());
  }

  private async pass(): Promise<void> {
    const rows = await this.services.db.selectFrom('alert_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
    const nrtWorkspaces = new Set<string>();
    for (const row of rows) {
      if (row.kind === 'NRT') {
        nrtWorkspaces.add(row.workspace_id);
        continue;
      }
      try {
        await this.runDue(ruleOf(row));
      } catch (error) {
        this.services.log.error({ err: error, rule: row.id }, 'rule scheduling failed');
      }
    }
    await this.flushHealth();
    for (const workspaceId of nrtWorkspaces) await this.runNrt(workspaceId);
  }

  private async flushHealth(): Promise<void> {
    const batches = [...this.health];
    this.health.clear();
    await Promise.all(batches.map(([workspaceId, rows]) => writeHealthRows(this.services, workspaceId, rows)
      .catch((error: unknown) => this.services.log.error({ err: error, workspaceId }, 'SentinelHealth rows not written'))));
  }

  private async runDue(rule: AlertRule): Promise<void> {
    const { services } = this;
    const workspace = await getWorkspaceByCustomerId(services.db, rule.row.workspace_id);
    if (workspace === undefined) return;
    const { frequencyMs, periodMs } = ruleWindows(rule.definition);
    const delay = scheduledDelayMs(services.config);
    const from = new Date(rule.row.schedule_from);
    let lastEnd = await this.lastEnd(rule);
    for (let i = 0; i < WINDOWS_PER_TICK; i++) {
      const window = nextWindow(from, lastEnd, frequencyMs, periodMs);
      if (!isDue(window, services.now(), delay)) return;
      if (!(await this.runWindow(rule, workspace, window))) return;
      lastEnd = window.end;
    }
  }

  /** Runs a workspace's near-real-time rules up to its watermark, serialized per workspace. */
  private runNrt(workspaceId: string): Promise<unknown> {
    const next = (this.nrtChains.get(workspaceId) ?? Promise.resolve()).then(async () => {
      const workspace = await getWorkspaceByCustomerId(this.services.db, workspaceId);
      if (workspace === undefined) return;
      const rows = await this.services.db.selectFrom('alert_rules').selectAll()
        .where('workspace_id', '=', workspaceId).where('kind', '=', 'NRT').where('enabled', '=', 1).orderBy('id').execute();
      for (const row of rows) {
        const rule = ruleOf(row);
        try {
          // Read after the rule's last run, so rows committed meanwhile are in this window.
          const window = nextNrtWindow(new Date(rule.row.schedule_from), await this.lastEnd(rule), this.services.ingestor.receivedWatermark(workspaceId));
          if (window !== undefined) await this.runWindow(rule, workspace, window);
        } catch (error) {
          this.services.log.error({ err: error, rule: row.id }, 'near-real-time rule failed to run');
        }
      }
      await this.flushHealth();
    }).catch((error: unknown) => this.services.log.error({ err: error, workspaceId }, 'near-real-time pass failed'));
    this.nrtChains.set(workspaceId, next);
    return next;
  }

  private async lastEnd(rule: AlertRule): Promise<Date | undefined> {
    const last = await this.services.db.selectFrom('rule_runs').select((eb) => eb.fn.max('window_end').as('end'))
      .where('rule_id', '=', rule.row.id).where('window_end', '>=', rule.row.schedule_from).executeTakeFirst();
    return last?.end == null ? undefined : new Date(last.end);
  }

  /** Runs one window; true when the rule may go on to its next window. */
  private async runWindow(rule: AlertRule, workspace: Workspace, window: Window): Promise<boolean> {
    const outcome = await runRuleWindow(this.services, rule, workspace, window);
    if (outcome.status === 'AlreadyRan') return true;
    if (outcome.status === 'Failed' && !(await this.failed(rule, window, outcome))) return false;
    // Near-real-time runs that raise nothing are not written to SentinelHealth: they happen on
    // every commit, and their record is rule_runs.
    if (rule.definition.kind === 'Scheduled' || outcome.status === 'Failed' || outcome.alerts > 0) {
      const rows = this.health.get(workspace.customer_id) ?? [];
      rows.push(await ruleHealthRow(this.services, rule, workspace, window, outcome));
      this.health.set(workspace.customer_id, rows);
    }
    if (outcome.status === 'Failed' && await this.disableIfFailing(rule)) return false;
    return true;
  }

  /** Counts a failed try; true once the window's tries are spent and it was recorded as failed. */
  private async failed(rule: AlertRule, window: Window, outcome: Extract<RunOutcome, { status: 'Failed' }>): Promise<boolean> {
    // A near-real-time window grows between tries; its start identifies it.
    const key = `${rule.row.id}|${window.start.toISOString()}${rule.definition.kind === 'Scheduled' ? `|${window.end.toISOString()}` : ''}`;
    const tries = (this.attempts.get(key) ?? 0) + 1;
    this.services.log.warn({ rule: rule.row.id, window: window.end, tries, error: outcome.error }, 'rule run failed');
    if (tries < ATTEMPTS_PER_WINDOW) {
      this.attempts.set(key, tries);
      return false;
    }
    this.attempts.delete(key);
    await recordFailedRun(this.services, rule, window, outcome.error, outcome.durationMs);
    return true;
  }

  private async disableIfFailing(rule: AlertRule): Promise<boolean> {
    const recent = await this.services.db.selectFrom('rule_runs').select(['status', 'error']).where('rule_id', '=', rule.row.id)
      .orderBy('window_end', 'desc').limit(FAILED_WINDOWS_TO_DISABLE).execute();
    if (recent.length < FAILED_WINDOWS_TO_DISABLE || recent.some((r) => r.status !== 'Failed')) return false;
    const reason = `Disabled by Vigil on ${this.services.now().toISOString()}: its last ${FAILED_WINDOWS_TO_DISABLE} windows failed (each tried ${ATTEMPTS_PER_WINDOW} times). Last error: ${recent[0]!.error}. Fix the rule and enable it again.`;
    await disableAlertRule(this.services.db, rule.row.id, reason, this.services.now());
    this.services.log.warn({ rule: rule.row.id, reason }, 'rule disabled');
    return true;
  }
}
