// Errors of the query API in Log Analytics' shape:
// {error: {message, code, correlationId, innererror: {code, message, line, pos, token?, innererror?}}}.
// The compiler's KqlError kinds map to 400 BadArgumentError with a SyntaxError, SemanticError or
// UnsupportedError inner error carrying the KqlError's code, hint, line and column (1-based).
import { ApiError, type ErrorCode } from '../errors.ts';
import { KqlError } from '../../../kql/src/diagnostics.ts';

export interface InnerError {
  code: string;
  message: string;
  line?: number;
  pos?: number;
  token?: string;
  hint?: string;
  innererror?: InnerError;
}

export class QueryError extends ApiError {
  constructor(code: ErrorCode, message: string, readonly innererror?: InnerError, options: { target?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'QueryError';
  }
}

/** The body Log Analytics answers an error with; `correlationId` is the request's. */
export function queryErrorBody(error: ApiError, correlationId: string): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { message: error.message, code: error.code, correlationId };
  if (error.target !== undefined) body.target = error.target;
  if (error.details.length > 0) body.details = [...error.details];
  if (error instanceof QueryError && error.innererror !== undefined) body.innererror = error.innererror;
  return { error: body };
}

/** The same error whatever the reason (no such workspace, or not yours): nothing beyond what was typed. */
export function workspaceNotFound(reference: string, where: string): QueryError {
  return new QueryError('WorkspaceNotFoundError',
    `The workspace '${reference}' (${where}) could not be found, or you do not have permission to query it. Check the workspace id, name or resource id, and that your account has a role that may read its logs (such as Log Analytics Reader or Microsoft Sentinel Reader).`,
    undefined, { target: where });
}

export function ambiguousWorkspace(reference: string, count: number, where: string): QueryError {
  return new QueryError('BadArgumentError',
    `'${reference}' (${where}) is the name of ${count} workspaces you can query, in different subscriptions. Name the one you mean by its workspace id (customerId) or its full resource id.`,
    { code: 'AmbiguousWorkspace', message: `'${reference}' names ${count} workspaces` }, { target: where });
}

const INNER_CODE: Record<KqlError['kind'], string> = {
  syntax: 'SyntaxError',
  semantic: 'SemanticError',
  unsupported: 'UnsupportedError',
  'not-found': 'SemanticError',
};

const WHAT: Record<KqlError['kind'], string> = {
  syntax: 'The query could not be parsed',
  semantic: 'The query has a semantic error',
  unsupported: 'The query uses KQL that Vigil does not support',
  'not-found': 'The query names something that could not be found',
};

export function isKqlError(error: unknown): error is KqlError {
  return error instanceof KqlError || (error instanceof Error && error.name === 'KqlError' && typeof (error as KqlError).position === 'function');
}

/** A compiler refusal as Log Analytics reports a bad query (400). */
export function fromKqlError(error: KqlError, text: string): QueryError {
  const d = error.diagnostic;
  const { line, column } = error.position(text);
  // A span inside a saved function's body lies outside the query text: no token then.
  const token = d.length > 0 && d.start + d.length <= text.length ? text.slice(d.start, d.start + d.length) : undefined;
  const detail: InnerError = { code: d.code, message: d.message, line, pos: column };
  if (token !== undefined) detail.token = token;
  if (d.hint !== undefined) detail.hint = d.hint;
  const inner: InnerError = { code: INNER_CODE[error.kind], message: d.message, line, pos: column };
  if (token !== undefined) inner.token = token;
  inner.innererror = detail;
  const hint = d.hint === undefined ? '' : ` ${d.hint}`;
  return new QueryError('BadArgumentError', `${WHAT[error.kind]}: ${d.message} (line ${line}, column ${column}, ${d.code}).${hint}`, inner, { target: 'query', cause: error });
}
