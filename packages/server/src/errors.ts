// The one catalogue of error codes. Domain code throws ApiError (or a subclass);
// only the HTTP edge turns it into a status and an ARM error body.
// Codes follow Azure's own where Azure has one, so that SDKs and scripts that
// switch on `error.code` behave the same against Vigil.

export const ERROR_STATUS = {
  // 400
  MissingApiVersionParameter: 400,
  InvalidApiVersionParameter: 400,
  InvalidRequestContent: 400,
  InvalidRequestFormat: 400,
  InvalidResourceId: 400,
  InvalidParameter: 400,
  InvalidTemplate: 400,
  InvalidTemplateParameter: 400,
  MissingTemplateParameter: 400,
  UnsupportedTemplateFunction: 400,
  InvalidRoleDefinitionId: 400,
  RoleDefinitionNotFound: 400,
  PrincipalNotFound: 400,
  DelegationRuleViolation: 400,
  InvalidJustInTimeRequest: 400,
  invalid_request: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_grant: 400,
  // Log Analytics query API (data plane): its own codes, as Log Analytics answers
  BadArgumentError: 400,
  // 401
  AuthenticationFailed: 401,
  InvalidAuthenticationToken: 401,
  InvalidAuthenticationTokenTenant: 401,
  ExpiredAuthenticationToken: 401,
  InvalidAuthenticationTokenAudience: 401,
  invalid_client: 401,
  // 403
  AuthorizationFailed: 403,
  LinkedAuthorizationFailed: 403,
  DelegatedConnectorDeploymentNotSupported: 403,
  // 404
  NotFound: 404,
  ResourceNotFound: 404,
  SubscriptionNotFound: 404,
  ResourceGroupNotFound: 404,
  TenantNotFound: 404,
  DeploymentNotFound: 404,
  OperationNotFound: 404,
  InvalidResourceNamespace: 404,
  WorkspaceNotFoundError: 404,
  PathNotFoundError: 404,
  // 405
  MethodNotAllowed: 405,
  // 409
  Conflict: 409,
  MissingSubscriptionRegistration: 409,
  ManagingTenantProvidersNotRegistered: 409,
  ProviderUnregistrationBlocked: 409,
  ResourceGroupNotEmpty: 409,
  DeploymentFailed: 409,
  // 412
  PreconditionFailed: 412,
  // 413
  RequestEntityTooLarge: 413,
  // 429
  TooManyRequests: 429,
  // 415
  UnsupportedMediaType: 415,
  // 500
  InternalServerError: 500,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly target: string | undefined;
  readonly details: readonly ErrorDetail[];
  /** Response headers that belong to the error, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: { target?: string; details?: ErrorDetail[]; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.target = options.target;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }

  /** The ARM error body: `{error: {code, message, target?, details?}}`. */
  toBody(): { error: { code: string; message: string; target?: string; details?: ErrorDetail[] } } {
    const error: { code: string; message: string; target?: string; details?: ErrorDetail[] } = {
      code: this.code,
      message: this.message,
    };
    if (this.target !== undefined) error.target = this.target;
    if (this.details.length > 0) error.details = [...this.details];
    return { error };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
