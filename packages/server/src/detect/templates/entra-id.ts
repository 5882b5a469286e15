// Templates over Microsoft Entra ID: sign-ins (SigninLogs) and directory changes (AuditLogs).
import type { RuleTemplate } from './rule-template.ts';

const SIGNINS = [{ connectorId: 'AzureActiveDirectory', dataTypes: ['SigninLogs'] }];
const AUDIT = [{ connectorId: 'AzureActiveDirectory', dataTypes: ['AuditLogs'] }];
const ADDED = '2026-11-27T00:00:00Z';

/** Entra's result codes for a wrong password (50126) and for an account locked by too many of them (50053). */
const BAD_PASSWORD = "ResultType in ('50126', '50053')";

export const ENTRA_ID_TEMPLATES: RuleTemplate[] = [
  {
    id: '322b5ead-0271-4e90-b92e-b2db5ca6e814',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SIGNINS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Password spray against Entra ID',
      description: 'One IP address failed to sign in to 10 or more different Entra ID accounts within an hour because of a wrong password or a locked account. One password tried across many accounts is a password spray.',
      severity: 'Medium',
      query: `SigninLogs
| where ${BAD_PASSWORD}
| summarize AccountsTried = dcount(UserPrincipalName), Attempts = count(), Accounts = make_set(UserPrincipalName, 25), Apps = make_set(AppDisplayName, 10), TimeGenerated = max(TimeGenerated) by IPAddress
| where AccountsTried >= 10`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      techniques: ['T1110'],
      subTechniques: ['T1110.003'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] }],
      customDetails: { AccountsTried: 'AccountsTried', Accounts: 'Accounts' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Entra ID password spray from {{IPAddress}}' },
    },
  },
  {
    id: '4fb96587-93ab-4660-9ad3-b2ad494be922',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SIGNINS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Successful Entra ID sign-in after repeated failures',
      description: 'An account signed in successfully from an IP address that had failed to sign in to it with a wrong password 10 times or more in the hour before. The password may have been guessed.',
      severity: 'High',
      query: `let Failures = SigninLogs
  | where ${BAD_PASSWORD}
  | summarize Failures = count(), FirstFailure = min(TimeGenerated), LastFailure = max(TimeGenerated) by UserPrincipalName, IPAddress
  | where Failures >= 10;
SigninLogs
| where ResultType == '0'
| project TimeGenerated, UserPrincipalName, IPAddress, AppDisplayName
| join kind=inner Failures on UserPrincipalName, IPAddress
| where TimeGenerated > FirstFailure
| summarize TimeGenerated = min(TimeGenerated), Apps = make_set(AppDisplayName, 10) by UserPrincipalName, IPAddress, Failures`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CredentialAccess', 'InitialAccess'],
      techniques: ['T1110', 'T1078'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] },
      ],
      customDetails: { Failures: 'Failures', Apps: 'Apps' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{UserPrincipalName}} signed in after {{Failures}} failures' },
    },
  },
  {
    id: '9a51324f-fce1-4ec1-a171-aa1bbd92db6a',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SIGNINS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Sign-in from a country new for the user',
      description: 'An account signed in successfully during the last day from a country it had not signed in from in the 13 days before. Accounts without any earlier sign-in are left out. A stolen password is often used from elsewhere.',
      severity: 'Low',
      query: `let Successful = SigninLogs
  | where ResultType == '0'
  | extend Country = tostring(LocationDetails.countryOrRegion)
  | where isnotempty(Country);
let Known = Successful
  | where TimeGenerated < ago(1d)
  | distinct UserPrincipalName, Country;
Successful
| where TimeGenerated >= ago(1d)
| join kind=leftanti Known on UserPrincipalName, Country
| join kind=leftsemi (Known | distinct UserPrincipalName) on UserPrincipalName
| summarize TimeGenerated = max(TimeGenerated), FirstSeen = min(TimeGenerated), IPAddresses = make_set(IPAddress, 10), Apps = make_set(AppDisplayName, 10) by UserPrincipalName, Country`,
      queryFrequency: 'P1D',
      queryPeriod: 'P14D',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      subTechniques: ['T1078.004'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] }],
      customDetails: { Country: 'Country', IPAddresses: 'IPAddresses' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{UserPrincipalName}} signed in from {{Country}} for the first time' },
    },
  },
  {
    id: '880f4bd1-30ee-432c-99d1-91083a869087',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SIGNINS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Sign-ins from two countries within two hours',
      description: 'An account signed in successfully from one country and then from another less than two hours later: no one travels that fast, so either the account is shared or someone else holds it. A light form of impossible travel: by country, without distances; VPNs and mobile roaming can explain some.',
      severity: 'Medium',
      query: `SigninLogs
| where ResultType == '0'
| extend Country = tostring(LocationDetails.countryOrRegion)
| where isnotempty(Country)
| project TimeGenerated, UserPrincipalName, Country, IPAddress
| sort by UserPrincipalName asc, TimeGenerated asc
| extend PreviousUser = prev(UserPrincipalName), PreviousCountry = prev(Country), PreviousTime = prev(TimeGenerated), PreviousIP = prev(IPAddress)
| where UserPrincipalName == PreviousUser and Country != PreviousCountry and TimeGenerated - PreviousTime <= 2h
| project TimeGenerated, UserPrincipalName, FromCountry = PreviousCountry, FromIP = PreviousIP, ToCountry = Country, ToIP = IPAddress, MinutesApart = datetime_diff('minute', TimeGenerated, PreviousTime)`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT3H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      subTechniques: ['T1078.004'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'FromIP' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'ToIP' }] },
      ],
      customDetails: { FromCountry: 'FromCountry', ToCountry: 'ToCountry', MinutesApart: 'MinutesApart' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{UserPrincipalName}} signed in from {{FromCountry}} then {{ToCountry}}' },
    },
  },
  {
    id: '82f724a5-ec1e-4e4c-b2d7-c44831a42654',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: SIGNINS,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Sign-in attempt with a disabled Entra ID account',
      description: 'Someone tried to sign in with an Entra ID account that is disabled (result 50057). Disabled accounts usually belong to people who left; an attempt means their credentials are still in someone\'s hands.',
      severity: 'Low',
      query: `SigninLogs
| where ResultType == '50057'
| summarize Attempts = count(), IPAddresses = make_set(IPAddress, 10), Apps = make_set(AppDisplayName, 10), TimeGenerated = max(TimeGenerated) by UserPrincipalName, IPAddress`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      subTechniques: ['T1078.004'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] },
      ],
      customDetails: { Attempts: 'Attempts', Apps: 'Apps' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Disabled account {{UserPrincipalName}} tried from {{IPAddress}}' },
    },
  },
  {
    id: '460901ed-a010-44e2-b0f2-b4d92cb3be37',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: AUDIT,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'MFA disabled for a user',
      description: "Per-user multi-factor authentication was turned off for an account ('Disable Strong Authentication'), or its security info was deleted. Without a second factor the account is protected by its password alone; check that the change was requested.",
      severity: 'Medium',
      query: `AuditLogs
| where OperationName in ('Disable Strong Authentication', 'User deleted security info', 'Admin deleted security info')
| where Result =~ 'success'
| extend Actor = tostring(InitiatedBy.user.userPrincipalName), ActorIP = tostring(InitiatedBy.user.ipAddress),
         TargetUser = tostring(TargetResources[0].userPrincipalName)
| project TimeGenerated, OperationName, Actor, ActorIP, TargetUser`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['DefenseEvasion', 'Persistence', 'CredentialAccess'],
      techniques: ['T1556'],
      subTechniques: ['T1556.006'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'TargetUser' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Actor' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'ActorIP' }] },
      ],
      customDetails: { Operation: 'OperationName' },
      alertDetailsOverride: { alertDisplayNameFormat: 'MFA removed for {{TargetUser}}' },
    },
  },
  {
    id: 'b9a6a808-2c68-4454-a73d-e741cc680aa4',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: AUDIT,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Application granted access to mail or files by consent',
      description: 'A user or administrator consented to an application that may read or send mail, read or change files and sites, or change the directory. Illicit consent grants give an attacker lasting access that survives a password reset.',
      severity: 'Medium',
      query: `AuditLogs
| where OperationName == 'Consent to application' and Result =~ 'success'
| extend AppName = tostring(TargetResources[0].displayName), AppObjectId = tostring(TargetResources[0].id),
         Actor = tostring(InitiatedBy.user.userPrincipalName), ActorIP = tostring(InitiatedBy.user.ipAddress)
| mv-expand Property = TargetResources[0].modifiedProperties
| where tostring(Property.displayName) == 'ConsentAction.Permissions'
| extend Permissions = tostring(Property.newValue)
| where Permissions has_any ('Mail.Read', 'Mail.ReadWrite', 'Mail.Send', 'MailboxSettings.ReadWrite', 'Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All', 'Directory.ReadWrite.All', 'full_access_as_user', 'EWS.AccessAsUser.All')
| project TimeGenerated, AppName, AppObjectId, Actor, ActorIP, Permissions`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Persistence', 'CredentialAccess', 'Collection'],
      techniques: ['T1528', 'T1098'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Actor' }] },
        { entityType: 'CloudApplication', fieldMappings: [{ identifier: 'Name', columnName: 'AppName' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'ActorIP' }] },
      ],
      customDetails: { Permissions: 'Permissions' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{Actor}} consented to {{AppName}}' },
    },
  },
  {
    id: 'd023b17e-cc01-474e-80ac-4def8b39eee7',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: AUDIT,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Privileged Entra ID role assigned',
      description: 'An account was made a member (or an eligible member) of a highly privileged Entra ID role: Global, Privileged Role, Privileged Authentication, Security, User, Exchange, SharePoint, Application or Cloud Application Administrator, or Conditional Access Administrator.',
      severity: 'High',
      query: `AuditLogs
| where OperationName in ('Add member to role', 'Add eligible member to role', 'Add member to role completed (PIM activation)') and Result =~ 'success'
| extend Actor = tostring(InitiatedBy.user.userPrincipalName), TargetUser = tostring(TargetResources[0].userPrincipalName)
| mv-expand Property = TargetResources[0].modifiedProperties
| where tostring(Property.displayName) == 'Role.DisplayName'
| extend Role = replace_string(tostring(Property.newValue), '"', '')
| where Role in ('Global Administrator', 'Privileged Role Administrator', 'Privileged Authentication Administrator', 'Security Administrator', 'User Administrator', 'Exchange Administrator', 'SharePoint Administrator', 'Application Administrator', 'Cloud Application Administrator', 'Conditional Access Administrator')
| project TimeGenerated, OperationName, Role, TargetUser, Actor`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['PrivilegeEscalation', 'Persistence'],
      techniques: ['T1098'],
      subTechniques: ['T1098.003'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'TargetUser' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Actor' }] },
      ],
      customDetails: { Role: 'Role', Operation: 'OperationName' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{TargetUser}} assigned {{Role}}' },
    },
  },
];
