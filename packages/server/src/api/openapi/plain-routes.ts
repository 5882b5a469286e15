// The routes that do not go through armRoute(): each directory's token service (identity-
// routes.ts), the HTTP Data Collector API (data-collector-routes.ts) and this document. The
// openapi test checks that every route the server registers is either an armRoute() route,
// one of these, or one of NOT_API (the portal's files), so this list cannot fall behind.
import { API_VERSIONS } from '../api-versions.ts';
import { PORTAL_PATHS } from '../portal-routes.ts';

type Json = Record<string, any>;

export interface PlainRoute {
  method: 'GET' | 'POST';
  /** As Fastify has it (`:param`). */
  path: string;
  tag?: string;
  summary: string;
  description: string;
  operationId: string;
  security: 'bearer' | 'none' | 'sharedKey';
  parameters?: Json[];
  requestBody?: Json;
  responses: Json;
  /** The shape of its errors. */
  errors: 'arm' | 'query' | 'oauth' | 'collector' | 'html';
}

const FORM = 'application/x-www-form-urlencoded';

const AUTHORIZE_FIELDS: Json = {
  type: 'object',
  required: ['client_id', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method'],
  properties: {
    client_id: { type: 'string', format: 'uuid', description: 'The application id of the client.' },
    redirect_uri: { type: 'string', description: 'Where the code is sent: an address on this server\'s origin or a loopback address.' },
    response_type: { const: 'code' },
    scope: { type: 'string' },
    state: { type: 'string' },
    code_challenge: { type: 'string', description: 'PKCE: base64url(SHA-256(code_verifier)).' },
    code_challenge_method: { const: 'S256' },
    login_hint: { type: 'string' },
  },
};

export const PLAIN_ROUTES: readonly PlainRoute[] = [
  {
    method: 'GET',
    path: '/:tenant/v2.0/.well-known/openid-configuration',
    summary: 'OpenID Connect metadata of a directory',
    description: 'The directory\'s issuer and its authorize, token, logout and signing-key endpoints, as Microsoft Entra ID publishes them; MSAL (@azure/identity) reads it to find the token endpoint.',
    operationId: 'OpenIdConfiguration_Get',
    security: 'none',
    responses: { 200: { description: 'The metadata.', content: { 'application/json': { schema: { type: 'object', required: ['issuer', 'token_endpoint', 'jwks_uri'], properties: { issuer: { type: 'string' }, authorization_endpoint: { type: 'string' }, token_endpoint: { type: 'string' }, jwks_uri: { type: 'string' } }, additionalProperties: true } } } } },
    errors: 'arm',
  },
  {
    method: 'GET',
    path: '/:tenant/discovery/v2.0/keys',
    summary: 'Signing keys of a directory (JWKS)',
    description: 'The public keys that verify the directory\'s tokens.',
    operationId: 'Keys_List',
    security: 'none',
    responses: { 200: { description: 'A JSON Web Key Set.', content: { 'application/json': { schema: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } } } } } } },
    errors: 'arm',
  },
  {
    method: 'POST',
    path: '/:tenant/oauth2/v2.0/token',
    summary: 'Get an access token',
    description: 'OAuth 2.0 token endpoint of a directory, as Microsoft Entra ID\'s v2 endpoint: `client_credentials` (service principals; the secret in the form or HTTP Basic), `password` (users and scripts; a guest uses its home account\'s password) and `authorization_code` with PKCE (interactive sign-in). `scope` must ask for `<resource>/.default` of this server (or https://management.azure.com/.default); add `openid` for an id_token.',
    operationId: 'Token_Post',
    security: 'none',
    requestBody: {
      required: true,
      content: {
        [FORM]: {
          schema: {
            type: 'object',
            required: ['grant_type', 'scope'],
            properties: {
              grant_type: { enum: ['client_credentials', 'password', 'authorization_code'] },
              scope: { type: 'string', examples: ['https://management.azure.com/.default'] },
              client_id: { type: 'string' },
              client_secret: { type: 'string' },
              username: { type: 'string' },
              password: { type: 'string' },
              code: { type: 'string' },
              redirect_uri: { type: 'string' },
              code_verifier: { type: 'string' },
            },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'A bearer token.',
        content: { 'application/json': { schema: { type: 'object', required: ['token_type', 'access_token', 'expires_in'], properties: { token_type: { const: 'Bearer' }, access_token: { type: 'string' }, expires_in: { type: 'integer' }, ext_expires_in: { type: 'integer' }, scope: { type: 'string' }, id_token: { type: 'string' }, client_info: { type: 'string' } } } } },
      },
    },
    errors: 'oauth',
  },
  {
    method: 'GET',
    path: '/:tenant/oauth2/v2.0/authorize',
    summary: 'Interactive sign-in page',
    description: 'Shows the directory\'s sign-in page (authorization code flow with PKCE). Protocol errors once the redirect address is known go back to the client as `error` and `error_description` query parameters.',
    operationId: 'Authorize_Get',
    security: 'none',
    parameters: Object.entries(AUTHORIZE_FIELDS.properties as Json).map(([name, schema]) => ({ name, in: 'query', required: (AUTHORIZE_FIELDS.required as string[]).includes(name), schema })),
    responses: { 200: { description: 'The sign-in page.', content: { 'text/html': { schema: { type: 'string' } } } } },
    errors: 'html',
  },
  {
    method: 'POST',
    path: '/:tenant/oauth2/v2.0/authorize',
    summary: 'Submit the sign-in page',
    description: 'The sign-in form: on the right password, a redirect to `redirect_uri` with `code` (and `state`); otherwise the page again with the reason.',
    operationId: 'Authorize_Post',
    security: 'none',
    requestBody: { required: true, content: { [FORM]: { schema: { ...AUTHORIZE_FIELDS, properties: { ...AUTHORIZE_FIELDS.properties, username: { type: 'string' }, password: { type: 'string' } } } } } },
    responses: { 200: { description: 'The sign-in page again, saying what was wrong.', content: { 'text/html': { schema: { type: 'string' } } } }, 302: { description: 'Back to the client with `code` (or `error`).' } },
    errors: 'html',
  },
  {
    method: 'POST',
    path: '/api/logs',
    summary: 'Send records (HTTP Data Collector API)',
    description: 'The HTTP Data Collector API: records go to the custom table `<Log-Type>_CL` of the workspace whose shared key signed the request; the table is created, and extended with new columns, as needed. Headers: `Authorization: SharedKey <workspace id>:<signature>`, `Log-Type`, `x-ms-date` (within 15 minutes of the server\'s clock), optionally `time-generated-field`, `x-ms-AzureResourceId`, `Content-Encoding: gzip`. At most 30 MB.',
    operationId: 'DataCollector_Post',
    tag: 'Logs ingestion',
    security: 'sharedKey',
    parameters: [
      { name: 'api-version', in: 'query', required: true, schema: { type: 'string', enum: [...API_VERSIONS.dataCollector] } },
      { name: 'Log-Type', in: 'header', required: true, description: '1-100 letters, digits or underscores: the table is <Log-Type>_CL.', schema: { type: 'string' } },
      { name: 'x-ms-date', in: 'header', required: true, description: 'The RFC 1123 time the request was signed at.', schema: { type: 'string' } },
      { name: 'time-generated-field', in: 'header', required: false, description: 'The record field that holds TimeGenerated.', schema: { type: 'string' } },
    ],
    requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } } } },
    responses: { 200: { description: 'Stored.' } },
    errors: 'collector',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API reference (OpenAPI 3.1)',
    description: 'The OpenAPI document of this server, generated from its route registry. Public, as Azure publishes its REST specifications: it is built from code only (routes, schemas, api-versions, actions) and this server\'s address, and holds no directory, user or log data. Cached (ETag, If-None-Match answered 304).',
    operationId: 'OpenApi_Get',
    security: 'none',
    responses: { 200: { description: 'The document.', content: { 'application/json': { schema: { type: 'object' } } } }, 304: { description: 'Not modified.' } },
    errors: 'arm',
  },
];

/** Routes the server registers that are not API: the portal's pages and files, and the query API's catch-all answer. */
export function notApi(method: string, path: string): string | undefined {
  if (method !== 'GET' && !path.startsWith('/v1/*')) return undefined;
  if (path === '/' || path === '/assets/:file' || path === '/favicon.svg' || path === '/favicon.ico') return 'the portal\'s files';
  const first = path.split('/')[1] ?? '';
  if ((PORTAL_PATHS as readonly string[]).includes(first) && (path === `/${first}` || path === `/${first}/*`)) return 'a portal page (the portal routes in the browser)';
  if (path === '/v1/*') return 'the query API\'s answer for paths it does not have (PathNotFoundError)';
  return undefined;
}
