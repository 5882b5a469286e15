// Structural checks on a template and its resources: which keys Vigil
// understands, and clear errors for the ARM features it does not support.

import { isPlainObject, type JsonObject } from './arm-values.ts';
import { childPath } from './json-path.ts';
import { TemplateError } from './template-error.ts';

const TEMPLATE_KEYS = new Set(['$schema', 'contentversion', 'parameters', 'variables', 'resources', 'outputs', 'metadata']);

const UNSUPPORTED_TEMPLATE_KEYS: Record<string, string> = {
  functions: 'User-defined functions (the template\'s \'functions\' section) are not supported by Vigil. Inline the function bodies as expressions.',
  apiprofile: 'API profiles (\'apiProfile\') are not supported by Vigil. Give each resource an explicit apiVersion instead.',
  languageversion: 'Templates with a \'languageVersion\' (symbolic resource names, user-defined types) are not supported by Vigil. Use the classic template format with a \'resources\' array.',
  definitions: 'User-defined types (the template\'s \'definitions\' section) are not supported by Vigil. Declare parameters with the built-in types.',
  imports: 'Template imports are not supported by Vigil.',
};

/** Checks the top-level keys of a template found at `path` ('' for the deployed template). */
export function checkTemplateShape(template: unknown, path: string): JsonObject {
  if (!isPlainObject(template)) {
    throw new TemplateError('InvalidTemplate', `${path === '' ? 'The template' : `The template at '${path}'`} must be a JSON object with $schema, contentVersion, parameters, variables, resources and outputs.`, path);
  }
  for (const key of Object.keys(template)) {
    const keyPath = childPath(path, key);
    const known = UNSUPPORTED_TEMPLATE_KEYS[key.toLowerCase()];
    if (known !== undefined) throw new TemplateError('InvalidTemplate', `${known} (found at '${keyPath}')`, keyPath);
    if (!TEMPLATE_KEYS.has(key.toLowerCase())) {
      throw new TemplateError(
        'InvalidTemplate',
        `The template property '${key}' at '${keyPath}' is not recognised. A template may only contain $schema, contentVersion, parameters, variables, resources, outputs and metadata; remove it or check its spelling.`,
        keyPath,
      );
    }
  }
  const resources = template.resources;
  const resourcesPath = childPath(path, 'resources');
  if (isPlainObject(resources)) {
    throw new TemplateError(
      'InvalidTemplate',
      `The 'resources' at '${resourcesPath}' is an object (symbolic resource names), which Vigil does not support. Write 'resources' as an array of resource declarations.`,
      resourcesPath,
    );
  }
  if (resources !== undefined && !Array.isArray(resources)) {
    throw new TemplateError('InvalidTemplate', `The 'resources' at '${resourcesPath}' must be an array of resource declarations.`, resourcesPath);
  }
  return template;
}

const RESOURCE_KEYS = new Set(['type', 'apiversion', 'name', 'location', 'properties', 'dependson', 'condition', 'comments', 'metadata', 'tags', 'sku', 'kind', 'plan', 'identity', 'zones']);
const DEPLOYMENT_KEYS = new Set(['type', 'apiversion', 'name', 'location', 'properties', 'dependson', 'condition', 'comments', 'metadata', 'tags', 'resourcegroup', 'subscriptionid']);

const UNSUPPORTED_RESOURCE_KEYS: Record<string, string> = {
  copy: 'Resource copy loops are not supported by Vigil. Declare each resource explicitly.',
  resources: 'Child resources declared inside a resource are not supported by Vigil. Declare them at the top level with a full type (\'Namespace/parent/child\') and name (\'parent/child\').',
  scope: 'Extension resources with a \'scope\' property are not supported by Vigil.',
  existing: '\'existing\' resources are not supported by Vigil.',
};

/** Checks the keys of the resource at `path`; `isDeployment` allows resourceGroup/subscriptionId. */
export function checkResourceShape(resource: unknown, path: string, isDeployment: boolean): JsonObject {
  if (!isPlainObject(resource)) throw new TemplateError('InvalidTemplate', `The resource at '${path}' must be a JSON object with at least type, apiVersion and name.`, path);
  const allowed = isDeployment ? DEPLOYMENT_KEYS : RESOURCE_KEYS;
  for (const key of Object.keys(resource)) {
    const lower = key.toLowerCase();
    const keyPath = childPath(path, key);
    if (allowed.has(lower)) continue;
    const known = UNSUPPORTED_RESOURCE_KEYS[lower];
    if (known !== undefined) throw new TemplateError('InvalidTemplate', `${known} (found at '${keyPath}')`, keyPath);
    if (lower === 'resourcegroup' || lower === 'subscriptionid') {
      throw new TemplateError(
        'InvalidTemplate',
        `'${key}' at '${keyPath}' is only valid on a Microsoft.Resources/deployments resource. To deploy into another resource group or subscription, wrap the resource in a nested deployment.`,
        keyPath,
      );
    }
    throw new TemplateError('InvalidTemplate', `The resource property '${key}' at '${keyPath}' is not recognised by Vigil; remove it or check its spelling.`, keyPath);
  }
  return resource;
}
