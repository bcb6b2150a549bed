import type { ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { slowRequests } from '../behaviour/faults.ts';
import { parseAuthorization, type Principal } from '../behaviour/tokens.ts';
import { formatResetMinute, type LimitDecision } from '../behaviour/rate-limit.ts';
import type { SimState } from '../state.ts';

/**
 * The pipeline every simulated endpoint runs through: authentication per API family, rate limiting, then the
 * handler. Surfaces declare routes with `createRouter(...)` and never re-implement auth or limits.
 */

export const FAMILIES = ['jira-cloud', 'confluence-cloud', 'admin', 'teams', 'jira-dc', 'confluence-dc'] as const;
export type Family = (typeof FAMILIES)[number];

/** Who is calling, after checking the credential against the family's scheme. */
export type AuthOutcome =
  | { status: 'ok'; principal: Principal; token: string }
  /** No Authorization header at all. */
  | { status: 'anonymous' }
  /** A credential was sent but is unknown, expired, revoked, or of the wrong scheme for this API. */
  | { status: 'failed'; reason: 'unknown' | 'expired' | 'revoked' | 'wrong-scheme' | 'wrong-principal' };

/** How an endpoint treats callers without a valid credential. */
export type Access =
  /** 401 unless authenticated. */
  | 'authenticated'
  /**
   * Served to anonymous callers. A failed credential is served as anonymous with 200 and
   * `X-Seraph-LoginReason: AUTHENTICATED_FAILED`, as Jira Cloud does (API-NOTES §4).
   */
  | 'anonymous'
  /** Anonymous only when the site has anonymous browse on (search, createmeta); otherwise as `authenticated`. */
  | 'anonymous-if-site-allows'
  /** No auth check at all (e.g. the DC application-links manifest). */
  | 'public';

export interface RouteContext {
  c: Context;
  state: SimState;
  family: Family;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Present for authenticated callers; absent for anonymous ones on anonymous-capable endpoints. */
  principal: Principal | undefined;
  /** Request body parsed as JSON (undefined when there is none; `invalid` when it does not parse). */
  body(): Promise<unknown>;
  /** A JSON response from a pre-serialized string or a value. */
  json(status: number, body: unknown, headers?: Record<string, string>): Response;
  /**
   * A JSON response from pre-serialized parts, written without joining them when served over TCP (no copy, no
   * per-request allocation): the hot read paths build pages from cached bytes this way.
   */
  jsonParts(status: number, parts: readonly Uint8Array[]): Response;
}

export type RouteHandler = (ctx: RouteContext) => Response | Promise<Response>;

export interface RouteOptions {
  access?: Access;
  /** Whether the caller's site allows anonymous browse (used by `anonymous-if-site-allows`). */
  anonymousBrowse?: boolean;
}

export interface RouterOptions {
  state: SimState;
  family: Family;
  /** Resolves the outcome of authentication for this family (which schemes and principals are accepted). */
  authenticate: (c: Context) => AuthOutcome;
  /** The 401 answer in this family's error shape. */
  unauthorized: (ctx: RouteContext, outcome: AuthOutcome) => Response;
  /** The 429 answer in this family's error shape. */
  tooManyRequests: (ctx: RouteContext, decision: LimitDecision) => Response;
  /** Anonymous browse on this site. */
  anonymousBrowse?: boolean;
}

export const INVALID_JSON = Symbol('invalid-json');

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  // Pre-serialized bodies (strings or bytes) go out as they are: the hot read paths build them from caches.
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return new Response(status === 204 ? null : payload, {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
  });
}

function burstLimitFor(state: SimState, family: Family, method: string): { capacity: number; perSecond: number } {
  const limits = state.rateLimits;
  if (family === 'admin' || family === 'teams') return { capacity: limits.adminRps, perSecond: limits.adminRps };
  if (family === 'jira-dc' || family === 'confluence-dc')
    return { capacity: limits.dcMax, perSecond: limits.dcFillRate / limits.dcIntervalSeconds };
  const rps = method === 'PUT' || method === 'DELETE' ? Math.max(1, Math.floor(limits.cloudRps / 2)) : limits.cloudRps;
  return { capacity: rps, perSecond: rps };
}

