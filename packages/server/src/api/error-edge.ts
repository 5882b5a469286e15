// The error edge shared by the route groups: any thrown value -> the ApiError answered, and
// the challenge that goes with a 401.
import type { Services } from '../services.ts';
import { ApiError, isApiError } from '../errors.ts';

/** The challenge a 401 carries: where to get a token. */
export function wwwAuthenticate(services: Services, error: ApiError): string {
  return `Bearer authorization_uri="${services.publicUrl}/common/oauth2/authorize", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`;
}

/** Any error thrown while handling a request, as the ApiError the edge answers with. */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError('RequestEntityTooLarge', 'The request body is larger than this server accepts. Split it into smaller requests; nothing was changed.');
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ApiError('UnsupportedMediaType', `${e.message ?? 'Unsupported media type'}. Send JSON with 'Content-Type: application/json'.`);
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError('InvalidRequestFormat', e.message ?? 'The request is malformed.');
  }
  return new ApiError('InternalServerError', 'The server hit an unexpected error; it was logged with the request id. Nothing partial was saved.');
}
