// Walks a template's resources array, evaluating each declaration into a
// plan node. Nested Microsoft.Resources/deployments with an inline template
// are walked recursively, at their own target scope, with either the parent's
// expression context ('outer', the default) or their own ('inner').

import { armTypeName, findProperty, isPlainObject, type JsonObject } from './arm-values.ts';
import { resolveLevelDependencies } from './depends-on.ts';
import { childPath, indexPath } from './json-path.ts';
import { evaluateOutputs } from './outputs.ts';
import { readParameterDeclarations, readSuppliedParameters } from './parameters.ts';
import type { DependsOnEntry, DeploymentNode, LevelNode, ResourceNode } from './plan-nodes.ts';
import { nameMismatch, resourceIdAt, splitResourceName, splitResourceType, type ResourceScope } from './resource-id.ts';
import { TemplateContext } from './template-context.ts';
import { TemplateError } from './template-error.ts';
import { checkResourceShape, checkTemplateShape } from './template-shape.ts';

const DEPLOYMENTS_TYPE = 'microsoft.resources/deployments';
const EXTRA_KEYS = ['tags', 'sku', 'kind', 'plan', 'identity', 'zones'];
const DEPLOYMENT_PROPERTY_KEYS = new Set(['mode', 'template', 'parameters', 'expressionevaluationoptions', 'debugsetting']);

/** A property of a declaration, looked up case-insensitively, with the path it was found at. */
function prop(object: JsonObject, key: string, base: string): { value: unknown; path: string } | undefined {
  const found = findProperty(object, key);
  return found.found ? { value: found.value, path: childPath(base, found.key) } : undefined;
}

function evaluateString(ctx: TemplateContext, raw: { value: unknown; path: string }, what: string): string {
  const value = ctx.evaluate(raw.value, raw.path);
  if (typeof value !== 'string' || value === '') {
    throw new TemplateError('InvalidTemplate', `The ${what} at '${raw.path}' must be a non-empty String but is ${value === '' ? 'empty' : armTypeName(value)}.`, raw.path);
  }
  return value;
}

function required(object: JsonObject, key: string, base: string, what: string): { value: unknown; path: string } {
  const found = prop(object, key, base);
  if (found === undefined) throw new TemplateError('InvalidTemplate', `The resource at '${base}' has no '${key}'. Add the ${what}.`, childPath(base, key));
  return found;
}

function evaluateDependsOn(ctx: TemplateContext, resource: JsonObject, path: string): DependsOnEntry[] {
  const raw = prop(resource, 'dependsOn', path);
  if (raw === undefined) return [];
  if (!Array.isArray(raw.value)) throw new TemplateError('InvalidTemplate', `'dependsOn' at '${raw.path}' must be an array of resource names or ids.`, raw.path);
  return raw.value.map((entry, i) => {
    const entryPath = indexPath(raw.path, i);
    return { value: evaluateString(ctx, { value: entry, path: entryPath }, 'dependsOn entry'), path: entryPath };
  });
}

function evaluateCondition(ctx: TemplateContext, resource: JsonObject, path: string): boolean {
  const raw = prop(resource, 'condition', path);
  if (raw === undefined) return true;
  const value = ctx.evaluate(raw.value, raw.path);
  if (typeof value !== 'boolean') throw new TemplateError('InvalidTemplate', `The condition at '${raw.path}' must evaluate to a Boolean but is ${armTypeName(value)}.`, raw.path);
  return value;
}

function scopeOf(target: ResourceScope): ResourceScope {
  return target.resourceGroup === undefined ? { subscriptionId: target.subscriptionId } : { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup };
}

export function walkResources(template: JsonObject, templatePath: string, ctx: TemplateContext, target: ResourceScope, parent: DeploymentNode | undefined): LevelNode[] {
  const resources = prop(template, 'resources', templatePath);
  const list = (resources?.value ?? []) as unknown[];
  const basePath = resources?.path ?? childPath(templatePath, 'resources');
  const nodes = list.map((raw, i) => walkResource(raw, indexPath(basePath, i), ctx, target, parent));
  resolveLevelDependencies(nodes);
  return nodes;
}

