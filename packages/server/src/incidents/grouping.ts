// Alerts into incidents, as a rule's incident settings say: with grouping off, an incident per
// alert; with it on, an alert joins the newest incident of the same rule created within the
// lookback whose grouping values match (all entities, the selected entity types / alert details
// / custom details, or any alert), unless that incident is closed (then it is reopened if the
// rule says so, otherwise a new one starts) or already holds 150 alerts.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AlertRule } from '../control/alert-rules.ts';
import type { Workspace } from '../control/workspaces.ts';
import type { Alert } from '../detect/alerts.ts';
import { parseIsoDuration } from '../detect/durations.ts';
import { SEVERITIES } from '../detect/rule-model.ts';
import { incidentId, nextIncidentNumber, NO_OWNER, type Incident } from './incidents.ts';

export const MAX_ALERTS_PER_INCIDENT = 150;

/** The values alerts must share to be grouped, or null when the rule does not group. */
export function groupingKey(rule: AlertRule, alert: Alert): string | null {
  const g = rule.definition.properties.incidentConfiguration.groupingConfiguration;
  if (!g.enabled) return null;
  const parts: unknown[] = [rule.row.id, g.matchingMethod];
  const entityKey = (types: readonly string[] | undefined) => alert.entities
    .filter((e) => types === undefined || types.some((t) => e.Type === t.toLowerCase() || (t === 'IP' && e.Type === 'ip')))
    .map((e) => JSON.stringify(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)))).sort();
  if (g.matchingMethod === 'AllEntities') parts.push(entityKey(undefined));
  if (g.matchingMethod === 'Selected') {
    parts.push(entityKey(g.groupByEntities.length > 0 ? g.groupByEntities : []));
    parts.push(g.groupByAlertDetails.map((d) => (d === 'DisplayName' ? alert.displayName : alert.severity)));
    parts.push(g.groupByCustomDetails.map((k) => alert.customDetails[k] ?? []));
  }
  return JSON.stringify(parts);
}

/** The incidents a run created, and those it changed with each one's state before the run. */
export interface IncidentChanges {
  created: string[];
  updated: Map<string, Incident>;
}

/** Every incident a run touched, for their SecurityIncident rows. */
export const touchedIncidents = (c: IncidentChanges): string[] => [...c.created, ...c.updated.keys()];

/** Puts each new alert into an incident (inside the run's transaction); returns the incidents created or changed. */
export async function groupIntoIncidents(trx: Db, rule: AlertRule, workspace: Workspace, alerts: readonly Alert[], now: Date, labelsOf: (alert: Alert) => string[] = () => []): Promise<IncidentChanges> {
  const changes: IncidentChanges = { created: [], updated: new Map() };
  const p = rule.definition.properties;
  if (!p.incidentConfiguration.createIncident || alerts.length === 0) return changes;
  const g = p.incidentConfiguration.groupingConfiguration;
  const since = new Date(now.getTime() - parseIsoDuration(g.lookbackDuration)!).toISOString();
  for (const alert of alerts) {
    const key = groupingKey(rule, alert);
    let incident: Incident | undefined;
    if (key !== null) {
      incident = await trx.selectFrom('incidents').selectAll().where('workspace_id', '=', workspace.customer_id).where('grouping_key', '=', key)
        .where('created_at', '>=', since).orderBy('created_at', 'desc').executeTakeFirst();
      if (incident !== undefined) {
        const held = await trx.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incident.id).executeTakeFirst();
        const full = Number(held?.n ?? 0) >= MAX_ALERTS_PER_INCIDENT;
        if (full || incident.status === 'Closed' && !g.reopenClosedIncident) incident = undefined;
      }
    }
    const stamp = now.toISOString();
    const first = (alert.startTime ?? now).toISOString();
    const last = (alert.endTime ?? now).toISOString();
    if (incident === undefined) {
      const name = randomUUID();
      incident = {
        id: incidentId(workspace.id, name),
        workspace_id: workspace.customer_id,
        name,
        number: await nextIncidentNumber(trx, workspace.customer_id),
        title: alert.displayName,
        description: alert.description,
        severity: alert.severity,
        status: 'New',
        classification: null, classification_reason: null, classification_comment: null,
        owner: JSON.stringify(NO_OWNER),
        // System labels name what the incident is about at a glance (a cross-workspace rule's customers).
        labels: JSON.stringify(labelsOf(alert).map((labelName) => ({ labelName, labelType: 'System' }))),
        rule_ids: JSON.stringify([rule.row.id]),
        tactics: JSON.stringify(alert.tactics),
        grouping_key: key,
        first_activity: first,
        last_activity: last,
        provider_name: 'Azure Sentinel',
        etag: randomUUID(),
        created_at: stamp, created_by: 'Microsoft Sentinel', updated_at: stamp, updated_by: 'Microsoft Sentinel',
        closed_at: null,
      };
      await trx.insertInto('incidents').values(incident).execute();
      changes.created.push(incident.id);
    } else {
      if (!changes.created.includes(incident.id) && !changes.updated.has(incident.id)) changes.updated.set(incident.id, incident);
      const severity = SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(incident.severity) ? alert.severity : incident.severity;
      const tactics = [...new Set([...(JSON.parse(incident.tactics) as string[]), ...alert.tactics])];
      const reopened = incident.status === 'Closed';
      await trx.updateTable('incidents').set({
        severity,
        tactics: JSON.stringify(tactics),
        labels: JSON.stringify(mergeLabels(JSON.parse(incident.labels) as { labelName: string; labelType?: string }[], labelsOf(alert))),
        status: reopened ? 'Active' : incident.status,
        classification: reopened ? null : incident.classification,
        classification_reason: reopened ? null : incident.classification_reason,
        classification_comment: reopened ? null : incident.classification_comment,
        closed_at: reopened ? null : incident.closed_at,
        first_activity: incident.first_activity === null || first < incident.first_activity ? first : incident.first_activity,
        last_activity: incident.last_activity === null || last > incident.last_activity ? last : incident.last_activity,
        etag: randomUUID(), updated_at: stamp, updated_by: 'Microsoft Sentinel',
      }).where('id', '=', incident.id).execute();
    }
    await trx.updateTable('alerts').set({ incident_id: incident.id }).where('id', '=', alert.id).execute();
  }
  return changes;
}

function mergeLabels(existing: { labelName: string; labelType?: string }[], system: readonly string[]): { labelName: string; labelType?: string }[] {
  const missing = system.filter((name) => !existing.some((l) => l.labelName === name));
  return [...existing, ...missing.map((labelName) => ({ labelName, labelType: 'System' }))];
}
