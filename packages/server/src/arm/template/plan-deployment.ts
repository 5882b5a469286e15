// planDeployment(): evaluates an ARM template (the subset the Azure
// Lighthouse onboarding templates use) against parameter values and a target
// scope, and returns the resources to create, in dependency order, with every
// expression evaluated. Pure: no I/O, no database.

import { cloneJson, findProperty } from './arm-values.ts';
import { topologicalOrder } from './dependency-order.ts';
import type { ExpressionScope } from './eval-context.ts';
import { evaluateOutputs } from './outputs.ts';
import { readParameterDeclarations, readSuppliedParameters } from './parameters.ts';
import { describeNode, type DeploymentNode, type LevelNode, type ResourceNode } from './plan-nodes.ts';
import { TemplateContext } from './template-context.ts';
import { TemplateError } from './template-error.ts';
import { checkTemplateShape } from './template-shape.ts';
import { walkResources } from './walk-template.ts';

export { TemplateError } from './template-error.ts';

export interface DeploymentContext {
  /** The target subscription. */
  subscriptionId: string;
  /** Set for a resource-group-scoped deployment. */
  resourceGroup?: string;
  deploymentName: string;
  /** Directory owning the subscription (for subscription().tenantId). */
  tenantId: string;
  /** Deployment location (subscription deployments carry one). */
  location?: string;
  /** For subscription().displayName; defaults to the subscription id. */
  subscriptionDisplayName?: string;
  /** For resourceGroup().location; omitted from resourceGroup() when unknown. */
  resourceGroupLocation?: string;
}

export interface PlannedResource {
  type: string;
  apiVersion: string;
  /** Evaluated. */
  name: string;
  subscriptionId: string;
  /** Scope of this resource: the nested deployment's resource group, or the context's. */
  resourceGroup?: string;
  /** Full ARM id: /subscriptions/{s}[/resourceGroups/{rg}]/providers/{type}/{name}. */
  id: string;
  /** Fully evaluated (no '[...]' expressions left); {} when the template gives none. */
  properties: unknown;
  location?: string;
  /** Resolved full ids of the resources this one must wait for. */
  dependsOn: string[];
  /** Where it came from, e.g. "resources[1].properties.template.resources[0]". */
  templatePath: string;
  /** Name of the nested deployment it came from, if any. */
  nestedDeployment?: string;
  tags?: unknown;
  sku?: unknown;
  kind?: unknown;
  plan?: unknown;
  identity?: unknown;
  zones?: unknown;
}

export interface PlannedNestedDeployment {
  name: string;
  id: string;
  resourceGroup?: string;
  subscriptionId: string;
  templatePath: string;
  outputs: Record<string, { type: string; value: unknown }>;
}

export interface DeploymentPlan {
  /** In an order that respects dependsOn (template order otherwise). */
  resources: PlannedResource[];
  nestedDeployments: PlannedNestedDeployment[];
  outputs: Record<string, { type: string; value: unknown }>;
}

type GraphEntry = { kind: 'resource'; node: ResourceNode } | { kind: 'start' | 'end'; node: DeploymentNode };

/** Ids of the resources a dependency stands for: itself, or everything a nested deployment deploys. */
function expandIds(node: LevelNode): string[] {
  if (node.kind === 'resource') return [node.id];
  return node.children.filter((child) => !child.skipped).flatMap(expandIds);
}

function plannedResource(node: ResourceNode): PlannedResource {
  const own = node.deps.flatMap(expandIds);
  const inherited: string[] = [];
  for (let deployment = node.parent; deployment !== undefined; deployment = deployment.parent) inherited.push(...deployment.deps.flatMap(expandIds));
  const dependsOn: string[] = [];
  for (const id of [...own, ...inherited]) if (!dependsOn.some((seen) => seen.toLowerCase() === id.toLowerCase())) dependsOn.push(id);
  const planned: PlannedResource = {
    type: node.type,
    apiVersion: node.apiVersion,
    name: node.name,
    subscriptionId: node.subscriptionId,
    id: node.id,
    properties: cloneJson(node.properties),
    dependsOn,
    templatePath: node.templatePath,
  };
  if (node.resourceGroup !== undefined) planned.resourceGroup = node.resourceGroup;
  if (node.location !== undefined) planned.location = node.location;
  if (node.parent !== undefined) planned.nestedDeployment = node.parent.name;
  for (const [key, value] of Object.entries(node.extras)) (planned as unknown as Record<string, unknown>)[key] = cloneJson(value);
  return planned;
}

