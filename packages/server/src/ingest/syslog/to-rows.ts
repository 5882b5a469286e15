// Parsed syslog and CEF -> rows of the Syslog and CommonSecurityLog tables, shaped as the Azure
// Monitor Agent writes them. Values are strings and numbers; the receipt and message times are
// Date objects (the store coerces them without printing and re-parsing text, which showed in the
// syslog receiver's profile), other datetimes ISO 8601 strings.
import type { Cef } from './parse-cef.ts';
import type { ParsedSyslog } from './parse-syslog.ts';
import { cefColumnFor } from './cef-mapping.ts';
import { facilityName, severityName } from './syslog-names.ts';
import { parseCefTimestamp } from './timestamps.ts';

export interface RowContext {
  receivedAt: Date;
  sourceIp: string;
  /** The host running the collector (this server), as CollectorHostName. */
  collectorHostName: string;
}

export type Row = Record<string, unknown>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function syslogRow(p: ParsedSyslog, ctx: RowContext): Row {
  const host = p.hostname ?? ctx.sourceIp;
  const row: Row = {
    TimeGenerated: ctx.receivedAt,
    EventTime: p.timestamp,
    Facility: facilityName(p.facility),
    SeverityLevel: severityName(p.severity),
    Computer: host,
    HostName: host,
    HostIP: ctx.sourceIp,
    // The Syslog table has no column for RFC 5424 structured data: it stays in the message
    // text, where it was sent, rather than being lost.
    SyslogMessage: p.structuredDataText === undefined ? p.message : p.message === '' ? p.structuredDataText : `${p.structuredDataText} ${p.message}`,
    SourceSystem: 'Linux',
    CollectorHostName: ctx.collectorHostName,
  };
  if (p.appName !== undefined) row['ProcessName'] = p.appName;
  const pid = p.procId === undefined ? undefined : toInt32(p.procId);
  if (pid !== undefined) row['ProcessID'] = pid;
  return row;
}

export function cefRow(c: Cef, p: ParsedSyslog, ctx: RowContext): Row {
  const row: Row = {
    TimeGenerated: ctx.receivedAt,
    // "Host, from Syslog" in Microsoft's mapping.
    Computer: p.hostname ?? ctx.sourceIp,
    DeviceVendor: c.deviceVendor,
    DeviceProduct: c.deviceProduct,
    DeviceVersion: c.deviceVersion,
    DeviceEventClassID: c.deviceEventClassId,
    Activity: c.name,
    LogSeverity: c.severity,
    SourceSystem: 'OpsManager',
    CollectorHostName: ctx.collectorHostName,
  };
  // Keys without a column, and values a typed column cannot hold, go to AdditionalExtensions as
  // key=value pairs joined by ';', the form Sentinel uses there.
  const additional: string[] = [];
  if (c.unparsedExtension !== undefined) additional.push(c.unparsedExtension);
  for (const [key, value] of Object.entries(c.extensions)) {
    const target = cefColumnFor(key);
    if (target === undefined || Object.prototype.hasOwnProperty.call(row, target.column)) {
      additional.push(`${key}=${value}`);
      continue;
    }
    if (value === '') continue;
    const typed = typedValue(target.type, value, ctx.receivedAt);
    if (typed === undefined) additional.push(`${key}=${value}`);
    else row[target.column] = typed;
  }
  if (additional.length > 0) row['AdditionalExtensions'] = additional.join(';');
  return row;
}

function typedValue(type: 'string' | 'int' | 'long' | 'real' | 'datetime', value: string, receivedAt: Date): string | number | undefined {
  switch (type) {
    case 'string':
      return value;
    case 'int':
      return toInt32(value);
    case 'long': {
      if (!/^[-+]?\d{1,19}$/.test(value)) return undefined;
      const big = BigInt(value);
      if (big < INT64_MIN || big > INT64_MAX) return undefined;
      // Past 2^53 a JS number would round: the store reads the digits into an exact long.
      return Number.isSafeInteger(Number(big)) ? Number(big) : big.toString();
    }
    case 'real': {
      if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value)) return undefined;
      const n = Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'datetime':
      return parseCefTimestamp(value, receivedAt)?.toISOString();
  }
}

function toInt32(value: string): number | undefined {
  if (!/^[-+]?\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}
