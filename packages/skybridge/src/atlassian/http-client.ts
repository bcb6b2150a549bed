import type { ZodType } from 'zod';
import type { AtlassianErrorCode } from '../domain/atlassian-error-code.ts';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { AtlassianError, coerceError } from './atlassian-error.ts';
import { extractErrorMessage, extractMissingPermission } from './error-body.ts';
import type { FetchLike } from './guarded-fetch.ts';
import type { Pacer } from './pacer.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, serverWaitMs } from './retry-policy.ts';

/**
 * The client every API family uses: one base URL, one credential, and on every call the same pipeline:
 * pacing → guarded fetch → response check → retry decision → one outcome report.
 *
 * Checks on every response (API-NOTES §4):
 * - `X-Seraph-LoginReason: AUTHENTICATED_FAILED` on a 2xx is Jira Cloud serving an expired token as anonymous:
 *   it is an `authenticated_failed` error unless the caller opts in with `allowAnonymous`;
 * - `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE` (Data Center) is `captcha_required` whatever the status;
 * - status → code: 401 `unauthorized` (`basic_auth_disabled` when the server says basic auth is off), 403
 *   `forbidden`, 404/410 `not_found`, 429 `rate_limited`, 5xx `server_error`, other 4xx `bad_request`;
 * - Atlassian's own message is extracted from whichever family's error shape came back into the safe `detail`;
 * - bodies are JSON (`bad_response` otherwise; an HTML page on a 2xx is `wrong_product`), optionally checked
 *   against a zod schema where the caller depends on a field (`bad_response` naming the field).
 * The credential is revealed only to build the Authorization header of each attempt; it never reaches an error,
 * an outcome or a log line.
 */

/** What the vault hands out: a secret that shows its plaintext only when asked, for one use. */
export interface OpenedSecretLike {
  reveal(): string;
}

/** Basic is email + API token (Cloud); Bearer is an org API key (Admin) or a personal access token (Data Center). */
export type AtlassianAuth =
  { type: 'basic'; email: string; token: OpenedSecretLike } | { type: 'bearer'; token: OpenedSecretLike };

/** What happened on one call, reported once at its end: updates authorization status and counts requests. */
export interface RequestOutcome {
  ok: boolean;
  /** The error code when `ok` is false. */
  code?: AtlassianErrorCode;
  /** The final HTTP status, when Atlassian answered. */
  status?: number;
  method: string;
  /** The path with ids replaced by `{id}` and no query: safe to log and to group by. */
  route: string;
  /** HTTP requests sent (attempts that reached the transport). */
  requests: number;
  retries: number;
  /** 429 answers seen along the way. */
  rateLimited: number;
}

export interface AtlassianHttpOptions {
  /**
   * Where the API lives, with any path prefix: a cloud site (`https://acme.atlassian.net`), a Data Center context
   * path (`https://jira.corp/jira`), the gateway (`https://api.atlassian.com/ex/jira/{cloudId}`) or the Admin API.
   * Request paths are appended to it.
   */
  baseUrl: string;
  auth: AtlassianAuth;
  /** The guarded client (`createGuardedFetch`): the only way out. */
  guardedFetch: FetchLike;
  /**
   * Wraps the guarded client for this http client only: a tap that adjusts what the JSON pipeline cannot express
   * (a multipart body, keeping an error body), while every request still leaves through `guardedFetch`.
   * Default: none.
   */
  wrapFetch?: (guarded: FetchLike) => FetchLike;
  /** Pacing and concurrency shared by every client of the site. Default: none (no pacing). */
  pacer?: Pacer;
  /** Default `DEFAULT_RETRY_POLICY` (4 retries, 1 s doubled, 30 s cap, jitter 0.7–1.3). */
  retryPolicy?: RetryPolicy;
  clock: Clock;
  /** Waits between retries. Default a `setTimeout` promise; tests inject one that advances a manual clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Called once per call with what happened. Default: nothing. */
  onOutcome?: (outcome: RequestOutcome) => void;
  /**
   * How calls are grouped for pacing: `endpoint` (method + route, for Cloud burst limits, the default) or `client`
   * (one scope for everything, for Data Center's per-user bucket).
   */
  rateLimitScope?: 'endpoint' | 'client';
  /** Prefix of every pacing scope, e.g. a connection id on Data Center. Default: the base URL. */
  scopePrefix?: string;
  /** Default `skybridge`. */
  userAgent?: string;
}

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;
export type Query = Readonly<Record<string, QueryValue>>;

