// The intermediate model the planner builds while walking a template: one
// node per declared resource or nested deployment, before ordering.

import type { JsonObject } from './arm-values.ts';

export interface DependsOnEntry {
  value: string;
  path: string;
}

interface NodeBase {
  /** The declared type with any leading/trailing '/' removed. */
  type: string;
  typeSegments: string[];
  name: string;
  nameSegments: string[];
  id: string;
  subscriptionId: string;
  resourceGroup?: string;
  templatePath: string;
  /** condition evaluated to false: not deployed, and dropped from others' dependsOn. */
  skipped: boolean;
  dependsOn: DependsOnEntry[];
  /** dependsOn resolved against the other nodes of the same template (skipped ones removed). */
  deps: LevelNode[];
  parent?: DeploymentNode;
}

export interface ResourceNode extends NodeBase {
  kind: 'resource';
  apiVersion: string;
  location?: string;
  properties: unknown;
  extras: JsonObject;
}

export interface DeploymentNode extends NodeBase {
  kind: 'deployment';
  children: LevelNode[];
  outputs: Record<string, { type: string; value: unknown }>;
}

export type LevelNode = ResourceNode | DeploymentNode;

export function describeNode(node: LevelNode): string {
  return node.kind === 'deployment' ? `${node.templatePath} (nested deployment '${node.name}')` : `${node.templatePath} (${node.type} '${node.name}')`;
}
