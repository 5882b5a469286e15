// Public surface of the ARM template evaluator.

export {
  planDeployment,
  type DeploymentContext,
  type DeploymentPlan,
  type PlannedNestedDeployment,
  type PlannedResource,
} from './plan-deployment.ts';
export { TemplateError, isTemplateError, type TemplateErrorCode } from './template-error.ts';
export { armGuid } from './guid.ts';
export { uniqueString } from './unique-string.ts';
export { SUPPORTED_FUNCTIONS } from './functions.ts';
