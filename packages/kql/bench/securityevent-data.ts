// 10 million SecurityEvent-shaped rows in a DuckDB file, laid out as the log store lays out a
// workspace: the written columns in `data."SecurityEvent"` (rows in arrival order, so sorted by
// TimeGenerated), and `main."SecurityEvent"` a view with the full standard schema (NULL typed for
// columns never written). Generated once with INSERT ... SELECT ... FROM range(n) and reused
// while the row count and the generator version match.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { KqlColumn } from '../src/index.ts';
import { duckdb } from '../src/sql/duckdb.ts';

/** Bump when the generated data changes shape: an older file is then regenerated. */
export const GENERATOR_VERSION = 3;

/** The data covers the 30 days before this instant; queries run with `now` here. */
export const DATA_END = new Date('2024-01-31T00:00:00Z');
export const DATA_DAYS = 30;

/** Columns written (the rest of the 228 standard columns read as NULL through the view). */
const WRITTEN = ['TimeGenerated', 'TenantId', 'Type', '_TimeReceived', 'Computer', 'EventID', 'Activity', 'Account', 'AccountType',
  'IpAddress', 'LogonType', 'TargetUserName', 'TargetDomainName', 'SubjectUserName', 'Channel', 'EventSourceName', 'Level',
  'WorkstationName', 'CommandLine', 'NewProcessName', 'ParentProcessName', 'EventData'];

const q = duckdb.ident;

/**
 * One row per i in range(n), times spread evenly over DATA_DAYS (arrival order). Event mix:
 * 45% 4624 logon, 10% 4625 failed logon, 30% 4688 process creation, 8% 4672 special
 * privileges, 7% 4634 logoff. 200 computers, 5,000 accounts, IpAddress NULL (never sent) for
 * non-network logons and non-logon events. CommandLine on 4688 from a few templates; one row in
 * about 100k runs mimikatz, and as many contain "mimikatz" inside a longer term (which `has`
 * must not match). EventData is JSON text; 4672 carries a Privileges array of 1-5 names.
 */
function generateSql(table: string, n: number, tenantId: string): string {
  const spanMicros = BigInt(DATA_DAYS) * 86_400_000_000n;
  const start = `TIMESTAMP '${new Date(DATA_END.getTime() - DATA_DAYS * 86_400_000).toISOString().slice(0, 19).replace('T', ' ')}'`;
  const step = Number(spanMicros) / n;
  return `INSERT INTO ${table}
WITH base AS (
  SELECT i, hash(i) AS h, hash(i * 7 + 3) AS h2, hash(i * 13 + 5) AS h3 FROM range(${n}) AS r(i)
), typed AS (
  SELECT *, CASE WHEN h % 100 < 45 THEN 4624 WHEN h % 100 < 55 THEN 4625 WHEN h % 100 < 85 THEN 4688 WHEN h % 100 < 93 THEN 4672 ELSE 4634 END AS eid
  FROM base
)
SELECT
  ${start} + to_microseconds(CAST(i * ${step} AS BIGINT)) AS TimeGenerated,
  '${tenantId}' AS TenantId,
  'SecurityEvent' AS Type,
  ${start} + to_microseconds(CAST(i * ${step} AS BIGINT) + 2000000) AS _TimeReceived,
  'HOST' || lpad(CAST(h2 % 200 AS VARCHAR), 3, '0') || '.contoso.com' AS Computer,
  eid AS EventID,
  CASE eid WHEN 4624 THEN '4624 - An account was successfully logged on.' WHEN 4625 THEN '4625 - An account failed to log on.'
    WHEN 4688 THEN '4688 - A new process has been created.' WHEN 4672 THEN '4672 - Special privileges assigned to new logon.'
    ELSE '4634 - An account was logged off.' END AS Activity,
  'CONTOSO\\user' || CAST(h3 % 5000 AS VARCHAR) AS Account,
  'User' AS AccountType,
  CASE WHEN eid IN (4624, 4625) AND h2 % 10 <> 0 THEN '10.' || CAST(h3 % 256 AS VARCHAR) || '.' || CAST((h3 // 256) % 256 AS VARCHAR) || '.' || CAST(h % 200 AS VARCHAR) ELSE NULL END AS IpAddress,
  CASE WHEN eid IN (4624, 4625) THEN CASE WHEN h2 % 10 = 0 THEN 2 ELSE 3 END ELSE NULL END AS LogonType,
  'user' || CAST(h3 % 5000 AS VARCHAR) AS TargetUserName,
  'CONTOSO' AS TargetDomainName,
  CASE WHEN eid = 4688 THEN 'user' || CAST(h3 % 5000 AS VARCHAR) ELSE '-' END AS SubjectUserName,
  'Security' AS Channel,
  'Microsoft-Windows-Security-Auditing' AS EventSourceName,
  '8' AS Level,
  CASE WHEN eid IN (4624, 4625) THEN 'WS' || CAST(h % 3000 AS VARCHAR) ELSE NULL END AS WorkstationName,
  CASE WHEN eid = 4688 THEN
    CASE WHEN h % 100003 = 0 THEN '"C:\\Users\\Public\\mimikatz.exe" privilege::debug sekurlsa::logonpasswords exit'
         WHEN h % 100003 = 1 THEN 'C:\\Tools\\notmimikatzer.exe --scan C:\\'
         WHEN h3 % 6 = 0 THEN 'C:\\Windows\\system32\\cmd.exe /c whoami /all'
         WHEN h3 % 6 = 1 THEN 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1'
         WHEN h3 % 6 = 2 THEN 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule'
         WHEN h3 % 6 = 3 THEN '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" /recycle'
         WHEN h3 % 6 = 4 THEN 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe Get-Process | Sort-Object CPU'
         ELSE 'net user admin' || CAST(h2 % 50 AS VARCHAR) || ' /domain' END
  ELSE NULL END AS CommandLine,
  CASE WHEN eid = 4688 THEN CASE WHEN h3 % 3 = 0 THEN 'C:\\Windows\\System32\\cmd.exe' WHEN h3 % 3 = 1 THEN 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' ELSE 'C:\\Windows\\System32\\svchost.exe' END ELSE NULL END AS NewProcessName,
  CASE WHEN eid = 4688 THEN 'C:\\Windows\\explorer.exe' ELSE NULL END AS ParentProcessName,
  CASE
    WHEN eid IN (4624, 4625) THEN '{"SubjectLogonId":"0x3e7","TargetLogonId":"0x' || lower(hex(h % 1000000)) || '","LogonProcessName":"' ||
      (CASE h2 % 4 WHEN 0 THEN 'NtLmSsp' WHEN 1 THEN 'Kerberos' WHEN 2 THEN 'User32' ELSE 'Advapi' END) || '","AuthenticationPackageName":"' ||
      (CASE h2 % 4 WHEN 0 THEN 'NTLM' WHEN 1 THEN 'Kerberos' ELSE 'Negotiate' END) || '","ElevatedToken":' || (CASE WHEN h3 % 7 = 0 THEN 'true' ELSE 'false' END) || '}'
    WHEN eid = 4672 THEN '{"SubjectLogonId":"0x' || lower(hex(h % 1000000)) || '","Privileges":[' ||
      array_to_string(list_transform(range(1 + CAST(h2 % 5 AS BIGINT)), x -> '"' || ['SeSecurityPrivilege','SeBackupPrivilege','SeRestorePrivilege','SeTakeOwnershipPrivilege','SeDebugPrivilege','SeSystemEnvironmentPrivilege','SeLoadDriverPrivilege','SeImpersonatePrivilege'][1 + CAST((h3 + x * 3) % 8 AS BIGINT)] || '"'), ',') || ']}'
    WHEN eid = 4688 THEN '{"SubjectLogonId":"0x' || lower(hex(h % 1000000)) || '","TokenElevationType":"%%1936","MandatoryLabel":"S-1-16-8192"}'
    ELSE '{"TargetLogonId":"0x' || lower(hex(h % 1000000)) || '","LogonType":3}'
  END AS EventData
FROM typed ORDER BY i`;
}

