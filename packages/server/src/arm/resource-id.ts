// ARM resource ids: parsing, canonical (lower-case) form, and the chain of scopes above a
// resource that role assignments and delegations are inherited through.
import { ApiError } from '../errors.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): boolean {
  return typeof value === 'string' && GUID.test(value);
}

/** Lower-cases, collapses `//`, drops a trailing slash. */
export function canonicalId(id: string): string {
  return ('/' + id.split('/').filter((s) => s.length > 0).join('/')).toLowerCase();
}

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}`;
}

export function resourceGroupScope(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourcegroups/${resourceGroup.toLowerCase()}`;
}

export interface ParsedScope {
  subscriptionId: string;
  resourceGroup?: string;
  /** Provider segments after `providers/`, e.g. ['Microsoft.OperationalInsights', 'workspaces', 'ws1']. */
  providerPath: string[];
}

/** Parses an id that lies under a subscription. Throws InvalidResourceId naming what is wrong. */
export function parseScope(id: string, target = 'id'): ParsedScope {
  const segments = id.split('/').filter((s) => s.length > 0);
  if (segments[0]?.toLowerCase() !== 'subscriptions' || segments[1] === undefined) {
    throw new ApiError('InvalidResourceId', `'${id}' is not a resource id under a subscription. Ids look like /subscriptions/{subscriptionId}/resourceGroups/{name}/providers/{namespace}/{type}/{name}.`, { target });
  }
  if (!isGuid(segments[1])) {
    throw new ApiError('InvalidResourceId', `'${segments[1]}' in '${id}' is not a subscription id: subscription ids are GUIDs.`, { target });
  }
  const parsed: ParsedScope = { subscriptionId: segments[1].toLowerCase(), providerPath: [] };
  let i = 2;
  if (segments[i]?.toLowerCase() === 'resourcegroups') {
    const rg = segments[i + 1];
    if (rg === undefined) throw new ApiError('InvalidResourceId', `'${id}' names no resource group after resourceGroups/.`, { target });
    parsed.resourceGroup = rg;
    i += 2;
  }
  if (i < segments.length) {
    if (segments[i]?.toLowerCase() !== 'providers') {
      throw new ApiError('InvalidResourceId', `'${id}' has '${segments[i]}' where 'providers' or 'resourceGroups' was expected.`, { target });
    }
    parsed.providerPath = segments.slice(i + 1);
  }
  return parsed;
}

/**
 * Every scope from the subscription down to `id` itself, canonical:
 * /subscriptions/s, /subscriptions/s/resourcegroups/rg, .../providers/ns/type/name, ...
 * A role assignment or delegation at any of them applies to `id`.
 */
export function scopeChain(id: string): string[] {
  const segments = canonicalId(id).split('/').filter((s) => s.length > 0);
  const chain: string[] = [];
  if (segments[0] !== 'subscriptions' || segments[1] === undefined) return chain;
  let current = `/subscriptions/${segments[1]}`;
  chain.push(current);
  let i = 2;
  if (segments[i] === 'resourcegroups' && segments[i + 1] !== undefined) {
    current += `/resourcegroups/${segments[i + 1]}`;
    chain.push(current);
    i += 2;
  }
  // Below a resource group, each resource (providers/ns/type/name, then type/name pairs,
  // and extension resources under a nested providers/) is a scope of its own.
  while (i < segments.length) {
    if (segments[i] === 'providers') {
      if (segments[i + 3] === undefined) break;
      current += `/providers/${segments[i + 1]}/${segments[i + 2]}/${segments[i + 3]}`;
      i += 4;
    } else {
      if (segments[i + 1] === undefined) break;
      current += `/${segments[i]}/${segments[i + 1]}`;
      i += 2;
    }
    chain.push(current);
  }
  return chain;
}

/** True when `scope` is `id` or lies above it. */
export function scopeContains(scope: string, id: string): boolean {
  const s = canonicalId(scope);
  const target = canonicalId(id);
  return target === s || target.startsWith(s + '/');
}
