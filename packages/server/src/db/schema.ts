// Row types of the control-plane database, as Kysely sees them.
// Ids are stored lower-case (ARM ids are case-insensitive); display names keep their case.
// Times are ISO-8601 strings in UTC so that SQLite and PostgreSQL compare them the same way.
// JSON columns hold text: both backends can store it, and only our code reads inside it.
import type { Generated } from 'kysely';

export interface DirectoryTable {
  id: string;
  display_name: string;
  default_domain: string;
  created_at: string;
}

export type PrincipalKind = 'User' | 'Group' | 'ServicePrincipal';

export interface PrincipalTable {
  id: string;
  directory_id: string;
  kind: PrincipalKind;
  display_name: string;
  /** Users: sign-in name (lower-case). Guests carry their home sign-in name. */
  user_principal_name: string | null;
  /** Users with a password in this directory (members). Null for guests, groups and apps. */
  password_hash: string | null;
  /** Guests: the user object in their home directory whose credentials they sign in with. */
  home_principal_id: string | null;
  /** Service principals: the application (client) id. */
  app_id: string | null;
  created_at: string;
}

export interface GroupMemberTable {
  group_id: string;
  member_id: string;
}

export interface ClientSecretTable {
  id: string;
  principal_id: string;
  secret_hash: string;
  hint: string;
  display_name: string;
  expires_at: string;
  created_at: string;
}

export interface SigningKeyTable {
  kid: string;
  directory_id: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
}

export interface SubscriptionTable {
  id: string;
  directory_id: string;
  display_name: string;
  state: 'Enabled' | 'Disabled';
  created_at: string;
}

export type RegistrationState = 'NotRegistered' | 'Registering' | 'Registered' | 'Unregistering';

export interface ProviderRegistrationTable {
  subscription_id: string;
  namespace: string;
  state: RegistrationState;
  updated_at: string;
}

export interface ResourceGroupTable {
  /** Lower-case ARM id: /subscriptions/{s}/resourcegroups/{name}. */
  id: string;
  subscription_id: string;
  name: string;
  location: string;
  tags: string;
  created_at: string;
}

