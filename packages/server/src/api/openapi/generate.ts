// OpenAPI 3.1 from the route registry: every armRoute() route (its path, api-versions, the
// action it authorizes, its zod body) and the plain routes described in plain-routes.ts.
// Nothing here is written by hand per route: summaries are derived from the method, the path
// and the action unless the route gives its own.
import { z } from 'zod';
import type { ArmRouteSpec } from '../arm-route.ts';
import type { RecordedRoute } from './registry.ts';
import { PLAIN_ROUTES, type PlainRoute } from './plain-routes.ts';

type Json = Record<string, any>;

export interface OpenApiOptions {
  /** The server's public URL (no trailing slash): the document's `servers` and the token endpoints. */
  serverUrl: string;
  version?: string;
}

export interface BodyReport {
  operation: string;
  schema: string;
  /** 'converted': z.toJSONSchema() took it whole; 'partial': parts it cannot express are shown as any value; 'fallback': not converted (note says why). */
  result: 'converted' | 'partial' | 'fallback';
  note?: string;
}

export interface GeneratedReference {
  document: Json;
  /** Operations (method + path) documented. */
  operations: number;
  armOperations: number;
  bodies: BodyReport[];
}

export const TAGS: { name: string; description: string }[] = [
  { name: 'Resource Manager', description: 'Subscriptions, directories (tenants), resource providers, resource groups, template deployments and long-running operations, on Azure Resource Manager\'s paths and api-versions.' },
  { name: 'Authorization', description: 'Microsoft.Authorization: built-in role definitions, role assignments, just-in-time (eligible) role requests and the caller\'s own permissions.' },
  { name: 'Microsoft.ManagedServices', description: 'Azure Lighthouse: registration definitions (offers) and assignments that delegate a customer\'s scope to a managing directory.' },
  { name: 'Microsoft.OperationalInsights', description: 'Log Analytics workspaces, their tables, shared keys, usage and saved searches.' },
  { name: 'Microsoft.SecurityInsights', description: 'Microsoft Sentinel on a workspace: onboarding, data connectors, analytics rules and templates, incidents (comments, tasks, alerts, entities), automation rules and watchlists.' },
  { name: 'Microsoft.Insights', description: 'Data collection rules and endpoints (for the Logs Ingestion API) and the activity log.' },
  { name: 'Log Analytics query', description: 'The Log Analytics query API (data plane, as api.loganalytics.io): KQL over one or more workspaces, single or batched. Errors come in the query API\'s own shape.' },
  { name: 'Logs ingestion', description: 'Sending logs: the Logs Ingestion API (through a data collection rule) and the HTTP Data Collector API (workspace shared key).' },
  { name: 'Vigil extensions', description: 'Vigil\'s own APIs under Vigil.* namespaces, for what Azure has no REST shape for: cross-workspace incident queue and bulk changes, rule test runs, incident timelines, the portal\'s directory filter and file import.' },
  { name: 'Identity', description: 'Each directory\'s token service, shaped like Microsoft Entra ID\'s v2 endpoints (OpenID Connect metadata, signing keys, token and authorize endpoints).' },
  { name: 'API reference', description: 'This document.' },
];

const PARAM_DESCRIPTIONS: Record<string, string> = {
  subscriptionId: 'The subscription id (a GUID).',
  resourceGroupName: 'The resource group name (case-insensitive).',
  workspaceName: 'The Log Analytics workspace name.',
  workspaceId: 'The workspace id (customerId, a GUID) of the workspace queried.',
  tenant: 'The directory (tenant) id, a GUID, or its default domain.',
  namespace: 'A resource provider namespace, such as Microsoft.SecurityInsights.',
  immutableId: 'The immutableId of the data collection rule (shown in its properties).',
  stream: 'The stream name declared by the data collection rule, such as Custom-MyTable_CL (case matters).',
  operationId: 'The operation id from an Azure-AsyncOperation or Location header.',
};

