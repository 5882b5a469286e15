/**
 * Azure built-in role definitions that Vigil understands.
 *
 * Ids, names, descriptions and permission blocks are Microsoft's published values, taken from
 * the generated "Azure built-in roles" reference on learn.microsoft.com (the per-category pages
 * Privileged, General, Monitor, Security and Management and governance). The strings are kept as
 * Microsoft publishes them, including their inconsistent casing and the odd duplicate entry:
 * action matching is case-insensitive, so neither changes what a role allows.
 *
 * A role lists one or more permission blocks; within a block the effective permissions are
 * `actions` minus `notActions` (and `dataActions` minus `notDataActions`), and a role allows
 * whatever any of its blocks allows. Matching lives in `action-match.ts`.
 */

export interface Permission {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

export interface RoleDefinition {
  /** Lower-case GUID; identical in every Azure tenant and cloud. */
  id: string;
  roleName: string;
  description: string;
  roleType: 'BuiltInRole';
  permissions: readonly Permission[];
}

export const ROLE_IDS = Object.freeze({
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  logAnalyticsContributor: '92aaf0da-9dab-42b6-94a3-d43ce8d16293',
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893',
  sentinelContributor: 'ab8e14d6-4a74-4a29-9ba8-549422addade',
  sentinelResponder: '3e150937-b8fe-4cfb-8069-0eaf05ecd056',
  sentinelReader: '8d289c81-5878-46d4-8554-54e1e3d8b5cb',
  sentinelAutomationContributor: 'f4c81013-99ee-4d62-a7ee-b3f1f648599a',
  sentinelPlaybookOperator: '51d6186e-6489-4900-b93f-92e23144cca5',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  registrationAssignmentDeleteRole: '91c1777a-f3dc-4fae-b103-61d183457e46',
  resourcePolicyContributor: '36243c78-bf99-498c-9df9-86d9f8d28608',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
  monitoringContributor: '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
  securityReader: '39bc4728-0917-49c7-9d2c-d95423bc2eb4',
  securityAdmin: 'fb1c8493-542b-48eb-b624-b4c8fea62acd',
} as const);

export type RoleKey = keyof typeof ROLE_IDS;

interface PermissionInput {
  actions?: readonly string[];
  notActions?: readonly string[];
  dataActions?: readonly string[];
  notDataActions?: readonly string[];
}

function role(id: string, roleName: string, description: string, block: PermissionInput): RoleDefinition {
  const permission: Permission = Object.freeze({
    actions: Object.freeze([...(block.actions ?? [])]),
    notActions: Object.freeze([...(block.notActions ?? [])]),
    dataActions: Object.freeze([...(block.dataActions ?? [])]),
    notDataActions: Object.freeze([...(block.notDataActions ?? [])]),
  });
  return Object.freeze({
    id: id.toLowerCase(),
    roleName,
    description,
    roleType: 'BuiltInRole' as const,
    permissions: Object.freeze([permission]),
  });
}

// Recurring entries, named for readability only.
const SUPPORT = 'Microsoft.Support/*';
const AUTHZ_READ = 'Microsoft.Authorization/*/read';
const CLASSIC_ALERTS = 'Microsoft.Insights/alertRules/*';
const DEPLOYMENTS = 'Microsoft.Resources/deployments/*';
const RG_READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';
const CONFIDENTIAL_WATCHLISTS = [
  'Microsoft.SecurityInsights/ConfidentialWatchlists/*',
  'Microsoft.OperationalInsights/workspaces/query/ConfidentialWatchlist/*',
] as const;

export const BUILTIN_ROLES: readonly RoleDefinition[] = Object.freeze([
  // --- Privileged (learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged)
  role(ROLE_IDS.owner, 'Owner', 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.', {
    actions: ['*'],
  }),
  role(
    ROLE_IDS.contributor,
    'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    {
      actions: ['*'],
      notActions: [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    },
  ),
  role(ROLE_IDS.userAccessAdministrator, 'User Access Administrator', 'Lets you manage user access to Azure resources.', {
    actions: ['*/read', 'Microsoft.Authorization/*', SUPPORT],
  }),

  // --- General (.../built-in-roles/general)
  role(ROLE_IDS.reader, 'Reader', 'View all resources, but does not allow you to make any changes.', {
    actions: ['*/read'],
  }),

  // --- Monitor (.../built-in-roles/monitor)
  role(
    ROLE_IDS.logAnalyticsContributor,
    'Log Analytics Contributor',
    'Log Analytics Contributor can read all monitoring data and edit monitoring settings. Editing monitoring settings includes adding the VM extension to VMs; reading storage account keys to be able to configure collection of logs from Azure Storage; adding solutions; and configuring Azure diagnostics on all Azure resources.',
    {
      actions: [
        '*/read',
        'Microsoft.ClassicCompute/virtualMachines/extensions/*',
        'Microsoft.ClassicStorage/storageAccounts/listKeys/action',
        'Microsoft.Compute/virtualMachines/extensions/*',
        'Microsoft.HybridCompute/machines/extensions/write',
        CLASSIC_ALERTS,
        'Microsoft.Insights/diagnosticSettings/*',
        'Microsoft.OperationalInsights/*',
        'Microsoft.OperationsManagement/*',
        DEPLOYMENTS,
        'Microsoft.Resources/subscriptions/resourcegroups/deployments/*',
        'Microsoft.Storage/storageAccounts/listKeys/action',
        SUPPORT,
      ],
    },
  ),
  role(
    ROLE_IDS.logAnalyticsReader,
    'Log Analytics Reader',
    'Log Analytics Reader can view and search all monitoring data as well as and view monitoring settings, including viewing the configuration of Azure diagnostics on all Azure resources.',
    {
      actions: ['*/read', 'Microsoft.OperationalInsights/workspaces/analytics/query/action', 'Microsoft.OperationalInsights/workspaces/search/action', SUPPORT],
      notActions: ['Microsoft.OperationalInsights/workspaces/sharedKeys/read'],
    },
  ),
  role(ROLE_IDS.monitoringContributor, 'Monitoring Contributor', 'Can read all monitoring data and update monitoring settings.', {
    actions: [
      '*/read',
      'Microsoft.AlertsManagement/alerts/*',
      'Microsoft.AlertsManagement/alertsSummary/*',
      'Microsoft.AlertsManagement/issues/*',
      'Microsoft.Insights/actiongroups/*',
      'Microsoft.Insights/activityLogAlerts/*',
      'Microsoft.Insights/AlertRules/*',
      'Microsoft.Insights/components/*',
      'Microsoft.Insights/createNotifications/*',
      'Microsoft.Insights/dataCollectionEndpoints/*',
      'Microsoft.Insights/dataCollectionRules/*',
      'Microsoft.Insights/dataCollectionRuleAssociations/*',
      'Microsoft.Insights/DiagnosticSettings/*',
      'Microsoft.Insights/eventtypes/*',
      'Microsoft.Insights/LogDefinitions/*',
      'Microsoft.Insights/metricalerts/*',
      'Microsoft.Insights/MetricDefinitions/*',
      'Microsoft.Insights/Metrics/*',
      'Microsoft.Insights/notificationStatus/*',
      'Microsoft.Insights/Register/Action',
      'Microsoft.Insights/scheduledqueryrules/*',
      'Microsoft.Insights/webtests/*',
      'Microsoft.Insights/workbooks/*',
      'Microsoft.Insights/workbooktemplates/*',
      'Microsoft.Insights/privateLinkScopes/*',
      'Microsoft.Insights/privateLinkScopeOperationStatuses/*',
      'Microsoft.Monitor/accounts/*',
      'Microsoft.Monitor/settings/*',
      'Microsoft.OperationalInsights/workspaces/write',
      'Microsoft.OperationalInsights/workspaces/intelligencepacks/*',
      'Microsoft.OperationalInsights/workspaces/savedSearches/*',
      'Microsoft.OperationalInsights/workspaces/search/action',
      'Microsoft.OperationalInsights/workspaces/sharedKeys/action',
      'Microsoft.OperationalInsights/workspaces/sharedKeys/read',
      'Microsoft.OperationalInsights/workspaces/storageinsightconfigs/*',
      'Microsoft.OperationalInsights/locations/workspaces/failover/action',
      'Microsoft.OperationalInsights/workspaces/failback/action',
      SUPPORT,
      'Microsoft.AlertsManagement/smartDetectorAlertRules/*',
      'Microsoft.AlertsManagement/actionRules/*',
      'Microsoft.AlertsManagement/smartGroups/*',
      'Microsoft.AlertsManagement/migrateFromSmartDetection/*',
      'Microsoft.AlertsManagement/investigations/*',
      'Microsoft.AlertsManagement/prometheusRuleGroups/*',
      'Microsoft.Monitor/investigations/*',
      DEPLOYMENTS,
    ],
  }),
  role(ROLE_IDS.monitoringMetricsPublisher, 'Monitoring Metrics Publisher', 'Enables publishing metrics against Azure resources', {
    actions: ['Microsoft.Insights/Register/Action', SUPPORT, RG_READ],
    dataActions: ['Microsoft.Insights/Metrics/Write', 'Microsoft.Insights/Telemetry/Write'],
  }),
  role(ROLE_IDS.monitoringReader, 'Monitoring Reader', 'Can read all monitoring data.', {
    actions: ['*/read', 'Microsoft.OperationalInsights/workspaces/search/action', SUPPORT],
  }),

  // --- Security (.../built-in-roles/security)
  role(ROLE_IDS.sentinelAutomationContributor, 'Microsoft Sentinel Automation Contributor', 'Microsoft Sentinel Automation Contributor', {
    actions: [
      AUTHZ_READ,
      'Microsoft.Logic/workflows/triggers/read',
      'Microsoft.Logic/workflows/triggers/listCallbackUrl/action',
      'Microsoft.Logic/workflows/runs/read',
      'Microsoft.Web/sites/hostruntime/webhooks/api/workflows/triggers/read',
      'Microsoft.Web/sites/hostruntime/webhooks/api/workflows/triggers/listCallbackUrl/action',
      'Microsoft.Web/sites/hostruntime/webhooks/api/workflows/runs/read',
    ],
  }),
  role(ROLE_IDS.sentinelContributor, 'Microsoft Sentinel Contributor', 'Microsoft Sentinel Contributor', {
    actions: [
      'Microsoft.SecurityInsights/*',
      'Microsoft.OperationalInsights/workspaces/analytics/query/action',
      'Microsoft.OperationalInsights/workspaces/*/read',
      'Microsoft.OperationalInsights/workspaces/savedSearches/*',
      'Microsoft.OperationsManagement/solutions/read',
      'Microsoft.OperationalInsights/workspaces/query/read',
      'Microsoft.OperationalInsights/workspaces/query/*/read',
      'Microsoft.OperationalInsights/workspaces/dataSources/read',
      'Microsoft.OperationalInsights/querypacks/*/read',
      'Microsoft.Insights/workbooks/*',
      'Microsoft.Insights/myworkbooks/read',
      AUTHZ_READ,
      CLASSIC_ALERTS,
      DEPLOYMENTS,
      RG_READ,
      SUPPORT,
    ],
    notActions: [...CONFIDENTIAL_WATCHLISTS],
  }),
  role(ROLE_IDS.sentinelPlaybookOperator, 'Microsoft Sentinel Playbook Operator', 'Microsoft Sentinel Playbook Operator', {
    actions: [
      'Microsoft.Logic/workflows/read',
      'Microsoft.Logic/workflows/triggers/listCallbackUrl/action',
      'Microsoft.Web/sites/hostruntime/webhooks/api/workflows/triggers/listCallbackUrl/action',
      'Microsoft.Web/sites/read',
    ],
  }),
  role(ROLE_IDS.sentinelReader, 'Microsoft Sentinel Reader', 'Microsoft Sentinel Reader', {
    actions: [
      'Microsoft.SecurityInsights/*/read',
      'Microsoft.SecurityInsights/dataConnectorsCheckRequirements/action',
      'Microsoft.SecurityInsights/threatIntelligence/indicators/query/action',
      'Microsoft.SecurityInsights/threatIntelligence/queryIndicators/action',
      'Microsoft.OperationalInsights/workspaces/analytics/query/action',
      'Microsoft.OperationalInsights/workspaces/*/read',
      'Microsoft.OperationalInsights/workspaces/LinkedServices/read',
      'Microsoft.OperationalInsights/workspaces/savedSearches/read',
      'Microsoft.OperationsManagement/solutions/read',
      'Microsoft.OperationalInsights/workspaces/query/read',
      'Microsoft.OperationalInsights/workspaces/query/*/read',
      'Microsoft.OperationalInsights/querypacks/*/read',
      'Microsoft.OperationalInsights/workspaces/dataSources/read',
      'Microsoft.Insights/workbooks/read',
      'Microsoft.Insights/myworkbooks/read',
      AUTHZ_READ,
      CLASSIC_ALERTS,
      DEPLOYMENTS,
      RG_READ,
      'Microsoft.Resources/templateSpecs/*/read',
      SUPPORT,
    ],
    notActions: [...CONFIDENTIAL_WATCHLISTS],
  }),
  role(ROLE_IDS.sentinelResponder, 'Microsoft Sentinel Responder', 'Microsoft Sentinel Responder', {
    actions: [
      'Microsoft.SecurityInsights/*/read',
      'Microsoft.SecurityInsights/dataConnectorsCheckRequirements/action',
      'Microsoft.SecurityInsights/automationRules/*',
      'Microsoft.SecurityInsights/cases/*',
      'Microsoft.SecurityInsights/incidents/*',
      'Microsoft.SecurityInsights/entities/runPlaybook/action',
      'Microsoft.SecurityInsights/threatIntelligence/indicators/appendTags/action',
      'Microsoft.SecurityInsights/threatIntelligence/indicators/query/action',
      'Microsoft.SecurityInsights/threatIntelligence/bulkTag/action',
      'Microsoft.SecurityInsights/threatIntelligence/indicators/appendTags/action',
      'Microsoft.SecurityInsights/threatIntelligence/indicators/replaceTags/action',
      'Microsoft.SecurityInsights/threatIntelligence/queryIndicators/action',
      'Microsoft.SecurityInsights/businessApplicationAgents/systems/undoAction/action',
      'Microsoft.OperationalInsights/workspaces/analytics/query/action',
      'Microsoft.OperationalInsights/workspaces/*/read',
      'Microsoft.OperationalInsights/workspaces/dataSources/read',
      'Microsoft.OperationalInsights/workspaces/savedSearches/read',
      'Microsoft.OperationsManagement/solutions/read',
      'Microsoft.OperationalInsights/workspaces/query/read',
      'Microsoft.OperationalInsights/workspaces/query/*/read',
      'Microsoft.OperationalInsights/workspaces/dataSources/read',
      'Microsoft.OperationalInsights/querypacks/*/read',
      'Microsoft.Insights/workbooks/read',
      'Microsoft.Insights/myworkbooks/read',
      AUTHZ_READ,
      CLASSIC_ALERTS,
      DEPLOYMENTS,
      RG_READ,
      SUPPORT,
    ],
    notActions: ['Microsoft.SecurityInsights/cases/*/Delete', 'Microsoft.SecurityInsights/incidents/*/Delete', ...CONFIDENTIAL_WATCHLISTS],
  }),
  role(ROLE_IDS.securityAdmin, 'Security Admin', 'Security Admin Role', {
    actions: [
      AUTHZ_READ,
      'Microsoft.Authorization/policyAssignments/*',
      'Microsoft.Authorization/policyDefinitions/*',
      'Microsoft.Authorization/policyExemptions/*',
      'Microsoft.Authorization/policySetDefinitions/*',
      CLASSIC_ALERTS,
      'Microsoft.Management/managementGroups/read',
      'Microsoft.operationalInsights/workspaces/*/read',
      DEPLOYMENTS,
      RG_READ,
      'Microsoft.Security/*',
      'Microsoft.IoTSecurity/*',
      'Microsoft.IoTFirmwareDefense/*',
      SUPPORT,
    ],
  }),
  role(ROLE_IDS.securityReader, 'Security Reader', 'Security Reader Role', {
    actions: [
      AUTHZ_READ,
      'Microsoft.Insights/alertRules/read',
      'Microsoft.operationalInsights/workspaces/*/read',
      'Microsoft.Resources/deployments/*/read',
      RG_READ,
      'Microsoft.Security/*/read',
      'Microsoft.IoTSecurity/*/read',
      'Microsoft.Support/*/read',
      'Microsoft.Security/iotDefenderSettings/packageDownloads/action',
      'Microsoft.Security/iotDefenderSettings/downloadManagerActivation/action',
      'Microsoft.Security/iotSensors/downloadResetPassword/action',
      'Microsoft.IoTSecurity/defenderSettings/packageDownloads/action',
      'Microsoft.IoTSecurity/defenderSettings/downloadManagerActivation/action',
      'Microsoft.Management/managementGroups/read',
    ],
  }),

  // --- Management and governance (.../built-in-roles/management-and-governance)
  role(
    ROLE_IDS.registrationAssignmentDeleteRole,
    'Managed Services Registration assignment Delete Role',
    'Managed Services Registration Assignment Delete Role allows the managing tenant users to delete the registration assignment assigned to their tenant.',
    {
      actions: [
        'Microsoft.ManagedServices/registrationAssignments/read',
        'Microsoft.ManagedServices/registrationAssignments/delete',
        'Microsoft.ManagedServices/operationStatuses/read',
      ],
    },
  ),
  role(
    ROLE_IDS.resourcePolicyContributor,
    'Resource Policy Contributor',
    'Users with rights to create/modify resource policy, create support ticket and read resources/hierarchy.',
    {
      actions: [
        '*/read',
        'Microsoft.Authorization/policyassignments/*',
        'Microsoft.Authorization/policydefinitions/*',
        'Microsoft.Authorization/policyexemptions/*',
        'Microsoft.Authorization/policysetdefinitions/*',
        'Microsoft.PolicyInsights/*',
        DEPLOYMENTS,
        SUPPORT,
      ],
    },
  ),
]);

