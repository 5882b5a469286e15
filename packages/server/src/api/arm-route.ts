// Every ARM route is declared through armRoute(), which runs the same steps in the same order:
// api-version -> authenticate -> validate body -> authorize (the one function) -> route-level
// rules -> handler -> activity log. Handlers never decide access themselves.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Services } from '../services.ts';
import type { Caller } from '../access/caller.ts';
import { authorize, type AuthorizeConditions, type Decision, type Grant } from '../access/authorize.ts';
import { ApiError } from '../errors.ts';
import { authenticate } from './authenticate.ts';
import { validateBody } from '../validation.ts';
import { recordActivity, type ActivityInput } from '../control/activity-log.ts';
import { forwardActivity } from '../ingest/azure-activity.ts';
import { canonicalId, parseScope } from '../arm/resource-id.ts';
import { OPERATIONAL_INSIGHTS, SECURITY_INSIGHTS, requireManagingTenantReady } from '../control/providers.ts';
import { recordRoute } from './openapi/registry.ts';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

export interface ArmRequest<B = unknown> {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: B;
  headers: FastifyRequest['headers'];
  caller: Caller;
  services: Services;
  correlationId: string;
  /** The grant that let the request through; undefined for routes that authorize per item. */
  grant: Grant | undefined;
  raw: FastifyRequest;
}

export interface ArmResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AccessCheck {
  action: string;
  scope: string;
  conditions?: AuthorizeConditions;
}

export interface ArmRouteSpec<S extends z.ZodType | undefined> {
  method: Method;
  path: string;
  /** The api-versions accepted; 'none' for data-plane APIs that take none (the query API). */
  apiVersions: readonly string[] | 'none';
  /** The action and scope to authorize, or 'per-item' for lists that authorize each item themselves. */
  access: ((req: ArmRequest<S extends z.ZodType ? z.infer<S> : unknown>) => AccessCheck | Promise<AccessCheck>) | 'per-item';
  body?: S;
  /** The resource's current etag (undefined when it does not exist), for If-Match / If-None-Match. */
  etag?: (req: ArmRequest) => Promise<string | undefined>;
  /** Data-plane routes (ingestion) are not written to the activity log, as in Azure. */
  dataPlane?: boolean;
  /** Refuses a delegated grant with this error (rules such as "connectors need a direct sign-in"). */
  refuseDelegated?: (req: ArmRequest) => ApiError;
  handler: (req: ArmRequest<S extends z.ZodType ? z.infer<S> : unknown>) => Promise<ArmResult>;
  /** For the API reference (GET /openapi.json, docs/api.md): one line; derived from method, path and action when absent. */
  summary?: string;
  /** For the API reference: a longer explanation. */
  description?: string;
  /** For the API reference, when the route reads its body itself (no `body` above): what it takes. Not validated here. */
  documentedBody?: { description: string; schema?: z.ZodType; jsonSchema?: Record<string, unknown>; contentType?: string };
}

const WRITE_METHODS = new Set<Method>(['PUT', 'POST', 'DELETE', 'PATCH']);

