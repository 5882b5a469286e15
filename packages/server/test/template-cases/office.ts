// Crafted Microsoft 365 activity for the Office templates (detect/templates/office.ts).
import { times, type TemplateCase } from './case.ts';

const download = (ago: number, user: string, file: string) => ({
  ago, OfficeWorkload: 'SharePoint', RecordType: 'SharePointFileOperation', Operation: 'FileDownloaded', UserId: user, ClientIP: '198.51.100.80',
  OfficeObjectId: `https://contoso.sharepoint.com/sites/finance/Shared Documents/${file}`, Site_Url: 'https://contoso.sharepoint.com/sites/finance/',
});

const exchange = (ago: number, operation: string, user: string, parameters: { Name: string; Value: string }[]) => ({
  ago, OfficeWorkload: 'Exchange', RecordType: 'ExchangeAdmin', Operation: operation, UserId: user, OfficeObjectId: user, ClientIP: '203.0.113.90',
  Parameters: JSON.stringify(parameters), ResultStatus: 'True',
});

export const OFFICE_CASES: TemplateCase[] = [
  {
    template: '87702621-18f3-4868-b047-4d971e481535',
    malicious: { OfficeActivity: times(120, (i) => download(50 - i / 3, 'leaver@contoso.example', `report-${i}.xlsx`)) },
    entity: 'leaver@contoso.example',
    benign: { OfficeActivity: [
      // The same three files again and again (a sync loop), and a busy day of 40 files.
      ...times(150, (i) => download(50 - i / 4, 'analyst@contoso.example', `dashboard-${i % 3}.xlsx`)),
      ...times(40, (i) => download(45 - i, 'amy@contoso.example', `notes-${i}.docx`)),
    ] },
  },
  {
    template: 'ccadac00-60ac-483d-9462-6d0cc1b51cdb',
    malicious: { OfficeActivity: [exchange(30, 'New-InboxRule', 'ceo@contoso.example', [
      { Name: 'Name', Value: '.' }, { Name: 'ForwardTo', Value: 'drop@evil.example' }, { Name: 'MarkAsRead', Value: 'True' },
    ])] },
    entity: 'drop@evil.example',
    benign: { OfficeActivity: [
      exchange(30, 'New-InboxRule', 'amy@contoso.example', [{ Name: 'Name', Value: 'Newsletters' }, { Name: 'MoveToFolder', Value: 'Newsletters' }]),
      exchange(20, 'Set-Mailbox', 'bob@contoso.example', [{ Name: 'Identity', Value: 'bob' }, { Name: 'ForwardingSmtpAddress', Value: '' }]),
    ] },
  },
];
