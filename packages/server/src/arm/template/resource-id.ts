// Building ARM resource ids from a resource type and its name segments.

export interface ResourceScope {
  subscriptionId: string;
  resourceGroup?: string;
}

/**
 * Splits 'Namespace/type[/childType...]' into segments. A leading or trailing
 * '/' is tolerated (the Lighthouse templates pass 'Microsoft.ManagedServices/registrationDefinitions/').
 * Returns null when it is not a resource type.
 */
export function splitResourceType(type: string): string[] | null {
  const segments = type.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.length < 2 || segments.some((segment) => segment.trim() === '')) return null;
  return segments;
}

/** 'name' or 'parent/child' split into segments (empty segments are kept so callers can reject them). */
export function splitResourceName(name: string): string[] {
  return name.split('/');
}

export function scopePrefix(scope: ResourceScope): string {
  const subscription = `/subscriptions/${scope.subscriptionId}`;
  return scope.resourceGroup === undefined ? subscription : `${subscription}/resourceGroups/${scope.resourceGroup}`;
}

/** 'Namespace/t1/n1/t2/n2' — the provider part of a resource id. Segment counts must already match. */
export function qualifiedName(typeSegments: readonly string[], nameSegments: readonly string[]): string {
  const parts: string[] = [typeSegments[0] as string];
  typeSegments.slice(1).forEach((segment, i) => parts.push(segment, nameSegments[i] as string));
  return parts.join('/');
}

export function resourceIdAt(scope: ResourceScope, typeSegments: readonly string[], nameSegments: readonly string[]): string {
  return `${scopePrefix(scope)}/providers/${qualifiedName(typeSegments, nameSegments)}`;
}

/** Why `nameSegments` cannot name a resource of `typeSegments`, or null when they fit. */
export function nameMismatch(typeSegments: readonly string[], nameSegments: readonly string[]): string | null {
  const expected = typeSegments.length - 1;
  if (nameSegments.length !== expected) {
    return `the type '${typeSegments.join('/')}' has ${expected} type segment${expected === 1 ? '' : 's'} after the namespace, so the name needs ${expected} segment${expected === 1 ? '' : 's'} ('parent/child' for a child resource) but ${nameSegments.length} ${nameSegments.length === 1 ? 'was' : 'were'} given`;
  }
  if (nameSegments.some((segment) => segment === '')) return 'a name segment is empty';
  return null;
}

export function sameResourceId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