const QUERY_PARAMS: Record<string, Json> = {
  $filter: { description: 'An OData filter; the clauses the route understands are listed in its description or answered in the error when unsupported.', schema: { type: 'string' } },
  $top: { description: 'The most items to return.', schema: { type: 'integer', minimum: 1 } },
  $orderby: { description: 'Sort order, such as `properties/createdTimeUtc desc`.', schema: { type: 'string' } },
  $skipToken: { description: 'Continuation token: follow the `nextLink` of the previous page rather than building it.', schema: { type: 'string' } },
  $expandRegistrationDefinition: { description: 'true to include each assignment\'s registration definition.', schema: { type: 'boolean' } },
  $expand: { description: 'Related data to include.', schema: { type: 'string' } },
};

/** Helpers a handler may call that read query parameters of their own. */
const HELPER_QUERY_PARAMS: [RegExp, string[]][] = [
  [/\bpage\(/, ['$skipToken']],
  [/\bincidentListQuery\(/, ['$filter', '$orderby', '$top', '$skipToken']],
];

/** Fastify's `:param` (and `*`) as OpenAPI's `{param}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{path}');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

export function tagOf(method: string, path: string): string {
  const p = path.toLowerCase();
  if (/\/query$|\/\$batch$/.test(p)) return 'Log Analytics query';
  if (p.startsWith('/datacollectionrules/') || p === '/api/logs') return 'Logs ingestion';
  if (p.includes('/providers/vigil.') || p.endsWith('/import')) return 'Vigil extensions';
  if (p.includes('/microsoft.securityinsights/')) return 'Microsoft.SecurityInsights';
  if (p.includes('/microsoft.authorization/')) return 'Authorization';
  if (p.includes('/microsoft.managedservices/')) return 'Microsoft.ManagedServices';
  if (p.includes('/microsoft.insights/')) return 'Microsoft.Insights';
  if (p.includes('/microsoft.operationalinsights/')) return 'Microsoft.OperationalInsights';
  if (p.includes('/oauth2/') || p.includes('/.well-known/') || p.includes('/discovery/')) return 'Identity';
  if (p === '/openapi.json') return 'API reference';
  void method;
  return 'Resource Manager';
}

function words(camel: string): string {
  if (camel.toLowerCase() === 'resourcegroups') camel = 'resourceGroups';
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
}

function singular(w: string): string {
  if (/ies$/.test(w)) return w.replace(/ies$/, 'y');
  if (/(ch|sh|x)es$/.test(w)) return w.replace(/es$/, '');
  if (/(ss|us)$/.test(w)) return w;
  return w.replace(/s$/, '');
}

/** A one-line summary from the method and the path, for routes that give none. */
export function defaultSummary(method: string, path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1] ?? '';
  const staticSegments = segments.filter((s) => !s.startsWith(':'));
  const lastStatic = staticSegments[staticSegments.length - 1] ?? '';
  const endsWithParam = last.startsWith(':');
  const type = words(lastStatic);
  const parentIndex = segments.lastIndexOf(lastStatic) - 2;
  const parent = parentIndex >= 0 && segments[parentIndex + 1]?.startsWith(':') ? words(segments[parentIndex]!) : '';
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  switch (method) {
    case 'GET':
      if (endsWithParam) return `Get ${singular(type)}`;
      return /s$/.test(lastStatic) ? `List ${type}` : `Get ${type}`;
    case 'PUT':
      return endsWithParam ? `Create or update ${singular(type)}` : `Set ${type}`;
    case 'PATCH':
      return `Update ${singular(type)}`;
    case 'DELETE':
      return `Delete ${singular(type)}`;
    case 'POST':
      if (endsWithParam) return `Create ${singular(type)}`;
      // Azure lists some things with a POST on a plural (an incident's alerts, a workspace's keys).
      if (parent !== '' && /s$/.test(lastStatic)) return `List ${type} (${singular(parent)})`;
      return parent === '' ? cap(type) : `${cap(type)} (${singular(parent)})`;
    default:
      return `${method} ${path}`;
  }
}

// ---------------------------------------------------------------------------------------------
// What the route authorizes: its access function called with a stand-in request whose path
// parameters are the placeholders themselves. Functions that need the database (the rule's
// scope of an ingestion call) or the body cannot say before a real request: the reference
// says the action is decided per request.

export interface AuthorizationDoc {
  mode: 'scope' | 'per-item' | 'request';
  action?: string;
  scope?: string;
  dataAction?: boolean;
}

/** Any property or call gives another of itself; as text it reads '{value}'. Never thenable. */
function deepStandIn(label: string): any {
  const target = function () { /* callable */ };
  return new Proxy(target, {
    get(_t, key) {
      if (key === Symbol.toPrimitive) return () => `{${label}}`;
      if (key === 'toString' || key === 'valueOf' || key === 'toJSON') return () => `{${label}}`;
      if (key === 'then') return undefined;
      return deepStandIn(label);
    },
    apply() {
      return deepStandIn(label);
    },
  });
}

const refusing = (what: string): any => new Proxy({}, { get(_t, key) { if (key === 'then') return undefined; throw new Error(`the ${what} is needed (${String(key)})`); } });

async function probeAccess(spec: ArmRouteSpec<any>): Promise<AuthorizationDoc> {
  if (spec.access === 'per-item') return { mode: 'per-item' };
  const names = pathParams(spec.path);
  const params: Record<string, string> = {};
  for (const n of names) params[n] = `{${n}}`;
  const req = {
    params, query: {}, headers: {}, body: deepStandIn('body'),
    caller: refusing('caller'), services: refusing('server'), correlationId: '', grant: undefined, raw: refusing('request'),
  };
  try {
    const result = await Promise.race([
      Promise.resolve().then(() => (spec.access as (r: unknown) => unknown)(req)),
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('timed out')), 1000).unref()),
    ]) as { action?: unknown; scope?: unknown; conditions?: { dataAction?: unknown } };
    if (typeof result?.action !== 'string' || typeof result.scope !== 'string' || result.action.includes('{')) return { mode: 'request' };
    let scope = result.scope;
    // Scopes are canonical (lower case): give the placeholders back their names.
    for (const n of names) scope = scope.replace(new RegExp(`\\{${n.replace(/[$]/g, '\\$&')}\\}`, 'gi'), `{${n}}`);
    const doc: AuthorizationDoc = { mode: 'scope', action: result.action, scope };
    if (result.conditions?.dataAction === true) doc.dataAction = true;
    return doc;
  } catch {
    // The action may still be written out in the function (its scope needs a lookup).
    const literal = /\baction:\s*['"]([A-Za-z0-9./]+)['"]/.exec(String(spec.access));
    if (literal === null) return { mode: 'request' };
    return { mode: 'request', action: literal[1]!, ...(/\bdataAction:\s*true\b/.test(String(spec.access)) ? { dataAction: true } : {}) };
  }
}

