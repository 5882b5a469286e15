// The dataset every golden query (test/queries/*.kql) runs on: a few small Sentinel-shaped
// tables whose rows are chosen so that each case's expected result can be worked out by hand
// from Kusto's documentation. Change a row and every .json must be re-checked by hand.
import { FixtureEngine, type FixtureWorkspace } from '../fixture-engine.ts';

export const GOLDEN_NOW = new Date('2024-01-15T12:00:00Z');

export const goldenWorkspace: FixtureWorkspace = {
  id: '00000000-0000-0000-0000-00000000901d',
  name: 'golden',
  tenantId: '00000000-0000-0000-0000-000000000001',
  functions: [
    { name: 'FailedLogons', parameters: [{ name: 'min', type: 'long', defaultValue: '1' }], body: 'SecurityEvent | where EventID == 4625 | summarize Failures = count() by Account | where Failures >= min' },
    { name: 'AuditDetails', parameters: [], body: 'AuditLogs | project OperationName, AdditionalDetails | evaluate bag_unpack(AdditionalDetails)' },
  ],
  tables: [
    {
      name: 'SecurityEvent',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'Account', type: 'string' },
        { name: 'EventID', type: 'int' }, { name: 'IpAddress', type: 'string' }, { name: 'LogonType', type: 'int' },
      ],
      rows: [
        ['2024-01-15T08:00:00Z', 'web01', 'alice', 4624, '10.0.0.1', 2],
        ['2024-01-15T08:05:00Z', 'web01', 'bob', 4625, '10.0.0.2', 3],
        ['2024-01-15T08:06:00Z', 'web01', 'bob', 4625, '10.0.0.2', 3],
        ['2024-01-15T08:07:00Z', 'web01', 'bob', 4624, '10.0.0.2', 3],
        ['2024-01-15T09:00:00Z', 'db01', 'carol', 4625, '10.0.0.3', 10],
        ['2024-01-15T09:30:00Z', 'db01', 'alice', 4624, '10.0.0.1', 2],
        ['2024-01-15T10:00:00Z', 'db01', 'mallory', 4625, '203.0.113.7', 3],
        ['2024-01-15T10:01:00Z', 'db01', 'mallory', 4625, '203.0.113.7', 3],
        ['2024-01-15T10:02:00Z', 'db01', 'mallory', 4625, '203.0.113.7', 3],
        ['2024-01-14T23:00:00Z', 'dc01', 'svc_backup', 4624, null, 5],
      ],
    },
    {
      name: 'Heartbeat',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'OSType', type: 'string' }, { name: 'Version', type: 'string' }],
      rows: [
        ['2024-01-15T08:00:00Z', 'web01', 'Linux', '1.10'],
        ['2024-01-15T08:00:00Z', 'db01', 'Windows', '1.12'],
        ['2024-01-15T09:00:00Z', 'web01', 'Linux', '1.11'],
        ['2024-01-15T09:00:00Z', 'app01', 'Linux', '1.9'],
      ],
    },
    {
      name: 'AuditLogs',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }, { name: 'OperationName', type: 'string' }, { name: 'Result', type: 'string' },
        { name: 'TargetResources', type: 'dynamic' }, { name: 'AdditionalDetails', type: 'dynamic' },
      ],
      rows: [
        ['2024-01-15T07:00:00Z', 'Add member to role', 'success',
          [{ userPrincipalName: 'alice@contoso.com', modifiedProperties: [{ displayName: 'Role.DisplayName', newValue: 'Global Administrator' }] }],
          { IpAddress: '10.0.0.1', Agent: 'portal' }],
        ['2024-01-15T07:30:00Z', 'Reset password', 'failure',
          [{ userPrincipalName: 'bob@contoso.com' }, { userPrincipalName: 'carol@contoso.com' }],
          { IpAddress: '10.0.0.2' }],
        ['2024-01-15T08:30:00Z', 'Update policy', 'success', [], {}],
      ],
    },
    {
      name: 'Syslog',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'SyslogMessage', type: 'string' }],
      rows: [
        ['2024-01-15T08:00:00Z', 'web01', 'Accepted password for alice from 10.0.0.1 port 51000 ssh2'],
        ['2024-01-15T08:01:00Z', 'web01', 'Failed password for bob from 10.0.0.2 port 51001 ssh2'],
        ['2024-01-15T08:02:00Z', 'web01', 'Failed password for invalid user admin from 203.0.113.7 port x ssh2'],
        ['2024-01-15T08:03:00Z', 'web01', 'action=block src=203.0.113.7 dst=10.0.0.5 user=admin'],
        ['2024-01-15T08:04:00Z', 'web01', 'session opened for user root'],
      ],
    },
    {
      name: 'Watchlist',
      columns: [{ name: 'SearchKey', type: 'string' }, { name: 'Owner', type: 'string' }, { name: 'Criticality', type: 'long' }],
      rows: [
        ['alice', 'IT', 3],
        ['mallory', 'Unknown', 5],
        ['dave', 'HR', 1],
      ],
    },
  ],
};

let engine: Promise<FixtureEngine> | undefined;

export function goldenEngine(): Promise<FixtureEngine> {
  engine ??= FixtureEngine.create([goldenWorkspace]);
  return engine;
}