export interface WorkspaceTable {
  /** Lower-case ARM id. */
  id: string;
  subscription_id: string;
  resource_group_id: string;
  name: string;
  /** The workspace id (Log Analytics calls it customerId). */
  customer_id: string;
  location: string;
  sku: string;
  retention_days: number;
  /** Keys of the HTTP Data Collector API (SharedKey signatures). */
  primary_shared_key: string | null;
  secondary_shared_key: string | null;
  /** Sentinel onboarding (onboardingStates/default); null when not enabled. */
  sentinel_onboarded_at: string | null;
  tags: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface DataConnectorTable {
  id: string;
  workspace_id: string;
  name: string;
  kind: string;
  properties: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface RoleAssignmentTable {
  /** Lower-case full id: {scope}/providers/Microsoft.Authorization/roleAssignments/{name}. */
  id: string;
  name: string;
  /** Lower-case scope id: a subscription, resource group or resource. */
  scope: string;
  subscription_id: string;
  principal_id: string;
  role_definition_id: string;
  created_at: string;
  created_by: string;
}

export interface RegistrationDefinitionTable {
  id: string;
  name: string;
  /** Lower-case scope the definition was created at (subscription or resource group). */
  scope: string;
  subscription_id: string;
  registration_definition_name: string;
  description: string;
  managed_by_tenant_id: string;
  /** JSON arrays as sent, validated. */
  authorizations: string;
  eligible_authorizations: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface RegistrationAssignmentTable {
  id: string;
  name: string;
  scope: string;
  subscription_id: string;
  registration_definition_id: string;
  etag: string;
  created_at: string;
  created_by: string;
}

export type EligibleRequestStatus = 'PendingApproval' | 'Active' | 'Denied' | 'Expired' | 'Revoked';

export interface EligibleActivationTable {
  id: string;
  registration_assignment_id: string;
  principal_id: string;
  role_definition_id: string;
  justification: string;
  status: EligibleRequestStatus;
  requested_at: string;
  requested_duration: string;
  decided_by: string | null;
  decided_at: string | null;
  starts_at: string | null;
  expires_at: string | null;
}

export interface DeploymentTable {
  id: string;
  name: string;
  scope: string;
  subscription_id: string;
  location: string | null;
  template: string;
  parameters: string;
  provisioning_state: 'Succeeded' | 'Failed';
  outputs: string;
  output_resources: string;
  error: string | null;
  correlation_id: string;
  created_at: string;
  created_by: string;
}

export interface OperationTable {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  resource_id: string;
  error: string | null;
  started_at: string;
  /** The directory whose principals may read this operation. */
  directory_id: string;
}

export interface ActivityLogTable {
  id: Generated<number>;
  event_id: string;
  /** The directory that owns the resource: the log is theirs. */
  directory_id: string;
  subscription_id: string | null;
  resource_id: string;
  operation: string;
  http_method: string;
  status: 'Succeeded' | 'Failed';
  http_status: number;
  caller_principal_id: string;
  caller_directory_id: string;
  caller_name: string;
  /** Set when the call went through a Lighthouse delegation. */
  delegation_assignment_id: string | null;
  correlation_id: string;
  message: string | null;
  time: string;
}

export interface DirectoryFilterTable {
  principal_id: string;
  directory_id: string;
  directory_ids: string;
  subscription_ids: string;
  updated_at: string;
}

export interface LogTableTable {
  /** `${workspace id}/${lower-case table name}`. */
  id: string;
  workspace_id: string;
  name: string;
  kind: 'custom' | 'standard';
  /** JSON array of {name, type, description?}: a custom table's own columns. */
  columns: string;
  retention_days: number | null;
  total_retention_days: number | null;
  plan: 'Analytics' | 'Basic';
  etag: string;
  created_at: string;
  updated_at: string;
}

export interface SavedSearchTable {
  /** Lower-case full ARM id: {workspace id}/savedsearches/{name}. */
  id: string;
  /** The workspace's customer id. */
  workspace_id: string;
  /** The saved search id as created (display case). */
  name: string;
  category: string;
  display_name: string;
  query: string;
  function_alias: string | null;
  /** Lower-case alias: aliases are unique in a workspace whatever their case. */
  function_alias_key: string | null;
  function_parameters: string | null;
  version: number | null;
  /** JSON array of {name, value}. */
  tags: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface WatchlistTable {
  /** Lower-case: {workspace id}/providers/microsoft.securityinsights/watchlists/{alias}. */
  id: string;
  workspace_id: string;
  /** As first given (queries match it exactly: _GetWatchlist('alias')). */
  alias: string;
  /** The watchlist's GUID (properties.watchlistId, the Watchlist table's WatchlistId). */
  watchlist_id: string;
  display_name: string;
  provider: string;
  source: string | null;
  source_type: string | null;
  description: string | null;
  /** JSON: string[]. */
  labels: string;
  default_duration: string | null;
  items_search_key: string;
  content_type: string | null;
  number_of_lines_to_skip: number;
  /** JSON: the CSV header's column names in order ([] for a watchlist made without content). */
  columns: string;
  etag: string;
  created_at: string;
  /** JSON: UserInfo {objectId, email, name}. */
  created_by: string;
  updated_at: string;
  /** JSON: UserInfo. */
  updated_by: string;
}

export interface WatchlistItemTable {
  /** Lower-case: {watchlist id}/watchlistitems/{item id}. */
  id: string;
  /** The watchlist's row id (watchlists.id). */
  watchlist_id: string;
  /** The item's GUID as given or made. */
  item_id: string;
  /** Order within the watchlist (CSV order, then creation): items list in this order. */
  seq: number;
  /** JSON: the item's fields (column -> string). */
  items_key_value: string;
  /** JSON: object. */
  entity_mapping: string;
  search_key: string;
  etag: string;
  created_at: string;
  created_by: string;
  /** Also the item's last _DTTimestamp in the Watchlist table: each change writes a later one. */
  updated_at: string;
  updated_by: string;
}

export interface WatchlistOutboxTable {
  seq: Generated<number>;
  workspace_id: string;
  /** JSON: one Watchlist table row, waiting to be appended to the workspace's log store. */
  record: string;
}

export interface DataCollectionResourceTable {
  id: string;
  subscription_id: string;
  resource_group_id: string;
  name: string;
  location: string;
  /** dcr-<32 hex> for rules, dce-<32 hex> for endpoints. */
  immutable_id: string;
  properties: string;
  tags: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface UsageHourlyTable {
  workspace_id: string;
  table_name: string;
  hour: string;
  rows: number;
  bytes: number;
  materialized_at: string | null;
}

export interface IngestionStatsTable {
  workspace_id: string;
  source: string;
  day: string;
  events: number;
  bytes: number;
  dropped: number;
  last_event_at: string | null;
}

export interface AlertRuleTable {
  /** Lower-case: {workspace id}/providers/microsoft.securityinsights/alertrules/{name}. */
  id: string;
  /** The workspace's customer id. */
  workspace_id: string;
  /** The rule id as created (display case). */
  name: string;
  kind: 'Scheduled' | 'NRT';
  /** JSON: the canonical properties (detect/rule-model.ts). */
  properties: string;
  /** 1 or 0: copied out of properties so the scheduler can select enabled rules. */
  enabled: number;
  etag: string;
  /** The principal whose reach the rule's query runs with (the last one to save it): workspace() resolves among what it may read. */
  run_as_principal_id: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** ISO time the first window starts from: when the rule was (re)enabled or its schedule changed. */
  schedule_from: string;
  /** Why the scheduler disabled the rule (it kept failing); null otherwise. */
  disabled_reason: string | null;
}

export interface RuleRunTable {
  id: Generated<number>;
  rule_id: string;
  window_start: string;
  window_end: string;
  started_at: string;
  duration_ms: number;
  status: 'Succeeded' | 'Failed';
  rows: number | null;
  alerts: number;
  error: string | null;
}

export interface AlertTable {
  /** SecurityAlert.SystemAlertId. */
  id: string;
  workspace_id: string;
  /** The rule's lower-case id (kept when the rule is deleted: alerts outlive their rule). */
  rule_id: string;
  window_end: string;
  time_generated: string;
  severity: string;
  display_name: string;
  /** JSON: SecurityAlert.Entities. */
  entities: string;
  /** JSON: the whole SecurityAlert row, appended to the log store as is. */
  record: string;
  /** 1 once the row is in the workspace's SecurityAlert table. */
  appended: number;
  incident_id: string | null;
}

export interface IncidentTable {
  /** Lower-case: {workspace id}/providers/microsoft.securityinsights/incidents/{name}. */
  id: string;
  workspace_id: string;
  /** The incident id as created (a GUID for incidents Vigil creates). */
  name: string;
  /** Unique within the workspace, from 1. */
  number: number;
  title: string;
  description: string;
  severity: 'High' | 'Medium' | 'Low' | 'Informational';
  status: 'New' | 'Active' | 'Closed';
  classification: string | null;
  classification_reason: string | null;
  classification_comment: string | null;
  /** JSON: {objectId, email, assignedTo, userPrincipalName, ownerType} (all null when unassigned). */
  owner: string;
  /** JSON: [{labelName, labelType}]. */
  labels: string;
  /** JSON: the lower-case ids of the rules whose alerts it groups. */
  rule_ids: string;
  /** JSON: the tactics of its alerts. */
  tactics: string;
  /** What alerts must share to join it (rule + grouping values); null when it takes no more. */
  grouping_key: string | null;
  first_activity: string | null;
  last_activity: string | null;
  provider_name: string;
  etag: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  closed_at: string | null;
}

export interface IncidentCommentTable {
  id: string;
  incident_id: string;
  name: string;
  message: string;
  /** JSON: {objectId, email, name, userPrincipalName}. */
  author: string;
  etag: string;
  created_at: string;
  updated_at: string;
}

export interface AutomationRuleTable {
  /** Lower-case: {workspace id}/providers/microsoft.securityinsights/automationrules/{name}. */
  id: string;
  workspace_id: string;
  name: string;
  /** JSON: the canonical ARM properties (incidents/automation-rule-model.ts), without the server's fields. */
  properties: string;
  rule_order: number;
  enabled: number;
  triggers_on: 'Incidents' | 'Alerts';
  triggers_when: 'Created' | 'Updated';
  expires_at: string | null;
  etag: string;
  created_at: string;
  /** JSON: ClientInfo {objectId, email, name, userPrincipalName}. */
  created_by: string;
  updated_at: string;
  /** JSON: ClientInfo. */
  updated_by: string;
}

export interface IncidentTaskTable {
  id: string;
  incident_id: string;
  name: string;
  /** Order of creation within the incident (tasks list in this order). */
  seq: number;
  title: string;
  description: string;
  status: 'New' | 'Completed';
  etag: string;
  created_at: string;
  /** JSON: ClientInfo. */
  created_by: string;
  updated_at: string;
  /** JSON: ClientInfo. */
  updated_by: string;
}

export interface PendingAutomationTable {
  id: Generated<number>;
  workspace_id: string;
  /** JSON: the AutomationEvent list the run owes. */
  events: string;
  created_at: string;
}

export interface Database {
  directories: DirectoryTable;
  principals: PrincipalTable;
  group_members: GroupMemberTable;
  client_secrets: ClientSecretTable;
  signing_keys: SigningKeyTable;
  subscriptions: SubscriptionTable;
  provider_registrations: ProviderRegistrationTable;
  resource_groups: ResourceGroupTable;
  workspaces: WorkspaceTable;
  data_connectors: DataConnectorTable;
  role_assignments: RoleAssignmentTable;
  registration_definitions: RegistrationDefinitionTable;
  registration_assignments: RegistrationAssignmentTable;
  eligible_activations: EligibleActivationTable;
  deployments: DeploymentTable;
  operations: OperationTable;
  activity_log: ActivityLogTable;
  directory_filters: DirectoryFilterTable;
  log_tables: LogTableTable;
  saved_searches: SavedSearchTable;
  watchlists: WatchlistTable;
  watchlist_items: WatchlistItemTable;
  watchlist_outbox: WatchlistOutboxTable;
  alert_rules: AlertRuleTable;
  rule_runs: RuleRunTable;
  alerts: AlertTable;
  pending_automation: PendingAutomationTable;
  incidents: IncidentTable;
  incident_comments: IncidentCommentTable;
  automation_rules: AutomationRuleTable;
  incident_tasks: IncidentTaskTable;
  data_collection_endpoints: DataCollectionResourceTable;
  data_collection_rules: DataCollectionResourceTable;
  usage_hourly: UsageHourlyTable;
  ingestion_stats: IngestionStatsTable;
}
