// The declarative environment file (`vigil apply <file.yaml>`): directories, principals,
// subscriptions, resource groups, workspaces, role assignments and Lighthouse delegations.
// Handles (`name`) are local to the file and let entries refer to each other; references
// across directories are written `<directory name>/<principal name>`.
import { z } from 'zod';

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID such as 11111111-2222-3333-4444-555555555555');
const handle = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a handle: letters, digits, ".", "_" or "-"');

const User = z.object({
  name: handle,
  id: guid.optional(),
  upn: z.string().email('must be a sign-in name such as alice@contoso.example'),
  displayName: z.string().min(1).optional(),
  password: z.string().min(8, 'must be at least 8 characters'),
}).strict();

const Group = z.object({
  name: handle,
  id: guid.optional(),
  displayName: z.string().min(1).optional(),
  members: z.array(z.string()).default([]),
}).strict();

const ServicePrincipal = z.object({
  name: handle,
  id: guid.optional(),
  appId: guid.optional(),
  displayName: z.string().min(1).optional(),
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
}).strict();

const Guest = z.object({
  user: z.string().includes('/', { message: "must name a user of another directory as '<directory>/<user>'" }),
  id: guid.optional(),
}).strict();

const RoleAssignment = z.object({
  principal: z.string(),
  role: z.string(),
  /** Below the subscription: `<resourceGroup>` or `<resourceGroup>/<workspace>`. */
  scope: z.string().optional(),
}).strict();

/** A Microsoft Sentinel data connector of the workspace (Syslog and CEF ones listen on their port). */
const DataConnector = z.object({
  name: handle,
  kind: z.enum(['Syslog', 'CEF', 'LogsIngestion', 'HttpDataCollector', 'AzureActiveDirectory', 'AzureActivity', 'Office365', 'ThreatIntelligence']),
  /** LogsIngestion: a data collection rule of the same resource group, by name. */
  dataCollectionRule: z.string().optional(),
  /** The connector's ARM properties (Syslog and CEF: protocol, port, address). */
  properties: z.record(z.string(), z.unknown()).default({}),
}).strict();

const duration = z.string().regex(/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/i, 'must be an ISO 8601 duration such as PT5M, PT1H or P1D');

/** An analytics rule made from a template of Vigil's gallery (by id or display name). */
const AnalyticsRule = z.object({
  template: z.string().min(1),
  /** The rule's name (its id in ARM); the template's id by default, as Sentinel's YAML export names rules. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, ".", "_" or "-"').optional(),
  /** The principal the rule runs as (its reach resolves workspace() references): a user or service principal of this directory. */
  runAs: z.string(),
  enabled: z.boolean().default(true),
  queryFrequency: duration.optional(),
  queryPeriod: duration.optional(),
  severity: z.enum(['High', 'Medium', 'Low', 'Informational']).optional(),
}).strict();

const Workspace = z.object({
  name: z.string(),
  customerId: guid.optional(),
  retentionInDays: z.number().int().optional(),
  sku: z.string().optional(),
  sentinel: z.boolean().default(true),
  dataConnectors: z.array(DataConnector).default([]),
  analyticsRules: z.array(AnalyticsRule).default([]),
}).strict();

/** A data collection rule routing Microsoft's standard streams (Microsoft-SecurityEvent, ...) to their tables in one workspace. */
const DataCollectionRule = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{1,62}[A-Za-z0-9_]$/, "must be 3-64 letters, digits, '-', '_' or '.'"),
  /** A workspace of the same resource group, by name. */
  workspace: z.string(),
  streams: z.array(z.string().regex(/^Microsoft-[A-Za-z0-9_]+$/, 'must be a standard stream such as Microsoft-SecurityEvent')).min(1),
}).strict();

const ResourceGroup = z.object({
  name: z.string(),
  location: z.string().default('westeurope'),
  dataCollectionRules: z.array(DataCollectionRule).default([]),
  workspaces: z.array(Workspace).default([]),
}).strict();

const Authorization = z.object({
  principal: z.string(),
  role: z.string(),
  principalDisplayName: z.string().optional(),
  delegatedRoles: z.array(z.string()).optional(),
}).strict();

const EligibleAuthorization = z.object({
  principal: z.string(),
  role: z.string(),
  principalDisplayName: z.string().optional(),
  maximumActivationDuration: z.string().default('PT8H'),
  multiFactorAuthProvider: z.enum(['Azure', 'None']).default('None'),
  approvers: z.array(z.string()).default([]),
}).strict();

const Delegation = z.object({
  offer: z.string().min(1),
  description: z.string().optional(),
  managedBy: z.string(),
  /** A resource group of the subscription; the whole subscription when absent. */
  resourceGroup: z.string().optional(),
  /**
   * An ARM template in Microsoft's Lighthouse onboarding format (path relative to this file,
   * e.g. Microsoft's delegated-resource-management subscription.json): the offer is deployed
   * through it, with its parameters (mspOfferName, mspOfferDescription, managedByTenantId,
   * authorizations, eligibleAuthorizations) made from this entry, as a deployment of the
   * customer's subscription. Without it the offer is written directly.
   */
  template: z.string().min(1).optional(),
  /** The deployment's name when `template` is given (default lighthouse-onboarding). */
  deploymentName: z.string().regex(/^[A-Za-z0-9_.()-]{1,64}$/, 'must be 1-64 letters, digits or ._-()').optional(),
  authorizations: z.array(Authorization).min(1),
  eligibleAuthorizations: z.array(EligibleAuthorization).default([]),
}).strict();

const Subscription = z.object({
  name: handle,
  id: guid.optional(),
  displayName: z.string().min(1).optional(),
  providers: z.array(z.string()).default([]),
  resourceGroups: z.array(ResourceGroup).default([]),
  roleAssignments: z.array(RoleAssignment).default([]),
  delegations: z.array(Delegation).default([]),
}).strict();

const Directory = z.object({
  name: handle,
  id: guid.optional(),
  displayName: z.string().min(1),
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain such as contoso.example'),
  users: z.array(User).default([]),
  groups: z.array(Group).default([]),
  servicePrincipals: z.array(ServicePrincipal).default([]),
  guests: z.array(Guest).default([]),
  subscriptions: z.array(Subscription).default([]),
}).strict();

export const EnvironmentFile = z.object({
  directories: z.array(Directory).min(1, 'declare at least one directory'),
}).strict();

export type EnvironmentFile = z.infer<typeof EnvironmentFile>;
export type DirectorySpec = z.infer<typeof Directory>;
export type SubscriptionSpec = z.infer<typeof Subscription>;
