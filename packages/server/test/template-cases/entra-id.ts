// Crafted sign-ins and directory changes for the Entra ID templates (detect/templates/entra-id.ts).
import { MINUTES_PER_DAY, times, type TemplateCase } from './case.ts';

const signIn = (ago: number, user: string, ip: string, resultType: string, country = 'DE') => ({
  ago, UserPrincipalName: user, IPAddress: ip, ResultType: resultType, AppDisplayName: 'Office 365 Exchange Online',
  LocationDetails: { countryOrRegion: country, city: 'somewhere' }, Status: { errorCode: Number(resultType) },
});

const audit = (ago: number, operation: string, target: Record<string, unknown>, result = 'success', actor = 'mallory@contoso.example') => ({
  ago, OperationName: operation, Result: result, Category: 'UserManagement', LoggedByService: 'Core Directory',
  InitiatedBy: { user: { userPrincipalName: actor, ipAddress: '203.0.113.20' } }, TargetResources: [target],
});

const consent = (ago: number, app: string, scope: string) => audit(ago, 'Consent to application', {
  displayName: app, id: '5e3a1f0c-0000-4000-8000-00000000a001', type: 'ServicePrincipal',
  modifiedProperties: [
    { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: '"False"' },
    { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: `"[] => [[Id: x, ClientId: c, PrincipalId: p, ResourceId: r, ConsentType: Principal, Scope: ${scope}, CreatedDateTime: , LastModifiedDateTime ]]; "` },
  ],
}, 'success', 'victim@contoso.example');

const roleAdded = (ago: number, user: string, role: string) => audit(ago, 'Add member to role', {
  userPrincipalName: user, type: 'User',
  modifiedProperties: [
    { displayName: 'Role.ObjectID', oldValue: null, newValue: '"0a1b2c3d-0000-4000-8000-000000000001"' },
    { displayName: 'Role.DisplayName', oldValue: null, newValue: `"${role}"` },
  ],
});

export const ENTRA_ID_CASES: TemplateCase[] = [
  {
    template: '322b5ead-0271-4e90-b92e-b2db5ca6e814',
    malicious: { SigninLogs: times(12, (i) => signIn(50 - i, `user${i}@contoso.example`, '203.0.113.10', '50126')) },
    entity: '203.0.113.10',
    benign: { SigninLogs: [
      ...times(9, (i) => signIn(50 - i, `user${i}@contoso.example`, '198.51.100.1', '50126')),
      // Many accounts asked for MFA from one office address: not a password failure.
      ...times(15, (i) => signIn(40 - i, `user${i}@contoso.example`, '10.1.1.1', '50074')),
    ] },
  },
  {
    template: '4fb96587-93ab-4660-9ad3-b2ad494be922',
    malicious: { SigninLogs: [...times(12, (i) => signIn(50 - i, 'alice@contoso.example', '203.0.113.11', '50126')), signIn(30, 'alice@contoso.example', '203.0.113.11', '0')] },
    entity: 'alice@contoso.example',
    benign: { SigninLogs: [
      ...times(12, (i) => signIn(50 - i, 'bob@contoso.example', '203.0.113.12', '50126')),
      ...times(3, (i) => signIn(50 - i, 'carol@contoso.example', '10.0.0.30', '50126')), signIn(40, 'carol@contoso.example', '10.0.0.30', '0'),
      ...times(12, (i) => signIn(50 - i, 'dave@contoso.example', '203.0.113.13', '50126')), signIn(30, 'dave@contoso.example', '10.0.0.31', '0'),
    ] },
  },
  {
    template: '9a51324f-fce1-4ec1-a171-aa1bbd92db6a',
    malicious: { SigninLogs: [
      ...[10, 5, 2].map((days) => signIn(days * MINUTES_PER_DAY, 'alice@contoso.example', '198.51.100.60', '0', 'DE')),
      signIn(120, 'alice@contoso.example', '203.0.113.61', '0', 'RU'),
      signIn(100, 'newcomer@contoso.example', '198.51.100.62', '0', 'US'),
    ] },
    entity: 'alice@contoso.example',
    benign: { SigninLogs: [
      ...[10, 5, 2].map((days) => signIn(days * MINUTES_PER_DAY, 'alice@contoso.example', '198.51.100.60', '0', 'DE')),
      signIn(120, 'alice@contoso.example', '198.51.100.63', '0', 'DE'),
      // A failed sign-in from elsewhere, and an account without history.
      signIn(110, 'alice@contoso.example', '203.0.113.64', '50126', 'RU'),
      signIn(100, 'newcomer@contoso.example', '198.51.100.62', '0', 'US'),
    ] },
  },
  {
    template: '880f4bd1-30ee-432c-99d1-91083a869087',
    malicious: { SigninLogs: [signIn(100, 'bob@contoso.example', '198.51.100.70', '0', 'DE'), signIn(40, 'bob@contoso.example', '203.0.113.71', '0', 'BR')] },
    entity: 'bob@contoso.example',
    benign: { SigninLogs: [
      signIn(170, 'bob@contoso.example', '198.51.100.70', '0', 'DE'), signIn(20, 'bob@contoso.example', '198.51.100.72', '0', 'FR'),
      signIn(100, 'carol@contoso.example', '198.51.100.73', '0', 'DE'), signIn(90, 'carol@contoso.example', '198.51.100.74', '0', 'DE'),
      signIn(80, 'dave@contoso.example', '198.51.100.75', '0', 'DE'), signIn(70, 'dave@contoso.example', '203.0.113.76', '50126', 'CN'),
    ] },
  },
  {
    template: '82f724a5-ec1e-4e4c-b2d7-c44831a42654',
    malicious: { SigninLogs: [signIn(30, 'former@contoso.example', '198.51.100.50', '50057')] },
    entity: 'former@contoso.example',
    benign: { SigninLogs: [signIn(30, 'amy@contoso.example', '198.51.100.51', '50126'), signIn(20, 'amy@contoso.example', '198.51.100.51', '0')] },
  },
  {
    template: '460901ed-a010-44e2-b0f2-b4d92cb3be37',
    malicious: { AuditLogs: [audit(30, 'Disable Strong Authentication', { userPrincipalName: 'ceo@contoso.example', type: 'User' })] },
    entity: 'ceo@contoso.example',
    benign: { AuditLogs: [
      audit(30, 'Update user', { userPrincipalName: 'ceo@contoso.example', type: 'User' }),
      audit(20, 'Disable Strong Authentication', { userPrincipalName: 'cfo@contoso.example', type: 'User' }, 'failure'),
    ] },
  },
  {
    template: 'b9a6a808-2c68-4454-a73d-e741cc680aa4',
    malicious: { AuditLogs: [consent(30, 'Mail Helper Pro', 'Mail.Read Mail.Send offline_access User.Read')] },
    entity: 'Mail Helper Pro',
    benign: { AuditLogs: [consent(30, 'Contoso Timesheets', 'openid profile User.Read'), consent(20, 'Mailbox Reader', 'Mail.ReadBasic.Shared')] },
  },
  {
    template: 'd023b17e-cc01-474e-80ac-4def8b39eee7',
    malicious: { AuditLogs: [roleAdded(30, 'eve@contoso.example', 'Global Administrator')] },
    entity: 'eve@contoso.example',
    benign: { AuditLogs: [roleAdded(30, 'amy@contoso.example', 'Reports Reader'), audit(20, 'Add member to group', { userPrincipalName: 'amy@contoso.example', type: 'User', modifiedProperties: [] })] },
  },
];
