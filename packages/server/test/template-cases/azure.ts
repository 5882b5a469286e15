// Crafted activity log and Key Vault events for the Azure templates (detect/templates/azure.ts).
import { times, type TemplateCase } from './case.ts';

const SUBSCRIPTION = '00000000-0000-0000-0000-00000000aa01';
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

const roleAssignment = (ago: number, status: string, role: string, operation = 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE') => ({
  ago, OperationNameValue: operation, OperationName: 'Create role assignment', ActivityStatusValue: status, Caller: 'mallory@contoso.example',
  CallerIpAddress: '203.0.113.60', CategoryValue: 'Administrative', SubscriptionId: SUBSCRIPTION,
  ResourceId: `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/6A1D0F5E-0000-4000-8000-000000000001`,
  Properties_d: { requestbody: JSON.stringify({ Id: '6a1d0f5e-0000-4000-8000-000000000001', Properties: { PrincipalId: '9f8e7d6c-0000-4000-8000-00000000e001', RoleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${role}`, Scope: `/subscriptions/${SUBSCRIPTION}` } }) },
});

const vaultRead = (ago: number, app: string, vault: string, operation = 'SecretGet') => ({
  ago, ResourceProvider: 'MICROSOFT.KEYVAULT', ResourceType: 'VAULTS', Resource: vault, Category: 'AuditEvent',
  ResourceId: `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/RG-SEC/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/${vault}`,
  OperationName: operation, identity_claim_appid_g: app, CallerIPAddress: '203.0.113.70', ResultSignature: 'OK', id_s: `https://${vault.toLowerCase()}.vault.azure.net/secrets/s${ago % 40}`,
});

const HARVESTER = '1a2b3c4d-0000-4000-8000-0000000000a1';
const BACKUP_APP = '1a2b3c4d-0000-4000-8000-0000000000b2';

export const AZURE_CASES: TemplateCase[] = [
  {
    template: '2f05abce-a662-435e-b41b-4f46ec400724',
    malicious: { AzureActivity: [roleAssignment(20, 'Start', OWNER), roleAssignment(19, 'Success', OWNER)] },
    entity: 'mallory@contoso.example',
    severity: 'High',
    benign: { AzureActivity: [
      roleAssignment(20, 'Start', READER), roleAssignment(19, 'Failure', OWNER),
      roleAssignment(10, 'Success', READER, 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/DELETE'),
    ] },
  },
  {
    template: 'fbbc043e-f660-40a2-a33c-0327fb669779',
    malicious: { AzureDiagnostics: [
      ...times(80, (i) => vaultRead(50 - i / 2, HARVESTER, 'KV-PROD')),
      ...times(23, (i) => vaultRead(90 + i * 60, HARVESTER, 'KV-PROD')),
    ] },
    entity: '/SUBSCRIPTIONS/00000000-0000-0000-0000-00000000AA01/RESOURCEGROUPS/RG-SEC/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PROD',
    benign: { AzureDiagnostics: [
      // A backup job that reads this much every hour.
      ...times(24 * 60, (i) => vaultRead(i + 0.5, BACKUP_APP, 'KV-PROD')),
      ...times(30, (i) => vaultRead(40 - i, HARVESTER, 'KV-PROD')),
    ] },
  },
];
