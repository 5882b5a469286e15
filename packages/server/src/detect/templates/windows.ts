// Templates over Windows hosts: the Security event log (SecurityEvent) and the System log (Event).
import type { RuleTemplate } from './rule-template.ts';

const SECURITY_EVENTS = [
  { connectorId: 'SecurityEvents', dataTypes: ['SecurityEvent'] },
  { connectorId: 'WindowsSecurityEvents', dataTypes: ['SecurityEvent'] },
];
const ADDED = '2026-11-27T00:00:00Z';

/** Well-known SIDs of the built-in groups that hold administrative power over a host or domain. */
const PRIVILEGED_GROUP_SIDS = "TargetSid in ('S-1-5-32-544', 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-551') or TargetSid matches regex @'^S-1-5-21-[0-9-]+-(512|518|519)$'";

export const WINDOWS_TEMPLATES: RuleTemplate[] = [
  {
    id: '7ede9741-6a6b-4f5f-b304-841c5a641f62',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Brute force against a Windows account',
      description: 'One account failed to log on to one host 15 times or more within an hour (event 4625). Someone may be guessing its password. Check the source addresses and whether the account later logged on.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 4625
| summarize FailedLogons = count(), SourceIPs = make_set(IpAddress, 10), FirstFailure = min(TimeGenerated), TimeGenerated = max(TimeGenerated) by Computer, TargetAccount
| where FailedLogons >= 15`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      subTechniques: ['T1110.001'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'TargetAccount' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { FailedLogons: 'FailedLogons', SourceIPs: 'SourceIPs' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Brute force against {{TargetAccount}} on {{Computer}}' },
    },
  },
  {
    id: '819c0d9e-316f-4683-891d-758c0a2d32c8',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Password spray against Windows accounts',
      description: 'One source address failed to log on with 10 or more different accounts within an hour, trying each only a few times (event 4625). This is how a password spray looks: one common password tried across many accounts to stay under lockout limits.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 4625 and isnotempty(IpAddress) and IpAddress != '-'
| summarize AccountsTried = dcount(TargetUserName), Attempts = count(), Accounts = make_set(TargetUserName, 25), Hosts = make_set(Computer, 10), TimeGenerated = max(TimeGenerated) by IpAddress
| where AccountsTried >= 10 and Attempts <= AccountsTried * 3`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      subTechniques: ['T1110.003'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IpAddress' }] }],
      customDetails: { AccountsTried: 'AccountsTried', Accounts: 'Accounts' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Password spray from {{IpAddress}} against {{AccountsTried}} accounts' },
    },
  },
  {
    id: 'e8ed11ab-d16f-4791-b099-72d34536f154',
    kind: 'NRT',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Member added to a privileged Windows group',
      description: 'An account was added to Administrators, Account/Server/Backup Operators, Domain Admins, Schema Admins or Enterprise Admins (events 4728, 4732, 4756). Confirm the change was requested; an attacker adds an account here to keep administrative access.',
      severity: 'High',
      query: `SecurityEvent
| where EventID in (4728, 4732, 4756)
| where ${PRIVILEGED_GROUP_SIDS}
| project TimeGenerated, Computer, GroupName = TargetUserName, GroupSid = TargetSid, MemberName, MemberSid, AddedBy = SubjectAccount`,
      tactics: ['Persistence', 'PrivilegeEscalation'],
      techniques: ['T1098'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'Sid', columnName: 'MemberSid' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'AddedBy' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { GroupName: 'GroupName', MemberName: 'MemberName' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{AddedBy}} added a member to {{GroupName}}' },
    },
  },
  {
    id: '04f9ed16-81f1-4f36-ad51-72a663b8bbf6',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'New account made an administrator within an hour of its creation',
      description: 'An account was created (event 4720) and added to Administrators, Domain Admins or Enterprise Admins within an hour (4728, 4732, 4756). New administrators are rare; one made in a hurry is a common way to keep access.',
      severity: 'High',
      query: `let Created = SecurityEvent
  | where EventID == 4720
  | project CreatedAt = TimeGenerated, Computer, NewAccountSid = TargetSid, NewAccount = TargetAccount, CreatedBy = SubjectAccount;
SecurityEvent
| where EventID in (4728, 4732, 4756)
| where TargetSid == 'S-1-5-32-544' or TargetSid matches regex @'^S-1-5-21-[0-9-]+-(512|519)$'
| project TimeGenerated, GroupName = TargetUserName, NewAccountSid = MemberSid, AddedBy = SubjectAccount
| join kind=inner Created on NewAccountSid
| where TimeGenerated >= CreatedAt and TimeGenerated - CreatedAt <= 1h
| project TimeGenerated, CreatedAt, Computer, NewAccount, NewAccountSid, GroupName, CreatedBy, AddedBy`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT2H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Persistence', 'PrivilegeEscalation'],
      techniques: ['T1136', 'T1098'],
      subTechniques: ['T1136.001', 'T1136.002'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'NewAccount' }, { identifier: 'Sid', columnName: 'NewAccountSid' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'CreatedBy' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { GroupName: 'GroupName', CreatedAt: 'CreatedAt' },
      alertDetailsOverride: { alertDisplayNameFormat: 'New account {{NewAccount}} added to {{GroupName}}' },
    },
  },
  {
    id: '4dade9f6-82c1-40de-8683-baa648d2891a',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'PowerShell started with an encoded command',
      description: 'A process was started (event 4688) running PowerShell with -EncodedCommand (or an abbreviation such as -enc or -e) and a base64 payload. Administrators rarely need this; malware uses it to hide what the script does. Decode the payload (UTF-16LE) to see it.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 4688
| where NewProcessName has_any ('powershell.exe', 'pwsh.exe') or CommandLine has_any ('powershell', 'pwsh')
| extend EncodedPayload = extract(@'(?i)\\s[-/]e[a-z]*\\s+([A-Za-z0-9+/]{16,}={0,2})', 1, CommandLine)
| where isnotempty(EncodedPayload)
| project TimeGenerated, Computer, Account, NewProcessName, CommandLine, ParentProcessName, EncodedPayload`,
      queryFrequency: 'PT15M',
      queryPeriod: 'PT15M',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Execution', 'DefenseEvasion'],
      techniques: ['T1059', 'T1027'],
      subTechniques: ['T1059.001'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Account' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
        { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'CommandLine' }] },
      ],
      customDetails: { ParentProcess: 'ParentProcessName', Payload: 'EncodedPayload' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Encoded PowerShell on {{Computer}}' },
    },
  },
  {
    id: '7048fe95-9079-4bfc-8041-ca02ca9dcc79',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'PowerShell downloads and runs code',
      description: 'A PowerShell command line (event 4688) both fetches content from the web (DownloadString, DownloadFile, Invoke-WebRequest, iwr, Net.WebClient, Start-BitsTransfer) and executes it (Invoke-Expression or iex). This is a download cradle, the usual first stage of an intrusion.',
      severity: 'High',
      query: `SecurityEvent
| where EventID == 4688
| where NewProcessName has_any ('powershell.exe', 'pwsh.exe') or CommandLine has_any ('powershell', 'pwsh')
| where CommandLine has_any ('DownloadString', 'DownloadFile', 'DownloadData', 'Invoke-WebRequest', 'iwr', 'Net.WebClient', 'Start-BitsTransfer', 'Invoke-RestMethod', 'irm')
| where CommandLine has_any ('Invoke-Expression', 'iex') or CommandLine contains '|iex' or CommandLine contains '| iex'
| project TimeGenerated, Computer, Account, NewProcessName, CommandLine, ParentProcessName`,
      queryFrequency: 'PT15M',
      queryPeriod: 'PT15M',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Execution', 'CommandAndControl'],
      techniques: ['T1059', 'T1105'],
      subTechniques: ['T1059.001'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Account' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
        { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'CommandLine' }] },
      ],
      customDetails: { ParentProcess: 'ParentProcessName' },
      alertDetailsOverride: { alertDisplayNameFormat: 'PowerShell download cradle on {{Computer}}' },
    },
  },
  {
    id: 'e76da137-07bb-4de6-9d7b-da80dc8eb7aa',
    kind: 'NRT',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Windows Security event log cleared',
      description: 'The Security event log of a host was cleared (event 1102). Intruders clear it to remove evidence; administrators almost never need to. Find out who cleared it and what happened on the host just before.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 1102
| extend ClearedBy = iff(isnotempty(SubjectAccount), SubjectAccount, Account)
| project TimeGenerated, Computer, ClearedBy, Activity`,
      tactics: ['DefenseEvasion'],
      techniques: ['T1070'],
      subTechniques: ['T1070.001'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'ClearedBy' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      alertDetailsOverride: { alertDisplayNameFormat: 'Security log cleared on {{Computer}}' },
    },
  },
  {
    id: '9a5ec9bf-268a-4ec5-9edf-c16dce901619',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: [{ connectorId: 'LogsIngestion', dataTypes: ['Event'] }],
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Service installed from a suspicious path or command',
      description: "A service was installed (System log, event 7045 of the Service Control Manager) whose program lives in a user-writable folder (Temp, AppData, Users\\Public, ProgramData) or a share (ADMIN$), or is a shell or script host. Remote execution tools and malware install services this way.",
      severity: 'High',
      query: `Event
| where EventLog == 'System' and Source == 'Service Control Manager' and EventID == 7045
| extend ServiceName = extract(@'<Data Name="ServiceName">([^<]*)<', 1, EventData),
         ImagePath = extract(@'<Data Name="ImagePath">([^<]*)<', 1, EventData),
         ServiceAccount = extract(@'<Data Name="AccountName">([^<]*)<', 1, EventData)
| where ImagePath has_any ('\\\\Temp\\\\', '\\\\AppData\\\\', '\\\\Users\\\\Public\\\\', '\\\\ProgramData\\\\', 'ADMIN$', 'cmd.exe', 'cmd /c', 'powershell', 'pwsh', 'mshta', 'rundll32', 'regsvr32', 'wscript', 'cscript', '%COMSPEC%')
| project TimeGenerated, Computer, ServiceName, ImagePath, ServiceAccount, UserName`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Persistence', 'Execution', 'PrivilegeEscalation'],
      techniques: ['T1543', 'T1569'],
      subTechniques: ['T1543.003', 'T1569.002'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
        { entityType: 'Process', fieldMappings: [{ identifier: 'CommandLine', columnName: 'ImagePath' }] },
      ],
      customDetails: { ServiceName: 'ServiceName', ServiceAccount: 'ServiceAccount' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Suspicious service {{ServiceName}} installed on {{Computer}}' },
    },
  },
  {
    id: 'b07611f6-8aab-4935-b053-c1c9f6aa2a28',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Scheduled task created to run a script host or from a user-writable folder',
      description: 'A scheduled task was created (event 4698) whose action runs a shell or script host (PowerShell, cmd, mshta, rundll32, regsvr32, wscript, cscript, certutil, bitsadmin) or a program in Temp, AppData or Users\\Public. Scheduled tasks are a common way to persist.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 4698
| extend TaskName = extract(@'<Data Name="TaskName">([^<]*)<', 1, EventData),
         TaskContent = extract(@'<Data Name="TaskContent">(.*?)</Data>', 1, EventData)
| where TaskContent has_any ('powershell', 'pwsh', 'cmd.exe', 'mshta', 'rundll32', 'regsvr32', 'wscript', 'cscript', 'certutil', 'bitsadmin', '\\\\Temp\\\\', '\\\\AppData\\\\', '\\\\Users\\\\Public\\\\')
| project TimeGenerated, Computer, CreatedBy = SubjectAccount, TaskName, TaskContent`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Persistence', 'Execution'],
      techniques: ['T1053'],
      subTechniques: ['T1053.005'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'CreatedBy' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { TaskName: 'TaskName' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Suspicious scheduled task {{TaskName}} on {{Computer}}' },
    },
  },
  {
    id: '069e7397-9345-4d38-a964-158e13dbfa1c',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Many accounts locked out',
      description: 'Five or more different accounts were locked out through one domain controller or host within an hour (event 4740). A wave of lockouts usually means passwords are being guessed across the directory, or a denial of service against users.',
      severity: 'Medium',
      query: `SecurityEvent
| where EventID == 4740
| summarize LockedAccounts = dcount(TargetAccount), Accounts = make_set(TargetAccount, 50), CallerComputers = make_set(TargetDomainName, 20), FirstLockout = min(TimeGenerated), TimeGenerated = max(TimeGenerated) by Computer
| where LockedAccounts >= 5`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess', 'Impact'],
      techniques: ['T1110', 'T1531'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] }],
      customDetails: { LockedAccounts: 'LockedAccounts', Accounts: 'Accounts', CallerComputers: 'CallerComputers' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{LockedAccounts}} accounts locked out through {{Computer}}' },
    },
  },
  {
    id: 'b11843a4-1da8-428c-a4dc-1474082d2330',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SECURITY_EVENTS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Logon attempt with a disabled or expired Windows account',
      description: 'Someone tried to log on with an account that is disabled (event 4625, status 0xC0000072) or expired (0xC0000193). Such accounts often belong to people who left; an attempt means someone still holds, or is guessing, their credentials.',
      severity: 'Low',
      query: `SecurityEvent
| where EventID == 4625 and SubStatus in~ ('0xc0000072', '0xc0000193')
| summarize Attempts = count(), SourceIPs = make_set(IpAddress, 10), Workstations = make_set(WorkstationName, 10), TimeGenerated = max(TimeGenerated) by TargetAccount, Computer, SubStatus`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['InitialAccess', 'CredentialAccess'],
      techniques: ['T1078'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'TargetAccount' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { Attempts: 'Attempts', SourceIPs: 'SourceIPs', Status: 'SubStatus' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Disabled account {{TargetAccount}} tried on {{Computer}}' },
    },
  },
];
