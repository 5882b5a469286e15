// Automation rules of a workspace, stored in their canonical form (automation-rule-model.ts) with
// the columns the engine selects by (trigger, order, enabled, expiry).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AutomationRuleTable } from '../db/schema.ts';
import type { Workspace } from '../control/workspaces.ts';
import { ApiError } from '../errors.ts';
import { MAX_AUTOMATION_RULES_PER_WORKSPACE, type AutomationRuleProperties } from './automation-rule-model.ts';
import type { ClientInfo } from './tasks.ts';

export interface AutomationRule {
  row: AutomationRuleTable;
  properties: AutomationRuleProperties;
}

export function automationRuleId(workspaceArmId: string, name: string): string {
  return `${workspaceArmId.toLowerCase()}/providers/microsoft.securityinsights/automationrules/${name.toLowerCase()}`;
}

const ruleOf = (row: AutomationRuleTable): AutomationRule => ({ row, properties: JSON.parse(row.properties) as AutomationRuleProperties });

export async function getAutomationRule(db: Db, id: string): Promise<AutomationRule | undefined> {
  const row = await db.selectFrom('automation_rules').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
  return row === undefined ? undefined : ruleOf(row);
}

/** The workspace's rules in the order they run (order, then name: Sentinel leaves ties random, Vigil keeps them stable). */
export async function listAutomationRules(db: Db, workspaceCustomerId: string, trigger?: { on: 'Incidents' | 'Alerts'; when: 'Created' | 'Updated' }): Promise<AutomationRule[]> {
  let q = db.selectFrom('automation_rules').selectAll().where('workspace_id', '=', workspaceCustomerId);
  if (trigger !== undefined) q = q.where('triggers_on', '=', trigger.on).where('triggers_when', '=', trigger.when).where('enabled', '=', 1);
  return (await q.orderBy('rule_order').orderBy('name').execute()).map(ruleOf);
}

export async function putAutomationRule(db: Db, w: { workspace: Workspace; name: string; properties: AutomationRuleProperties; by: ClientInfo; now: Date }): Promise<{ rule: AutomationRule; created: boolean }> {
  const id = automationRuleId(w.workspace.id, w.name);
  const existing = await getAutomationRule(db, id);
  if (existing === undefined) {
    const held = await db.selectFrom('automation_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', w.workspace.customer_id).executeTakeFirst();
    if (Number(held?.n ?? 0) >= MAX_AUTOMATION_RULES_PER_WORKSPACE) {
      throw new ApiError('InvalidRequestContent', `Workspace '${w.workspace.name}' already has ${MAX_AUTOMATION_RULES_PER_WORKSPACE} automation rules, the most a workspace takes (as in Sentinel). Delete or merge rules first.`, { target: w.name });
    }
  }
  const stamp = w.now.toISOString();
  const t = w.properties.triggeringLogic;
  const row: AutomationRuleTable = {
    id,
    workspace_id: w.workspace.customer_id,
    name: existing?.row.name ?? w.name,
    properties: JSON.stringify(w.properties),
    rule_order: w.properties.order,
    enabled: t.isEnabled ? 1 : 0,
    triggers_on: t.triggersOn,
    triggers_when: t.triggersWhen,
    expires_at: t.expirationTimeUtc ?? null,
    etag: randomUUID(),
    created_at: existing?.row.created_at ?? stamp,
    created_by: existing?.row.created_by ?? JSON.stringify(w.by),
    updated_at: stamp,
    updated_by: JSON.stringify(w.by),
  };
  const { id: _id, workspace_id: _w, name: _n, created_at: _c, created_by: _b, ...changes } = row;
  await db.insertInto('automation_rules').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
  return { rule: ruleOf(row), created: existing === undefined };
}

export async function deleteAutomationRule(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('automation_rules').where('id', '=', id.toLowerCase()).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function presentAutomationRule(workspaceDisplayId: string, rule: AutomationRule) {
  const r = rule.row;
  return {
    id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/automationRules/${r.name}`,
    name: r.name,
    type: 'Microsoft.SecurityInsights/automationRules',
    etag: `"${r.etag}"`,
    systemData: { createdAt: r.created_at, lastModifiedAt: r.updated_at },
    properties: {
      ...rule.properties,
      createdTimeUtc: r.created_at,
      lastModifiedTimeUtc: r.updated_at,
      createdBy: JSON.parse(r.created_by) as ClientInfo,
      lastModifiedBy: JSON.parse(r.updated_by) as ClientInfo,
    },
  };
}
