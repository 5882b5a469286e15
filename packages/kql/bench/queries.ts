// The benchmark's queries: each as KQL (through the compiler) and as the DuckDB SQL an expert
// would write by hand for the same meaning. Kusto semantics the hand SQL keeps:
//   - strings are never null in Kusto: a column never sent reads as "" (coalesce where a NULL
//     would change a result: group keys, dcount's values, extracted JSON strings);
//   - `has` matches a whole term (a maximal run of ASCII letters and digits), case-insensitively:
//     "notmimikatzer.exe" does not have "mimikatz";
//   - dcount is an estimate within about 1.6% (Kusto's default accuracy); DuckDB's
//     approx_count_distinct was 10-11% off here (6468 exact, 5798 estimated), outside that
//     bound, so the hand SQL counts exactly, which is within any bound;
//   - mv-expand of a null value keeps one row with null, of an empty array none;
//   - bin(TimeGenerated, 1h) floors to the hour.
// `now` is fixed (DATA_END), so the hand SQL holds the same instants as literals.

export interface BenchQuery {
  name: string;
  what: string;
  kql: string;
  sql: (table: string) => string;
  /** How results are compared: exactly (as sorted rows), or only some columns, or within a tolerance. */
  compare?: { columns?: number[]; tolerance?: number };
}

const DAY1 = "TIMESTAMP '2024-01-30 00:00:00'"; // now - 1d
const DAY7 = "TIMESTAMP '2024-01-24 00:00:00'"; // now - 7d

export const QUERIES: BenchQuery[] = [
  {
    name: 'filter_count',
    what: 'failed logons in the last day (filter + count over a time range)',
    kql: 'SecurityEvent | where TimeGenerated > ago(1d) | where EventID == 4625 | count',
    sql: (t) => `SELECT count(*) AS "Count" FROM ${t} WHERE TimeGenerated > ${DAY1} AND EventID = 4625`,
  },
  {
    name: 'bin_hourly',
    what: 'events per hour over 7 days (summarize by bin(TimeGenerated, 1h))',
    kql: 'SecurityEvent | where TimeGenerated > ago(7d) | summarize count() by bin(TimeGenerated, 1h)',
    sql: (t) => `SELECT date_trunc('hour', TimeGenerated) AS TimeGenerated, count(*) AS count_ FROM ${t} WHERE TimeGenerated > ${DAY7} GROUP BY 1`,
  },
  {
    name: 'top_accounts',
    what: 'top 10 accounts by failed logons over 7 days (summarize + top)',
    kql: 'SecurityEvent | where TimeGenerated > ago(7d) and EventID == 4625 | summarize Failures = count() by Account | top 10 by Failures',
    sql: (t) => `SELECT coalesce(Account, '') AS Account, count(*) AS Failures FROM ${t} WHERE TimeGenerated > ${DAY7} AND EventID = 4625 GROUP BY 1 ORDER BY Failures DESC LIMIT 10`,
    // Ties at the 10th place may pick different accounts: compare the counts.
    compare: { columns: [1] },
  },
  {
    name: 'dcount_sources',
    what: 'distinct source addresses per computer over 7 days (dcount)',
    kql: 'SecurityEvent | where TimeGenerated > ago(7d) | summarize Sources = dcount(IpAddress) by Computer',
    sql: (t) => `SELECT coalesce(Computer, '') AS Computer, count(DISTINCT coalesce(IpAddress, '')) AS Sources FROM ${t} WHERE TimeGenerated > ${DAY7} GROUP BY 1`,
    // An estimate may differ from the exact count by Kusto's error bound.
    compare: { tolerance: 0.02 },
  },
  {
    name: 'join_fail_success',
    what: 'accounts with failed and successful logons in the last day (join of two aggregates)',
    kql: `SecurityEvent | where TimeGenerated > ago(1d) and EventID == 4625 | summarize Failures = count() by Account
| join kind=inner (SecurityEvent | where TimeGenerated > ago(1d) and EventID == 4624 | summarize Successes = count() by Account) on Account
| project Account, Failures, Successes`,
    sql: (t) => `WITH f AS (SELECT coalesce(Account, '') AS Account, count(*) AS n FROM ${t} WHERE TimeGenerated > ${DAY1} AND EventID = 4625 GROUP BY 1),
s AS (SELECT coalesce(Account, '') AS Account, count(*) AS n FROM ${t} WHERE TimeGenerated > ${DAY1} AND EventID = 4624 GROUP BY 1)
SELECT f.Account, f.n AS Failures, s.n AS Successes FROM f JOIN s ON f.Account = s.Account`,
  },
  {
    name: 'parse_json',
    what: 'logons of the last day by logon process and package (parse_json extraction)',
    kql: `SecurityEvent | where TimeGenerated > ago(1d) and EventID == 4624 | extend d = parse_json(EventData)
| summarize count() by LogonProcess = tostring(d.LogonProcessName), Package = tostring(d.AuthenticationPackageName)`,
    sql: (t) => `SELECT coalesce(json_extract_string(EventData, '$.LogonProcessName'), '') AS LogonProcess,
coalesce(json_extract_string(EventData, '$.AuthenticationPackageName'), '') AS Package, count(*) AS count_
FROM ${t} WHERE TimeGenerated > ${DAY1} AND EventID = 4624 GROUP BY 1, 2`,
  },
  {
    name: 'has_term',
    what: "command lines with the term 'mimikatz' over 7 days, by computer (has)",
    kql: "SecurityEvent | where TimeGenerated > ago(7d) | where CommandLine has 'mimikatz' | summarize count() by Computer",
    // A cheap substring prefilter, then the term boundaries (ASCII alphanumerics) checked by RE2.
    sql: (t) => `SELECT coalesce(Computer, '') AS Computer, count(*) AS count_ FROM ${t}
WHERE TimeGenerated > ${DAY7} AND CommandLine ILIKE '%mimikatz%' AND regexp_matches(CommandLine, '(?i)(^|[^a-z0-9])mimikatz([^a-z0-9]|$)') GROUP BY 1`,
  },
  {
    name: 'mv_expand',
    what: 'privileges assigned in the last day (mv-expand of a JSON array)',
    kql: `SecurityEvent | where TimeGenerated > ago(1d) and EventID == 4672 | extend Privileges = parse_json(EventData).Privileges
| mv-expand Privileges | summarize count() by Privilege = tostring(Privileges)`,
    // A row whose array is missing (null) keeps one row with null, as Kusto's mv-expand does.
    sql: (t) => `SELECT coalesce(p, '') AS Privilege, count(*) AS count_ FROM (
  SELECT unnest(CASE WHEN json_extract(EventData, '$.Privileges') IS NULL OR json_type(EventData, '$.Privileges') <> 'ARRAY'
    THEN [json_extract_string(EventData, '$.Privileges')] ELSE json_extract_string(EventData, '$.Privileges[*]') END) AS p
  FROM ${t} WHERE TimeGenerated > ${DAY1} AND EventID = 4672) GROUP BY 1`,
  },
];
