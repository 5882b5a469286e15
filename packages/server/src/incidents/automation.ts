// The automation engine: when an incident is created or updated, or an alert is created, the
// workspace's enabled, unexpired automation rules of that trigger run one after the other in
// their order; a rule whose conditions all hold applies its actions in their order, and the next
// rule sees the incident as the previous one left it (Sentinel's documented behaviour).
//
// Loops: as Sentinel documents, rules triggered by an incident's creation run first; if they
// changed it, the rules triggered by updates then run once on that change. Changes made by
// update-triggered (or alert-triggered) rules trigger nothing further, so automation never
// feeds itself.
//
// Alert-triggered rules: Sentinel lets them only run playbooks, which Vigil does not have.
// Vigil applies their actions to the incident the alert was grouped into (none when the
// analytics rule creates no incidents), so they can still assign, tag or add tasks.
//
// Each rule that changes an incident is one change: a new etag, ModifiedBy
// 'Automation rule <name>', and a SecurityIncident row.
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import type { Workspace } from '../control/workspaces.ts';
import { inTransaction } from '../db/database.ts';
import type { AlertEntity } from '../detect/alerts.ts';
import { getIncident, resolveOwner, type Incident, type Owner } from './incidents.ts';
import { recordIncidentChanges } from './security-incident.ts';
import { addTask, MAX_TASKS_PER_INCIDENT } from './tasks.ts';
import { listAutomationRules, type AutomationRule } from './automation-rules.ts';
import { ENTITY_PROPERTIES, type Action, type Condition, type Operator } from './automation-rule-model.ts';

export type AutomationEvent =
  | { kind: 'IncidentCreated'; incidentId: string }
  /** `before`: the incident as it was before the update; `alertsAdded` when alerts joined it. */
  | { kind: 'IncidentUpdated'; incidentId: string; before: Incident; alertsAdded?: boolean }
  | { kind: 'AlertCreated'; alertId: string };

type AutomationServices = Pick<Services, 'db' | 'ingestor' | 'now' | 'log'>;

/** What conditions read about alerts: the triggering alert, or every alert of the incident. */
interface AlertFacts {
  ruleId: string;
  productName: string;
  entities: AlertEntity[];
}

interface Subject {
  incident: Incident | undefined;
  alerts: AlertFacts[];
  before?: Incident;
  alertsAdded?: boolean;
}

/** Runs the automation the events trigger, in the order given. Never throws: a failing rule is logged and the next one runs. */
export async function runAutomation(services: AutomationServices, workspace: Workspace, events: readonly AutomationEvent[]): Promise<void> {
  for (const event of events) {
    try {
      if (event.kind === 'AlertCreated') {
        const alert = await services.db.selectFrom('alerts').select(['incident_id', 'rule_id', 'entities', 'record']).where('id', '=', event.alertId).executeTakeFirst();
        if (alert === undefined) continue;
        const facts = [alertFacts(alert)];
        await runRules(services, workspace, { on: 'Alerts', when: 'Created' }, alert.incident_id, async (incidentId) => ({ incident: incidentId === null ? undefined : await getIncident(services.db, incidentId), alerts: facts }));
        continue;
      }
      const subject = async (before?: Incident, alertsAdded?: boolean) => {
        const incident = await getIncident(services.db, event.incidentId);
        const s: Subject = { incident, alerts: await incidentAlerts(services, event.incidentId) };
        if (before !== undefined) s.before = before;
        if (alertsAdded !== undefined) s.alertsAdded = alertsAdded;
        return s;
      };
      if (event.kind === 'IncidentCreated') {
        const created = await getIncident(services.db, event.incidentId);
        if (created === undefined) continue;
        await runRules(services, workspace, { on: 'Incidents', when: 'Created' }, event.incidentId, () => subject());
        const after = await getIncident(services.db, event.incidentId);
        if (after !== undefined && after.etag !== created.etag) {
          await runRules(services, workspace, { on: 'Incidents', when: 'Updated' }, event.incidentId, () => subject(created));
        }
      } else {
        await runRules(services, workspace, { on: 'Incidents', when: 'Updated' }, event.incidentId, () => subject(event.before, event.alertsAdded ?? false));
      }
    } catch (error) {
      services.log.error({ err: error, event }, 'automation rules did not run');
    }
  }
}