function order(nodes: LevelNode[]): { resources: PlannedResource[]; deployments: DeploymentNode[] } {
  const entries: GraphEntry[] = [];
  const resourceAt = new Map<ResourceNode, number>();
  const startAt = new Map<DeploymentNode, number>();
  const endAt = new Map<DeploymentNode, number>();
  const deployments: DeploymentNode[] = [];
  const add = (level: LevelNode[]): void => {
    for (const node of level) {
      if (node.skipped) continue;
      if (node.kind === 'resource') {
        resourceAt.set(node, entries.push({ kind: 'resource', node }) - 1);
      } else {
        deployments.push(node);
        startAt.set(node, entries.push({ kind: 'start', node }) - 1);
        add(node.children);
        endAt.set(node, entries.push({ kind: 'end', node }) - 1);
      }
    }
  };
  add(nodes);
  const ref = (node: LevelNode): number => (node.kind === 'resource' ? (resourceAt.get(node) as number) : (endAt.get(node) as number));
  const deps = entries.map((entry) => {
    const { node } = entry;
    const parentStart = node.parent === undefined ? [] : [startAt.get(node.parent) as number];
    if (entry.kind === 'end') {
      return [startAt.get(entry.node) as number, ...entry.node.children.filter((child) => !child.skipped).map(ref)];
    }
    return [...node.deps.map(ref), ...parentStart];
  });
  const result = topologicalOrder(deps);
  if (!result.ok) {
    const cycle = result.cycle.map((i) => (entries[i] as GraphEntry).node).filter((node, i, all) => i === 0 || node !== all[i - 1]);
    const first = cycle[0];
    const target = first === undefined ? 'resources' : `${first.templatePath}.dependsOn`;
    throw new TemplateError(
      'InvalidTemplate',
      `Circular dependency: ${cycle.map(describeNode).join(' -> ')}. Remove one of the dependsOn entries to break the cycle.`,
      target,
    );
  }
  const resources = result.order.map((i) => entries[i] as GraphEntry).filter((entry): entry is { kind: 'resource'; node: ResourceNode } => entry.kind === 'resource');
  return { resources: resources.map((entry) => plannedResource(entry.node)), deployments };
}

export function planDeployment(template: unknown, parameters: unknown, ctx: DeploymentContext): DeploymentPlan {
  const root = checkTemplateShape(template, '');
  const declared = findProperty(root, 'parameters');
  const variables = findProperty(root, 'variables');
  const scope: ExpressionScope = { subscriptionId: ctx.subscriptionId, tenantId: ctx.tenantId, deploymentName: ctx.deploymentName };
  if (ctx.resourceGroup !== undefined) scope.resourceGroup = ctx.resourceGroup;
  if (ctx.location !== undefined) scope.location = ctx.location;
  if (ctx.subscriptionDisplayName !== undefined) scope.subscriptionDisplayName = ctx.subscriptionDisplayName;
  if (ctx.resourceGroupLocation !== undefined) scope.resourceGroupLocation = ctx.resourceGroupLocation;

  const context = new TemplateContext({
    scope,
    declarations: readParameterDeclarations(declared.found ? declared.value : undefined, declared.found ? declared.key : 'parameters'),
    source: { supplied: readSuppliedParameters(parameters, 'parameters'), basePath: 'parameters', where: 'the parameters file' },
    variables: variables.found ? variables.value : undefined,
    variablesPath: variables.found ? variables.key : 'variables',
  });
  context.resolveAll();

  const target = ctx.resourceGroup === undefined ? { subscriptionId: ctx.subscriptionId } : { subscriptionId: ctx.subscriptionId, resourceGroup: ctx.resourceGroup };
  const nodes = walkResources(root, '', context, target, undefined);
  const outputs = evaluateOutputs(root, '', context);
  const { resources, deployments } = order(nodes);
  return {
    resources,
    nestedDeployments: deployments.map((node) => {
      const entry: PlannedNestedDeployment = { name: node.name, id: node.id, subscriptionId: node.subscriptionId, templatePath: node.templatePath, outputs: cloneJson(node.outputs) };
      if (node.resourceGroup !== undefined) entry.resourceGroup = node.resourceGroup;
      return entry;
    }),
    outputs: cloneJson(outputs),
  };
}