function credentialKey(outcome: AuthOutcome, c: Context): string {
  // Anonymous and failed callers share one bucket per source address, as the edge limits by IP then.
  return outcome.status === 'ok' ? outcome.token.slice(-16) : `anon:${c.req.header('x-forwarded-for') ?? 'local'}`;
}

/** Rate-limit headers: DC sends its token-bucket headers on every response; cloud sends Limit/Remaining. */
function limitHeaders(state: SimState, family: Family, decision: LimitDecision): Record<string, string> {
  if (family === 'jira-dc' || family === 'confluence-dc') {
    return {
      'x-ratelimit-limit': String(decision.limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-interval-seconds': String(state.rateLimits.dcIntervalSeconds),
      'x-ratelimit-fillrate': String(state.rateLimits.dcFillRate),
      'retry-after': String(decision.retryAfterSeconds),
    };
  }
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
  };
  if (decision.remaining < decision.limit * 0.2) headers['x-ratelimit-nearlimit'] = 'true';
  return headers;
}

export function retryHeaders(decision: LimitDecision, reason: string): Record<string, string> {
  return {
    'retry-after': String(decision.retryAfterSeconds),
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': formatResetMinute(decision.resetAt),
    'ratelimit-reason': reason,
  };
}

export function createRouter(options: RouterOptions) {
  const app = new Hono();
  const { state, family } = options;

  const wrap = (method: string, path: string, routeOptions: RouteOptions, handler: RouteHandler) => {
    const access = routeOptions.access ?? 'authenticated';
    const anonymousAllowed =
      access === 'public' ||
      access === 'anonymous' ||
      (access === 'anonymous-if-site-allows' && (routeOptions.anonymousBrowse ?? options.anonymousBrowse ?? false));
    const isDc = family === 'jira-dc' || family === 'confluence-dc';
    return async (c: Context): Promise<Response> => {
      const outcome: AuthOutcome = access === 'public' ? { status: 'anonymous' } : options.authenticate(c);
      // Headers every answer of this request carries (rate-limit state, login reason). They are merged into the
      // response as it is built: setting them afterwards would force the Node adapter off its fast path.
      const extraHeaders: Record<string, string> = {};
      const made = new WeakSet<Response>();
      let parsedBody: unknown;
      let bodyRead = false;
      let query: URLSearchParams | undefined;
      const ctx: RouteContext = {
        c,
        state,
        family,
        params: c.req.param(),
        get query() {
          return (query ??= new URL(c.req.url).searchParams);
        },
        principal: outcome.status === 'ok' ? outcome.principal : undefined,
        body: async () => {
          if (bodyRead) return parsedBody;
          bodyRead = true;
          const text = await c.req.text();
          if (text.length === 0) return (parsedBody = undefined);
          try {
            parsedBody = JSON.parse(text);
          } catch {
            parsedBody = INVALID_JSON;
          }
          return parsedBody;
        },
        json: (status, body, headers) => {
          const res = jsonResponse(status, body, headers ? { ...extraHeaders, ...headers } : extraHeaders);
          made.add(res);
          return res;
        },
        jsonParts: (status, parts) => {
          const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
          if (!outgoing || slowRequests.has(c.req.raw)) return ctx.json(status, Buffer.concat(parts));
          let length = 0;
          for (const part of parts) length += part.byteLength;
          outgoing.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': length, ...extraHeaders });
          outgoing.cork();
          for (const part of parts) outgoing.write(part);
          outgoing.end();
          return RESPONSE_ALREADY_SENT;
        },
      };

      if (outcome.status !== 'ok' && !anonymousAllowed) return options.unauthorized(ctx, outcome);

      if (state.rateLimits.enabled && access !== 'public') {
        const { capacity, perSecond } = burstLimitFor(state, family, method);
        const scope = isDc ? 'all' : `${method} ${path}`;
        const decision = state.buckets.take(`${family}|${credentialKey(outcome, c)}|${scope}`, capacity, perSecond);
        if (!decision.allowed) {
          const res = options.tooManyRequests(ctx, decision);
          if (isDc) for (const [k, v] of Object.entries(limitHeaders(state, family, decision))) res.headers.set(k, v);
          return res;
        }
        Object.assign(extraHeaders, limitHeaders(state, family, decision));
      }
      if (outcome.status === 'failed') extraHeaders['x-seraph-loginreason'] = 'AUTHENTICATED_FAILED';
      else if (family === 'jira-cloud' || family === 'jira-dc') extraHeaders['x-seraph-loginreason'] = 'OK';

      const res = await handler(ctx);
      if (!made.has(res))
        for (const [k, v] of Object.entries(extraHeaders)) if (!res.headers.has(k)) res.headers.set(k, v);
      return res;
    };
  };

  return {
    app,
    get: (path: string, handler: RouteHandler, o: RouteOptions = {}) => app.get(path, wrap('GET', path, o, handler)),
    post: (path: string, handler: RouteHandler, o: RouteOptions = {}) => app.post(path, wrap('POST', path, o, handler)),
    put: (path: string, handler: RouteHandler, o: RouteOptions = {}) => app.put(path, wrap('PUT', path, o, handler)),
    delete: (path: string, handler: RouteHandler, o: RouteOptions = {}) =>
      app.delete(path, wrap('DELETE', path, o, handler)),
    patch: (path: string, handler: RouteHandler, o: RouteOptions = {}) =>
      app.patch(path, wrap('PATCH', path, o, handler)),
  };
}