function walkResource(raw: unknown, path: string, ctx: TemplateContext, target: ResourceScope, parent: DeploymentNode | undefined): LevelNode {
  if (!isPlainObject(raw)) throw new TemplateError('InvalidTemplate', `The resource at '${path}' must be a JSON object with at least type, apiVersion and name.`, path);
  const typeRaw = required(raw, 'type', path, "resource type, e.g. 'Microsoft.ManagedServices/registrationDefinitions'");
  const declaredType = evaluateString(ctx, typeRaw, 'resource type');
  const typeSegments = splitResourceType(declaredType);
  if (typeSegments === null) {
    throw new TemplateError('InvalidTemplate', `The resource type '${declaredType}' at '${typeRaw.path}' is not valid; expected 'Namespace/type', e.g. 'Microsoft.ManagedServices/registrationDefinitions'.`, typeRaw.path);
  }
  const type = typeSegments.join('/');
  const isDeployment = type.toLowerCase() === DEPLOYMENTS_TYPE;
  checkResourceShape(raw, path, isDeployment);

  const include = evaluateCondition(ctx, raw, path);
  const nameRaw = required(raw, 'name', path, 'resource name');
  const name = evaluateString(ctx, nameRaw, 'resource name');
  const nameSegments = splitResourceName(name);
  const mismatch = nameMismatch(typeSegments, nameSegments);
  if (mismatch !== null) throw new TemplateError('InvalidTemplate', `The resource name '${name}' at '${nameRaw.path}' does not fit its type: ${mismatch}.`, nameRaw.path);

  const nodeTarget = isDeployment ? deploymentTarget(ctx, raw, path, target) : target;
  const base = {
    type,
    typeSegments,
    name,
    nameSegments,
    id: resourceIdAt(nodeTarget, typeSegments, nameSegments),
    ...scopeOf(nodeTarget),
    templatePath: path,
    skipped: !include,
    dependsOn: [] as DependsOnEntry[],
    deps: [] as LevelNode[],
    ...(parent === undefined ? {} : { parent }),
  };
  if (isDeployment) {
    const node: DeploymentNode = { ...base, kind: 'deployment', children: [], outputs: {} };
    if (include) walkDeployment(node, raw, path, ctx);
    return node;
  }
  const node: ResourceNode = { ...base, kind: 'resource', apiVersion: '', properties: {}, extras: {} };
  if (!include) return node;
  node.apiVersion = evaluateString(ctx, required(raw, 'apiVersion', path, "apiVersion, e.g. '2019-09-01'"), 'apiVersion');
  const location = prop(raw, 'location', path);
  if (location !== undefined) node.location = evaluateString(ctx, location, 'location');
  const properties = prop(raw, 'properties', path);
  if (properties !== undefined) node.properties = ctx.evaluate(properties.value, properties.path);
  for (const key of EXTRA_KEYS) {
    const extra = prop(raw, key, path);
    if (extra !== undefined) node.extras[key] = ctx.evaluate(extra.value, extra.path);
  }
  node.dependsOn = evaluateDependsOn(ctx, raw, path);
  return node;
}

/** The scope a nested deployment deploys into: its resourceGroup / subscriptionId, else the parent's. */
function deploymentTarget(ctx: TemplateContext, raw: JsonObject, path: string, target: ResourceScope): ResourceScope {
  const groupRaw = prop(raw, 'resourceGroup', path);
  const subscriptionRaw = prop(raw, 'subscriptionId', path);
  const group = groupRaw === undefined ? undefined : evaluateString(ctx, groupRaw, 'resource group name');
  const subscriptionId = subscriptionRaw === undefined ? undefined : evaluateString(ctx, subscriptionRaw, 'subscription id');
  if (group !== undefined) return { subscriptionId: subscriptionId ?? target.subscriptionId, resourceGroup: group };
  if (subscriptionId !== undefined) return { subscriptionId };
  return scopeOf(target);
}

