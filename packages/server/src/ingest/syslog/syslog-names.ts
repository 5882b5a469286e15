// The words Log Analytics writes in Syslog.Facility and Syslog.SeverityLevel.
// Facilities: the "Priority Name" table of Azure Monitor's "Collect Syslog events with Azure
// Monitor Agent" (articles/azure-monitor/agents/data-collection-syslog.md), which names 13-15
// audit, alert and clock, in lower case as the Facility column holds them (kern, not Kern).
// Severities: the syslog keywords (emerg ... debug) that Syslog rows carry; "err" and "warning",
// not "error" and "warn".

export const FACILITY_NAMES: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

export const SEVERITY_NAMES: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

export function facilityName(facility: number): string {
  return FACILITY_NAMES[facility] ?? String(facility);
}

export function severityName(severity: number): string {
  return SEVERITY_NAMES[severity] ?? String(severity);
}
