// Bearer token -> Caller. The only place a request's identity is established.
import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';
import { callerOfPrincipal, type Caller } from '../access/caller.ts';
import { ApiError } from '../errors.ts';
import { verifyAccessToken } from '../identity/tokens.ts';

export async function authenticate(services: Services, request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new ApiError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing. Send 'Authorization: Bearer <token>' with a token from https://<this server>/{tenantId}/oauth2/v2.0/token.");
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (match?.[1] === undefined) {
    throw new ApiError('AuthenticationFailed', "Authentication failed. The 'Authorization' header must have the form 'Bearer <token>'.");
  }
  const verified = await verifyAccessToken(services, match[1]);
  const caller = await callerOfPrincipal(services.db, verified.principalId);
  if (caller === undefined || caller.directoryId !== verified.directoryId) {
    throw new ApiError('InvalidAuthenticationToken', `The principal '${verified.principalId}' named by the token no longer exists in directory '${verified.directoryId}'.`);
  }
  return caller;
}