async function runRules(
  services: AutomationServices, workspace: Workspace, trigger: { on: 'Incidents' | 'Alerts'; when: 'Created' | 'Updated' },
  incidentId: string | null, subject: (incidentId: string | null) => Promise<Subject>,
): Promise<void> {
  const rules = await listAutomationRules(services.db, workspace.customer_id, trigger);
  for (const rule of rules) {
    if (rule.row.expires_at !== null && rule.row.expires_at <= services.now().toISOString()) continue;
    try {
      // Read again for each rule: it sees what the rules before it did.
      const s = await subject(incidentId);
      if (trigger.on === 'Incidents' && s.incident === undefined) return;
      if (!rule.properties.triggeringLogic.conditions.every((c) => holds(c, s))) continue;
      if (s.incident === undefined) continue; // an alert that is in no incident: nothing to act on
      if (await applyActions(services, workspace, rule, s.incident)) await recordIncidentChanges(services, [s.incident.id]);
    } catch (error) {
      services.log.error({ err: error, automationRule: rule.row.id, incident: incidentId }, 'automation rule failed');
    }
  }
}

function alertFacts(alert: { rule_id: string; entities: string; record: string }): AlertFacts {
  const record = JSON.parse(alert.record) as { ProductName?: string };
  return { ruleId: alert.rule_id, productName: record.ProductName ?? 'Azure Sentinel', entities: JSON.parse(alert.entities) as AlertEntity[] };
}

async function incidentAlerts(services: AutomationServices, incidentId: string): Promise<AlertFacts[]> {
  const rows = await services.db.selectFrom('alerts').select(['rule_id', 'entities', 'record']).where('incident_id', '=', incidentId).execute();
  return rows.map(alertFacts);
}

// --- conditions ---

const labelsOf = (i: Incident) => (JSON.parse(i.labels) as { labelName: string }[]).map((l) => l.labelName);
const ownerValues = (i: Incident) => Object.values(JSON.parse(i.owner) as Owner).filter((v): v is string => typeof v === 'string' && v !== '');

function propertyValues(name: string, s: Subject): string[] {
  const i = s.incident;
  switch (name) {
    case 'IncidentTitle': return i ? [i.title] : [];
    case 'IncidentDescription': return i ? [i.description] : [];
    case 'IncidentSeverity': return i ? [i.severity] : [];
    case 'IncidentStatus': return i ? [i.status] : [];
    case 'IncidentLabel': return i ? labelsOf(i) : [];
    case 'IncidentTactics': return i ? JSON.parse(i.tactics) as string[] : [];
    case 'IncidentRelatedAnalyticRuleIds': return i ? JSON.parse(i.rule_ids) as string[] : [];
    case 'IncidentProviderName': return i ? [i.provider_name] : [];
    case 'AlertProductNames': return [...new Set(s.alerts.map((a) => a.productName))];
    case 'AlertAnalyticRuleIds': return [...new Set(s.alerts.map((a) => a.ruleId))];
  }
  const entity = ENTITY_PROPERTIES[name];
  if (entity === undefined) return [];
  const [type, field] = entity;
  return s.alerts.flatMap((a) => a.entities.filter((e) => e.Type.toLowerCase() === type).map((e) => e[field]).filter((v): v is string => typeof v === 'string'));
}

/**
 * Sentinel's operators over a property's values, case-insensitive: a positive operator holds when
 * some value matches some condition value; its Not- form when none does (so NotEquals on a
 * property with no value, such as an incident without alerts for HostName, holds).
 */
export function operatorHolds(operator: Operator, values: readonly string[], wanted: readonly string[]): boolean {
  const negated = operator.startsWith('Not');
  const base = negated ? operator.slice(3) : operator;
  const hit = values.some((raw) => {
    const v = raw.toLowerCase();
    return wanted.some((w0) => {
      const w = w0.toLowerCase();
      switch (base) {
        case 'Equals': return v === w;
        case 'Contains': return v.includes(w);
        case 'StartsWith': return v.startsWith(w);
        default: return v.endsWith(w);
      }
    });
  });
  return negated ? !hit : hit;
}

function changedValues(name: string, i: Incident): string[] {
  if (name === 'IncidentSeverity') return [i.severity];
  if (name === 'IncidentStatus') return [i.status];
  return ownerValues(i);
}

