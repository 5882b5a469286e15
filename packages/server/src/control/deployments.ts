// Template deployments: plan the template (pure), then apply every resource in one database
// transaction, each write authorized as if it were its own request. Any failure rolls the
// whole deployment back: nothing half-written. The outcome is recorded as the deployment.
import type { Db } from '../db/database.ts';
import type { DeploymentTable } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { planDeployment, type PlannedResource } from '../arm/template/index.ts';
import { canonicalId, resourceGroupScope, subscriptionScope } from '../arm/resource-id.ts';
import { authorize, type Grant } from '../access/authorize.ts';
import { requireOnboardingRights } from '../access/onboarding.ts';
import type { Caller } from '../access/caller.ts';
import { RegistrationDefinitionProperties } from '../access/lighthouse-rules.ts';
import { upsertRegistrationAssignment, upsertRegistrationDefinition } from './delegations.ts';
import { createOrUpdateWorkspace, type WorkspaceInput } from './workspaces.ts';
import { getResourceGroup } from './resource-groups.ts';
import { validateBody } from '../validation.ts';
import { z } from 'zod';

export type Deployment = DeploymentTable;

export const DeploymentBody = z.object({
  location: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.object({
    mode: z.enum(['Incremental', 'Complete'], { message: "properties.mode must be 'Incremental' (Vigil does not run 'Complete' deployments, which delete resources absent from the template)" }),
    template: z.record(z.string(), z.unknown()).optional(),
    templateLink: z.unknown().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    parametersLink: z.unknown().optional(),
  }).passthrough(),
}).passthrough();
export type DeploymentRequest = z.infer<typeof DeploymentBody>;

export function deploymentId(subscriptionId: string, resourceGroup: string | undefined, name: string): string {
  const scope = resourceGroup === undefined ? subscriptionScope(subscriptionId) : resourceGroupScope(subscriptionId, resourceGroup);
  return `${scope}/providers/microsoft.resources/deployments/${name.toLowerCase()}`;
}

interface ApplyContext {
  db: Db;
  caller: Caller;
  grant: Grant | undefined;
  now: () => Date;
}

type Applier = (ctx: ApplyContext, r: PlannedResource) => Promise<void>;

const scopeOfPlanned = (r: PlannedResource) =>
  r.resourceGroup === undefined ? subscriptionScope(r.subscriptionId) : resourceGroupScope(r.subscriptionId, r.resourceGroup);

/** The resource types a template may deploy, each applied through the same domain code as its route. */
const APPLIERS: Record<string, Applier> = {
  'microsoft.managedservices/registrationdefinitions': async (ctx, r) => {
    await requireOnboardingRights(ctx, ctx.caller, scopeOfPlanned(r), ctx.grant);
    const props = validateBody(RegistrationDefinitionProperties, r.properties);
    await upsertRegistrationDefinition(ctx.db, scopeOfPlanned(r), r.name, props, ctx.caller.name, ctx.now());
  },
  'microsoft.managedservices/registrationassignments': async (ctx, r) => {
    await requireOnboardingRights(ctx, ctx.caller, scopeOfPlanned(r), ctx.grant);
    const props = validateBody(z.object({ registrationDefinitionId: z.string().min(1) }).passthrough(), r.properties);
    await upsertRegistrationAssignment(ctx.db, scopeOfPlanned(r), r.name, props.registrationDefinitionId, ctx.caller.name, ctx.now());
  },
  'microsoft.operationalinsights/workspaces': async (ctx, r) => {
    if (r.resourceGroup === undefined) throw new ApiError('InvalidTemplate', `A workspace must be deployed into a resource group (${r.templatePath}).`, { target: r.templatePath });
    const rg = await getResourceGroup(ctx.db, r.subscriptionId, r.resourceGroup);
    if (rg === undefined) throw new ApiError('ResourceGroupNotFound', `Resource group '${r.resourceGroup}' does not exist (${r.templatePath}).`, { target: r.templatePath });
    const props = (r.properties ?? {}) as { retentionInDays?: number; sku?: { name?: string } };
    const input: WorkspaceInput = { location: r.location ?? rg.location };
    if (props.retentionInDays !== undefined) input.retentionInDays = props.retentionInDays;
    if (props.sku?.name !== undefined) input.sku = props.sku.name;
    await createOrUpdateWorkspace(ctx.db, rg, r.name, input, ctx.caller.name, ctx.now());
  },
};