export interface BenchData {
  catalog: string;
  /** `"ws_..."."main"."SecurityEvent"`: the view a query reads. */
  table: string;
  rows: number;
  generated: boolean;
  generateMs?: number;
}

/**
 * Attaches `file` as `catalog`, generating the data first when the file is missing or does not
 * hold `rows` rows of the current generator version.
 */
export async function ensureBenchData(connection: DuckDBConnection, file: string, catalog: string, rows: number, columns: KqlColumn[], tenantId: string): Promise<BenchData> {
  const c = q(catalog);
  const current = async (): Promise<boolean> => {
    if (!existsSync(file)) return false;
    await connection.run(`ATTACH ${duckdb.str(file)} AS ${c} (READ_ONLY)`);
    try {
      const reader = await connection.runAndReadAll(`SELECT (SELECT max(version) FROM ${c}.data.bench_meta), (SELECT count(*) FROM ${c}.data."SecurityEvent")`);
      const [version, count] = reader.getRows()[0] as [number, bigint];
      if (Number(version) === GENERATOR_VERSION && Number(count) === rows) return true;
    } catch {
      // An unfinished or older file.
    }
    await connection.run(`DETACH ${c}`);
    return false;
  };
  if (await current()) return { catalog, table: `${c}.main."SecurityEvent"`, rows, generated: false };

  const t0 = performance.now();
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  await connection.run(`ATTACH ${duckdb.str(file)} AS ${c}`);
  await connection.run(`CREATE SCHEMA ${c}.data`);
  const byName = new Map(columns.map((col) => [col.name, col]));
  const defs = WRITTEN.map((name) => `${q(name)} ${duckdb.sqlType(byName.get(name)!.type)}`).join(', ');
  await connection.run(`CREATE TABLE ${c}.data."SecurityEvent" (${defs})`);
  await connection.run(generateSql(`${c}.data."SecurityEvent"`, rows, tenantId));
  // The view as the log store writes it: every schema column, in schema order, NULL where never written.
  const written = new Set(WRITTEN);
  const list = columns.map((col) => (written.has(col.name) ? q(col.name) : `CAST(NULL AS ${duckdb.sqlType(col.type)}) AS ${q(col.name)}`)).join(', ');
  await connection.run(`CREATE VIEW ${c}.main."SecurityEvent" AS SELECT ${list} FROM data."SecurityEvent"`);
  await connection.run(`CREATE TABLE ${c}.data.bench_meta AS SELECT ${GENERATOR_VERSION} AS version`);
  await connection.run(`CHECKPOINT ${c}`);
  await connection.run(`DETACH ${c}`);
  await connection.run(`ATTACH ${duckdb.str(file)} AS ${c} (READ_ONLY)`);
  return { catalog, table: `${c}.main."SecurityEvent"`, rows, generated: true, generateMs: performance.now() - t0 };
}
