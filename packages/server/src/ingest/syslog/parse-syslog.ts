// One syslog message -> its fields. RFC 5424 is recognised by its version digit after the PRI;
// everything else is read as RFC 3164 (BSD syslog) with the variants real senders produce: ISO
// timestamps where the BSD one belongs, a year in the timestamp, no hostname. A message whose
// 3164 header cannot be read is kept whole as the MSG, stamped with the time it was received,
// as RFC 3164 section 4.3.2 tells a relay to do. Only a missing PRI is an error.
import { MONTHS, inferYear, parseIsoTimestamp, utcDate, type WallClock } from './timestamps.ts';

export interface ParsedSyslog {
  facility: number;
  severity: number;
  /** When the message says it happened, UTC. */
  timestamp: Date;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  structuredData?: Record<string, Record<string, string>>;
  /** The STRUCTURED-DATA part exactly as sent (RFC 5424), for tables without a column for it. */
  structuredDataText?: string;
  message: string;
  format: 'rfc3164' | 'rfc5424';
}

export interface SyslogContext {
  receivedAt: Date;
  sourceIp: string;
}

export type SyslogParseResult = ParsedSyslog | { error: string };

const PRI = /^<(\d{1,3})>/;
const BOM = '\uFEFF';

export function parseSyslog(frame: string, ctx: SyslogContext): SyslogParseResult {
  // Delimiters a datagram sender may leave on the end.
  const text = frame.replace(/[\r\n\0]+$/, '');
  const pri = PRI.exec(text);
  if (pri === null) return { error: 'not a syslog message: it does not start with a <PRI> such as <13>' };
  const value = Number(pri[1]);
  if (value > 191) return { error: `PRI ${value} is out of range (0-191)` };
  const facility = value >> 3;
  const severity = value & 7;
  const rest = text.slice(pri[0].length);
  if (/^[1-9]\d{0,2} /.test(rest)) return parse5424(rest, facility, severity, ctx);
  return parse3164(rest, facility, severity, ctx);
}

// RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
function parse5424(text: string, facility: number, severity: number, ctx: SyslogContext): SyslogParseResult {
  const fields: string[] = [];
  let pos = 0;
  for (let n = 0; n < 6; n++) {
    const space = text.indexOf(' ', pos);
    if (space === -1) return { error: `RFC 5424 header is incomplete: ${['version', 'timestamp', 'hostname', 'app-name', 'procid', 'msgid'][n]} is not followed by a space` };
    fields.push(text.slice(pos, space));
    pos = space + 1;
  }
  const [version, stamp, hostname, appName, procId, msgId] = fields as [string, string, string, string, string, string];
  if (version !== '1') return { error: `RFC 5424 version ${version} is not supported (only 1)` };
  let timestamp = ctx.receivedAt;
  if (stamp !== '-') {
    const parsed = /[Zz]$|[+-]\d{2}:\d{2}$/.test(stamp) ? parseIsoTimestamp(stamp) : undefined;
    if (parsed === undefined) return { error: `RFC 5424 timestamp ${JSON.stringify(stamp.slice(0, 40))} is not an RFC 3339 date-time with a zone` };
    timestamp = parsed;
  }
  const sd = parseStructuredData(text, pos);
  if ('error' in sd) return sd;
  let message = text.slice(sd.end);
  if (message.startsWith(' ')) message = message.slice(1);
  else if (message !== '') return { error: 'RFC 5424 structured data must be followed by a space or the end of the message' };
  if (message.startsWith(BOM)) message = message.slice(BOM.length);
  const result: ParsedSyslog = { facility, severity, timestamp, message, format: 'rfc5424' };
  if (hostname !== '-') result.hostname = hostname;
  if (appName !== '-') result.appName = appName;
  if (procId !== '-') result.procId = procId;
  if (msgId !== '-') result.msgId = msgId;
  if (sd.elements !== undefined) {
    result.structuredData = sd.elements;
    result.structuredDataText = text.slice(pos, sd.end);
  }
  return result;
}

type SdResult = { end: number; elements?: Record<string, Record<string, string>> } | { error: string };

