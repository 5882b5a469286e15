// Incidents of a workspace: created by rules (grouping.ts) or through the API, changed by
// analysts with optimistic concurrency (etags). Every change is also written to the workspace's
// SecurityIncident table (security-incident.ts), as Sentinel does.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import type { IncidentTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { authorize } from '../access/authorize.ts';
import { callerOfPrincipal } from '../access/caller.ts';
import type { Workspace } from '../control/workspaces.ts';
import { SEVERITIES } from '../detect/rule-model.ts';

export type Incident = IncidentTable;

export const STATUSES = ['New', 'Active', 'Closed'] as const;
export const CLASSIFICATIONS = ['Undetermined', 'TruePositive', 'BenignPositive', 'FalsePositive'] as const;
export const CLASSIFICATION_REASONS = ['SuspiciousActivity', 'SuspiciousButExpected', 'IncorrectAlertLogic', 'InaccurateData'] as const;

/** The reasons each classification takes, as Sentinel pairs them when an incident is closed. */
export const REASONS_OF: Record<(typeof CLASSIFICATIONS)[number], readonly (typeof CLASSIFICATION_REASONS)[number][]> = {
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
  Undetermined: [],
};

/** Why a classification and reason do not go together, or undefined when they do. */
export function reasonMismatch(classification: string | null | undefined, reason: string | null | undefined): string | undefined {
  if (!reason) return undefined;
  const allowed = REASONS_OF[classification as keyof typeof REASONS_OF] ?? [];
  if (allowed.includes(reason as never)) return undefined;
  return allowed.length === 0
    ? `classificationReason '${reason}' does not go with classification '${classification ?? '(none)'}', which takes no reason.`
    : `classificationReason '${reason}' does not go with classification '${classification}': use ${allowed.join(' or ')}.`;
}

export interface Owner {
  objectId: string | null;
  email: string | null;
  assignedTo: string | null;
  userPrincipalName: string | null;
}
export const NO_OWNER: Owner = { objectId: null, email: null, assignedTo: null, userPrincipalName: null };

export function incidentId(workspaceArmId: string, name: string): string {
  return `${workspaceArmId.toLowerCase()}/providers/microsoft.securityinsights/incidents/${name.toLowerCase()}`;
}

export async function getIncident(db: Db, id: string): Promise<Incident | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

/** The next incident number of a workspace; call inside the transaction that inserts it. */
export async function nextIncidentNumber(db: Db, workspaceId: string): Promise<number> {
  const top = await db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return (top?.n ?? 0) + 1;
}

/** What an analyst may set on an incident (the ARM body's properties). */
export const IncidentProperties = z.object({
  title: z.string().trim().min(1, 'title is required').max(256),
  description: z.string().default(''),
  severity: z.enum(SEVERITIES),
  status: z.enum(STATUSES),
  classification: z.enum(CLASSIFICATIONS).nullish(),
  classificationReason: z.enum(CLASSIFICATION_REASONS).nullish(),
  classificationComment: z.string().max(4000).nullish(),
  owner: z.object({
    objectId: z.string().nullish(),
    email: z.string().nullish(),
    assignedTo: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
  }).passthrough().nullish(),
  labels: z.array(z.object({ labelName: z.string().trim().min(1).max(256) }).passthrough()).max(100).default([]),
  firstActivityTimeUtc: z.string().nullish(),
  lastActivityTimeUtc: z.string().nullish(),
}).passthrough();
export type IncidentInput = z.output<typeof IncidentProperties>;

/**
 * The owner an incident may be given: a user who can reach the workspace's incidents (MSSP
 * users through a delegation included), named by objectId or userPrincipalName. Anyone else is
 * refused, so an incident is never assigned to somebody who could not open it.
 */
export async function resolveOwner(db: Db, now: () => Date, workspace: Workspace, workspaceArmId: string, input: IncidentInput['owner']): Promise<Owner> {
  if (input === null || input === undefined || (!input.objectId && !input.userPrincipalName && !input.email)) return NO_OWNER;
  let principal = input.objectId ? await db.selectFrom('principals').selectAll().where('id', '=', input.objectId.toLowerCase()).executeTakeFirst() : undefined;
  const upn = input.userPrincipalName ?? input.email;
  if (principal === undefined && upn) principal = await db.selectFrom('principals').selectAll().where('kind', '=', 'User').where('user_principal_name', '=', upn.toLowerCase()).executeTakeFirst();
  const named = input.objectId ?? upn;
  if (principal === undefined || principal.kind !== 'User') {
    throw new ApiError('InvalidRequestContent', `properties.owner: no user '${named}' exists. Name the owner by objectId or userPrincipalName of a user who can reach workspace '${workspace.name}'.`, { target: 'properties.owner' });
  }
  const caller = await callerOfPrincipal(db, principal.id);
  const decision = caller === undefined ? undefined : await authorize({ db, now }, caller, 'Microsoft.SecurityInsights/incidents/read', workspaceArmId);
  if (decision === undefined || !decision.allowed) {
    throw new ApiError('InvalidRequestContent', `properties.owner: user '${principal.user_principal_name ?? principal.id}' cannot reach the incidents of workspace '${workspace.name}' (no role or delegation there), so cannot own one. Give the user a role first, or choose another owner.`, { target: 'properties.owner' });
  }
  return { objectId: principal.id, email: principal.user_principal_name, assignedTo: principal.display_name, userPrincipalName: principal.user_principal_name };
}

