// The incidents APIs the portal's Incidents pages use: Vigil's multi-workspace queue and bulk
// update (over the Directory + subscription selection), and each incident's own ARM resource
// (Microsoft.SecurityInsights/incidents) with its alerts, entities, comments, tasks and timeline.
import { armList, armRequest } from './arm-client.ts';

const VIGIL = 'api-version=2025-01-01';
const SI = 'api-version=2025-09-01';

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;
export const STATUSES = ['New', 'Active', 'Closed'] as const;
export const CLASSIFICATIONS = ['TruePositive', 'BenignPositive', 'FalsePositive', 'Undetermined'] as const;
export const CLASSIFICATION_REASONS = ['SuspiciousActivity', 'SuspiciousButExpected', 'IncorrectAlertLogic', 'InaccurateData'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Status = (typeof STATUSES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type ClassificationReason = (typeof CLASSIFICATION_REASONS)[number];

/** How Sentinel's portal names a classification (with the reason it implies). */
export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  TruePositive: 'True positive',
  BenignPositive: 'Benign positive',
  FalsePositive: 'False positive',
  Undetermined: 'Undetermined',
};
export const REASON_LABELS: Record<ClassificationReason, string> = {
  SuspiciousActivity: 'Suspicious activity',
  SuspiciousButExpected: 'Suspicious but expected',
  IncorrectAlertLogic: 'Incorrect alert logic',
  InaccurateData: 'Inaccurate data',
};
/** The reasons that go with each classification, as Sentinel's close dialog pairs them (and the server checks). */
export const REASONS_OF: Record<Classification, ClassificationReason[]> = {
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
  Undetermined: [],
};

export interface Owner { objectId?: string; email?: string; assignedTo?: string; userPrincipalName?: string }

export interface IncidentWorkspace {
  id: string; name: string; subscriptionId: string; subscriptionName: string; directoryId: string; directoryName: string; delegated: boolean;
}

export interface Incident {
  id: string;
  name: string;
  etag: string;
  properties: {
    title: string;
    description?: string;
    severity: Severity;
    status: Status;
    owner: Owner;
    labels: { labelName: string; labelType?: string }[];
    incidentNumber: number;
    createdTimeUtc: string;
    lastModifiedTimeUtc: string;
    classification?: Classification;
    classificationReason?: ClassificationReason;
    classificationComment?: string;
    firstActivityTimeUtc?: string;
    lastActivityTimeUtc?: string;
    additionalData?: { alertsCount?: number; commentsCount?: number; tactics?: string[] };
    /** Only in the queue's answer. */
    workspace?: IncidentWorkspace;
  };
}

export interface QueuePage { value: Incident[]; nextLink?: string; workspaces: number }

export type SortField = 'incidentNumber' | 'severity' | 'createdTimeUtc' | 'lastModifiedTimeUtc';
export interface QueueQuery {
  status?: Status | 'Open';
  severity?: Severity;
  sort: { field: SortField; direction: 'asc' | 'desc' };
  top: number;
}

/** The queue's first page for a query (the server filters, sorts and pages). */
export function queuePath(query: QueueQuery): string {
  const filters: string[] = [];
  if (query.status === 'Open') filters.push("properties/status ne 'Closed'");
  else if (query.status !== undefined) filters.push(`properties/status eq '${query.status}'`);
  if (query.severity !== undefined) filters.push(`properties/severity eq '${query.severity}'`);
  const params = new URLSearchParams();
  if (filters.length > 0) params.set('$filter', filters.join(' and '));
  params.set('$orderby', `properties/${query.sort.field} ${query.sort.direction}`);
  params.set('$top', String(query.top));
  return `/providers/Vigil.SecurityInsights/incidents?${VIGIL}&${params.toString()}`;
}

/** One page of the queue: the first (a path from queuePath) or the one a nextLink names. */
export function queuePage(pathOrNextLink: string): Promise<QueuePage> {
  return armRequest('GET', pathOrNextLink);
}

export interface BulkChange {
  status?: Status;
  severity?: Severity;
  owner?: Owner | null;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
}
export interface BulkResult { id: string; status: number; error?: { code: string; message: string } }

export async function bulkUpdate(incidentIds: string[], properties: BulkChange): Promise<BulkResult[]> {
  const answer = await armRequest<{ value: BulkResult[] }>('POST', `/providers/Vigil.SecurityInsights/incidents/bulkUpdate?${VIGIL}`, { incidentIds, properties });
  return answer.value;
}

// --- one incident ---

export function getIncident(id: string): Promise<Incident> {
  return armRequest('GET', `${id}?${SI}`);
}

/** Replaces the incident's properties; the etag makes the server refuse (412) if it changed since it was read. */
export function saveIncident(incident: Incident, properties: Incident['properties']): Promise<Incident> {
  const { workspace: _workspace, additionalData: _data, ...rest } = properties;
  return armRequest('PUT', `${incident.id}?${SI}`, { etag: incident.etag, properties: rest });
}

export interface Alert { name: string; properties: { alertDisplayName: string; severity: string; status: string; timeGenerated: string; productName?: string; tactics: string[] } }
export function listAlerts(id: string): Promise<Alert[]> {
  return armRequest<{ value: Alert[] }>('POST', `${id}/alerts?${SI}`).then((r) => r.value);
}

export interface Entity { name: string; kind: string; properties: { friendlyName: string } & Record<string, unknown> }
export function listEntities(id: string): Promise<Entity[]> {
  return armRequest<{ entities: Entity[] }>('POST', `${id}/entities?${SI}`).then((r) => r.entities);
}

export interface TimelineEvent { time: string; kind: 'Created' | 'Alert' | 'Comment' | 'Task' | 'Changed'; title: string; by?: string }
export function timeline(id: string): Promise<TimelineEvent[]> {
  const path = id.replace(/\/providers\/Microsoft\.SecurityInsights\/incidents\//i, '/providers/Vigil.SecurityInsights/incidents/');
  return armRequest<{ value: TimelineEvent[] }>('GET', `${path}/timeline?${VIGIL}`).then((r) => r.value);
}

export interface Comment { name: string; properties: { message: string; createdTimeUtc: string; author: { name?: string; userPrincipalName?: string } } }
export function listComments(id: string): Promise<Comment[]> {
  return armList<Comment>(`${id}/comments?${SI}`);
}
export function addComment(id: string, message: string): Promise<Comment> {
  return armRequest('PUT', `${id}/comments/${crypto.randomUUID()}?${SI}`, { properties: { message } });
}

export interface Task { name: string; etag: string; properties: { title: string; description?: string; status: 'New' | 'Completed'; createdBy?: { name?: string } } }
export function listTasks(id: string): Promise<Task[]> {
  return armList<Task>(`${id}/tasks?${SI}`);
}
export function addTask(id: string, title: string): Promise<Task> {
  return armRequest('PUT', `${id}/tasks/${crypto.randomUUID()}?${SI}`, { properties: { title, status: 'New' } });
}
export function setTaskStatus(id: string, task: Task, status: 'New' | 'Completed'): Promise<Task> {
  return armRequest('PUT', `${id}/tasks/${task.name}?${SI}`, { etag: task.etag, properties: { title: task.properties.title, description: task.properties.description, status } });
}

/** The owner as a person reads it. */
export function ownerName(owner: Owner | undefined): string {
  return owner?.assignedTo ?? owner?.userPrincipalName ?? owner?.email ?? '';
}

/** The owner's user principal name, which is what the portal sends to assign. */
export function ownerUpn(owner: Owner | undefined): string {
  return owner?.userPrincipalName ?? owner?.email ?? '';
}
