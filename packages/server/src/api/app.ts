// The HTTP application: parsers, the error edge, and every route group.
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Services } from '../services.ts';
import { ApiError } from '../errors.ts';
import { toApiError, wwwAuthenticate } from './error-edge.ts';
import { registerIdentityRoutes } from './identity-routes.ts';
import { registerSubscriptionRoutes } from './subscription-routes.ts';
import { registerProviderRoutes } from './provider-routes.ts';
import { registerResourceGroupRoutes } from './resource-group-routes.ts';
import { registerWorkspaceRoutes } from './workspace-routes.ts';
import { registerSentinelRoutes } from './sentinel-routes.ts';
import { registerAuthorizationRoutes } from './authorization-routes.ts';
import { registerManagedServicesRoutes } from './managed-services-routes.ts';
import { registerDeploymentRoutes } from './deployment-routes.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { registerActivityLogRoutes } from './activity-log-routes.ts';
import { registerFilterRoutes } from './filter-routes.ts';
import { registerEligibilityRoutes } from './eligibility-routes.ts';
import { registerMyAccessRoutes } from './my-access-routes.ts';
import { registerTableRoutes } from './table-routes.ts';
import { registerDataCollectionRoutes } from './data-collection-routes.ts';
import { registerLogsIngestionRoutes } from './logs-ingestion-routes.ts';
import { registerDataCollectorRoutes } from './data-collector-routes.ts';
import { registerAlertRuleRoutes } from './alert-rule-routes.ts';
import { registerAlertRuleTemplateRoutes } from './alert-rule-template-routes.ts';
import { registerIncidentRoutes } from './incident-routes.ts';
import { registerIncidentQueueRoutes } from './incident-queue-routes.ts';
import { registerAutomationRuleRoutes } from './automation-rule-routes.ts';
import { registerDataConnectorRoutes } from './data-connector-routes.ts';
import { registerImportRoutes } from './import-routes.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { registerSavedSearchRoutes } from './saved-search-routes.ts';
import { registerWatchlistRoutes } from './watchlist-routes.ts';
import { registerPortalRoutes } from './portal-routes.ts';
import { trackRoutes } from './openapi/registry.ts';
import { registerOpenApiRoutes } from './openapi/routes.ts';

export interface AppOptions {
  https?: { cert: string; key: string };
}

export async function createApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const fastifyOptions: FastifyServerOptions & { https?: { cert: string; key: string } } = {
    loggerInstance: services.log,
    // One line per request at debug (below), not Fastify's two at info: a busy server (the demo's
    // traffic, a forwarder) would bury everything else. VIGIL_LOG_LEVEL=debug shows them.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: services.config.maxBodyBytes,
    routerOptions: { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
    // Azure's query strings carry `$filter`, `$skipToken`: keep them as plain strings.
    requestIdHeader: 'x-ms-client-request-id',
  } as FastifyServerOptions;
  if (options.https !== undefined) fastifyOptions.https = options.https;
  const app = Fastify(fastifyOptions) as unknown as FastifyInstance;
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url.split('?')[0], statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // JSON: an empty body is allowed (the SDKs POST `register` with a JSON content type and no
  // bytes); a malformed one is a 400 that says where it broke.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ApiError('InvalidRequestContent', `The request body is not valid JSON: ${(error as Error).message}. Nothing was changed; fix the JSON and send it again.`), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    for (const [k, v] of Object.entries(apiError.headers)) void reply.header(k, v);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    // OAuth endpoints answer in OAuth's error shape; everything else in ARM's.
    if (request.url.includes('/oauth2/')) {
      return reply.code(apiError.status).send({
        error: apiError.code,
        error_description: apiError.message,
        timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
        trace_id: request.id,
        correlation_id: request.id,
      });
    }
    if (apiError.status === 401) void reply.header('www-authenticate', wwwAuthenticate(services, apiError));
    return reply.code(apiError.status).send(apiError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new ApiError('NotFound', `No route matches ${request.method} ${request.url.split('?')[0]}. Check the path against the ARM REST reference (resource types and api-versions Vigil serves are listed under GET /subscriptions/{id}/providers).`);
    return reply.code(404).send(e.toBody());
  });

  // Every route registered from here on is seen by the API reference's test (api/openapi/).
  trackRoutes(app, services);
  registerIdentityRoutes(app, services);
  registerSubscriptionRoutes(app, services);
  registerProviderRoutes(app, services);
  registerResourceGroupRoutes(app, services);
  registerWorkspaceRoutes(app, services);
  registerSentinelRoutes(app, services);
  registerDataConnectorRoutes(app, services);
  registerAlertRuleRoutes(app, services);
  registerAlertRuleTemplateRoutes(app, services);
  registerIncidentRoutes(app, services);
  registerIncidentQueueRoutes(app, services);
  registerAutomationRuleRoutes(app, services);
  registerAuthorizationRoutes(app, services);
  registerManagedServicesRoutes(app, services);
  registerDeploymentRoutes(app, services);
  registerOperationRoutes(app, services);
  registerActivityLogRoutes(app, services);
  registerFilterRoutes(app, services);
  registerEligibilityRoutes(app, services);
  registerMyAccessRoutes(app, services);
  registerTableRoutes(app, services);
  registerSavedSearchRoutes(app, services);
  registerWatchlistRoutes(app, services);
  registerDataCollectionRoutes(app, services);
  await registerLogsIngestionRoutes(app, services);
  await registerDataCollectorRoutes(app, services);
  await registerImportRoutes(app, services);
  await registerQueryRoutes(app, services);
  registerOpenApiRoutes(app, services);
  registerPortalRoutes(app);
  return app;
}
