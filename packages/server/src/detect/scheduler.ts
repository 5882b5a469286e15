// The rule scheduler. Each tick, for every enabled rule, it runs the windows that are due, in
// order, oldest first: windows are counted from the rule's schedule_from, and the newest one
// recorded in rule_runs says where the rule stands, so a restart or downtime resumes exactly
// there (it catches up, a bounded number of windows per rule per tick so no rule starves the
// others). A window that fails is retried on the next ticks; after its retries it is recorded
// as failed, and a rule whose last windows all failed is disabled, with the reason kept.
import type { Services } from '../services.ts';
import { disableAlertRule, ruleOf, type AlertRule } from '../control/alert-rules.ts';
import { getWorkspaceByCustomerId } from '../control/workspaces.ts';
import { ruleWindows } from './rule-model.ts';
import { appendPendingAlerts, recordFailedRun, runRuleWindow, type RunOutcome } from './rule-run.ts';
import { isDue, nextWindow, ruleDelayMs, type Window } from './windows.ts';
import { recordRuleHealth } from './health.ts';

/** Windows one rule may run in one tick (catching up after downtime takes several ticks). */
const WINDOWS_PER_TICK = 20;
/** Tries of one window before it is recorded as failed. */
export const ATTEMPTS_PER_WINDOW = 3;
/** Failed windows in a row after which a rule is disabled. */
export const FAILED_WINDOWS_TO_DISABLE = 3;

export class RuleScheduler {
  private running: Promise<unknown> = Promise.resolve();
  /** Failed tries of the window a rule is stuck on: `${ruleId}|${windowEnd}` -> count. */
  private readonly attempts = new Map<string, number>();

  constructor(private readonly services: Services) {}

  /** One pass over every enabled rule; calls queue behind a pass in progress (never two at once). */
  tick(): Promise<void> {
    const next = this.running.then(() => this.pass());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Appends alerts committed but not yet in SecurityAlert (after a stop between the two). */
  async recover(): Promise<void> {
    const workspaces = await this.services.db.selectFrom('alerts').select('workspace_id').distinct().where('appended', '=', 0).execute();
    for (const w of workspaces) await appendPendingAlerts(this.services, w.workspace_id);
  }

  private async pass(): Promise<void> {
    const rows = await this.services.db.selectFrom('alert_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
    for (const row of rows) {
      const rule = ruleOf(row);
      try {
        await this.runDue(rule);
      } catch (error) {
        this.services.log.error({ err: error, rule: rule.row.id }, 'rule scheduling failed');
      }
    }
  }

  private async runDue(rule: AlertRule): Promise<void> {
    const { services } = this;
    const workspace = await getWorkspaceByCustomerId(services.db, rule.row.workspace_id);
    if (workspace === undefined) return;
    const { frequencyMs, periodMs } = ruleWindows(rule.definition);
    const delay = ruleDelayMs(services.config, rule.definition.kind);
    const from = new Date(rule.row.schedule_from);
    const last = await services.db.selectFrom('rule_runs').select((eb) => eb.fn.max('window_end').as('end'))
      .where('rule_id', '=', rule.row.id).where('window_end', '>=', rule.row.schedule_from).executeTakeFirst();
    let lastEnd = last?.end == null ? undefined : new Date(last.end);
    for (let i = 0; i < WINDOWS_PER_TICK; i++) {
      const window = nextWindow(from, lastEnd, frequencyMs, periodMs);
      if (!isDue(window, services.now(), delay)) return;
      const outcome = await runRuleWindow(services, rule, workspace, window);
      if (outcome.status === 'Failed' && !(await this.failed(rule, window, outcome))) return;
      if (outcome.status !== 'AlreadyRan') await recordRuleHealth(services, rule, workspace, window, outcome);
      if (outcome.status === 'Failed' && await this.disableIfFailing(rule)) return;
      lastEnd = window.end;
    }
  }

  /** Counts a failed try; true once the window's tries are spent and it was recorded as failed. */
  private async failed(rule: AlertRule, window: Window, outcome: Extract<RunOutcome, { status: 'Failed' }>): Promise<boolean> {
    const key = `${rule.row.id}|${window.end.toISOString()}`;
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
