// Template functions that depend on the deployment: parameters(), variables(),
// subscription(), resourceGroup(), deployment(), resourceId(),
// subscriptionResourceId(), guid() and uniqueString().

import type { JsonObject } from './arm-values.ts';
import type { CallSite, EvalContext, TemplateFunction } from './eval-context.ts';
import { expectAllStrings, expectCount, expectString, functionError } from './function-args.ts';
import { armGuid } from './guid.ts';
import { nameMismatch, resourceIdAt, splitResourceName, splitResourceType, type ResourceScope } from './resource-id.ts';
import { uniqueString } from './unique-string.ts';

function scopeDescription(ctx: EvalContext): string {
  const { subscriptionId, resourceGroup } = ctx.scope;
  return resourceGroup === undefined
    ? `subscription scope (subscription '${subscriptionId}')`
    : `resource group scope (resource group '${resourceGroup}' in subscription '${subscriptionId}')`;
}

/** Shared by resourceId() and subscriptionResourceId(): split leading scope arguments, type and names. */
function buildId(args: unknown[], site: CallSite, maxLeading: number, scopeFor: (leading: string[]) => ResourceScope): string {
  const strings = expectAllStrings(args, site);
  const typeIndex = strings.findIndex((arg) => arg.includes('/'));
  if (typeIndex < 0) {
    throw functionError(site, "no resource type was given. Pass the type as 'Namespace/type' followed by the resource name(s).");
  }
  if (typeIndex > maxLeading) {
    throw functionError(site, `it accepts at most ${maxLeading} argument(s) before the resource type but got ${typeIndex}: ${strings.slice(0, typeIndex).map((s) => `'${s}'`).join(', ')}.`);
  }
  const type = strings[typeIndex] as string;
  const typeSegments = splitResourceType(type);
  if (typeSegments === null) throw functionError(site, `'${type}' is not a resource type; expected 'Namespace/type' such as 'Microsoft.ManagedServices/registrationDefinitions'.`);
  const names = strings.slice(typeIndex + 1);
  const nameSegments = names.flatMap(splitResourceName);
  const mismatch = nameMismatch(typeSegments, nameSegments);
  if (mismatch !== null) throw functionError(site, `${mismatch}.`);
  return resourceIdAt(scopeFor(strings.slice(0, typeIndex)), typeSegments, nameSegments);
}

const resourceId: TemplateFunction = (args, ctx, site) =>
  buildId(args, site, 2, (leading) => {
    if (leading.length === 2) return { subscriptionId: leading[0] as string, resourceGroup: leading[1] as string };
    if (leading.length === 1) return { subscriptionId: ctx.scope.subscriptionId, resourceGroup: leading[0] as string };
    return ctx.scope.resourceGroup === undefined
      ? { subscriptionId: ctx.scope.subscriptionId }
      : { subscriptionId: ctx.scope.subscriptionId, resourceGroup: ctx.scope.resourceGroup };
  });

const subscriptionResourceId: TemplateFunction = (args, ctx, site) =>
  buildId(args, site, 1, (leading) => ({ subscriptionId: leading[0] ?? ctx.scope.subscriptionId }));

const subscription: TemplateFunction = (args, ctx, site) => {
  expectCount(args, site, 0);
  const { subscriptionId, tenantId, subscriptionDisplayName } = ctx.scope;
  return { id: `/subscriptions/${subscriptionId}`, subscriptionId, tenantId, displayName: subscriptionDisplayName ?? subscriptionId };
};

const resourceGroup: TemplateFunction = (args, ctx, site) => {
  expectCount(args, site, 0);
  const { subscriptionId, resourceGroup: name, resourceGroupLocation } = ctx.scope;
  if (name === undefined) {
    throw functionError(
      site,
      `resourceGroup() is only available in a deployment at resource group scope, but this expression is evaluated at ${scopeDescription(ctx)}. ` +
        "Use a nested Microsoft.Resources/deployments resource with a 'resourceGroup' property and expressionEvaluationOptions.scope 'inner', or pass the name as a parameter.",
    );
  }
  const group: JsonObject = {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    name,
    type: 'Microsoft.Resources/resourceGroups',
    properties: { provisioningState: 'Succeeded' },
  };
  if (resourceGroupLocation !== undefined) group.location = resourceGroupLocation;
  return group;
};

const deployment: TemplateFunction = (args, ctx, site) => {
  expectCount(args, site, 0);
  const result: JsonObject = { name: ctx.scope.deploymentName };
  if (ctx.scope.location !== undefined) result.location = ctx.scope.location;
  return result;
};

export const SCOPE_FUNCTIONS: Record<string, TemplateFunction> = {
  parameters: (args, ctx, site) => (expectCount(args, site, 1), ctx.parameter(expectString(args, 0, site), site)),
  variables: (args, ctx, site) => (expectCount(args, site, 1), ctx.variable(expectString(args, 0, site), site)),
  subscription,
  resourceGroup,
  deployment,
  resourceId,
  subscriptionResourceId,
  guid: (args, _ctx, site) => (expectCount(args, site, 1, Infinity), armGuid(expectAllStrings(args, site))),
  uniqueString: (args, _ctx, site) => (expectCount(args, site, 1, Infinity), uniqueString(expectAllStrings(args, site))),
};
