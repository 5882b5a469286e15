// Each change of an incident as a row of the workspace's SecurityIncident table (Sentinel
// writes one per change: the table is the incident's history, newest row its state). A row that
// fails to append is logged, not retried: the control plane stays the record.
import type { Services } from '../services.ts';
import { findStandardTable } from '../logstore/schema.ts';
import { typeRows } from '../ingest/type-rows.ts';
import { getIncident } from './incidents.ts';
import { listTasks, taskRecords } from './tasks.ts';

export async function recordIncidentChanges(services: Pick<Services, 'db' | 'ingestor' | 'now' | 'log'>, ids: readonly string[]): Promise<void> {
  const table = findStandardTable('SecurityIncident')!;
  for (const id of ids) {
    try {
      const i = await getIncident(services.db, id);
      if (i === undefined) continue;
      const alertIds = (await services.db.selectFrom('alerts').select('id').where('incident_id', '=', i.id).execute()).map((a) => a.id);
      const comments = await services.db.selectFrom('incident_comments').select(['message', 'author', 'created_at']).where('incident_id', '=', i.id).orderBy('created_at').execute();
      const row = {
        TimeGenerated: services.now().toISOString(),
        IncidentName: i.name,
        IncidentNumber: i.number,
        Title: i.title,
        Description: i.description,
        Severity: i.severity,
        Status: i.status,
        Classification: i.classification ?? '',
        ClassificationReason: i.classification_reason ?? '',
        ClassificationComment: i.classification_comment ?? '',
        Owner: JSON.parse(i.owner) as unknown,
        Labels: JSON.parse(i.labels) as unknown,
        AlertIds: alertIds,
        BookmarkIds: [],
        Comments: comments.map((c) => ({ message: c.message, author: JSON.parse(c.author) as unknown, createdTimeUtc: c.created_at })),
        Tasks: taskRecords(await listTasks(services.db, i.id)),
        RelatedAnalyticRuleIds: JSON.parse(i.rule_ids) as unknown,
        AdditionalData: { alertsCount: alertIds.length, commentsCount: comments.length, tactics: JSON.parse(i.tactics) as unknown },
        CreatedTime: i.created_at,
        FirstModifiedTime: i.created_at,
        LastModifiedTime: i.updated_at,
        ClosedTime: i.closed_at,
        FirstActivityTime: i.first_activity,
        LastActivityTime: i.last_activity,
        ModifiedBy: i.updated_by,
        ProviderName: i.provider_name,
        ProviderIncidentId: String(i.number),
        IncidentUrl: '',
        SourceSystem: 'Azure',
      };
      const text = JSON.stringify(row);
      const typed = typeRows(table, [row], { workspaceId: i.workspace_id, receivedAt: services.now(), bytes: text.length });
      if (typed.rejected.length > 0) throw new Error(`SecurityIncident row did not type: ${typed.rejected.map((r) => `${r.column ?? ''} ${r.problem}`).join('; ')}`);
      await services.ingestor.write(i.workspace_id, table, typed, 'SecurityIncident', text.length);
    } catch (error) {
      services.log.error({ err: error, incident: id }, 'SecurityIncident row not written');
    }
  }
}
