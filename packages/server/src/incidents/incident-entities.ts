// An incident's entities, as Sentinel's incidents/{id}/entities answers: the distinct entities of
// its alerts, each as an entity resource of its kind with camelCase properties, and a count per
// kind. Ids are derived from the entity's content, so the same entity keeps its id across calls.
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AlertEntity } from '../detect/alerts.ts';

/** SecurityAlert.Entities Type -> Sentinel's EntityKind. */
const KIND: Record<string, string> = {
  account: 'Account', host: 'Host', ip: 'Ip', url: 'Url', 'azure-resource': 'AzureResource', 'cloud-application': 'CloudApplication',
  dns: 'DnsResolution', file: 'File', filehash: 'FileHash', malware: 'Malware', process: 'Process', 'registry-key': 'RegistryKey',
  'registry-value': 'RegistryValue', 'security-group': 'SecurityGroup', mailbox: 'Mailbox', 'mail-cluster': 'MailCluster',
  'mail-message': 'MailMessage', SubmissionMail: 'SubmissionMail', 'sentinel-entities': 'SentinelEntities',
};

/** Identifiers whose property name in the entity resource is not their camelCase. */
const RENAMED: Record<string, Record<string, string>> = {
  Account: { Name: 'accountName' },
  File: { Name: 'fileName' },
  FileHash: { Value: 'hashValue' },
  CloudApplication: { Name: 'appName' },
  Malware: { Name: 'malwareName' },
  RegistryValue: { Name: 'valueName', Value: 'valueData' },
};

const camel = (name: string) => name.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());

function friendlyName(kind: string, e: AlertEntity): string {
  const pick = (...keys: string[]) => keys.map((k) => e[k]).find((v) => v !== undefined);
  return pick(...({ Account: ['Name', 'FullName', 'AadUserId', 'Sid'], Host: ['HostName', 'FullName', 'NetBiosName', 'AzureID'], Ip: ['Address'], Url: ['Url'], File: ['Name'], FileHash: ['Value'] }[kind] ?? []))
    ?? Object.entries(e).find(([k]) => k !== 'Type')?.[1] ?? kind;
}

export async function incidentEntities(db: Db, incidentId: string, workspaceDisplayId: string) {
  const alerts = await db.selectFrom('alerts').select('entities').where('incident_id', '=', incidentId).orderBy('time_generated').execute();
  const seen = new Map<string, { kind: string; entity: AlertEntity }>();
  for (const a of alerts) {
    for (const e of JSON.parse(a.entities) as AlertEntity[]) {
      const key = JSON.stringify(Object.entries(e).sort(([x], [y]) => x.localeCompare(y)));
      if (!seen.has(key)) seen.set(key, { kind: KIND[e.Type] ?? e.Type, entity: e });
    }
  }
  const entities = [...seen].map(([key, { kind, entity }]) => {
    const hex = createHash('sha1').update(`${incidentId}|${key}`).digest('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const properties: Record<string, string> = { friendlyName: friendlyName(kind, entity) };
    for (const [identifier, value] of Object.entries(entity)) {
      if (identifier === 'Type') continue;
      properties[RENAMED[kind]?.[identifier] ?? camel(identifier)] = value;
    }
    return { id: `${workspaceDisplayId}/providers/Microsoft.SecurityInsights/entities/${id}`, name: id, type: 'Microsoft.SecurityInsights/entities', kind, properties };
  });
  const counts = new Map<string, number>();
  for (const e of entities) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return { entities, metaData: [...counts].map(([entityKind, count]) => ({ count, entityKind })) };
}
