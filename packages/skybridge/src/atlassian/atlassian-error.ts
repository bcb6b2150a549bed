import type { AtlassianErrorCode } from '../domain/atlassian-error-code.ts';
import { ATLASSIAN_ERROR_CODES } from '../domain/atlassian-error-code.ts';

/**
 * The one error type of the outbound HTTP layer. Everything that crosses out of `atlassian/` as a failure is an
 * `AtlassianError`, and every `catch` turns what it caught into one through `coerceError`.
 *
 * Secrets: an error may be logged, stored on a sync run, or returned by the HTTP API, so it must never carry a
 * credential. That is why:
 * - the constructor scrubs `detail` (credentials in URLs, Authorization values, Atlassian token shapes, long
 *   opaque strings) and truncates it, even though callers are expected to pass only Atlassian's own error text;
 * - `coerceError` never copies the message of an error it did not create (a fetch error's message can contain
 *   the URL, and a URL can contain `user:password@`);
 * - no `cause` is kept, because `util.inspect` prints causes and a cause is exactly such a foreign error;
 * - `toJSON()` writes fields from an allow-list, never the whole object.
 */

/** Longest `detail` kept, in characters. Atlassian's messages are short; anything longer is a page of HTML. */
export const MAX_DETAIL_LENGTH = 300;

export interface AtlassianErrorOptions {
  /** HTTP status, when Atlassian answered. */
  status?: number;
  /** When a retry may succeed, in ms from the failure (rate limits, 503 with Retry-After). */
  retryAfterMs?: number;
  /** Safe, human text explaining the failure: Atlassian's error message, or our own description. Scrubbed. */
  detail?: string;
  /** For `forbidden`: the permission Atlassian named as missing, when it did. Scrubbed like `detail`. */
  permission?: string;
}

/** The JSON form: only these fields, ever. */
export interface AtlassianErrorJson {
  name: 'AtlassianError';
  code: AtlassianErrorCode;
  message: string;
  status?: number;
  retryAfterMs?: number;
  detail?: string;
  permission?: string;
}

export class AtlassianError extends Error {
  override name = 'AtlassianError' as const;
  readonly code: AtlassianErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;
  readonly permission: string | undefined;

  constructor(code: AtlassianErrorCode, options: AtlassianErrorOptions = {}) {
    const detail = options.detail === undefined ? undefined : safeDetail(options.detail);
    const permission = options.permission === undefined ? undefined : safeDetail(options.permission, 80);
    super(describe(code, { ...options, detail, permission }));
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = detail;
    this.permission = permission;
  }

  /** What the operator should do about it: one specific message per code. */
  actionableMessage(): string {
    return this.message;
  }

  toJSON(): AtlassianErrorJson {
    const json: AtlassianErrorJson = { name: 'AtlassianError', code: this.code, message: this.message };
    if (this.status !== undefined) json.status = this.status;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.detail !== undefined) json.detail = this.detail;
    if (this.permission !== undefined) json.permission = this.permission;
    return json;
  }
}

export function isAtlassianError(value: unknown): value is AtlassianError {
  return value instanceof AtlassianError;
}

export function isAtlassianErrorCode(value: unknown): value is AtlassianErrorCode {
  return typeof value === 'string' && (ATLASSIAN_ERROR_CODES as readonly string[]).includes(value);
}

