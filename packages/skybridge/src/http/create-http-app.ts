import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Hub } from '../hub.ts';
import type { ApiProblem } from './api-problem.ts';
import { errorBody } from './api-problem.ts';
import { authorize } from './auth.ts';
import { coerceToProblem } from './error-mapper.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { ApiRoute, HttpMethod } from './route.ts';
import { API_PREFIX, defineRoute, honoPath, reply } from './route.ts';
import { connectionsRoutes } from './routes/connections-routes.ts';
import { instancesRoutes } from './routes/instances-routes.ts';
import { operationsRoutes } from './routes/operations-routes.ts';
import { syncRoutes } from './routes/sync-routes.ts';
import { tokensRoutes } from './routes/tokens-routes.ts';
import type { JsonObject } from './serializers.ts';

/**
 * The hub's HTTP API: every route under `/api/v1`, bearer tokens with roles, one error shape, one error mapper,
 * request logging without headers or bodies. Routes are thin adapters over the hub's services; see `routes/`.
 */

/** What the API needs of a hub. */
export type HttpHub = Pick<Hub, 'connections' | 'sync' | 'dataout' | 'apiTokens' | 'logger' | 'clock'>;

export interface HttpAppOptions {
  /** Largest request body accepted, in bytes; larger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Largest body of a route that takes batches (pushed findings, the webhook), in bytes. Default 5 MiB. */
  maxBulkBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** A full batch of findings (1,000) at a few KB each; larger pushes are split by the producer. */
export const DEFAULT_MAX_BULK_BODY_BYTES = 5 * 1024 * 1024;

type AppEnv = { Variables: { actor: string; route: string } };

/** Every route of the API, the OpenAPI document's own route included: the one list both Hono and the document use. */
export function apiRoutes(hub: Pick<HttpHub, 'connections' | 'sync' | 'dataout' | 'apiTokens' | 'logger'>): ApiRoute[] {
  const routes = [
    ...connectionsRoutes(hub.connections),
    ...syncRoutes(hub.sync, hub.logger),
    ...instancesRoutes(hub.dataout),
    ...operationsRoutes(hub.connections),
    ...tokensRoutes(hub.apiTokens),
  ];
  let document: JsonObject = {};
  const openapi = defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    access: 'public',
    response: { status: 200, description: 'The OpenAPI 3.1 document of this API.' },
    handle: () => Promise.resolve(reply(200, document)),
  });
  const all = [...routes, openapi];
  // Built of JSON values only (strings, numbers, arrays, objects), so the cast is a re-labelling.
  document = buildOpenApiDocument(all) as JsonObject;
  return all;
}

function problemResponse(c: Context<AppEnv>, problem: ApiProblem): Response {
  return c.json(errorBody(problem), problem.status as ContentfulStatusCode, problem.headers);
}

/** `/api/v1/connections/{idOrName}` as a matcher, for telling 405 from 404. */
function pathMatcher(route: ApiRoute): RegExp {
  const escaped = (API_PREFIX + route.path).replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{\w+\}/g, '[^/]+')}$`);
}

export function createHttpApp(hub: HttpHub, options: HttpAppOptions = {}): Hono<AppEnv> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBulkBodyBytes = options.maxBulkBodyBytes ?? DEFAULT_MAX_BULK_BODY_BYTES;
  const routes = apiRoutes(hub);
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = hub.clock.now().getTime();
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    // The route pattern, never the raw path (a name in a path is the caller's data); never headers or bodies.
    hub.logger.info('http request', {
      method: c.req.method,
      route: c.get('route') ?? 'unmatched',
      status: c.res.status,
      durationMs: hub.clock.now().getTime() - started,
      actor: c.get('actor') ?? 'anonymous',
    });
  });

  // The limit is per path (a path taking batches may take more), and runs before authentication, so an oversized
  // body is refused before anything reads it. Unmatched paths read no body, so they need no limit.
  const bulkPaths = new Set(routes.filter((route) => route.bulkBody).map((route) => route.path));
  for (const path of new Set(routes.map((route) => route.path))) {
    const maxSize = bulkPaths.has(path) ? maxBulkBodyBytes : maxBodyBytes;
    app.use(
      honoPath(path),
      bodyLimit({
        maxSize,
        onError: (c) =>
          problemResponse(c, {
            status: 413,
            code: 'payload_too_large',
            message: `The request body is larger than ${maxSize} bytes.`,
          }),
      }),
    );
  }

  for (const route of routes) {
    app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
      c.set('route', API_PREFIX + route.path);
      let token;
      let actor = 'anonymous';
      if (route.access !== 'public') {
        const auth = await authorize(hub.apiTokens, c.req.header('authorization'), route.access);
        if (!auth.ok) return problemResponse(c, auth.error);
        ({ token, actor } = auth.value);
        c.set('actor', actor);
      }
      const result = await route.run({ actor, token, params: c.req.param(), query: c.req.query(), request: c.req.raw });
      if (!result.ok) {
        if (result.error.status >= 500)
          hub.logger.error('request failed', { route: API_PREFIX + route.path, code: result.error.code, actor });
        return problemResponse(c, result.error);
      }
      const answer = result.value;
      if ('stream' in answer)
        return c.body(answer.stream, answer.status, { ...answer.headers, 'Content-Type': answer.contentType });
      return c.json(answer.body, answer.status, answer.headers);
    });
  }

  const matchers = routes.map((route) => ({ method: route.method, matcher: pathMatcher(route) }));
  app.notFound((c) => {
    const allowed = new Set<HttpMethod>();
    for (const { method, matcher } of matchers) if (matcher.test(c.req.path)) allowed.add(method);
    if (allowed.size > 0) {
      return problemResponse(c, {
        status: 405,
        code: 'method_not_allowed',
        message: `This path does not support ${c.req.method}.`,
        headers: { Allow: [...allowed].map((m) => m.toUpperCase()).join(', ') },
      });
    }
    return problemResponse(c, {
      status: 404,
      code: 'not_found',
      message: `No such route. The API lives under ${API_PREFIX}; ${API_PREFIX}/openapi.json lists it.`,
    });
  });

  app.onError((error, c) => {
    const { problem, summary } = coerceToProblem(error);
    if (summary !== undefined)
      hub.logger.error('request failed', { route: c.get('route') ?? 'unmatched', ...summary, actor: c.get('actor') });
    return problemResponse(c, problem);
  });

  return app;
}
