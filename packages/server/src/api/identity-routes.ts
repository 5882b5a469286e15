// The token service of each directory, shaped like Entra ID's v2 endpoints so that
// @azure/identity (MSAL) works against it unchanged.
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import type { Services } from '../services.ts';
import { ApiError } from '../errors.ts';
import { findDirectory, findServicePrincipalByAppId, findUserByName, getPrincipal, verifyClientSecret, type Principal } from '../control/directories.ts';
import { verifySecret } from '../identity/secrets.ts';
import { audienceFromScope, issueAccessToken, issuerFor } from '../identity/tokens.ts';

export function registerIdentityRoutes(app: FastifyInstance, services: Services): void {
  const base = services.publicUrl;

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request) => {
    const directory = await requireDirectory(services, (request.params as { tenant: string }).tenant);
    const root = `${base}/${directory.id}`;
    return {
      issuer: issuerFor(base, directory.id),
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      grant_types_supported: ['client_credentials', 'password'],
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
      const user = await findUserByName(services.db, directory.id, username);
      // A guest signs in with the credentials of their home account.
      const credentialHolder = user?.home_principal_id ? await getPrincipal(services.db, user.home_principal_id) : user;
      const ok = credentialHolder?.password_hash != null && (await verifySecret(password, credentialHolder.password_hash));
      if (user === undefined || !ok) {
        throw new ApiError('invalid_grant', `AADSTS50126: Error validating credentials due to invalid username or password (directory '${directory.display_name}').`);
      }
      principal = user;
    } else {
      throw new ApiError('unsupported_grant_type', `AADSTS70003: The grant type '${grantType ?? '(none)'}' is not supported. Use 'client_credentials' (service principals) or 'password' (users); the portal signs users in interactively.`);
    }
    const audience = audienceFromScope(scope, base);
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