function authorizationText(a: AuthorizationDoc): string {
  switch (a.mode) {
    case 'scope':
      return `Authorization: the caller needs ${a.dataAction === true ? 'the data action' : 'the action'} \`${a.action}\` on \`${a.scope}\` (from a role assignment there or above, or a delegation through Azure Lighthouse).`;
    case 'per-item':
      return 'Authorization: each item is authorized on its own scope; an answer lists only what the caller may read, and a change applies only where the caller may make it.';
    case 'request':
      return a.action === undefined
        ? 'Authorization: the action and scope are decided from the request (its target is looked up first).'
        : `Authorization: the caller needs ${a.dataAction === true ? 'the data action' : 'the action'} \`${a.action}\` on the scope the request names (looked up first).`;
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies: zod 4's own z.toJSONSchema(), whole when it can; parts JSON Schema cannot express
// (transforms' outputs, custom checks) are shown as any value with a note; a schema that cannot
// be converted at all is documented as a JSON object with the reason, never a crash.

interface Converted {
  schema: Json;
  result: BodyReport['result'];
  note?: string;
}

export function convertSchema(schema: z.ZodType): Converted {
  const options = { io: 'input', target: 'draft-2020-12' } as const;
  try {
    return { schema: z.toJSONSchema(schema, { ...options, unrepresentable: 'throw' }) as Json, result: 'converted' };
  } catch (strictError) {
    try {
      return {
        schema: z.toJSONSchema(schema, { ...options, unrepresentable: 'any' }) as Json,
        result: 'partial',
        note: `Parts JSON Schema cannot express are shown as any value (${(strictError as Error).message}).`,
      };
    } catch (error) {
      return {
        schema: { type: 'object' },
        result: 'fallback',
        note: `This body's schema could not be converted to JSON Schema (${(error as Error).message}); the server still validates it and names every wrong field in its error.`,
      };
    }
  }
}

/** Puts `$defs` of a converted schema into components.schemas and points its `$ref`s there. */
function hoistDefs(schema: Json, name: string, components: Json): Json {
  const { $schema: _drop, $defs, ...rest } = schema;
  void _drop;
  if ($defs === undefined) return rest;
  const renamed: Record<string, string> = {};
  for (const key of Object.keys($defs)) renamed[key] = `${name}_${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) out[k] = `#/components/schemas/${renamed[v.slice('#/$defs/'.length)]}`;
      else out[k] = rewrite(v);
    }
    return out;
  };
  for (const [key, def] of Object.entries($defs)) components[renamed[key]!] = rewrite(def);
  return rewrite(rest) as Json;
}

