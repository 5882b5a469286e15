// Templates over the network: firewalls and other appliances sending CEF (CommonSecurityLog),
// and DNS servers (DnsEvents).
import type { RuleTemplate } from './rule-template.ts';

const CEF = [{ connectorId: 'CEF', dataTypes: ['CommonSecurityLog'] }];
const ADDED = '2026-11-27T00:00:00Z';

/** How appliances name a refused connection in DeviceAction. */
const DENIED = "DeviceAction in~ ('deny', 'denied', 'drop', 'dropped', 'block', 'blocked', 'reject', 'rejected', 'reset-both', 'reset-client', 'reset-server')";

export const NETWORK_TEMPLATES: RuleTemplate[] = [
  {
    id: '0b152b05-8da0-459e-8bc5-168afafb55ed',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: CEF,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Spike of firewall denies from one source',
      description: 'A source address had 100 connections or more refused by firewalls in the last hour, over ten times its hourly average of the 23 hours before. A sudden wall of denies is a scan, a worm or a misbehaving host; a source that is always noisy is left out.',
      severity: 'Low',
      query: `let Denied = CommonSecurityLog
  | where ${DENIED}
  | where isnotempty(SourceIP);
let Baseline = Denied
  | where TimeGenerated < ago(1h)
  | summarize BaselinePerHour = count() / 23.0 by SourceIP;
Denied
| where TimeGenerated >= ago(1h)
| summarize DeniedLastHour = count(), DestinationIPs = dcount(DestinationIP), DestinationPorts = make_set(DestinationPort, 20), Devices = make_set(DeviceProduct, 5), TimeGenerated = max(TimeGenerated) by SourceIP
| join kind=leftouter Baseline on SourceIP
| extend BaselinePerHour = coalesce(BaselinePerHour, 0.0)
| where DeniedLastHour >= 100 and DeniedLastHour > 10 * BaselinePerHour
| project TimeGenerated, SourceIP, DeniedLastHour, BaselinePerHour = round(BaselinePerHour, 1), DestinationIPs, DestinationPorts, Devices`,
      queryFrequency: 'PT1H',
      queryPeriod: 'P1D',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Discovery', 'Impact'],
      techniques: ['T1046', 'T1498'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIP' }] }],
      customDetails: { DeniedLastHour: 'DeniedLastHour', BaselinePerHour: 'BaselinePerHour' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{DeniedLastHour}} firewall denies from {{SourceIP}} in an hour' },
    },
  },
  {
    id: '051d47ea-ec19-4f43-bb86-86f0f383d23f',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: CEF,
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'Port scan seen by a firewall',
      description: 'One source address tried 50 or more different destination ports within 15 minutes, allowed or not. Someone is mapping which services are open.',
      severity: 'Medium',
      query: `CommonSecurityLog
| where isnotempty(SourceIP) and isnotnull(DestinationPort)
| summarize PortsTried = dcount(DestinationPort), Targets = dcount(DestinationIP), TargetSample = make_set(DestinationIP, 10), Denied = countif(${DENIED}), FirstSeen = min(TimeGenerated), TimeGenerated = max(TimeGenerated) by SourceIP
| where PortsTried >= 50`,
      queryFrequency: 'PT15M',
      queryPeriod: 'PT15M',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['Discovery', 'Reconnaissance'],
      techniques: ['T1046', 'T1595'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SourceIP' }] }],
      customDetails: { PortsTried: 'PortsTried', Targets: 'Targets' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Port scan from {{SourceIP}}: {{PortsTried}} ports' },
    },
  },
  {
    id: '3a249078-edab-4854-b8e7-4f7c2a1990f5',
    kind: 'Scheduled',
    version: '1.0.0',
    requiredDataConnectors: [{ connectorId: 'DNS', dataTypes: ['DnsEvents'] }],
    createdDateUTC: ADDED,
    lastUpdatedDateUTC: ADDED,
    properties: {
      displayName: 'DNS lookups of domains under frequently abused top-level domains',
      description: 'A client looked up names under top-level domains that are cheap or free to register and used far more by phishing and malware than by legitimate sites (such as .zip, .mov, .top, .xyz, .tk, .gq, .icu). Review the names; allow-list those your business needs.',
      severity: 'Low',
      query: `DnsEvents
| where SubType == 'LookupQuery'
| extend QueriedName = trim_end(@'\\.', tolower(Name))
| extend TopLevelDomain = tostring(split(QueriedName, '.')[-1])
| where TopLevelDomain in ('zip', 'mov', 'top', 'xyz', 'tk', 'ml', 'ga', 'cf', 'gq', 'icu', 'cyou', 'rest', 'bond', 'sbs', 'cfd', 'click', 'country', 'kim', 'work', 'support', 'onion')
| summarize Lookups = count(), TimeGenerated = max(TimeGenerated) by ClientIP, QueriedName, TopLevelDomain, Computer`,
      queryFrequency: 'PT1H',
      queryPeriod: 'PT1H',
      triggerOperator: 'GreaterThan',
      triggerThreshold: 0,
      tactics: ['CommandAndControl'],
      techniques: ['T1071', 'T1568'],
      subTechniques: ['T1071.004'],
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      entityMappings: [
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'ClientIP' }] },
        { entityType: 'DNS', fieldMappings: [{ identifier: 'DomainName', columnName: 'QueriedName' }] },
      ],
      customDetails: { Lookups: 'Lookups', TopLevelDomain: 'TopLevelDomain' },
      alertDetailsOverride: { alertDisplayNameFormat: '{{ClientIP}} looked up {{QueriedName}}' },
    },
  },
];