function holds(c: Condition, s: Subject): boolean {
  switch (c.conditionType) {
    case 'Property':
      return operatorHolds(c.conditionProperties.operator, propertyValues(c.conditionProperties.propertyName, s), c.conditionProperties.propertyValues);
    case 'PropertyChanged': {
      if (s.before === undefined || s.incident === undefined) return false;
      const { propertyName, changeType, operator, propertyValues: wanted } = c.conditionProperties;
      const before = changedValues(propertyName, s.before);
      const after = changedValues(propertyName, s.incident);
      const changed = propertyName === 'IncidentOwner' ? (JSON.parse(s.before.owner) as Owner).objectId !== (JSON.parse(s.incident.owner) as Owner).objectId : before[0] !== after[0];
      if (!changed) return false;
      return wanted.length === 0 || operatorHolds(operator, changeType === 'ChangedFrom' ? before : after, wanted);
    }
    case 'PropertyArrayChanged': {
      if (s.before === undefined || s.incident === undefined) return false;
      if (c.conditionProperties.arrayType === 'Alerts') return s.alertsAdded === true;
      const items = (i: Incident) => (c.conditionProperties.arrayType === 'Labels' ? labelsOf(i) : JSON.parse(i.tactics) as string[]).map((x) => x.toLowerCase());
      const had = new Set(items(s.before));
      return items(s.incident).some((x) => !had.has(x));
    }
    case 'Boolean':
      return c.conditionProperties.operator === 'And'
        ? c.conditionProperties.innerConditions.every((inner) => holds(inner, s))
        : c.conditionProperties.innerConditions.some((inner) => holds(inner, s));
  }
}

// --- actions ---

/** Applies the rule's actions to the incident in one transaction; true when the incident changed. */
async function applyActions(services: AutomationServices, workspace: Workspace, rule: AutomationRule, incident: Incident): Promise<boolean> {
  const by = `Automation rule ${rule.properties.displayName}`;
  const actions = rule.properties.actions.map((a, index) => ({ a, index })).sort((x, y) => x.a.order - y.a.order || x.index - y.index).map((x) => x.a);
  // Owners are resolved before the transaction: an owner who has lost access to the workspace is skipped, with a log line.
  const owners = new Map<Action, Owner>();
  for (const action of actions) {
    if (action.actionType !== 'ModifyProperties' || action.actionConfiguration.owner === undefined) continue;
    try {
      owners.set(action, await resolveOwner(services.db, services.now, workspace, workspace.id, action.actionConfiguration.owner));
    } catch (error) {
      services.log.warn({ err: error, automationRule: rule.row.id, incident: incident.id }, 'automation rule owner not assigned');
    }
  }
  return inTransaction(services.db, async (trx) => {
    const current = await getIncident(trx, incident.id);
    if (current === undefined) return false;
    const next: Incident = { ...current };
    let tasksAdded = 0;
    const now = services.now();
    for (const action of actions) {
      if (action.actionType === 'AddIncidentTask') {
        const held = await trx.selectFrom('incident_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', current.id).executeTakeFirst();
        if (Number(held?.n ?? 0) >= MAX_TASKS_PER_INCIDENT) {
          services.log.warn({ automationRule: rule.row.id, incident: current.id }, `task not added: the incident has ${MAX_TASKS_PER_INCIDENT} tasks`);
          continue;
        }
        await addTask(trx, current, randomUUID(), { title: action.actionConfiguration.title, description: action.actionConfiguration.description, status: 'New' }, { name: by }, now);
        tasksAdded++;
        continue;
      }
      const c = action.actionConfiguration;
      if (c.severity !== undefined) next.severity = c.severity;
      if (c.status !== undefined) {
        const closing = c.status === 'Closed';
        next.status = c.status;
        next.classification = closing ? c.classification ?? null : null;
        next.classification_reason = closing ? c.classificationReason ?? null : null;
        next.classification_comment = closing ? c.classificationComment ?? null : null;
        next.closed_at = closing ? current.closed_at ?? now.toISOString() : null;
      }
      const owner = owners.get(action);
      if (owner !== undefined) next.owner = JSON.stringify(owner);
      if (c.labels !== undefined) {
        const labels = JSON.parse(next.labels) as { labelName: string; labelType: string }[];
        for (const l of c.labels) {
          if (labels.length < 100 && !labels.some((x) => x.labelName.toLowerCase() === l.labelName.toLowerCase())) labels.push({ labelName: l.labelName, labelType: 'User' });
        }
        next.labels = JSON.stringify(labels);
      }
    }
    const fields = ['severity', 'status', 'classification', 'classification_reason', 'classification_comment', 'closed_at', 'owner', 'labels'] as const;
    const changed = fields.filter((f) => next[f] !== current[f]);
    if (changed.length === 0 && tasksAdded === 0) return false;
    const set: Partial<Incident> = Object.fromEntries(changed.map((f) => [f, next[f]]));
    await trx.updateTable('incidents').set({ ...set, etag: randomUUID(), updated_at: now.toISOString(), updated_by: by }).where('id', '=', current.id).execute();
    return true;
  });
}
