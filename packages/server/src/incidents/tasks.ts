// Incident tasks (Microsoft.SecurityInsights/incidents/{id}/tasks): a checklist on an incident,
// written by analysts through the API or added by automation rules (AddIncidentTask). At most 40
// per incident, as in Sentinel; each with its own etag.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { IncidentTaskTable } from '../db/schema.ts';
import type { Caller } from '../access/caller.ts';
import { ApiError } from '../errors.ts';

export type IncidentTask = IncidentTaskTable;

export const MAX_TASKS_PER_INCIDENT = 40;
export const TASK_STATUSES = ['New', 'Completed'] as const;

/** Who made a change, as Sentinel's ClientInfo shows it. */
export interface ClientInfo {
  objectId?: string;
  email?: string;
  name?: string;
  userPrincipalName?: string;
}

export function clientInfoOf(caller: Caller): ClientInfo {
  return caller.kind === 'User'
    ? { objectId: caller.principalId, email: caller.name, name: caller.displayName, userPrincipalName: caller.name }
    : { objectId: caller.principalId, name: caller.displayName };
}

export const TaskProperties = z.object({
  title: z.string().trim().min(1, 'title is required').max(150),
  description: z.string().max(3000).default(''),
  status: z.enum(TASK_STATUSES).default('New'),
}).passthrough();
export type TaskInput = z.output<typeof TaskProperties>;

export function taskId(incidentId: string, name: string): string {
  return `${incidentId}/tasks/${name.toLowerCase()}`;
}

export async function listTasks(db: Db, incidentId: string): Promise<IncidentTask[]> {
  return db.selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).orderBy('seq').execute();
}

export async function getTask(db: Db, id: string): Promise<IncidentTask | undefined> {
  return db.selectFrom('incident_tasks').selectAll().where('id', '=', id.toLowerCase()).executeTakeFirst();
}

/** Adds a task, or throws when the incident has its 40 already; call inside a transaction. */
export async function addTask(db: Db, incident: { id: string; number: number }, name: string, input: TaskInput, by: ClientInfo, now: Date): Promise<IncidentTask> {
  const held = await db.selectFrom('incident_tasks').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('top')]).where('incident_id', '=', incident.id).executeTakeFirst();
  if (Number(held?.n ?? 0) >= MAX_TASKS_PER_INCIDENT) {
    throw new ApiError('InvalidRequestContent', `Incident ${incident.number} already has ${MAX_TASKS_PER_INCIDENT} tasks, the most one incident takes (as in Sentinel). Complete or delete a task, or edit an existing one.`, { target: 'properties.title' });
  }
  const stamp = now.toISOString();
  const row: IncidentTask = {
    id: taskId(incident.id, name), incident_id: incident.id, name, seq: Number(held?.top ?? 0) + 1,
    title: input.title, description: input.description, status: input.status, etag: randomUUID(),
    created_at: stamp, created_by: JSON.stringify(by), updated_at: stamp, updated_by: JSON.stringify(by),
  };
  await db.insertInto('incident_tasks').values(row).execute();
  return row;
}

/** Replaces a task's title, description and status. */
export async function updateTask(db: Db, existing: IncidentTask, input: TaskInput, by: ClientInfo, now: Date): Promise<IncidentTask> {
  const row: IncidentTask = { ...existing, title: input.title, description: input.description, status: input.status, etag: randomUUID(), updated_at: now.toISOString(), updated_by: JSON.stringify(by) };
  await db.updateTable('incident_tasks').set({ title: row.title, description: row.description, status: row.status, etag: row.etag, updated_at: row.updated_at, updated_by: row.updated_by })
    .where('id', '=', row.id).execute();
  return row;
}

export function presentTask(shownIncidentId: string, t: IncidentTask) {
  return {
    id: `${shownIncidentId}/tasks/${t.name}`,
    name: t.name,
    type: 'Microsoft.SecurityInsights/incidents/tasks',
    etag: `"${t.etag}"`,
    systemData: { createdAt: t.created_at, lastModifiedAt: t.updated_at },
    properties: {
      title: t.title,
      description: t.description,
      status: t.status,
      createdTimeUtc: t.created_at,
      lastModifiedTimeUtc: t.updated_at,
      createdBy: JSON.parse(t.created_by) as ClientInfo,
      lastModifiedBy: JSON.parse(t.updated_by) as ClientInfo,
    },
  };
}

/** The tasks as SecurityIncident.Tasks carries them. */
export function taskRecords(tasks: readonly IncidentTask[]) {
  return tasks.map((t) => ({ title: t.title, description: t.description, status: t.status, createdTimeUtc: t.created_at, lastModifiedTimeUtc: t.updated_at, createdBy: JSON.parse(t.created_by) as unknown }));
}