function schemaName(method: string, path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && !s.startsWith(':')).map((s) => s.replace(/^\$/, ''));
  const last = segments[segments.length - 1] ?? 'Request';
  const base = method === 'POST' ? last : singular(last);
  return `${base.charAt(0).toUpperCase()}${base.slice(1).replace(/[^A-Za-z0-9]/g, '')}Body`;
}

// ---------------------------------------------------------------------------------------------

const ARM_ERROR = {
  type: 'object',
  description: 'Azure Resource Manager\'s error shape: `code` is Azure\'s own code where Azure has one (scripts may switch on it); `target` names the field or parameter; `details` lists every problem of an invalid body.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['InvalidRequestContent', 'AuthorizationFailed', 'ResourceNotFound'] },
        message: { type: 'string' },
        target: { type: 'string' },
        details: { type: 'array', items: { $ref: '#/components/schemas/ErrorDetail' } },
      },
    },
  },
};

const QUERY_ERROR = {
  type: 'object',
  description: 'The Log Analytics query API\'s error shape, with the request\'s correlation id and, for KQL errors, an `innererror` naming the problem.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'correlationId'],
      properties: {
        code: { type: 'string', examples: ['BadArgumentError', 'WorkspaceNotFoundError', 'PathNotFoundError'] },
        message: { type: 'string' },
        correlationId: { type: 'string' },
        target: { type: 'string' },
        details: { type: 'array', items: { $ref: '#/components/schemas/ErrorDetail' } },
        innererror: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, additionalProperties: true },
      },
    },
  },
};

const OAUTH_ERROR = {
  type: 'object',
  description: 'OAuth 2.0\'s error shape, as Microsoft Entra ID answers it (AADSTS codes in the description).',
  required: ['error', 'error_description'],
  properties: {
    error: { type: 'string', examples: ['invalid_request', 'invalid_client', 'invalid_grant', 'unsupported_grant_type', 'invalid_scope'] },
    error_description: { type: 'string' },
    timestamp: { type: 'string' },
    trace_id: { type: 'string' },
    correlation_id: { type: 'string' },
  },
};

const COLLECTOR_ERROR = {
  type: 'object',
  description: 'The HTTP Data Collector API\'s error shape.',
  required: ['Error', 'Message'],
  properties: { Error: { type: 'string', examples: ['InvalidAuthorization', 'InvalidLogType', 'InvalidDataFormat'] }, Message: { type: 'string' } },
};

const ERROR_SCHEMAS: Record<PlainRoute['errors'], string> = {
  arm: 'ErrorResponse',
  query: 'QueryErrorResponse',
  oauth: 'OAuthErrorResponse',
  collector: 'DataCollectorErrorResponse',
  html: 'ErrorResponse',
};

function errorResponses(kind: PlainRoute['errors'], security: PlainRoute['security']): Json {
  if (kind === 'html') return { default: { description: 'An error, as an HTML page for the person signing in (or a redirect back to the client with `error` and `error_description`).', content: { 'text/html': { schema: { type: 'string' } } } } };
  const ref = { $ref: `#/components/responses/${ERROR_SCHEMAS[kind]}` };
  const out: Json = { 400: ref };
  if (security === 'bearer') out[401] = { $ref: '#/components/responses/Unauthorized' };
  if (security !== 'none') out[403] = ref;
  out[404] = ref;
  out.default = ref;
  return out;
}

