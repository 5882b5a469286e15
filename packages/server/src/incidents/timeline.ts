// An incident's timeline: what happened to it, oldest first. Its alerts, comments and tasks come
// from the control plane; its changes (status, severity, owner, classification) from its
// SecurityIncident history, one row per change, compared with the row before (read through the
// query service as the caller, so the same isolation holds as for any query).
import type { Services } from '../services.ts';
import type { Caller } from '../access/caller.ts';
import type { Workspace } from '../control/workspaces.ts';
import { compileForCaller, runCompiled } from '../query/query-service.ts';
import { formatValue } from '../query/value-format.ts';
import type { Incident } from './incidents.ts';

export interface TimelineEvent {
  time: string;
  kind: 'Created' | 'Alert' | 'Comment' | 'Task' | 'Changed';
  title: string;
  by?: string;
  details?: Record<string, unknown>;
}

const WATCHED = ['Status', 'Severity', 'Owner', 'Classification', 'Title'] as const;

export async function incidentTimeline(services: Services, caller: Caller, workspace: Workspace, incident: Incident): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [{ time: incident.created_at, kind: 'Created', title: `Incident ${incident.number} created`, by: incident.created_by }];
  const alerts = await services.db.selectFrom('alerts').select(['id', 'time_generated', 'display_name', 'severity']).where('incident_id', '=', incident.id).execute();
  for (const a of alerts) events.push({ time: a.time_generated, kind: 'Alert', title: a.display_name, details: { alertId: a.id, severity: a.severity } });
  const comments = await services.db.selectFrom('incident_comments').select(['created_at', 'message', 'author']).where('incident_id', '=', incident.id).execute();
  for (const c of comments) events.push({ time: c.created_at, kind: 'Comment', title: c.message, by: (JSON.parse(c.author) as { userPrincipalName?: string; name?: string }).userPrincipalName ?? undefined });
  const tasks = await services.db.selectFrom('incident_tasks').select(['created_at', 'title', 'status', 'created_by']).where('incident_id', '=', incident.id).execute();
  for (const t of tasks) events.push({ time: t.created_at, kind: 'Task', title: t.title, by: (JSON.parse(t.created_by) as { name?: string }).name, details: { status: t.status } });

  // Changes: each SecurityIncident row against the one before it.
  const name = incident.name.replace(/'/g, "''");
  const query = `SecurityIncident | where IncidentName == '${name}' | project TimeGenerated, ModifiedBy, ${WATCHED.map((c) => `${c} = tostring(${c})`).join(', ')} | sort by TimeGenerated asc`;
  const now = services.now();
  const compiled = await compileForCaller(services, { caller, home: workspace, query, now, waitSeconds: 30 });
  const result = await runCompiled(services, compiled, { query, maxRows: 10_000, timeoutSeconds: 30 });
  const text = (row: unknown[], i: number) => JSON.parse(formatValue(compiled.columns[i]!.type, row[i])) as string | null;
  let before: Record<string, string | null> | undefined;
  for (const row of result.rows) {
    const now: Record<string, string | null> = Object.fromEntries(WATCHED.map((c, i) => [c, text(row, i + 2)]));
    if (before !== undefined) {
      const changed = WATCHED.filter((c) => now[c] !== before![c]);
      if (changed.length > 0) {
        events.push({
          time: text(row, 0) ?? '', kind: 'Changed', by: text(row, 1) ?? undefined,
          title: changed.map((c) => `${c}: ${describe(c, before![c])} -> ${describe(c, now[c])}`).join('; '),
          details: Object.fromEntries(changed.map((c) => [c, { from: before![c], to: now[c] }])),
        });
      }
    }
    before = now;
  }
  return events.sort((a, b) => a.time.localeCompare(b.time));
}

function describe(column: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (column === 'Owner') {
    try {
      const o = JSON.parse(value) as { userPrincipalName?: string | null; assignedTo?: string | null };
      return o.userPrincipalName ?? o.assignedTo ?? '(unassigned)';
    } catch {
      return value;
    }
  }
  return value;
}