export async function runDeployment(
  db: Db,
  now: () => Date,
  caller: Caller,
  grant: Grant | undefined,
  target: { subscriptionId: string; resourceGroup?: string; name: string },
  body: DeploymentRequest,
  correlationId: string,
): Promise<Deployment> {
  const sub = await db.selectFrom('subscriptions').selectAll().where('id', '=', target.subscriptionId.toLowerCase()).executeTakeFirstOrThrow();
  const id = deploymentId(sub.id, target.resourceGroup, target.name);
  const base = {
    id,
    name: target.name,
    scope: target.resourceGroup === undefined ? subscriptionScope(sub.id) : resourceGroupScope(sub.id, target.resourceGroup),
    subscription_id: sub.id,
    location: body.location ?? null,
    template: JSON.stringify(body.properties.template ?? null),
    parameters: JSON.stringify(redactSecure(body.properties.template, body.properties.parameters ?? {})),
    correlation_id: correlationId,
    created_at: now().toISOString(),
    created_by: caller.name,
  };
  try {
    if (body.properties.mode !== 'Incremental') {
      throw new ApiError('InvalidTemplate', "properties.mode must be 'Incremental'. Vigil does not run 'Complete' deployments.", { target: 'properties.mode' });
    }
    if (body.properties.templateLink !== undefined || body.properties.parametersLink !== undefined) {
      throw new ApiError('InvalidTemplate', 'Linked templates and parameter files (templateLink, parametersLink) are not fetched: Vigil reaches no network. Send the template and parameters inline.', { target: 'properties.templateLink' });
    }
    if (body.properties.template === undefined) {
      throw new ApiError('InvalidTemplate', 'properties.template is required: put the template JSON inline.', { target: 'properties.template' });
    }
    const ctxPlan: Parameters<typeof planDeployment>[2] = { subscriptionId: sub.id, deploymentName: target.name, tenantId: sub.directory_id, subscriptionDisplayName: sub.display_name };
    if (target.resourceGroup !== undefined) ctxPlan.resourceGroup = target.resourceGroup;
    if (body.location !== undefined) ctxPlan.location = body.location;
    const plan = planDeployment(body.properties.template, body.properties.parameters ?? {}, ctxPlan);

    await db.transaction().execute(async (trx) => {
      const ctx: ApplyContext = { db: trx, caller, grant, now };
      for (const nested of plan.nestedDeployments) {
        const scope = nested.resourceGroup === undefined ? subscriptionScope(nested.subscriptionId) : resourceGroupScope(nested.subscriptionId, nested.resourceGroup);
        await requireAllowed(ctx, 'Microsoft.Resources/deployments/write', `${scope}/providers/Microsoft.Resources/deployments/${nested.name}`);
      }
      for (const r of plan.resources) {
        const applier = APPLIERS[r.type.toLowerCase()];
        if (applier === undefined) {
          throw new ApiError('InvalidTemplate', `${r.templatePath}: resource type '${r.type}' cannot be deployed by Vigil. Deployable types: ${Object.keys(APPLIERS).join(', ')}.`, { target: r.templatePath });
        }
        await requireAllowed(ctx, `${r.type}/write`, r.id);
        await applier(ctx, r);
      }
    });
    const row: Deployment = {
      ...base,
      provisioning_state: 'Succeeded',
      outputs: JSON.stringify(plan.outputs),
      output_resources: JSON.stringify(plan.resources.map((r) => ({ id: r.id }))),
      error: null,
    };
    await saveDeployment(db, row);
    return row;
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('InternalServerError', 'The deployment failed unexpectedly; nothing was changed.', { cause: error });
    const wrapped = new ApiError(apiError.code, `Deployment '${target.name}' failed and changed nothing: ${apiError.message}`, apiError.target === undefined ? {} : { target: apiError.target });
    await saveDeployment(db, {
      ...base, provisioning_state: 'Failed', outputs: '{}', output_resources: '[]',
      error: JSON.stringify(wrapped.toBody().error),
    });
    throw wrapped;
  }
}

async function requireAllowed(ctx: ApplyContext, action: string, scope: string): Promise<void> {
  const d = await authorize({ db: ctx.db, now: ctx.now }, ctx.caller, action, scope);
  if (!d.allowed) {
    throw new ApiError('AuthorizationFailed', `The client '${ctx.caller.name}' does not have authorization to perform action '${action}' over scope '${canonicalId(scope)}' (${d.reason}).`, { target: scope });
  }
}

async function saveDeployment(db: Db, row: Deployment): Promise<void> {
  await db.insertInto('deployments').values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
    .execute();
}

/** Parameters declared secureString/secureObject are not stored. */
function redactSecure(template: unknown, parameters: Record<string, unknown>): Record<string, unknown> {
  const declared = (template as { parameters?: Record<string, { type?: string }> } | undefined)?.parameters ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parameters)) {
    const type = Object.entries(declared).find(([name]) => name.toLowerCase() === k.toLowerCase())?.[1]?.type?.toLowerCase();
    out[k] = type === 'securestring' || type === 'secureobject' ? { value: '***' } : v;
  }
  return out;
}

export function presentDeployment(row: Deployment) {
  const scopeDisplay = row.scope.replace('/resourcegroups/', '/resourceGroups/');
  const properties: Record<string, unknown> = {
    provisioningState: row.provisioning_state,
    mode: 'Incremental',
    timestamp: row.created_at,
    duration: 'PT0S',
    correlationId: row.correlation_id,
    parameters: JSON.parse(row.parameters) as unknown,
    outputs: JSON.parse(row.outputs) as unknown,
    outputResources: JSON.parse(row.output_resources) as unknown,
  };
  if (row.error !== null) properties.error = JSON.parse(row.error) as unknown;
  return {
    id: `${scopeDisplay}/providers/Microsoft.Resources/deployments/${row.name}`,
    name: row.name,
    type: 'Microsoft.Resources/deployments',
    ...(row.location === null ? {} : { location: row.location }),
    properties,
  };
}
