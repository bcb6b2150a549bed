import { z } from 'zod';
import type { Actor } from '../connections/connections-service.ts';
import type { ApiToken, ApiTokenRole } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { ApiProblem } from './api-problem.ts';
import type { JsonObject } from './serializers.ts';
import { parseInput, readJsonBody } from './validation.ts';

/**
 * A route is declared once, as data plus a handler, and that one declaration is both registered in Hono
 * (`create-http-app.ts`) and listed in the OpenAPI document (`openapi.ts`). Validation happens here, before the
 * handler runs, with the same schemas the document is generated from.
 */

/** Every route lives under this prefix; the OpenAPI document's `servers` entry says so. */
export const API_PREFIX = '/api/v1';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The least role a route needs, or `public` for the few routes without authentication. */
export type RouteAccess = ApiTokenRole | 'public';

/** Success statuses a route may answer with: 202 for work queued rather than done. */
export type SuccessStatus = 200 | 201 | 202;

/** A JSON reply, the usual kind. */
export interface JsonReply {
  status: SuccessStatus;
  body: JsonObject;
  headers?: Record<string, string>;
}

/**
 * A streamed reply (an export): the body is read from `stream` as the client takes it, so a large answer is never
 * held whole in memory. Problems found before the first byte are returned as an ApiProblem like any route's;
 * after it, the stream is aborted (the status line has gone).
 */
export interface StreamReply {
  status: 200;
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  headers?: Record<string, string>;
}

export type RouteReply = JsonReply | StreamReply;

/** What a route answers with on success, for the document. */
export interface RouteResponse {
  status: SuccessStatus;
  description: string;
  /** Media types of the body. Default `['application/json']`. */
  contentTypes?: readonly string[];
}

/** What a handler receives: validated input and who is asking. */
export interface RouteRequest<B, Q> {
  /** `token:<name>`; `anonymous` on public routes. */
  actor: Actor;
  /** The caller's token; undefined only on public routes. */
  token: ApiToken | undefined;
  /** Path parameters by the names in `path` (`{idOrName}` → `params.idOrName`), already URL-decoded. */
  params: Readonly<Record<string, string>>;
  body: B;
  /** The body as sent, read once as text, on routes that declare `rawBody`; undefined on any other. */
  rawBody: string | undefined;
  query: Q;
  header: (name: string) => string | undefined;
}

export interface RouteDefinition<B, Q> {
  method: HttpMethod;
  /** OpenAPI-style path below {@link API_PREFIX}, e.g. `/connections/{idOrName}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: RouteAccess;
  /** Request body schema (strict). Without one, a body is ignored. */
  body?: z.ZodType<B>;
  /**
   * Instead of `body`: hand the handler the body as text, read once and not parsed, for a check over the exact bytes
   * sent (a webhook signature). `schema` documents what the text holds; the handler parses and validates it.
   */
  rawBody?: { schema: z.ZodType };
  /**
   * The route takes batches (findings), so its body may be up to the app's `maxBulkBodyBytes` rather than
   * `maxBodyBytes`. Default false.
   */
  bulkBody?: boolean;
  /** For a `public` route that checks something else than a token (a signature): how, for the document. */
  authentication?: string;
  /** Query string schema (strict). Without one, any query parameter is refused. */
  query?: z.ZodType<Q>;
  /** Extra headers the route reads, for the document. */
  headers?: ReadonlyArray<{ name: string; description: string }>;
  response: RouteResponse;
  handle(request: RouteRequest<B, Q>): Promise<Result<RouteReply, ApiProblem>>;
}

/** The raw request as the Hono adapter hands it over. */
export interface RawRouteRequest {
  actor: Actor;
  token: ApiToken | undefined;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  request: Request;
}

/** A route with its types erased, so routes of different shapes fit in one list. */
export interface ApiRoute {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  description: string | undefined;
  access: RouteAccess;
  bodySchema: z.ZodType | undefined;
  rawBodySchema: z.ZodType | undefined;
  bulkBody: boolean;
  authentication: string | undefined;
  querySchema: z.ZodType | undefined;
  headers: ReadonlyArray<{ name: string; description: string }>;
  response: RouteResponse;
  /** Validates the input and runs the handler. */
  run(raw: RawRouteRequest): Promise<Result<RouteReply, ApiProblem>>;
}

const NO_QUERY = z.object({}).strict();

export function defineRoute<B = undefined, Q = undefined>(definition: RouteDefinition<B, Q>): ApiRoute {
  const querySchema: z.ZodType = definition.query ?? NO_QUERY;
  return {
    method: definition.method,
    path: definition.path,
    operationId: definition.operationId,
    summary: definition.summary,
    description: definition.description,
    access: definition.access,
    bodySchema: definition.body,
    rawBodySchema: definition.rawBody?.schema,
    bulkBody: definition.bulkBody ?? false,
    authentication: definition.authentication,
    querySchema: definition.query,
    headers: definition.headers ?? [],
    response: definition.response,
    async run(raw) {
      const query = parseInput(querySchema, raw.query, 'query');
      if (!query.ok) return query;
      let body: unknown = undefined;
      if (definition.body !== undefined) {
        const json = await readJsonBody(raw.request);
        if (!json.ok) return json;
        const parsed = parseInput(definition.body, json.value, 'body');
        if (!parsed.ok) return parsed;
        body = parsed.value;
      }
      // Decoded without dropping a leading byte-order mark (as `text()` would), so the text is exactly what was signed.
      const rawBody =
        definition.rawBody === undefined
          ? undefined
          : new TextDecoder('utf-8', { ignoreBOM: true }).decode(await raw.request.arrayBuffer());
      return definition.handle({
        actor: raw.actor,
        token: raw.token,
        params: raw.params,
        // The schemas above produced these values; the casts only restore the types the generics erased.
        body: body as B,
        rawBody,
        query: query.value as Q,
        header: (name) => raw.request.headers.get(name) ?? undefined,
      });
    },
  };
}

/** `/connections/{idOrName}` → `/api/v1/connections/:idOrName`, Hono's syntax. */
export function honoPath(path: string): string {
  return API_PREFIX + path.replace(/\{(\w+)\}/g, ':$1');
}

/** The names of a path's parameters, in order. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** A reply helper, so handlers read as `return reply(200, {...})`. */
export function reply(
  status: SuccessStatus,
  body: JsonObject,
  headers?: Record<string, string>,
): Result<RouteReply, ApiProblem> {
  return ok(headers === undefined ? { status, body } : { status, body, headers });
}

/** A streamed reply; see {@link StreamReply}. */
export function streamReply(
  contentType: string,
  stream: ReadableStream<Uint8Array>,
  headers?: Record<string, string>,
): Result<RouteReply, ApiProblem> {
  return ok(
    headers === undefined ? { status: 200, stream, contentType } : { status: 200, stream, contentType, headers },
  );
}

export function fail(problem: ApiProblem): Result<RouteReply, ApiProblem> {
  return err(problem);
}