export function armRoute<S extends z.ZodType | undefined>(app: FastifyInstance, services: Services, spec: ArmRouteSpec<S>): void {
  // The API reference is generated from these very specs (api/openapi/).
  recordRoute(services, spec);
  app.route({
    method: spec.method,
    url: spec.path,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const correlationId = headerValue(request.headers['x-ms-correlation-request-id']) ?? randomUUID();
      void reply.header('x-ms-correlation-request-id', correlationId);
      void reply.header('x-ms-request-id', request.id);
      const query = request.query as Record<string, string | undefined>;
      if (spec.apiVersions !== 'none') checkApiVersion(query['api-version'], spec.apiVersions);
      const caller = await authenticate(services, request);
      const req: ArmRequest<any> = {
        params: request.params as Record<string, string>,
        query,
        body: undefined,
        headers: request.headers,
        caller,
        services,
        correlationId,
        grant: undefined,
        raw: request,
      };
      if (spec.body !== undefined) req.body = validateBody(spec.body, request.body);
      else req.body = request.body;

      let check: AccessCheck | undefined;
      let decision: Decision | undefined;
      const isWrite = WRITE_METHODS.has(spec.method) && spec.dataPlane !== true;
      try {
        if (spec.access !== 'per-item') {
          check = await spec.access(req);
          decision = await authorize({ db: services.db, now: services.now }, caller, check.action, check.scope, check.conditions);
          if (!decision.allowed) throw authorizationFailed(caller, check, decision.reason);
          req.grant = decision.grant;
          if (decision.grant.kind === 'delegated') {
            if (spec.refuseDelegated !== undefined) throw spec.refuseDelegated(req);
            const namespace = check.action.split('/')[0]?.toLowerCase();
            if (namespace === OPERATIONAL_INSIGHTS.toLowerCase() || namespace === SECURITY_INSIGHTS.toLowerCase()) {
              await requireManagingTenantReady(services.db, caller.directoryId);
            }
          }
        }
        if (spec.etag !== undefined) await checkPreconditions(req, await spec.etag(req));
        const result = await spec.handler(req);
        const bodyEtag = (result.body as { etag?: unknown } | undefined)?.etag;
        if (typeof bodyEtag === 'string') void reply.header('etag', bodyEtag);
        if (check !== undefined && decision?.ownerDirectoryId !== undefined && (isWrite || req.grant?.kind === 'delegated')) {
          await log(services, req, spec.method, check, decision.ownerDirectoryId, result.status, null);
        }
        for (const [k, v] of Object.entries(result.headers ?? {})) void reply.header(k, v);
        return reply.code(result.status).send(result.body ?? (result.status === 204 ? undefined : ''));
      } catch (error) {
        // Failed writes (denied ones included) and failed delegated reads are recorded too: the
        // owner of the resource sees attempts, not only successes.
        if (check !== undefined && decision?.ownerDirectoryId !== undefined && (isWrite || decision.allowed && decision.grant.kind === 'delegated')) {
          const status = error instanceof ApiError ? error.status : 500;
          if (decision.allowed) req.grant = decision.grant;
          await log(services, req, spec.method, check, decision.ownerDirectoryId, status, error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
    },
  });
}

/**
 * Routes that authorize per item (a bulk change across workspaces) record each item's write in
 * the activity log of the directory that owns it, as armRoute() does for a single scope.
 */
export async function recordItemActivity(req: ArmRequest, method: Method, check: AccessCheck, decision: Decision, status: number, message: string | null): Promise<void> {
  if (decision.ownerDirectoryId === undefined) return;
  const itemReq: ArmRequest = { ...req, grant: decision.allowed ? decision.grant : undefined };
  await log(req.services, itemReq, method, check, decision.ownerDirectoryId, status, message);
}

async function log(services: Services, req: ArmRequest, method: Method, check: AccessCheck, ownerDirectoryId: string, status: number, message: string | null): Promise<void> {
  let subscriptionId: string | null = null;
  try {
    subscriptionId = parseScope(check.scope).subscriptionId;
  } catch { /* a scope outside subscriptions has none */ }
  const input: ActivityInput = {
    directoryId: ownerDirectoryId,
    subscriptionId,
    resourceId: canonicalId(check.scope),
    operation: check.action,
    httpMethod: method,
    status: status < 400 ? 'Succeeded' : 'Failed',
    httpStatus: status,
    callerPrincipalId: req.caller.principalId,
    callerDirectoryId: req.caller.directoryId,
    callerName: req.caller.name,
    delegationAssignmentId: req.grant?.kind === 'delegated' ? req.grant.registrationAssignmentId : null,
    correlationId: req.correlationId,
    message,
    time: services.now(),
  };
  const eventId = await recordActivity(services.db, input);
  // The copy in AzureActivity tables is asynchronous: the caller's answer does not wait for it.
  forwardActivity(services, eventId, input).catch((error: unknown) => services.log.error({ err: error }, 'AzureActivity copy failed'));
}

export function authorizationFailed(caller: Caller, check: AccessCheck, reason: string): ApiError {
  return new ApiError(
    'AuthorizationFailed',
    `The client '${caller.name}' with object id '${caller.principalId}' does not have authorization to perform action '${check.action}' over scope '${check.scope}' or the scope is invalid (${reason}). ` +
      `If access was recently granted, refresh your credentials; otherwise ask an Owner of the scope for a role that includes this action.`,
    { target: check.scope },
  );
}

/** Optimistic concurrency as ARM does it: If-Match (an etag or *) and If-None-Match: *. */
async function checkPreconditions(req: ArmRequest, current: string | undefined): Promise<void> {
  const ifMatch = headerValue(req.headers['if-match']);
  const ifNoneMatch = headerValue(req.headers['if-none-match']);
  const strip = (v: string) => v.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (ifMatch !== undefined) {
    const wanted = ifMatch.split(',').map(strip);
    if (current === undefined || !(wanted.includes('*') || wanted.includes(current))) {
      throw new ApiError('PreconditionFailed', current === undefined
        ? 'If-Match was given but the resource does not exist.'
        : `The resource was changed since you read it: its etag is "${current}", not ${ifMatch}. GET it again, reapply your change and retry.`);
    }
  }
  if (ifNoneMatch !== undefined && strip(ifNoneMatch) === '*' && current !== undefined) {
    throw new ApiError('PreconditionFailed', 'If-None-Match: * was given but the resource already exists.');
  }
}

function checkApiVersion(value: string | undefined, supported: readonly string[]): void {
  if (value === undefined || value === '') {
    throw new ApiError('MissingApiVersionParameter', `The api-version query parameter (?api-version=) is required for all requests. Supported versions for this resource: '${supported.join("', '")}'.`);
  }
  if (!supported.includes(value)) {
    throw new ApiError('InvalidApiVersionParameter', `The api-version '${value}' is invalid. The supported versions are '${supported.join("', '")}'.`, { target: 'api-version' });
  }
}


function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