/** Closing needs a classification; an open incident has none. */
export function checkClassification(p: IncidentInput): void {
  if (p.status === 'Closed' && !p.classification) {
    throw new ApiError('InvalidRequestContent', "properties.classification is required to close an incident: one of Undetermined, TruePositive (reason SuspiciousActivity), BenignPositive (SuspiciousButExpected), FalsePositive (IncorrectAlertLogic or InaccurateData).", { target: 'properties.classification' });
  }
  const mismatch = reasonMismatch(p.classification, p.classificationReason);
  if (mismatch !== undefined) throw new ApiError('InvalidRequestContent', `properties.${mismatch}`, { target: 'properties.classificationReason' });
}

export interface IncidentWrite {
  workspace: Workspace;
  name: string;
  input: IncidentInput;
  owner: Owner;
  by: string;
  now: Date;
}

/** Creates or replaces an incident from the API; returns it and whether it was new. */
export async function putIncident(db: Db, w: IncidentWrite): Promise<{ incident: Incident; created: boolean }> {
  checkClassification(w.input);
  return inTransaction(db, async (trx) => {
    const id = incidentId(w.workspace.id, w.name);
    const existing = await getIncident(trx, id);
    const stamp = w.now.toISOString();
    const p = w.input;
    const closed = p.status === 'Closed';
    const row: Incident = {
      id,
      workspace_id: w.workspace.customer_id,
      name: existing?.name ?? w.name,
      number: existing?.number ?? await nextIncidentNumber(trx, w.workspace.customer_id),
      title: p.title,
      description: p.description,
      severity: p.severity,
      status: p.status,
      classification: closed ? p.classification ?? null : null,
      classification_reason: closed ? p.classificationReason ?? null : null,
      classification_comment: closed ? p.classificationComment ?? null : null,
      owner: JSON.stringify(w.owner),
      // A label keeps its type (System labels Vigil added stay System); new ones are the user's.
      labels: JSON.stringify(p.labels.map((l) => ({ labelName: l.labelName, labelType: existingLabelType(existing, l.labelName) ?? 'User' }))),
      rule_ids: existing?.rule_ids ?? '[]',
      tactics: existing?.tactics ?? '[]',
      // A closed incident takes no more alerts unless its rule reopens closed incidents.
      grouping_key: existing?.grouping_key ?? null,
      first_activity: p.firstActivityTimeUtc ?? existing?.first_activity ?? null,
      last_activity: p.lastActivityTimeUtc ?? existing?.last_activity ?? null,
      provider_name: existing?.provider_name ?? 'Azure Sentinel',
      etag: randomUUID(),
      created_at: existing?.created_at ?? stamp,
      created_by: existing?.created_by ?? w.by,
      updated_at: stamp,
      updated_by: w.by,
      closed_at: closed ? existing?.closed_at ?? stamp : null,
    };
    const { id: _id, workspace_id: _w, name: _n, number: _num, created_at: _c, created_by: _b, ...changes } = row;
    await trx.insertInto('incidents').values(row).onConflict((oc) => oc.column('id').doUpdateSet(changes)).execute();
    return { incident: row, created: existing === undefined };
  });
}

export async function incidentCounts(db: Db, incident: Incident): Promise<{ alerts: number; comments: number }> {
  const alerts = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incident.id).executeTakeFirst();
  const comments = await db.selectFrom('incident_comments').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incident.id).executeTakeFirst();
  return { alerts: Number(alerts?.n ?? 0), comments: Number(comments?.n ?? 0) };
}

export function presentIncident(workspaceDisplayId: string, incident: Incident, counts: { alerts: number; comments: number }, publicUrl: string) {
  const owner = JSON.parse(incident.owner) as Owner;
  const properties: Record<string, unknown> = {
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    owner: Object.fromEntries(Object.entries(owner).filter(([, v]) => v !== null)),
    labels: JSON.parse(incident.labels) as unknown,
    incidentNumber: incident.number,
    createdTimeUtc: incident.created_at,
    lastModifiedTimeUtc: incident.updated_at,
    // The portal's page of the incident (packages/web: /incidents/<its ARM id>).
    incidentUrl: `${publicUrl}/incidents${workspaceDisplayId}/providers/Microsoft.SecurityInsights/incidents/${encodeURIComponent(incident.name)}`,
    providerName: incident.provider_name,
    providerIncidentId: String(incident.number),
    relatedAnalyticRuleIds: (JSON.parse(incident.rule_ids) as string[]),
    additionalData: { alertsCount: counts.alerts, bookmarksCount: 0, commentsCount: counts.comments, alertProductNames: counts.alerts > 0 ? ['Azure Sentinel'] : [], tactics: JSON.parse(incident.tactics) as unknown },
  };
  if (incident.classification !== null) properties.classification = incident.classification;
  if (incident.classification_reason !== null) properties.classificationReason = incident.classification_reason;
  if (incident.classification_comment !== null) properties.classificationComment = incident.classification_comment;
  if (incident.first_activity !== null) properties.firstActivityTimeUtc = incident.first_activity;
  if (incident.last_activity !== null) properties.lastActivityTimeUtc = incident.last_activity;
  return {
    id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/incidents/${incident.name}`,
    name: incident.name,
    type: 'Microsoft.SecurityInsights/incidents',
    etag: `"${incident.etag}"`,
    systemData: { createdBy: incident.created_by, createdAt: incident.created_at, lastModifiedBy: incident.updated_by, lastModifiedAt: incident.updated_at },
    properties,
  };
}

function existingLabelType(existing: Incident | undefined, name: string): string | undefined {
  if (existing === undefined) return undefined;
  return (JSON.parse(existing.labels) as { labelName: string; labelType?: string }[]).find((l) => l.labelName === name)?.labelType;
}