function walkDeployment(node: DeploymentNode, raw: JsonObject, path: string, ctx: TemplateContext): void {
  evaluateString(ctx, required(raw, 'apiVersion', path, "apiVersion, e.g. '2021-04-01'"), 'apiVersion');
  node.dependsOn = evaluateDependsOn(ctx, raw, path);
  const locationRaw = prop(raw, 'location', path);
  const location = locationRaw === undefined ? undefined : evaluateString(ctx, locationRaw, 'location');

  const propertiesRaw = required(raw, 'properties', path, 'properties with mode and template');
  if (!isPlainObject(propertiesRaw.value)) throw new TemplateError('InvalidTemplate', `'${propertiesRaw.path}' must be an object with mode and template.`, propertiesRaw.path);
  const properties = propertiesRaw.value;
  const pPath = propertiesRaw.path;
  for (const key of Object.keys(properties)) {
    const keyPath = childPath(pPath, key);
    const lower = key.toLowerCase();
    if (lower === 'templatelink' || lower === 'parameterslink') {
      throw new TemplateError('InvalidTemplate', `Linked templates ('${key}' at '${keyPath}') are not supported by Vigil. Put the template inline under ${pPath}.template and the parameter values under ${pPath}.parameters.`, keyPath);
    }
    if (!DEPLOYMENT_PROPERTY_KEYS.has(lower)) {
      throw new TemplateError('InvalidTemplate', `The nested deployment property '${key}' at '${keyPath}' is not supported by Vigil; a nested deployment has mode, template, parameters and expressionEvaluationOptions.`, keyPath);
    }
  }

  const modeRaw = prop(properties, 'mode', pPath);
  if (modeRaw === undefined) throw new TemplateError('InvalidTemplate', `The nested deployment at '${path}' has no mode. Set ${pPath}.mode to 'Incremental'.`, childPath(pPath, 'mode'));
  const mode = evaluateString(ctx, modeRaw, 'deployment mode');
  if (mode.toLowerCase() !== 'incremental') {
    throw new TemplateError('InvalidTemplate', `The nested deployment mode '${mode}' at '${modeRaw.path}' is not supported by Vigil; only 'Incremental' is. Set it to 'Incremental'.`, modeRaw.path);
  }

  const templateRaw = required(properties, 'template', pPath, 'inline template');
  const nested = checkTemplateShape(templateRaw.value, templateRaw.path);
  const scope = evaluationScope(ctx, properties, pPath);
  const parametersRaw = prop(properties, 'parameters', pPath);

  let childCtx: TemplateContext;
  if (scope === 'outer') {
    const declared = prop(nested, 'parameters', templateRaw.path);
    const variables = prop(nested, 'variables', templateRaw.path);
    for (const [section, found] of [['parameters', parametersRaw], ['parameters', declared], ['variables', variables]] as const) {
      if (found !== undefined && !(isPlainObject(found.value) && Object.keys(found.value).length === 0)) {
        throw new TemplateError(
          'InvalidTemplate',
          `The nested deployment at '${path}' uses the default 'outer' expression scope, where the nested template sees the parent's parameters and variables, so it cannot have its own ${section} ('${found.path}'). ` +
            `Set ${pPath}.expressionEvaluationOptions.scope to 'inner' to give it its own, or move them to the parent template.`,
          found.path,
        );
      }
    }
    childCtx = ctx;
  } else {
    const suppliedPath = parametersRaw?.path ?? childPath(pPath, 'parameters');
    const supplied = readSuppliedParameters(parametersRaw === undefined ? undefined : ctx.evaluate(parametersRaw.value, parametersRaw.path), suppliedPath);
    const declarationsPath = childPath(templateRaw.path, 'parameters');
    const parent = ctx.scope;
    const sameSubscription = node.subscriptionId.toLowerCase() === parent.subscriptionId.toLowerCase();
    childCtx = new TemplateContext({
      scope: {
        subscriptionId: node.subscriptionId,
        ...(node.resourceGroup === undefined ? {} : { resourceGroup: node.resourceGroup }),
        tenantId: parent.tenantId,
        deploymentName: node.name,
        ...(location !== undefined ? { location } : node.resourceGroup === undefined && parent.location !== undefined ? { location: parent.location } : {}),
        ...(sameSubscription && parent.subscriptionDisplayName !== undefined ? { subscriptionDisplayName: parent.subscriptionDisplayName } : {}),
        ...(sameSubscription && node.resourceGroup !== undefined && node.resourceGroup.toLowerCase() === parent.resourceGroup?.toLowerCase() && parent.resourceGroupLocation !== undefined
          ? { resourceGroupLocation: parent.resourceGroupLocation }
          : {}),
      },
      declarations: readParameterDeclarations(prop(nested, 'parameters', templateRaw.path)?.value, declarationsPath),
      source: { supplied, basePath: suppliedPath, where: `the nested deployment's parameters` },
      variables: prop(nested, 'variables', templateRaw.path)?.value,
      variablesPath: childPath(templateRaw.path, 'variables'),
    });
    childCtx.resolveAll();
  }
  node.children = walkResources(nested, templateRaw.path, childCtx, scopeOf(node), node);
  node.outputs = evaluateOutputs(nested, templateRaw.path, childCtx);
}

function evaluationScope(ctx: TemplateContext, properties: JsonObject, pPath: string): 'inner' | 'outer' {
  const options = prop(properties, 'expressionEvaluationOptions', pPath);
  if (options === undefined) return 'outer';
  if (!isPlainObject(options.value)) throw new TemplateError('InvalidTemplate', `'${options.path}' must be an object such as {"scope": "inner"}.`, options.path);
  const scopeRaw = prop(options.value, 'scope', options.path);
  if (scopeRaw === undefined) return 'outer';
  const scope = evaluateString(ctx, scopeRaw, 'expression evaluation scope').toLowerCase();
  if (scope !== 'inner' && scope !== 'outer') {
    throw new TemplateError('InvalidTemplate', `The expression evaluation scope at '${scopeRaw.path}' must be 'inner' or 'outer'.`, scopeRaw.path);
  }
  return scope;
}