function securitySchemes(serverUrl: string, version: string): Json {
  void version;
  const tokenUrl = `${serverUrl}/{tenantId}/oauth2/v2.0/token`;
  return {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from the token endpoint of the caller\'s own directory: `POST /{tenantId}/oauth2/v2.0/token` (see the Identity operations) with `scope=' +
        `${serverUrl}/.default\` (or \`https://management.azure.com/.default\`, so that Azure SDKs work unchanged). Service principals use client_credentials, scripts and users the password grant, interactive clients authorization_code with PKCE. A guest or a delegated (Azure Lighthouse) identity signs in to its home directory.`,
    },
    oauth2: {
      type: 'oauth2',
      description: `The same tokens as OAuth 2.0 flows. Each directory has its own endpoints: replace {tenantId} in the URLs with the directory id (or its default domain). OpenID Connect metadata: ${serverUrl}/{tenantId}/v2.0/.well-known/openid-configuration.`,
      flows: {
        clientCredentials: { tokenUrl, scopes: { [`${serverUrl}/.default`]: 'Vigil\'s API, with the roles of the service principal.' } },
        authorizationCode: { authorizationUrl: `${serverUrl}/{tenantId}/oauth2/v2.0/authorize`, tokenUrl, scopes: { [`${serverUrl}/.default`]: 'Vigil\'s API, with the roles of the signed-in user.', openid: 'Sign-in (an id_token).' } },
      },
    },
    sharedKey: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: '`SharedKey <workspace id>:<signature>`: an HMAC-SHA256 with the workspace\'s shared key over the method, content length, content type, x-ms-date and /api/logs (HTTP Data Collector API only).',
    },
  };
}

/** Query parameters a handler reads, found in its source (and in the helpers it calls that read them). */
function queryParamsRead(spec: ArmRouteSpec<any>): string[] {
  const source = `${String(spec.handler)}\n${typeof spec.access === 'function' ? String(spec.access) : ''}`;
  const found = new Set<string>();
  for (const m of source.matchAll(/\.query\.(\$?[A-Za-z_][A-Za-z0-9_]*)|\.query\[['"]([^'"]+)['"]\]/g)) found.add((m[1] ?? m[2])!);
  for (const [pattern, params] of HELPER_QUERY_PARAMS) if (pattern.test(source)) for (const p of params) found.add(p);
  found.delete('api-version');
  return [...found].sort();
}

function statusesOf(spec: ArmRouteSpec<any>): string[] {
  const found = new Set<string>();
  for (const m of String(spec.handler).matchAll(/status:\s*(?:[^,}]*\?\s*)?(\d{3})(?:\s*:\s*(\d{3}))?/g)) {
    found.add(m[1]!);
    if (m[2] !== undefined) found.add(m[2]);
  }
  const ok = [...found].filter((s) => Number(s) < 400).sort();
  return ok.length > 0 ? ok : ['200'];
}

const STATUS_TEXT: Record<string, string> = {
  200: 'Success.', 201: 'Created.', 202: 'Accepted: the work goes on; follow the Azure-AsyncOperation or Location header.', 204: 'Done; no content.', 302: 'Redirect.', 304: 'Not modified.',
};

