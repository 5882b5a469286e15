// What an expression can see while it is evaluated: the deployment scope that
// subscription(), resourceGroup(), deployment() and resourceId() report, and
// the template's parameters and variables.

export interface ExpressionScope {
  subscriptionId: string;
  /** Set when the expressions are evaluated at resource-group scope. */
  resourceGroup?: string;
  tenantId: string;
  deploymentName: string;
  /** Deployment location (subscription-scope deployments carry one). */
  location?: string;
  subscriptionDisplayName?: string;
  resourceGroupLocation?: string;
}

/** Where a function is being called from, for error messages. */
export interface CallSite {
  /** The function name as written in the template. */
  name: string;
  /** JSON path of the string holding the expression. */
  path: string;
  /** The whole expression string, brackets included. */
  source: string;
}

export interface EvalContext {
  readonly scope: ExpressionScope;
  parameter(name: string, site: CallSite): unknown;
  variable(name: string, site: CallSite): unknown;
}

export type TemplateFunction = (args: unknown[], ctx: EvalContext, site: CallSite) => unknown;