export type Router = ReturnType<typeof createRouter>;

/** Basic email:API-token for cloud sites (Jira, Confluence, Teams through the site gateway). */
export function cloudBasicAuth(state: SimState, orgIdx: number) {
  return (c: Context): AuthOutcome => {
    const header = parseAuthorization(c.req.header('authorization'));
    if (header.scheme === 'none') return { status: 'anonymous' };
    if (header.scheme !== 'basic') return { status: 'failed', reason: 'wrong-scheme' };
    const check = state.tokens.check(header.secret);
    if (check.status === 'unknown') return { status: 'failed', reason: 'unknown' };
    if (check.status !== 'ok') return { status: 'failed', reason: check.status };
    const principal = check.record.principal;
    if (principal.kind !== 'cloud-user' || principal.orgIdx !== orgIdx)
      return { status: 'failed', reason: 'wrong-principal' };
    const user = state.world.orgs[orgIdx]?.users[principal.userIdx];
    // The email half of Basic must belong to the token's account.
    if (!user?.email || user.email.toLowerCase() !== header.user.toLowerCase())
      return { status: 'failed', reason: 'unknown' };
    if (user.status !== 'active') return { status: 'failed', reason: 'revoked' };
    return { status: 'ok', principal, token: header.secret };
  };
}

/** Bearer for the Admin API (org API key) and Data Center (personal access token). */
export function bearerAuth(state: SimState, accept: (principal: Principal) => boolean) {
  return (c: Context): AuthOutcome => {
    const header = parseAuthorization(c.req.header('authorization'));
    if (header.scheme === 'none') return { status: 'anonymous' };
    // A PAT used as a Basic password is refused: Data Center PATs are Bearer only (API-NOTES §2.4).
    if (header.scheme !== 'bearer') return { status: 'failed', reason: 'wrong-scheme' };
    const check = state.tokens.check(header.token);
    if (check.status === 'unknown') return { status: 'failed', reason: 'unknown' };
    if (check.status !== 'ok') return { status: 'failed', reason: check.status };
    if (!accept(check.record.principal)) return { status: 'failed', reason: 'wrong-principal' };
    return { status: 'ok', principal: check.record.principal, token: header.token };
  };
}

/** Reads a non-negative integer query parameter with Atlassian's clamping: invalid -> default, over max -> max. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max?: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isFinite(value) || value < 0) return fallback;
  return max !== undefined ? Math.min(value, max) : value;
}
