// Templates over Microsoft 365: SharePoint, OneDrive and Exchange activity (OfficeActivity).
import type { RuleTemplate } from './rule-template.ts';

const OFFICE = [{ connectorId: 'Office365', dataTypes: ['OfficeActivity'] }];
const ADDED = '2026-11-27T00:00:00Z';

export const OFFICE_TEMPLATES: RuleTemplate[] = [
  {
    id: '87702621-18f3-4868-b047-4d971e481535',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: OFFICE,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Mass download from SharePoint or OneDrive',
      description: 'One user downloaded 100 different files or more from SharePoint or OneDrive within an hour. Someone leaving with the company\'s documents, or an attacker with the user\'s session, looks like this.',
      severity: 'Medium',
      query: `OfficeActivity
| where Operation in ('FileDownloaded', 'FileSyncDownloadedFull')
| summarize FilesDownloaded = dcount(OfficeObjectId), Downloads = count(), Sites = make_set(Site_Url, 10), ClientIPs = make_set(ClientIP, 10), FirstDownload = min(TimeGenerated), TimeGenerated = max(TimeGenerated) by UserId
| where FilesDownloaded >= 100`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Collection', 'Exfiltration'],
      techniques: ['T1530', 'T1567'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserId' }] }],
      customDetails: { FilesDownloaded: 'FilesDownloaded', Sites: 'Sites', ClientIPs: 'ClientIPs' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{UserId}} downloaded {{FilesDownloaded}} files in an hour' },
    },
  },
  {
    id: 'ccadac00-60ac-483d-9462-6d0cc1b51cdb',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: OFFICE,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Mail forwarding set on a mailbox',
      description: 'An inbox rule that forwards or redirects mail was created or changed (New-InboxRule, Set-InboxRule), or forwarding was set on a mailbox (Set-Mailbox ForwardingSmtpAddress). Attackers who take over a mailbox forward its mail out to keep reading it.',
      severity: 'Medium',
      query: `OfficeActivity
| where OfficeWorkload == 'Exchange'
| where Operation in ('New-InboxRule', 'Set-InboxRule', 'Set-Mailbox', 'UpdateInboxRules')
| extend ForwardTo = extract(@'"Name"\\s*:\\s*"(?:ForwardTo|ForwardAsAttachmentTo|RedirectTo|ForwardingSmtpAddress|ForwardingAddress)"\\s*,\\s*"Value"\\s*:\\s*"([^"]+)"', 1, Parameters)
| where isnotempty(ForwardTo)
| extend RuleName = extract(@'"Name"\\s*:\\s*"Name"\\s*,\\s*"Value"\\s*:\\s*"([^"]*)"', 1, Parameters)
| project TimeGenerated, UserId, Mailbox = OfficeObjectId, Operation, RuleName, ForwardTo, ClientIP`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Collection', 'Exfiltration'],
      techniques: ['T1114', 'T1020'],
      subTechniques: ['T1114.003'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserId' }] },
        { entityType: 'Mailbox', fieldMappings: [{ identifier: 'MailboxPrimaryAddress', columnName: 'ForwardTo' }] },
      ],
      customDetails: { Operation: 'Operation', RuleName: 'RuleName' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Mail of {{UserId}} forwarded to {{ForwardTo}}' },
    },
  },
];
