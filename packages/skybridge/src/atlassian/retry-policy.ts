import type { AtlassianErrorCode } from '../domain/atlassian-error-code.ts';

/**
 * Whether to retry a failed attempt, and after how long, as a pure function that says why (after Nango's
 * `proxy/retry.ts`). Keeping it pure means every rule below is a one-line test, and the client logs the reason.
 *
 * Rules (API-NOTES §3):
 * - 429 is retried for every method: Atlassian did not process the request.
 * - 5xx, 408, timeouts and dropped connections are retried only for idempotent requests (GET, HEAD, OPTIONS, PUT,
 *   DELETE, or a POST the caller marks idempotent, like a search): a POST that timed out may have created the
 *   issue, and retrying it would create a second one.
 * - `Retry-After` is a minimum, never a target. `Retry-After: 0` (Data Center and some gateways send it on 429)
 *   is treated as absent, because honouring it literally produces a zero-delay retry storm (sooperset/mcp-atlassian
 *   #1544, pycontribs/jira #1805). Without a usable Retry-After, `X-RateLimit-Reset` is the minimum.
 * - Otherwise exponential backoff with jitter, using Atlassian's constants: 4 retries, ~1 s doubled, capped at
 *   30 s, multiplied by a random factor in [0.7, 1.3].
 * - A server-requested wait longer than `maxWaitMs` is not sat through: the caller gets `rate_limited` with the
 *   wait, and a scheduler can come back later instead of holding a worker for an hour-long quota reset.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. Default 4 (Atlassian's `maxRetries`). */
  maxRetries: number;
  /** Backoff before the first retry, doubled for each next one, in ms. Default 1 000. */
  baseDelayMs: number;
  /** Cap on a backoff delay, in ms. Default 30 000 (Atlassian's `maxRetryDelayMillis`). */
  maxDelayMs: number;
  /** Random multiplier range applied to backoff. Default [0.7, 1.3] (Atlassian's `jitterMultiplierRange`). */
  jitter: readonly [number, number];
  /** Longest server-requested wait (Retry-After / X-RateLimit-Reset) that is retried in-process, in ms. Default 60 000. */
  maxWaitMs: number;
  /** Uniform random in [0, 1). Default `Math.random`; tests inject a fixed one. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: [0.7, 1.3] as const,
  maxWaitMs: 60_000,
  random: Math.random,
});

/** A policy with defaults for everything not given. */
export function createRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

export const RETRY_REASONS = [
  /** The attempt succeeded (or is a redirect/informational answer): nothing to retry. */
  'success',
  /** 429: rate-limited; safe for any method. */
  'rate_limited',
  /** 503: the service said it is unavailable. */
  'unavailable',
  /** 500, 502, 504, 408. */
  'server_error',
  /** A timeout or a dropped or refused connection. */
  'network',
  /** Would be retryable, but the request is not idempotent and may already have taken effect. */
  'not_idempotent',
  /** A failure retrying cannot fix (4xx, DNS, TLS, blocked address, ...). */
  'not_retryable',
  /** The retry budget is spent. */
  'exhausted',
  /** The server asked for a wait longer than `maxWaitMs`. */
  'wait_too_long',
] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

/** Anything with `get(name)`, like `Headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

export interface RetryInput {
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  method: string;
  /** Overrides the method's default idempotency (true for a search sent as POST). */
  idempotent?: boolean;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The error code, when there was no response (timeout, connect, ...). */
  errorCode?: AtlassianErrorCode;
  headers?: HeaderSource;
  /** Now, in epoch ms: for HTTP-date Retry-After and X-RateLimit-Reset. */
  nowMs: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: RetryReason }
  /** `retryAfterMs`: the server's own hint, when it gave one, for the error the caller reports. */
  | { retry: false; reason: RetryReason; retryAfterMs?: number };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(method: string, idempotent?: boolean): boolean {
  return idempotent ?? IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Retry-After in ms (seconds or an HTTP date), or undefined when absent or unparseable. 0 stays 0. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** X-RateLimit-Reset (ISO 8601, `yyyy-MM-ddTHH:mmZ` on Jira) as ms from now, or undefined. */
export function parseRateLimitReset(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The server's minimum wait: a positive Retry-After, else X-RateLimit-Reset; 0 when neither says anything useful. */
export function serverWaitMs(headers: HeaderSource | undefined, nowMs: number): number {
  if (!headers) return 0;
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined && retryAfter > 0) return retryAfter;
  return parseRateLimitReset(headers.get('x-ratelimit-reset'), nowMs) ?? 0;
}

/** Exponential backoff with jitter for the retry after `attempt`. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const [low, high] = policy.jitter;
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const factor = low + (high - low) * policy.random();
  return Math.round(Math.min(policy.maxDelayMs, exponential * factor));
}

function classify(input: RetryInput): RetryReason {
  const { status, errorCode } = input;
  if (status !== undefined) {
    if (status < 400) return 'success';
    if (status === 429) return 'rate_limited';
    if (status === 503) return 'unavailable';
    if (status === 500 || status === 502 || status === 504 || status === 408) return 'server_error';
    return 'not_retryable';
  }
  if (errorCode === 'timeout' || errorCode === 'connect') return 'network';
  return 'not_retryable';
}

/** The decision for one failed attempt. Pure: same input and policy (and random), same answer. */
export function decideRetry(input: RetryInput, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const reason = classify(input);
  if (reason === 'success' || reason === 'not_retryable') return { retry: false, reason };
  const serverWait =
    reason === 'rate_limited' || reason === 'unavailable' ? serverWaitMs(input.headers, input.nowMs) : 0;
  const hint = serverWait > 0 ? { retryAfterMs: serverWait } : {};
  // 429 means "not processed", so any method may retry; everything else may have taken effect.
  if (reason !== 'rate_limited' && !isIdempotent(input.method, input.idempotent)) {
    return { retry: false, reason: 'not_idempotent', ...hint };
  }
  if (input.attempt > policy.maxRetries) return { retry: false, reason: 'exhausted', ...hint };
  if (serverWait > policy.maxWaitMs) return { retry: false, reason: 'wait_too_long', retryAfterMs: serverWait };
  const backoff = backoffMs(input.attempt, policy);
  // Spread retries upward from the server's minimum so that workers released together do not return together.
  const fromServer = serverWait > 0 ? Math.round(serverWait * (1 + (policy.jitter[1] - 1) * policy.random())) : 0;
  return { retry: true, delayMs: Math.max(backoff, fromServer), reason };
}
