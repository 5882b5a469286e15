// The one error type the template evaluator throws. It is an ApiError, so the
// HTTP edge renders it as ARM does: {error: {code, message, target}}.
// `target` is a JSON path into the template (or parameters) such as
// "parameters.managedByTenantId" or "resources[1].properties.template.resources[0].name".

import { ApiError } from '../../errors.ts';

export type TemplateErrorCode =
  | 'InvalidTemplate'
  | 'InvalidTemplateParameter'
  | 'MissingTemplateParameter'
  | 'UnsupportedTemplateFunction';

export class TemplateError extends ApiError {
  declare readonly code: TemplateErrorCode;
  declare readonly target: string;

  constructor(code: TemplateErrorCode, message: string, target: string, cause?: unknown) {
    super(code, message, cause === undefined ? { target } : { target, cause });
    this.name = 'TemplateError';
  }
}

export function isTemplateError(value: unknown): value is TemplateError {
  return value instanceof TemplateError;
}