/** "30 s", "2 min 5 s", "1 h 2 min": how long to wait, for a message. */
export function formatWait(ms: number): string {
  const totalSeconds = Math.max(1, Math.ceil(ms / 1000));
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  if (s > 0 && h === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message} Detail: ${detail}` : message;
}

function statusText(status: number | undefined, fallback: string): string {
  return status === undefined ? fallback : String(status);
}

/** The actionable message for a code. Exhaustive: a new code does not compile until it has a message. */
function describe(
  code: AtlassianErrorCode,
  o: { status?: number; retryAfterMs?: number; detail: string | undefined; permission: string | undefined },
): string {
  switch (code) {
    case 'bad_url':
      return withDetail(
        'The URL is not usable: it must be an https:// URL without a user name or password in it (plain http only for hosts listed in SKYBRIDGE_ALLOWED_HOSTS). Check the site or base URL of the connection.',
        o.detail,
      );
    case 'blocked_address':
      return withDetail(
        'Skybridge refused to connect: the host resolves to a private, loopback, link-local or otherwise internal address. If this is a Data Center instance on your own network, add its host to SKYBRIDGE_ALLOWED_HOSTS.',
        o.detail,
      );
    case 'dns':
      return withDetail(
        'The host name could not be resolved. Check the spelling of the URL and that this machine can resolve it (DNS, VPN).',
        o.detail,
      );
    case 'tls':
      return withDetail(
        "The TLS handshake failed: the server's certificate is not trusted or does not match the host. For a Data Center instance with a private CA, configure its CA certificate on the connection.",
        o.detail,
      );
    case 'connect':
      return withDetail(
        'Could not connect to the server, or the connection was dropped. Check that the URL is right and that the server is reachable from this machine; the request can be retried.',
        o.detail,
      );
    case 'timeout':
      return withDetail(
        'The request timed out. The server may be overloaded or unreachable; retry later, or raise the timeout if the instance is known to be slow.',
        o.detail,
      );
    case 'redirect_refused':
      return withDetail(
        'The server redirected to another host (or too many times), and Skybridge does not follow such redirects so the credential is never sent elsewhere. Use the final URL of the site as the connection URL.',
        o.detail,
      );
    case 'too_large':
      return withDetail(
        'The response was larger than the size cap and was abandoned. Ask for smaller pages (a lower maxResults/limit).',
        o.detail,
      );
    case 'wrong_product':
      return withDetail(
        'The URL answers, but not as the Atlassian product this connection expects (for example a Data Center URL given for a Cloud connection, Confluence for Jira, or a web page that is not Atlassian). Check the URL and the connection kind.',
        o.detail,
      );
    case 'unauthorized':
      return withDetail(
        `Atlassian refused the credential (${statusText(o.status, '401')}). The API token may be wrong, expired or revoked: create a new one at id.atlassian.com → Security → API tokens (or a new personal access token / org API key) and rotate the connection.`,
        o.detail,
      );
    case 'authenticated_failed':
      return 'Atlassian served the request anonymously (X-Seraph-LoginReason: AUTHENTICATED_FAILED): the credential was not accepted, so the token has probably expired or been revoked. Results would be missing whatever anonymous users cannot see. Create a new API token at id.atlassian.com → Security → API tokens and rotate the connection.';
    case 'basic_auth_disabled':
      return withDetail(
        'The server refuses this authentication scheme: basic authentication is disabled or deprecated there. For Data Center use a personal access token (sent as Bearer); for Cloud use your email with an API token, not a password.',
        o.detail,
      );
    case 'captcha_required':
      return 'Data Center locked this account behind a CAPTCHA after repeated failed logins (X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE). REST calls stay blocked until someone logs in once through the browser; then fix the credential and retry.';
    case 'forbidden': {
      const what = o.permission
        ? `the account behind the credential lacks the "${o.permission}" permission. Grant it, or use an account that has it, then retry.`
        : 'the account behind the credential is authenticated but lacks a permission or scope for this call. Grant the permission (or the token scope), or use an account that has it.';
      return withDetail(`Atlassian refused the request (${statusText(o.status, '403')}): ${what}`, o.detail);
    }
    case 'not_found':
      return withDetail(
        `Atlassian answered ${statusText(o.status, '404')}: it does not exist, or the credential's account cannot see it (Atlassian does not tell the two apart). Check the id or key, and the account's access.`,
        o.detail,
      );
    case 'rate_limited':
      return withDetail(
        `Atlassian rate-limited the requests (429) and the retry budget ran out. ${o.retryAfterMs === undefined ? 'Retry later' : `Retry after ${formatWait(o.retryAfterMs)}`}; lower the concurrency or the schedule frequency if this recurs.`,
        o.detail,
      );
    case 'bad_request':
      return withDetail(
        `Atlassian rejected the request (${statusText(o.status, '400')}) as invalid. Fix the request (fields, JQL, body) as the message says.`,
        o.detail,
      );
    case 'server_error':
      return withDetail(
        `Atlassian failed with a server error (${statusText(o.status, '5xx')}) after retries. It is usually transient: retry later, and check status.atlassian.com (or the Data Center logs).`,
        o.detail,
      );
    case 'bad_response':
      return withDetail(
        'Atlassian answered with a body Skybridge does not understand (not JSON, or missing a field it depends on). The API may have changed; report it with the detail below.',
        o.detail,
      );
  }
}

/** Patterns that may carry a secret, each replaced by a mask. Order matters: specific shapes first. */
const SCRUBBERS: ReadonlyArray<[RegExp, string]> = [
  // Credentials in a URL: scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1••••@'],
  // Atlassian API tokens (ATATT…), org API keys (ATCTT…) and similar prefixed tokens.
  [/\bAT[A-Z]{2}T[A-Za-z0-9_=+/-]+/g, '••••'],
  // Secrets in query strings or key=value text.
  [/\b(token|api[_-]?key|apikey|password|passwd|secret|access[_-]?token|auth)=([^\s&"']+)/gi, '$1=••••'],
];

const AUTH_VALUE = /\b(basic|bearer)\s+([A-Za-z0-9._~+/=-]+)/gi;

/** A long run of letters and digits (base64, hex, a PAT, a JWT part): keys and paths are shorter; secrets are not. */
const OPAQUE_RUN = /[A-Za-z0-9_+=-]{24,}/g;

/**
 * Makes text safe to show: strips control characters, masks anything that looks like a secret, and truncates.
 * Exported so API family code and tests can use the same rules.
 */
export function safeDetail(text: string, max = MAX_DETAIL_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  // An Authorization header value, however it got here; "Basic authentication is disabled" is left alone.
  out = out.replace(AUTH_VALUE, (whole, scheme: string, value: string) =>
    value.length >= 16 || /[\d+/=]/.test(value) ? `${scheme} ••••` : whole,
  );
  out = out.replace(OPAQUE_RUN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? '••••' : run));
  if (out.length > max) out = `${out.slice(0, max - 1)}…`;
  return out;
}

/** System and undici error codes we recognise, and what they mean for us. Only these names reach `detail`. */
const SYSTEM_CODES: ReadonlyArray<[RegExp, AtlassianErrorCode]> = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME|ENODATA|ESERVFAIL|ENONAME|EREFUSED|ECONNREFUSED_DNS)$/, 'dns'],
  [/^(UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT)$/, 'timeout'],
  [
    /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_|HOSTNAME_MISMATCH)/,
    'tls',
  ],
  [
    /^(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_DESTROYED|UND_ERR_ABORTED|ERR_STREAM_PREMATURE_CLOSE)$/,
    'connect',
  ],
];

/** Standard error class names that are safe to mention (never the message). */
const SAFE_ERROR_NAMES = new Set(['TypeError', 'RangeError', 'SyntaxError', 'Error', 'AbortError', 'TimeoutError']);

function errorCodeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}

function nameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** The error and its `cause` chain (fetch wraps the real failure in `TypeError: fetch failed`), at most 5 deep. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/**
 * The one place every `catch` in `atlassian/` goes through. Returns an `AtlassianError`:
 * - an `AtlassianError` anywhere in the cause chain is returned as is;
 * - a timeout or abort becomes `timeout`;
 * - a recognised system/undici/TLS error code becomes `dns`, `timeout`, `tls` or `connect`, with only the code
 *   (e.g. `ECONNREFUSED`) as detail;
 * - anything else becomes `connect` with at most a standard class name as detail.
 * It never copies a foreign message: those can contain URLs with credentials or header values.
 */
export function coerceError(error: unknown): AtlassianError {
  const chain = causeChain(error);
  for (const e of chain) if (e instanceof AtlassianError) return e;
  for (const e of chain) {
    const name = nameOf(e);
    if (name === 'TimeoutError') return new AtlassianError('timeout', { detail: 'the time limit was reached' });
    if (name === 'AbortError') return new AtlassianError('timeout', { detail: 'the request was cancelled' });
  }
  for (const e of chain) {
    const code = errorCodeOf(e);
    if (!code) continue;
    for (const [pattern, mapped] of SYSTEM_CODES)
      if (pattern.test(code)) return new AtlassianError(mapped, { detail: code });
  }
  const name = nameOf(error);
  return new AtlassianError('connect', {
    detail: name && SAFE_ERROR_NAMES.has(name) ? `unexpected failure (${name})` : 'unexpected failure',
  });
}
