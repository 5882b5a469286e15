// Access tokens in Entra ID's v2 shape, signed with the issuing directory's key.
import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { Services } from '../services.ts';
import type { Principal } from '../control/directories.ts';
import { ApiError } from '../errors.ts';
import { isGuid } from '../arm/resource-id.ts';

export function issuerFor(publicUrl: string, directoryId: string): string {
  return `${publicUrl}/${directoryId}/v2.0`;
}

/** Audiences our APIs accept: Azure's public resource URIs (as the SDKs ask for them) and our own URL. */
export function acceptedAudiences(publicUrl: string): string[] {
  const own = publicUrl.replace(/\/$/, '');
  return [
    'https://management.azure.com', 'https://management.azure.com/', 'https://management.core.windows.net/',
    'https://api.loganalytics.io', 'https://monitor.azure.com', 'https://monitor.azure.com/',
    own, `${own}/`,
  ];
}

/** `https://management.azure.com/.default` -> `https://management.azure.com`. */
export function audienceFromScope(scope: string, publicUrl: string): string {
  const first = scope.split(/\s+/).find((s) => s.endsWith('/.default'));
  if (first === undefined) {
    throw new ApiError('invalid_scope', `AADSTS70011: The provided value for the input parameter 'scope' is not valid. Ask for '<resource>/.default', for example 'https://management.azure.com/.default' or '${publicUrl}/.default'.`);
  }
  const audience = first.slice(0, -'/.default'.length);
  if (!acceptedAudiences(publicUrl).includes(audience) && !acceptedAudiences(publicUrl).includes(`${audience}/`)) {
    throw new ApiError('invalid_scope', `AADSTS500011: The resource principal named ${audience} was not found in this directory. Vigil serves ${acceptedAudiences(publicUrl).filter((a) => !a.endsWith('/')).join(', ')}.`);
  }
  return audience;
}

export async function issueAccessToken(
  services: Services,
  principal: Principal,
  audience: string,
): Promise<{ accessToken: string; expiresIn: number }> {
  const key = await services.keys.current(principal.directory_id);
  const now = Math.floor(services.now().getTime() / 1000);
  const expiresIn = services.config.tokenLifetimeSeconds;
  const claims: Record<string, unknown> = {
    tid: principal.directory_id,
    oid: principal.id,
    sub: principal.id,
    ver: '2.0',
    idtyp: principal.kind === 'ServicePrincipal' ? 'app' : 'user',
    name: principal.display_name,
    uti: randomUUID(),
  };
  if (principal.kind === 'ServicePrincipal') {
    claims.appid = principal.app_id;
    claims.azp = principal.app_id;
  } else {
    claims.upn = principal.user_principal_name;
    claims.preferred_username = principal.user_principal_name;
  }
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(issuerFor(services.publicUrl, principal.directory_id))
    .setAudience(audience)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + expiresIn)
    .sign(key.privateKey);
  return { accessToken, expiresIn };
}

export interface VerifiedToken {
  directoryId: string;
  principalId: string;
}

/**
 * Verifies a bearer token: our signature for the directory it names, our issuer, an accepted
 * audience, not expired. Every failure is a 401 that says which check failed.
 */
export async function verifyAccessToken(services: Services, token: string): Promise<VerifiedToken> {
  let tid: unknown;
  let kid: string | undefined;
  try {
    tid = decodeJwt(token).tid;
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new ApiError('InvalidAuthenticationToken', 'The access token is not a well-formed JWT. Send `Authorization: Bearer <token>` with a token from /{tenantId}/oauth2/v2.0/token.');
  }
  if (typeof tid !== 'string' || !isGuid(tid)) {
    throw new ApiError('InvalidAuthenticationToken', "The access token carries no valid 'tid' (directory id) claim.");
  }
  const directory = await services.db.selectFrom('directories').select('id').where('id', '=', tid.toLowerCase()).executeTakeFirst();
  if (directory === undefined) {
    throw new ApiError('InvalidAuthenticationTokenTenant', `The access token is from directory '${tid}', which this server does not know. Get a token from one of this server's directories.`);
  }
  const keys = await services.keys.forDirectory(directory.id);
  const key = keys.find((k) => k.kid === kid);
  if (key === undefined) {
    throw new ApiError('InvalidAuthenticationToken', `The access token was not signed by directory '${directory.id}' of this server (unknown key id). Tokens from other issuers are not accepted.`);
  }
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: issuerFor(services.publicUrl, directory.id),
      audience: acceptedAudiences(services.publicUrl),
      algorithms: ['RS256'],
      currentDate: services.now(),
      clockTolerance: 60,
    });
    if (typeof payload.oid !== 'string' || !isGuid(payload.oid)) throw new ApiError('InvalidAuthenticationToken', "The access token carries no valid 'oid' claim.");
    return { directoryId: directory.id, principalId: payload.oid.toLowerCase() };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new ApiError('ExpiredAuthenticationToken', 'The access token has expired. Get a new token from the token endpoint and try again.');
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new ApiError('InvalidAuthenticationToken', 'The access token signature is invalid: the token was altered or signed by someone else.');
    }
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      const code = error.claim === 'aud' ? 'InvalidAuthenticationTokenAudience' : 'InvalidAuthenticationToken';
      throw new ApiError(code, `The access token's '${error.claim}' claim is not accepted here (${error.reason}). Expected issuer ${issuerFor(services.publicUrl, directory.id)} and an audience among ${acceptedAudiences(services.publicUrl).join(', ')}.`);
    }
    throw new ApiError('InvalidAuthenticationToken', `The access token could not be verified: ${(error as Error).message}`);
  }
}
