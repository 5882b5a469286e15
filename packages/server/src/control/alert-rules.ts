// Analytics rules of a workspace (Microsoft.SecurityInsights/alertRules), stored in their
// canonical form (detect/rule-model.ts) with what the scheduler needs beside it: whose reach the
// query runs with, and from when windows are counted.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AlertRuleTable } from '../db/schema.ts';
import type { RuleDefinition } from '../detect/rule-model.ts';
import { parseRuleProperties } from '../detect/rule-model.ts';
import { newerTemplateVersion } from '../detect/templates/gallery.ts';
import type { Workspace } from './workspaces.ts';

export type AlertRuleRow = AlertRuleTable;

export interface AlertRule {
  row: AlertRuleRow;
  definition: RuleDefinition;
}

export function alertRuleId(workspaceArmId: string, name: string): string {
  return `${workspaceArmId.toLowerCase()}/providers/microsoft.securityinsights/alertrules/${name.toLowerCase()}`;
}

export function ruleOf(row: AlertRuleRow): AlertRule {
  // Stored properties passed the gate when written; parsing again keeps one shape in memory.
  return { row, definition: parseRuleProperties(row.kind, JSON.parse(row.properties)) };
}

export async function getAlertRule(db: Db, id: string): Promise<AlertRule | undefined> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  return row === undefined ? undefined : ruleOf(row);
}

export async function listAlertRules(db: Db, workspaceCustomerId: string): Promise<AlertRule[]> {
  const rows = await db.selectFrom('alert_rules').selectAll().where('workspace_id', '=', workspaceCustomerId).orderBy('id').execute();
  return rows.map(ruleOf);
}

/** What changes a rule's windows: a rule whose schedule changes starts counting windows anew. */
function scheduleKey(d: RuleDefinition): string {
  if (d.kind === 'NRT') return `NRT|${d.properties.query}`;
  const p = d.properties;
  return `Scheduled|${p.queryFrequency}|${p.queryPeriod}|${p.startTimeUtc ?? ''}|${p.query}`;
}

export interface PutRuleInput {
  workspace: Workspace;
  name: string;
  definition: RuleDefinition;
  /** Who saves it: the rule then runs with this principal's reach. */
  principalId: string;
  principalName: string;
  now: Date;
  /** When a new or changed schedule's first window ends (now, less the ingestion delay). */
  firstWindowEnd: Date;
}

/** Creates or replaces a rule; a new, re-enabled or rescheduled rule counts windows from `firstWindowEnd`. */
export async function putAlertRule(db: Db, input: PutRuleInput): Promise<{ rule: AlertRule; created: boolean }> {
  const id = alertRuleId(input.workspace.id, input.name);
  const existing = await getAlertRule(db, id);
  const stamp = input.now.toISOString();
  const d = input.definition;
  const enabled = d.properties.enabled;
  const start = d.kind === 'Scheduled' && d.properties.startTimeUtc !== null ? new Date(d.properties.startTimeUtc) : input.firstWindowEnd;
  const reschedule = existing === undefined || !existing.definition.properties.enabled && enabled || scheduleKey(existing.definition) !== scheduleKey(d);
  const row: AlertRuleRow = {
    id,
    workspace_id: input.workspace.customer_id,
    name: existing?.row.name ?? input.name,
    kind: d.kind,
    properties: JSON.stringify(d.properties),
    enabled: enabled ? 1 : 0,
    etag: randomUUID(),
    run_as_principal_id: input.principalId,
    created_at: existing?.row.created_at ?? stamp,
    created_by: existing?.row.created_by ?? input.principalName,
    updated_at: stamp,
    updated_by: input.principalName,
    // Scheduled windows align to whole minutes; near-real-time ones start exactly when saved.
    schedule_from: reschedule ? (d.kind === 'Scheduled' ? floorToMinute(start) : start).toISOString() : existing.row.schedule_from,
    // Saving a rule again (enabled) clears an automatic disable: the user has seen it.
    disabled_reason: enabled ? null : existing?.row.disabled_reason ?? null,
  };
  const { id: _id, workspace_id: _w, name: _n, created_at: _c, created_by: _b, ...changes } = row;
  await db.insertInto('alert_rules').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
  return { rule: { row, definition: d }, created: existing === undefined };
}

export async function deleteAlertRule(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('alert_rules').where('id', '=', id.toLowerCase()).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The scheduler turns a rule off that keeps failing, saying why (shown with the rule). */
export async function disableAlertRule(db: Db, id: string, reason: string, now: Date): Promise<void> {
  const existing = await getAlertRule(db, id);
  if (existing === undefined) return;
  const properties = { ...existing.definition.properties, enabled: false };
  await db.updateTable('alert_rules').set({
    enabled: 0, properties: JSON.stringify(properties), disabled_reason: reason, etag: randomUUID(), updated_at: now.toISOString(),
  }).where('id', '=', existing.row.id).execute();
}

function floorToMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
}

export function presentAlertRule(workspaceDisplayId: string, rule: AlertRule) {
  const r = rule.row;
  const properties: Record<string, unknown> = { ...rule.definition.properties, lastModifiedUtc: r.updated_at };
  if (r.disabled_reason !== null) properties.disabledReason = r.disabled_reason;
  // Made from a template of the gallery that has changed since: the version it could be updated to.
  const newer = newerTemplateVersion(rule.definition.properties.alertRuleTemplateName, rule.definition.properties.templateVersion);
  if (newer !== undefined) properties.templateVersionAvailable = newer;
  return {
    id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/alertRules/${r.name}`,
    name: r.name,
    type: 'Microsoft.SecurityInsights/alertRules',
    kind: r.kind,
    etag: `"${r.etag}"`,
    systemData: { createdBy: r.created_by, createdAt: r.created_at, lastModifiedBy: r.updated_by, lastModifiedAt: r.updated_at },
    properties,
  };
}
