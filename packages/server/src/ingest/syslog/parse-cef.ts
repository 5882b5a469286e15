// ArcSight Common Event Format, as carried in the MSG of a syslog message:
//   CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
// Header fields escape '|' and '\' with a backslash; extension values escape '=' and '\' and
// may carry \n and \r. Extension values are not quoted and may hold spaces: a value runs until
// the next " key=".
import { setOwn } from './parse-syslog.ts';

export interface Cef {
  version: string;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  deviceEventClassId: string;
  name: string;
  /** As sent: 0-10, or Unknown/Low/Medium/High/Very-High, or whatever the device chose. */
  severity: string;
  extensions: Record<string, string>;
  /** Extension text before the first key=value, which no key owns (kept, not dropped). */
  unparsedExtension?: string;
}

export type CefParseResult = Cef | { error: string };

const HEADER_FIELDS = 7;

export function parseCef(message: string): CefParseResult {
  const at = message.indexOf('CEF:');
  if (at === -1) return { error: 'not a CEF message: no "CEF:" in the message' };
  // Some senders put a space after the colon ("CEF: 0|...").
  const body = message.slice(at + 4).replace(/^ +/, '');
  const header: string[] = [];
  let field = '';
  let pos = 0;
  while (pos < body.length && header.length < HEADER_FIELDS) {
    const ch = body[pos]!;
    if (ch === '\\' && (body[pos + 1] === '|' || body[pos + 1] === '\\')) {
      field += body[pos + 1];
      pos += 2;
    } else if (ch === '|') {
      header.push(field);
      field = '';
      pos++;
    } else {
      field += ch;
      pos++;
    }
  }
  let extension: string;
  if (header.length === HEADER_FIELDS) {
    extension = body.slice(pos);
  } else if (header.length === HEADER_FIELDS - 1) {
    // No trailing '|' after the severity: a CEF event without extensions.
    header.push(field.replace(/[\r\n]+$/, ''));
    extension = '';
  } else {
    return { error: `CEF header has ${header.length + 1} of its ${HEADER_FIELDS} '|'-separated fields (Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity)` };
  }
  const [version, deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name, severity] = header as [string, string, string, string, string, string, string];
  if (!/^\d+(\.\d+)?$/.test(version.trim())) return { error: `CEF version ${JSON.stringify(version.slice(0, 20))} is not a number` };
  const parsed = parseExtension(extension);
  const cef: Cef = {
    version: version.trim(), deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name,
    severity: severity.trim(), extensions: parsed.extensions,
  };
  if (parsed.unparsed !== '') cef.unparsedExtension = parsed.unparsed;
  return cef;
}

// Keys are letters, digits, '_', '.', '-' and brackets (ArcSight keys and the vendor keys seen in
// practice: RADIUS.Acct-Session-Id, ad.Items[0]). A backslash or space never belongs to a key.
const KEY_CHAR = /[A-Za-z0-9_.\-[\]]/;

function parseExtension(text: string): { extensions: Record<string, string>; unparsed: string } {
  const extensions: Record<string, string> = {};
  // Every unescaped '=' preceded by a key that starts the text or follows a space opens a pair.
  const starts: { keyStart: number; eq: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch !== '=') continue;
    let k = i;
    while (k > 0 && KEY_CHAR.test(text[k - 1]!)) k--;
    if (k === i) continue;
    if (k > 0 && !/\s/.test(text[k - 1]!)) continue;
    starts.push({ keyStart: k, eq: i });
  }
  const unparsed = (starts.length === 0 ? text : text.slice(0, starts[0]!.keyStart)).trim();
  for (let n = 0; n < starts.length; n++) {
    const { keyStart, eq } = starts[n]!;
    const end = n + 1 < starts.length ? starts[n + 1]!.keyStart : text.length;
    const key = text.slice(keyStart, eq);
    setOwn(extensions, key, unescapeValue(text.slice(eq + 1, end).trim()));
  }
  return { extensions, unparsed };
}

function unescapeValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\' || i + 1 >= raw.length) {
      out += ch;
      continue;
    }
    const next = raw[i + 1]!;
    if (next === '=' || next === '\\') out += next;
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else {
      // Not a CEF escape: keep the backslash (Windows paths sent unescaped).
      out += ch;
      continue;
    }
    i++;
  }
  return out;
}