export interface RequestOptions<T> {
  query?: Query;
  /** Checks the parsed body where we depend on its fields; a mismatch is `bad_response` naming the field. */
  schema?: ZodType<T>;
  /** Accept a 2xx served as anonymous (`X-Seraph-LoginReason: AUTHENTICATED_FAILED`). Default false. */
  allowAnonymous?: boolean;
  /** Marks a POST as safe to retry (a search). Default: by method (GET, HEAD, PUT, DELETE are). */
  idempotent?: boolean;
  /** JSON request body. */
  body?: unknown;
  /** Extra request headers (never Authorization, which the client owns). */
  headers?: Readonly<Record<string, string>>;
  /** `json` (default) parses the body; `text` returns it as a string. */
  responseType?: 'json' | 'text';
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  /** The URL that answered (after same-origin redirects are not visible here: the request URL). */
  url: string;
}

export interface Page<T> extends HttpResponse<T> {
  /**
   * Absolute URL of the next page when the response links one: a `Link: <…>; rel="next"` header (Confluence
   * Cloud), `_links.next` (Confluence, relative to the site), `nextPage` (Jira PageBean) or `links.next`
   * (Admin v1). Token cursors (`nextPageToken`, `cursor`) are in `data`, read by the family code.
   */
  next: string | undefined;
}

export interface AtlassianHttp {
  readonly baseUrl: string;
  request<T>(
    method: string,
    pathOrUrl: string,
    options?: RequestOptions<T>,
  ): Promise<Result<HttpResponse<T>, AtlassianError>>;
  get<T>(path: string, options?: RequestOptions<T>): Promise<Result<T, AtlassianError>>;
  post<T>(path: string, body: unknown, options?: Omit<RequestOptions<T>, 'body'>): Promise<Result<T, AtlassianError>>;
  put<T>(path: string, body: unknown, options?: Omit<RequestOptions<T>, 'body'>): Promise<Result<T, AtlassianError>>;
  delete<T = undefined>(path: string, options?: RequestOptions<T>): Promise<Result<T, AtlassianError>>;
  /** A GET that also returns the next-page link. `pathOrUrl` may be a previous page's `next`. */
  getPage<T>(pathOrUrl: string, options?: RequestOptions<T>): Promise<Result<Page<T>, AtlassianError>>;
}

/** `path\`/rest/api/3/issue/${key}\``: encodes each interpolated value as one path segment. */
export function pathOf(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/** The route shape of a path: segments with a digit become `{id}`, except version segments (`3`, `v2`, `1.0`). */
export function routeOf(pathname: string): string {
  return pathname
    .split('/')
    .map((s) => (/\d/.test(s) && !/^(v?\d{1,2}|\d+\.\d+)$/.test(s) ? '{id}' : s))
    .join('/');
}

function appendQuery(url: URL, query: Query | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value))
      for (const v of value as ReadonlyArray<string | number | boolean>) url.searchParams.append(key, String(v));
    else url.searchParams.append(key, String(value));
  }
}