const BY_ID: ReadonlyMap<string, RoleDefinition> = new Map(BUILTIN_ROLES.map((r) => [r.id, r]));
const BY_NAME: ReadonlyMap<string, RoleDefinition> = new Map(BUILTIN_ROLES.map((r) => [r.roleName.toLowerCase(), r]));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The lower-case GUID named by a role definition reference: a bare GUID, or any resource id
 * ending in `/providers/Microsoft.Authorization/roleDefinitions/{guid}` (tenant-level, or under a
 * subscription, resource group or management group). Returns undefined for anything else.
 */
export function roleDefinitionGuid(ref: string): string | undefined {
  const segments = ref.trim().toLowerCase().split('/').filter((s) => s.length > 0);
  const guid = segments.at(-1);
  if (guid === undefined || !GUID.test(guid)) return undefined;
  if (segments.length === 1) return guid;
  const n = segments.length;
  if (n < 4 || segments[n - 2] !== 'roledefinitions' || segments[n - 3] !== 'microsoft.authorization' || segments[n - 4] !== 'providers') {
    return undefined;
  }
  return guid;
}

/** Looks a built-in role up by bare GUID or full role definition id, case-insensitively. */
export function findBuiltinRole(id: string): RoleDefinition | undefined {
  const guid = roleDefinitionGuid(id);
  return guid === undefined ? undefined : BY_ID.get(guid);
}

/** Looks a built-in role up by its display name, case-insensitively. */
export function findBuiltinRoleByName(name: string): RoleDefinition | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** True when any permission block grants data-plane actions (such roles cannot be delegated through Lighthouse). */
export function hasDataActions(role: RoleDefinition): boolean {
  return role.permissions.some((p) => p.dataActions.length > 0);
}
