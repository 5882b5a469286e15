// Templates over Linux hosts: sshd, sudo and account tools as they write to Syslog.
import type { RuleTemplate } from './rule-template.ts';

const SYSLOG = [{ connectorId: 'Syslog', dataTypes: ['Syslog'] }];
const ADDED = '2026-11-27T00:00:00Z';

export const LINUX_TEMPLATES: RuleTemplate[] = [
  {
    id: '52b34faf-7b6f-48f8-bea6-2f6f1b6f8dd0',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SYSLOG,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'SSH brute force against a Linux host',
      description: "One address failed 20 SSH logins or more on one host within an hour (sshd's 'Failed password' and 'Invalid user'). Check whether any login from it succeeded ('Accepted').",
      severity: 'Medium',
      query: `Syslog
| where ProcessName == 'sshd'
| where SyslogMessage has_any ('Failed password', 'Invalid user')
| extend SourceIP = extract(@'from (\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*)', 1, SyslogMessage),
         TriedUser = extract(@'(?:Failed password for (?:invalid user )?|Invalid user )(\\S+)', 1, SyslogMessage)
| where isnotempty(SourceIP)
| summarize Failures = count(), UsersTried = make_set(TriedUser, 20), FirstFailure = min(TimeGenerated), TimeGenerated = max(TimeGenerated) by Computer, SourceIP
| where Failures >= 20`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      subTechniques: ['T1110.001'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIP' }] },
      ],
      customDetails: { Failures: 'Failures', UsersTried: 'UsersTried' },
      alertDetailsOverride: { alertDisplayNameFormat: 'SSH brute force on {{Computer}} from {{SourceIP}}' },
    },
  },
  {
    id: 'e01edf6b-0d79-4176-bfeb-ec7667c7df91',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SYSLOG,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Root shell opened through sudo',
      description: "A user ran a shell or su as root through sudo ('sudo -i', 'sudo su -', 'sudo bash'). An interactive root shell leaves no record of the commands run in it; sudo rules should allow specific commands instead.",
      severity: 'Low',
      query: `Syslog
| where ProcessName == 'sudo' and SyslogMessage has 'USER=root' and SyslogMessage has 'COMMAND='
| extend SudoUser = extract(@'^\\s*(\\S+)\\s*:', 1, SyslogMessage),
         Command = trim(@'\\s', extract(@'COMMAND=(.*)$', 1, SyslogMessage))
| where Command matches regex @'^(/usr)?/bin/(ba|z|da|k|c|tc|fi)?sh(\\s|$)' or Command matches regex @'^(/usr)?/bin/su(\\s|$)'
| project TimeGenerated, Computer, SudoUser, Command, SyslogMessage`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['PrivilegeEscalation'],
      techniques: ['T1548'],
      subTechniques: ['T1548.003'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'SudoUser' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { Command: 'Command' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{SudoUser}} opened a root shell on {{Computer}}' },
    },
  },
  {
    id: 'b8ae6024-0a88-4e27-8106-b854e260c4d2',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SYSLOG,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Linux user added to an administrative group',
      description: "An account was added to sudo, wheel, admin, root or docker (usermod or gpasswd). Members of these groups can become root; an unexpected member is a way to keep access.",
      severity: 'Medium',
      query: `Syslog
| where ProcessName in ('usermod', 'gpasswd', 'useradd')
| extend Member = coalesce(extract(@"add '([^']+)' to (?:shadow )?group '([^']+)'", 1, SyslogMessage), extract(@'user (\\S+) added by \\S+ to group (\\S+)', 1, SyslogMessage)),
         Group = coalesce(extract(@"add '([^']+)' to (?:shadow )?group '([^']+)'", 2, SyslogMessage), extract(@'user (\\S+) added by \\S+ to group (\\S+)', 2, SyslogMessage))
| where Group in ('sudo', 'wheel', 'admin', 'root', 'docker')
| summarize TimeGenerated = max(TimeGenerated), Tools = make_set(ProcessName, 5) by Computer, Member, Group`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Persistence', 'PrivilegeEscalation'],
      techniques: ['T1098'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'Member' }] },
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'Computer' }] },
      ],
      customDetails: { Group: 'Group' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{Member}} added to group {{Group}} on {{Computer}}' },
    },
  },
];