/** Joins a path onto the base URL's path (keeping `/jira` or `/ex/jira/{cloudId}`), or accepts a same-origin URL. */
export function buildUrl(baseUrl: string, pathOrUrl: string, query?: Query): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new AtlassianError('bad_url', { detail: 'the base URL is not a valid absolute URL' });
  }
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
    try {
      url = new URL(pathOrUrl);
    } catch {
      throw new AtlassianError('bad_url', { detail: 'the link is not a valid URL' });
    }
    // A next-page link pointing elsewhere would carry our credential to another host.
    if (url.origin !== base.origin)
      throw new AtlassianError('bad_url', { detail: `a link to another origin (${url.host}) was not followed` });
  } else {
    const basePath = base.pathname.replace(/\/+$/, '');
    const path = pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`;
    url = new URL(`${base.origin}${basePath}${path}`);
  }
  appendQuery(url, query);
  return url;
}

function linkNext(header: string | null, requestUrl: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match?.[1] && /rel\s*=\s*"?next"?/i.test(match[2] ?? '')) return new URL(match[1], requestUrl).href;
  }
  return undefined;
}

function bodyNext(data: unknown, requestUrl: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { _links?: { next?: unknown }; nextPage?: unknown; links?: { next?: unknown } };
  const candidate = [d._links?.next, d.nextPage, d.links?.next].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return candidate === undefined ? undefined : new URL(candidate, requestUrl).href;
}

/** True when the server says basic auth itself is switched off or deprecated (not that the credential is bad). */
function basicAuthRefused(message: string | undefined, headers: Headers): boolean {
  const text = `${message ?? ''} ${headers.get('x-authentication-denied-reason') ?? ''}`;
  return /basic auth(entication)?\b[^.]*\b(disabled|deprecated|not (allowed|permitted|supported|enabled))/i.test(text);
}

function zodIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `field '${i.path.map(String).join('.') || '(root)'}': ${i.message}`)
    .join('; ');
}

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

export function createAtlassianHttp(options: AtlassianHttpOptions): AtlassianHttp {
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const scopePrefix = options.scopePrefix ?? options.baseUrl.replace(/\/+$/, '');
  const userAgent = options.userAgent ?? 'skybridge';
  const outbound = options.wrapFetch ? options.wrapFetch(options.guardedFetch) : options.guardedFetch;

  const authorization = (): string => {
    const { auth } = options;
    if (auth.type === 'basic') return `Basic ${Buffer.from(`${auth.email}:${auth.token.reveal()}`).toString('base64')}`;
    return `Bearer ${auth.token.reveal()}`;
  };

  /** Turns one complete exchange into the caller's result. */
  function interpret<T>(
    exchange: Exchange,
    url: string,
    opts: RequestOptions<T>,
    retryAfterMs: number | undefined,
  ): Result<HttpResponse<T>, AtlassianError> {
    const { status, headers, text } = exchange;
    const contentType = headers.get('content-type');
    const loginReason = (headers.get('x-seraph-loginreason') ?? '').toUpperCase();
    if (/CAPTCHA_CHALLENGE/i.test(headers.get('x-authentication-denied-reason') ?? '')) {
      return err(new AtlassianError('captcha_required', { status }));
    }
    let parsed: unknown;
    let parseFailed = false;
    if (text.trim() !== '' && (opts.responseType ?? 'json') === 'json') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    if (status >= 200 && status < 300) {
      if (
        !opts.allowAnonymous &&
        (loginReason.includes('AUTHENTICATED_FAILED') || loginReason.includes('AUTHENTICATION_DENIED'))
      ) {
        return err(new AtlassianError('authenticated_failed', { status }));
      }
      if (opts.responseType === 'text') return ok({ data: text as T, status, headers, url });
      if (parseFailed) {
        if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(text)) {
          return err(
            new AtlassianError('wrong_product', {
              status,
              detail: 'the URL answered with an HTML page, not a JSON API',
            }),
          );
        }
        return err(
          new AtlassianError('bad_response', {
            status,
            detail: `the body is not JSON (content-type ${contentType ?? 'none'})`,
          }),
        );
      }
      if (opts.schema) {
        const checked = opts.schema.safeParse(parsed);
        if (!checked.success)
          return err(new AtlassianError('bad_response', { status, detail: zodIssues(checked.error) }));
        return ok({ data: checked.data, status, headers, url });
      }
      return ok({ data: parsed as T, status, headers, url });
    }
    const message = extractErrorMessage(parseFailed ? undefined : parsed, text, contentType);
    const detail = message === undefined ? {} : { detail: message };
    if (status === 401) {
      return err(
        new AtlassianError(basicAuthRefused(message, headers) ? 'basic_auth_disabled' : 'unauthorized', {
          status,
          ...detail,
        }),
      );
    }
    if (status === 403) {
      const permission = extractMissingPermission(message);
      return err(new AtlassianError('forbidden', { status, ...detail, ...(permission ? { permission } : {}) }));
    }
    if (status === 404 || status === 410) return err(new AtlassianError('not_found', { status, ...detail }));
    if (status === 429) {
      return err(
        new AtlassianError('rate_limited', {
          status,
          ...detail,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        }),
      );
    }
    if (status >= 500) {
      return err(
        new AtlassianError('server_error', {
          status,
          ...detail,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        }),
      );
    }
    if (status >= 400) return err(new AtlassianError('bad_request', { status, ...detail }));
    // 1xx/3xx that reached us: a redirect without a Location, or 304 to a request that never asked for it.
    return err(new AtlassianError('bad_response', { status, detail: `unexpected status ${status}` }));
  }

  async function request<T>(
    method: string,
    pathOrUrl: string,
    opts: RequestOptions<T> = {},
  ): Promise<Result<HttpResponse<T>, AtlassianError>> {
    const verb = method.toUpperCase();
    let requests = 0;
    let retries = 0;
    let rateLimited = 0;
    let route = routeOf(pathOrUrl.split('?')[0] ?? '');
    const finish = (result: Result<HttpResponse<T>, AtlassianError>, status: number | undefined) => {
      const outcome: RequestOutcome = { ok: result.ok, method: verb, route, requests, retries, rateLimited };
      if (!result.ok) outcome.code = result.error.code;
      if (status !== undefined) outcome.status = status;
      options.onOutcome?.(outcome);
      return result;
    };

    let url: URL;
    try {
      url = buildUrl(options.baseUrl, pathOrUrl, opts.query);
      route = routeOf(url.pathname);
    } catch (error) {
      return finish(err(coerceError(error)), undefined);
    }
    const scope = options.rateLimitScope === 'client' ? scopePrefix : `${scopePrefix} ${verb} ${routeOf(url.pathname)}`;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);

    const send = async (): Promise<Exchange> => {
      requests++;
      const headers = new Headers(opts.headers);
      headers.set('accept', 'application/json');
      headers.set('user-agent', userAgent);
      if (body !== undefined) headers.set('content-type', 'application/json');
      headers.set('authorization', authorization());
      const init: RequestInit = { method: verb, headers };
      if (body !== undefined) init.body = body;
      if (opts.signal) init.signal = opts.signal;
      const response = await outbound(url.href, init);
      // The body is read inside the scheduled slot so the concurrency cap covers the whole transfer.
      return { status: response.status, headers: response.headers, text: await response.text() };
    };

    for (let attempt = 1; ; attempt++) {
      let exchange: Exchange | undefined;
      let failure: AtlassianError | undefined;
      try {
        exchange = options.pacer ? await options.pacer.schedule(scope, send) : await send();
      } catch (error) {
        failure = coerceError(error);
      }
      if (exchange) {
        options.pacer?.observe(scope, exchange.headers, exchange.status);
        if (exchange.status === 429) rateLimited++;
      }
      const decision = decideRetry(
        {
          attempt,
          method: verb,
          ...(opts.idempotent === undefined ? {} : { idempotent: opts.idempotent }),
          ...(exchange ? { status: exchange.status, headers: exchange.headers } : {}),
          ...(failure ? { errorCode: failure.code } : {}),
          nowMs: options.clock.now().getTime(),
        },
        policy,
      );
      if (decision.retry) {
        retries++;
        await sleep(decision.delayMs);
        continue;
      }
      if (!exchange) return finish(err(failure ?? new AtlassianError('connect')), undefined);
      const retryAfterMs =
        decision.retryAfterMs ??
        (exchange.status === 429 || exchange.status === 503
          ? serverWaitMs(exchange.headers, options.clock.now().getTime()) || undefined
          : undefined);
      return finish(interpret(exchange, url.href, opts, retryAfterMs), exchange.status);
    }
  }

  const unwrap = async <T>(
    pending: Promise<Result<HttpResponse<T>, AtlassianError>>,
  ): Promise<Result<T, AtlassianError>> => {
    const result = await pending;
    return result.ok ? ok(result.value.data) : result;
  };

  return {
    baseUrl: options.baseUrl,
    request,
    get: (path, opts) => unwrap(request('GET', path, opts)),
    post: (path, body, opts) => unwrap(request('POST', path, { ...opts, body })),
    put: (path, body, opts) => unwrap(request('PUT', path, { ...opts, body })),
    delete: (path, opts) => unwrap(request('DELETE', path, opts)),
    async getPage(pathOrUrl, opts) {
      const result = await request('GET', pathOrUrl, opts);
      if (!result.ok) return result;
      const { value } = result;
      return ok({ ...value, next: linkNext(value.headers.get('link'), value.url) ?? bodyNext(value.data, value.url) });
    },
  };
}