export async function buildOpenApi(armRoutes: readonly RecordedRoute[], options: OpenApiOptions, plainRoutes: readonly PlainRoute[] = PLAIN_ROUTES): Promise<GeneratedReference> {
  const version = options.version ?? '0.1.0';
  const schemas: Json = { ErrorDetail: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, target: { type: 'string' } } } };
  schemas.ErrorResponse = ARM_ERROR;
  schemas.QueryErrorResponse = QUERY_ERROR;
  schemas.OAuthErrorResponse = OAUTH_ERROR;
  schemas.DataCollectorErrorResponse = COLLECTOR_ERROR;
  const paths: Json = {};
  const operationIds = new Set<string>();
  const bodies: BodyReport[] = [];
  const bodyNames = new Map<z.ZodType, string>();
  const usedNames = new Set<string>();
  let operations = 0;

  const uniqueId = (base: string) => {
    let id = base;
    for (let i = 2; operationIds.has(id); i++) id = `${base}_${i}`;
    operationIds.add(id);
    return id;
  };
  const operationIdOf = (method: string, path: string) => {
    const segments = path.split('/').filter((s) => s !== '' && !s.startsWith(':'));
    const last = segments[segments.length - 1] ?? 'root';
    const verb = { GET: path.endsWith(last) && /s$/.test(last) ? 'List' : 'Get', PUT: 'CreateOrUpdate', DELETE: 'Delete', POST: 'Post', PATCH: 'Update' }[method] ?? method;
    const noun = last.replace(/[^A-Za-z0-9]/g, '');
    return uniqueId(`${noun.charAt(0).toUpperCase()}${noun.slice(1)}_${verb}`);
  };
  const addOperation = (method: string, path: string, operation: Json) => {
    const key = openApiPath(path);
    paths[key] ??= {};
    if (paths[key][method.toLowerCase()] !== undefined) throw new Error(`Two routes for ${method} ${key}`);
    paths[key][method.toLowerCase()] = operation;
    operations++;
  };
  const pathParameters = (path: string) => pathParams(path).map((name) => ({
    name, in: 'path', required: true, schema: { type: 'string' }, ...(PARAM_DESCRIPTIONS[name] === undefined ? {} : { description: PARAM_DESCRIPTIONS[name] }),
  }));
  const bodyComponent = (method: string, path: string, schema: z.ZodType, operation: string): { ref: string; note?: string } => {
    const known = bodyNames.get(schema);
    if (known !== undefined) {
      const report = bodies.find((b) => b.schema === known)!;
      bodies.push({ ...report, operation });
      return { ref: `#/components/schemas/${known}`, ...(report.note === undefined ? {} : { note: report.note }) };
    }
    let name = schemaName(method, path);
    for (let i = 2; usedNames.has(name); i++) name = `${schemaName(method, path)}${i}`;
    usedNames.add(name);
    bodyNames.set(schema, name);
    const converted = convertSchema(schema);
    const json = hoistDefs(converted.schema, name, schemas);
    if (converted.note !== undefined) json['x-vigil-schema-note'] = converted.note;
    schemas[name] = json;
    bodies.push({ operation, schema: name, result: converted.result, ...(converted.note === undefined ? {} : { note: converted.note }) });
    return { ref: `#/components/schemas/${name}`, ...(converted.note === undefined ? {} : { note: converted.note }) };
  };

  // armRoute() routes, in registration order.
  let armOperations = 0;
  for (const route of armRoutes) {
    const spec = route.spec;
    const method = spec.method;
    const operationName = `${method} ${openApiPath(spec.path)}`;
    const authorization = await probeAccess(spec);
    const tag = tagOf(method, spec.path);
    const parameters: Json[] = pathParameters(spec.path);
    if (spec.apiVersions !== 'none') {
      parameters.push({
        name: 'api-version', in: 'query', required: true,
        description: `The API version; ${spec.apiVersions[0]} is the newest, older ones are accepted for scripts that pin them.`,
        schema: { type: 'string', enum: [...spec.apiVersions] },
      });
    }
    for (const name of queryParamsRead(spec)) {
      parameters.push({ name, in: 'query', required: false, ...(QUERY_PARAMS[name] ?? { schema: { type: 'string' } }) });
    }
    if (spec.etag !== undefined) {
      parameters.push({ name: 'If-Match', in: 'header', required: false, description: 'Change only if the resource\'s etag is this one (or `*`: only if it exists); otherwise 412 PreconditionFailed.', schema: { type: 'string' } });
      parameters.push({ name: 'If-None-Match', in: 'header', required: false, description: '`*`: create only, 412 if it exists.', schema: { type: 'string' } });
    }
    const description: string[] = [];
    if (spec.description !== undefined) description.push(spec.description);
    description.push(authorizationText(authorization));
    if (spec.refuseDelegated !== undefined) description.push('Refused to a delegated (Azure Lighthouse) identity: sign in to the owning directory directly.');
    if (spec.dataPlane === true) description.push('Data plane: not written to the activity log.');
    else if (method !== 'GET') description.push('Written to the activity log of the directory that owns the scope, succeeded or failed.');
    const operation: Json = {
      tags: [tag],
      summary: spec.summary ?? defaultSummary(method, spec.path),
      description: description.join('\n\n'),
      operationId: operationIdOf(method, spec.path),
      parameters,
      'x-vigil-authorization': authorization,
    };
    if (spec.apiVersions !== 'none') operation['x-ms-api-versions'] = [...spec.apiVersions];
    const bodySchema = spec.body ?? spec.documentedBody?.schema;
    if (bodySchema !== undefined) {
      const { ref } = bodyComponent(method, spec.path, bodySchema, operationName);
      operation.requestBody = {
        required: spec.body !== undefined,
        ...(spec.documentedBody?.description === undefined ? {} : { description: spec.documentedBody.description }),
        content: { [spec.documentedBody?.contentType ?? 'application/json']: { schema: { $ref: ref } } },
      };
    } else if (spec.documentedBody !== undefined) {
      operation.requestBody = {
        required: true,
        description: spec.documentedBody.description,
        content: { [spec.documentedBody.contentType ?? 'application/json']: { schema: spec.documentedBody.jsonSchema ?? {} } },
      };
    }
    const errors = spec.apiVersions === 'none' && tag === 'Log Analytics query' ? 'query' : 'arm';
    operation.responses = {
      ...Object.fromEntries(statusesOf(spec).map((s) => [s, { description: STATUS_TEXT[s] ?? 'Success.' }])),
      ...errorResponses(errors, 'bearer'),
    };
    addOperation(method, spec.path, operation);
    armOperations++;
  }

  // The plain routes (identity, Data Collector API, this document).
  for (const route of plainRoutes) {
    const parameters: Json[] = [...pathParameters(route.path), ...(route.parameters ?? [])];
    const operation: Json = {
      tags: [route.tag ?? tagOf(route.method, route.path)],
      summary: route.summary,
      description: route.description,
      operationId: uniqueId(route.operationId),
      parameters,
    };
    if (route.security === 'none') operation.security = [];
    if (route.security === 'sharedKey') operation.security = [{ sharedKey: [] }];
    if (route.requestBody !== undefined) operation.requestBody = route.requestBody;
    operation.responses = { ...route.responses, ...errorResponses(route.errors, route.security) };
    addOperation(route.method, route.path, operation);
  }

  const document: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version,
      summary: 'A self-hosted, multi-tenant SIEM shaped like Microsoft Sentinel and Azure Lighthouse: Azure Resource Manager, Log Analytics query and ingestion, and Entra ID-shaped token endpoints.',
      description: 'Generated from the server\'s own route registry (every route declared through armRoute(), with its zod body schema and the action it authorizes), so it matches the running server. Errors use Azure\'s shapes; `x-vigil-authorization` on each operation names the action checked and the scope it is checked on.',
      license: { name: 'See the repository' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: options.serverUrl }],
    tags: TAGS,
    security: [{ bearer: [] }, { oauth2: [] }],
    paths,
    components: {
      schemas,
      responses: {
        ErrorResponse: { description: 'An error, in Azure Resource Manager\'s shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } },
        QueryErrorResponse: { description: 'An error, in the Log Analytics query API\'s shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/QueryErrorResponse' } } } },
        OAuthErrorResponse: { description: 'An error, in OAuth 2.0\'s shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthErrorResponse' } } } },
        DataCollectorErrorResponse: { description: 'An error, in the HTTP Data Collector API\'s shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/DataCollectorErrorResponse' } } } },
        Unauthorized: {
          description: 'No token, or a token that is expired, not for this server, or from a directory that does not exist. The WWW-Authenticate header says where to get one; the body is the route\'s error shape (InvalidAuthenticationToken, ExpiredAuthenticationToken, ...).',
          headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { $ref: '#/components/schemas/QueryErrorResponse' }] } } },
        },
      },
      securitySchemes: securitySchemes(options.serverUrl, version),
    },
  };
  return { document, operations, armOperations, bodies };
}