// SD-NAME: printable US-ASCII except '=', SP, ']' and '"', 1 to 32 characters.
const SD_NAME = /^[!#-<>-\\^-~]{1,32}/;

function parseStructuredData(text: string, start: number): SdResult {
  if (text[start] === '-') return { end: start + 1 };
  if (text[start] !== '[') return { error: 'RFC 5424 structured data must be "-" or start with "["' };
  const elements: Record<string, Record<string, string>> = {};
  let pos = start;
  while (text[pos] === '[') {
    pos++;
    const id = SD_NAME.exec(text.slice(pos, pos + 33));
    if (id === null) return { error: `RFC 5424 structured data: missing SD-ID at offset ${pos}` };
    pos += id[0].length;
    const params: Record<string, string> = {};
    while (text[pos] === ' ') {
      pos++;
      const name = SD_NAME.exec(text.slice(pos, pos + 33));
      if (name === null) return { error: `RFC 5424 structured data: missing PARAM-NAME in [${id[0]}] at offset ${pos}` };
      pos += name[0].length;
      if (text[pos] !== '=' || text[pos + 1] !== '"') return { error: `RFC 5424 structured data: ${name[0]} in [${id[0]}] must be followed by ="value"` };
      pos += 2;
      let value = '';
      for (;;) {
        const ch = text[pos];
        if (ch === undefined) return { error: `RFC 5424 structured data: unterminated value of ${name[0]} in [${id[0]}]` };
        if (ch === '"') break;
        // Only \" \\ and \] are escapes; any other backslash is kept as it is (RFC 5424 6.3.3).
        if (ch === '\\' && (text[pos + 1] === '"' || text[pos + 1] === '\\' || text[pos + 1] === ']')) {
          value += text[pos + 1];
          pos += 2;
        } else {
          value += ch;
          pos++;
        }
      }
      pos++;
      setOwn(params, name[0], value);
    }
    if (text[pos] !== ']') return { error: `RFC 5424 structured data: [${id[0]}] is not closed with "]" at offset ${pos}` };
    pos++;
    // An SD-ID may not repeat (RFC 5424 6.3.2); if a sender repeats one, its parameters merge.
    const existing = Object.prototype.hasOwnProperty.call(elements, id[0]) ? elements[id[0]]! : undefined;
    if (existing !== undefined) Object.assign(existing, params);
    else setOwn(elements, id[0], params);
  }
  return { end: pos, elements };
}

/** Sets a key as an own property even when it is "__proto__". */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// RFC 3164: TIMESTAMP SP HOSTNAME SP TAG[pid]: MSG
const BSD_TIME = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?= |$)/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?(?= |$)/i;
// A tag is a program name: word characters and the punctuation daemons use (postfix/smtpd,
// org.app), never '=' so that key=value text is not read as one.
const TAG = /^([^\s[\]:=]{1,64})(?:\[([^\]\s]{0,32})\])?(:?)(?= |$)/;

function parse3164(text: string, facility: number, severity: number, ctx: SyslogContext): SyslogParseResult {
  const result: ParsedSyslog = { facility, severity, timestamp: ctx.receivedAt, message: text, format: 'rfc3164' };
  const time = readBsdTimestamp(text, ctx.receivedAt) ?? readIsoTimestamp(text);
  // No readable timestamp: the whole content is the message (RFC 3164 4.3.2).
  if (time === undefined) return result;
  result.timestamp = time.date;
  let rest = text.slice(time.length).replace(/^ +/, '');
  let token = rest.split(' ', 1)[0]!;
  if (!isTagToken(token) && !opensCef(token) && token !== '') {
    result.hostname = token;
    rest = rest.slice(token.length).replace(/^ +/, '');
    token = rest.split(' ', 1)[0]!;
  }
  const tag = opensCef(token) ? null : TAG.exec(rest);
  if (tag !== null && (tag[2] !== undefined || tag[3] === ':')) {
    result.appName = tag[1]!;
    if (tag[2] !== undefined && tag[2] !== '') result.procId = tag[2];
    rest = rest.slice(tag[0].length);
    if (rest.startsWith(' ')) rest = rest.slice(1);
  }
  result.message = rest;
  return result;
}

function isTagToken(token: string): boolean {
  const m = TAG.exec(token);
  return m !== null && m[0] === token && (m[2] !== undefined || m[3] === ':');
}

/** "CEF:" opens a CEF payload (some senders write "CEF: 0|..."): never a host or a tag. */
function opensCef(token: string): boolean {
  return /^(?:CEF|LEEF):/.test(token);
}

function readBsdTimestamp(text: string, receivedAt: Date): { date: Date; length: number } | undefined {
  const m = BSD_TIME.exec(text);
  if (m === null) return undefined;
  const [whole, mon, day, year, h, mi, s, frac = ''] = m;
  const month = MONTHS[mon!.toLowerCase()];
  if (month === undefined) return undefined;
  const clock: WallClock = {
    month, day: Number(day), hour: Number(h), minute: Number(mi), second: Number(s),
    millisecond: Number((frac + '000').slice(0, 3)),
  };
  // RFC 3164 timestamps carry no zone. We read them as UTC: the sender's zone is unknowable
  // here, and UTC is what a collector configured for appliances logging in UTC expects.
  const date = year === undefined ? inferYear(clock, receivedAt) : utcDate(Number(year), clock);
  return date === undefined ? undefined : { date, length: whole.length };
}

function readIsoTimestamp(text: string): { date: Date; length: number } | undefined {
  const m = ISO_TIME.exec(text);
  if (m === null) return undefined;
  const date = parseIsoTimestamp(m[0]);
  return date === undefined ? undefined : { date, length: m[0].length };
}
