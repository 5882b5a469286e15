// Resolving dependsOn entries against the resources declared in the same
// template. An entry is a full resource id (usually from resourceId()), a
// 'Namespace/type/name' reference, or a bare resource name.

import { describeNode, type LevelNode } from './plan-nodes.ts';
import { qualifiedName, sameResourceId } from './resource-id.ts';
import { TemplateError } from './template-error.ts';

function matches(node: LevelNode, reference: string): boolean {
  const ref = reference.toLowerCase();
  if (reference.startsWith('/')) return sameResourceId(node.id, reference);
  if (reference.includes('/')) {
    return `${node.type}/${node.name}`.toLowerCase() === ref || qualifiedName(node.typeSegments, node.nameSegments).toLowerCase() === ref;
  }
  return node.name.toLowerCase() === ref;
}

function list(nodes: LevelNode[]): string {
  return nodes.length === 0 ? '(none)' : nodes.map((node) => `${node.type} '${node.name}'`).join(', ');
}

/** Fills `deps` on every node of one template level. */
export function resolveLevelDependencies(nodes: LevelNode[]): void {
  const seen = new Map<string, LevelNode>();
  for (const node of nodes) {
    if (node.skipped) continue;
    const key = node.id.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new TemplateError(
        'InvalidTemplate',
        `The resource '${node.id}' is declared more than once in the same template: ${describeNode(earlier)} and ${describeNode(node)}. Remove or rename one of them.`,
        node.templatePath,
      );
    }
    seen.set(key, node);
  }
  for (const node of nodes) {
    if (node.skipped) continue;
    const deps: LevelNode[] = [];
    for (const entry of node.dependsOn) {
      const found = nodes.filter((candidate) => matches(candidate, entry.value));
      if (found.length === 0) {
        throw new TemplateError(
          'InvalidTemplate',
          `The resource '${entry.value}' in dependsOn at '${entry.path}' is not defined in this template. A resource can only depend on resources declared in the same template (here: ${list(nodes)}); ` +
            "use the resource's name or resourceId('type', 'name') of one of them, or remove the entry.",
          entry.path,
        );
      }
      if (found.length > 1) {
        throw new TemplateError(
          'InvalidTemplate',
          `The dependsOn entry '${entry.value}' at '${entry.path}' matches more than one resource (${list(found)}). Use resourceId('type', 'name') to say which one.`,
          entry.path,
        );
      }
      const dep = found[0] as LevelNode;
      // A resource whose condition is false is not deployed; ARM drops it from dependsOn.
      if (!dep.skipped && !deps.includes(dep)) deps.push(dep);
    }
    node.deps = deps;
  }
}
