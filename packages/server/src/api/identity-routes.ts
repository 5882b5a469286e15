// The token service of each directory, shaped like Entra ID's v2 endpoints so that
// @azure/identity (MSAL) works against it unchanged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SignJWT } from 'jose';
import type { Services } from '../services.ts';
import { ApiError } from '../errors.ts';
import { findDirectory, findServicePrincipalByAppId, findUserByName, getPrincipal, verifyClientSecret, type Principal } from '../control/directories.ts';
import { randomUUID } from 'node:crypto';
import { hashSecret, verifySecret } from '../identity/secrets.ts';
import { audienceFromScope, issueAccessToken, issuerFor } from '../identity/tokens.ts';
import { errorPage, loginPage } from '../identity/login-page.ts';
import { isGuid } from '../arm/resource-id.ts';

export function registerIdentityRoutes(app: FastifyInstance, services: Services): void {
  // Read at request time: with port 0 the public URL is only known once the server listens.
  registerInteractiveSignIn(app, services);
  const base = () => services.publicUrl;

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request) => {
    const directory = await requireDirectory(services, (request.params as { tenant: string }).tenant);
    const root = `${base()}/${directory.id}`;
    return {
      issuer: issuerFor(base(), directory.id),
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'password'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'name', 'preferred_username', 'upn', 'appid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'vigil',
      request_uri_parameter_supported: false,
    };
  });

  app.get('/:tenant/discovery/v2.0/keys', async (request) => {
    const directory = await requireDirectory(services, (request.params as { tenant: string }).tenant);
    const keys = await services.keys.forDirectory(directory.id);
    return { keys: keys.map((k) => k.publicJwk) };
  });

  app.post('/:tenant/oauth2/v2.0/token', async (request) => {
    const directory = await requireDirectory(services, (request.params as { tenant: string }).tenant);
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    const basic = parseBasicAuth(request.headers.authorization);
    const grantType = form.grant_type;
    const scope = form.scope;
    if (scope === undefined || scope.trim() === '') {
      throw new ApiError('invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'.");
    }
    let principal: Principal;
    if (grantType === 'client_credentials') {
      const clientId = form.client_id ?? basic?.id;
      const secret = form.client_secret ?? basic?.secret;
      if (clientId === undefined) throw new ApiError('invalid_request', "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
      if (secret === undefined) throw new ApiError('invalid_client', "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
      const sp = await findServicePrincipalByAppId(services.db, directory.id, clientId);
      if (sp === undefined) {
        throw new ApiError('invalid_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${directory.display_name}'. Check the client id and the tenant you sign in to.`);
      }
      if (!(await verifyClientSecret(services.db, sp.id, secret, services.now()))) {
        throw new ApiError('invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
      }
      principal = sp;
    } else if (grantType === 'password') {
      const username = form.username;
      const password = form.password;
      if (username === undefined || password === undefined) {
        throw new ApiError('invalid_request', "AADSTS900144: The 'password' grant needs both 'username' and 'password'.");
      }
      const user = await verifyUserPassword(services, directory.id, username, password);
      if (user === undefined) {
        throw new ApiError('invalid_grant', `AADSTS50126: Error validating credentials due to invalid username or password (directory '${directory.display_name}').`);
      }
      principal = user;
    } else if (grantType === 'authorization_code') {
      const { code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier } = form;
      if (code === undefined || redirectUri === undefined || clientId === undefined || verifier === undefined) {
        throw new ApiError('invalid_request', "AADSTS900144: The 'authorization_code' grant needs 'code', 'redirect_uri', 'client_id' and 'code_verifier' (PKCE).");
      }
      const redeemed = services.codes.redeem(code, clientId, redirectUri, verifier, services.now());
      if (typeof redeemed === 'string') throw new ApiError('invalid_grant', redeemed);
      const user = await getPrincipal(services.db, redeemed.principalId);
      if (user === undefined || redeemed.directoryId !== directory.id) throw new ApiError('invalid_grant', 'AADSTS70008: The authorization code is not valid for this directory.');
      principal = user;
    } else {
      throw new ApiError('unsupported_grant_type', `AADSTS70003: The grant type '${grantType ?? '(none)'}' is not supported. Use 'client_credentials' (service principals), 'password' (users, scripts) or 'authorization_code' with PKCE (interactive sign-in).`);
    }
    const audience = audienceFromScope(scope, base());
    const { accessToken, expiresIn } = await issueAccessToken(services, principal, audience);
    const response: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scope,
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
    };
    if (principal.kind === 'User' && scope.split(/\s+/).includes('openid')) {
      response.id_token = await idToken(services, principal, form.client_id ?? '');
      response.client_info = Buffer.from(JSON.stringify({ uid: principal.id, utid: principal.directory_id })).toString('base64url');
    }
    return response;
  });
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashSecret(randomUUID()));

/** A user of the directory by sign-in name and password; guests sign in with their home account's password. */
async function verifyUserPassword(services: Services, directoryId: string, username: string, password: string): Promise<Principal | undefined> {
  const user = await findUserByName(services.db, directoryId, username);
  const credentialHolder = user?.home_principal_id ? await getPrincipal(services.db, user.home_principal_id) : user;
  // Hash even when there is no such user, so that timing does not tell which names exist.
  const ok = await verifySecret(password, credentialHolder?.password_hash ?? (await dummyHash()));
  return ok && credentialHolder?.password_hash != null ? user : undefined;
}

/**
 * Where a code may be sent: this server's own origin (the portal) or a loopback address
 * (native and command-line clients), as Entra ID allows for public clients. Anything else
 * would make the login page an open redirector.
 */
function redirectAllowed(redirectUri: string, publicUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.origin === new URL(publicUrl).origin) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function registerInteractiveSignIn(app: FastifyInstance, services: Services): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = (request.params as { tenant: string }).tenant;
    const directory = await findDirectory(services.db, tenant);
    const input = { ...(request.query as Record<string, string | undefined>), ...((request.body ?? {}) as Record<string, string | undefined>) };
    const html = (status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    if (directory === undefined) return html(404, errorPage('Directory not found', `AADSTS90002: Tenant '${tenant}' not found. Check the sign-in address.`));
    const { client_id: clientId, redirect_uri: redirectUri, response_type: responseType, scope, state, code_challenge: challenge, code_challenge_method: method } = input;
    if (clientId === undefined || !isGuid(clientId)) return html(400, errorPage('Sign-in request is invalid', "AADSTS700016: 'client_id' must be the application id (a GUID) of the app asking you to sign in."));
    if (redirectUri === undefined || !redirectAllowed(redirectUri, services.publicUrl)) {
      return html(400, errorPage('Sign-in request is invalid', `AADSTS50011: The redirect URI '${redirectUri ?? ''}' is not allowed. Use an address on ${new URL(services.publicUrl).origin} or a loopback address.`));
    }
    // From here on, protocol errors go back to the client, as OAuth prescribes.
    const back = (params: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      if (state !== undefined) url.searchParams.set('state', state);
      return reply.redirect(url.toString(), 302);
    };
    if (responseType !== 'code') return back({ error: 'unsupported_response_type', error_description: "AADSTS700054: response_type must be 'code'." });
    if (challenge === undefined || method !== 'S256') return back({ error: 'invalid_request', error_description: 'AADSTS9002325: Proof Key for Code Exchange is required: send code_challenge with code_challenge_method=S256.' });
    const hidden: Record<string, string> = { client_id: clientId, redirect_uri: redirectUri, response_type: responseType, scope: scope ?? '', code_challenge: challenge, code_challenge_method: method };
    if (state !== undefined) hidden.state = state;
    const action = `${services.publicUrl}/${directory.id}/oauth2/v2.0/authorize`;
    if (request.method === 'GET') return html(200, loginPage({ directoryName: directory.display_name, action, hidden, ...(input.login_hint === undefined ? {} : { username: input.login_hint }) }));
    const user = input.username === undefined || input.password === undefined ? undefined : await verifyUserPassword(services, directory.id, input.username, input.password);
    if (user === undefined) {
      return html(200, loginPage({ directoryName: directory.display_name, action, hidden, username: input.username ?? '', error: 'Your account or password is incorrect. If you are a guest here, use the password of your home account.' }));
    }
    const code = services.codes.issue({ principalId: user.id, directoryId: directory.id, clientId: clientId.toLowerCase(), redirectUri, scope: scope ?? '', codeChallenge: challenge }, services.now());
    return back({ code });
  };
  app.get('/:tenant/oauth2/v2.0/authorize', handle);
  app.post('/:tenant/oauth2/v2.0/authorize', handle);
}

async function requireDirectory(services: Services, tenant: string) {
  const directory = await findDirectory(services.db, tenant);
  if (directory === undefined) {
    throw new ApiError('TenantNotFound', `AADSTS90002: Tenant '${tenant}' not found. Check the tenant id or domain in the authority URL (${services.publicUrl}/{tenantId}).`);
  }
  return directory;
}

function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

async function idToken(services: Services, user: Principal, clientId: string): Promise<string> {
  const key = await services.keys.current(user.directory_id);
  const now = Math.floor(services.now().getTime() / 1000);
  return new SignJWT({ tid: user.directory_id, oid: user.id, name: user.display_name, preferred_username: user.user_principal_name, ver: '2.0' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(issuerFor(services.publicUrl, user.directory_id))
    .setSubject(user.id)
    .setAudience(clientId || 'vigil')
    .setIssuedAt(now)
    .setExpirationTime(now + services.config.tokenLifetimeSeconds)
    .sign(key.privateKey);
}
