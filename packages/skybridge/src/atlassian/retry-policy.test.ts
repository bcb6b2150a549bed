import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  createRetryPolicy,
  decideRetry,
  isIdempotent,
  parseRateLimitReset,
  parseRetryAfter,
} from './retry-policy.ts';

const NOW = Date.parse('2026-11-22T10:00:00Z');
/** random() = 0.5 makes the jitter factor exactly 1.0 and the upward spread 15%. */
const mid = createRetryPolicy({ random: () => 0.5 });
const low = createRetryPolicy({ random: () => 0 });
const high = createRetryPolicy({ random: () => 0.999999 });

describe('decideRetry', () => {
  it('does not retry successes or client errors', () => {
    expect(decideRetry({ attempt: 1, method: 'GET', status: 200, nowMs: NOW }, mid)).toEqual({
      retry: false,
      reason: 'success',
    });
    for (const status of [400, 401, 403, 404, 409, 410, 413, 422]) {
      expect(decideRetry({ attempt: 1, method: 'GET', status, nowMs: NOW }, mid)).toEqual({
        retry: false,
        reason: 'not_retryable',
      });
    }
    for (const errorCode of ['dns', 'tls', 'blocked_address', 'redirect_refused', 'too_large', 'bad_url'] as const) {
      expect(decideRetry({ attempt: 1, method: 'GET', errorCode, nowMs: NOW }, mid).retry).toBe(false);
    }
  });

  it('retries 5xx, timeouts and dropped connections for idempotent requests with doubling backoff', () => {
    const delays = [1, 2, 3, 4].map((attempt) => decideRetry({ attempt, method: 'GET', status: 502, nowMs: NOW }, mid));
    expect(delays).toEqual(
      [1000, 2000, 4000, 8000].map((delayMs) => ({ retry: true, delayMs, reason: 'server_error' })),
    );
    expect(decideRetry({ attempt: 1, method: 'PUT', errorCode: 'timeout', nowMs: NOW }, mid)).toMatchObject({
      retry: true,
      reason: 'network',
    });
    expect(decideRetry({ attempt: 1, method: 'DELETE', errorCode: 'connect', nowMs: NOW }, mid)).toMatchObject({
      retry: true,
    });
  });

  it('never retries a non-idempotent write on 5xx, timeout or reset, because it may have happened', () => {
    for (const input of [
      { status: 500 },
      { status: 503 },
      { errorCode: 'timeout' as const },
      { errorCode: 'connect' as const },
    ]) {
      expect(decideRetry({ attempt: 1, method: 'POST', nowMs: NOW, ...input }, mid)).toMatchObject({
        retry: false,
        reason: 'not_idempotent',
      });
    }
    expect(decideRetry({ attempt: 1, method: 'PATCH', status: 502, nowMs: NOW }, mid).retry).toBe(false);
  });

  it('retries a POST the caller marked idempotent (a search)', () => {
    expect(decideRetry({ attempt: 1, method: 'POST', idempotent: true, status: 500, nowMs: NOW }, mid)).toMatchObject({
      retry: true,
    });
  });

  it('retries 429 for any method, honouring Retry-After as a minimum', () => {
    const headers = new Headers({ 'retry-after': '10' });
    const post = decideRetry({ attempt: 1, method: 'POST', status: 429, headers, nowMs: NOW }, low);
    expect(post).toEqual({ retry: true, delayMs: 10_000, reason: 'rate_limited' });
    const spread = decideRetry({ attempt: 1, method: 'GET', status: 429, headers, nowMs: NOW }, high);
    expect(spread.retry && spread.delayMs).toBeGreaterThan(12_900);
    expect(spread.retry && spread.delayMs).toBeLessThanOrEqual(13_000);
    // Backoff wins when it is longer than the server's minimum.
    const late = decideRetry(
      { attempt: 4, method: 'GET', status: 429, headers: new Headers({ 'retry-after': '1' }), nowMs: NOW },
      mid,
    );
    expect(late).toMatchObject({ retry: true, delayMs: 8_000 });
  });

  it('treats Retry-After: 0 as absent: backoff, never a zero-delay storm', () => {
    for (const attempt of [1, 2, 3, 4]) {
      const d = decideRetry(
        { attempt, method: 'GET', status: 429, headers: new Headers({ 'retry-after': '0' }), nowMs: NOW },
        low,
      );
      expect(d.retry && d.delayMs).toBeGreaterThanOrEqual(700);
    }
  });

  it('uses X-RateLimit-Reset when there is no usable Retry-After', () => {
    const headers = new Headers({ 'retry-after': '0', 'x-ratelimit-reset': '2026-11-22T10:00:20Z' });
    expect(decideRetry({ attempt: 1, method: 'GET', status: 429, headers, nowMs: NOW }, low)).toMatchObject({
      retry: true,
      delayMs: 20_000,
    });
    // The documented minute format, without seconds.
    const minute = new Headers({ 'x-ratelimit-reset': '2026-11-22T10:01Z' });
    expect(decideRetry({ attempt: 1, method: 'GET', status: 429, headers: minute, nowMs: NOW }, low)).toMatchObject({
      delayMs: 60_000,
    });
  });

  it('honours Retry-After on 503 for idempotent requests', () => {
    const headers = new Headers({ 'retry-after': '3' });
    expect(decideRetry({ attempt: 1, method: 'GET', status: 503, headers, nowMs: NOW }, low)).toEqual({
      retry: true,
      delayMs: 3_000,
      reason: 'unavailable',
    });
    expect(decideRetry({ attempt: 1, method: 'POST', status: 503, headers, nowMs: NOW }, low)).toEqual({
      retry: false,
      reason: 'not_idempotent',
      retryAfterMs: 3_000,
    });
  });

  it('stops after maxRetries and reports the server hint', () => {
    const headers = new Headers({ 'retry-after': '5' });
    expect(decideRetry({ attempt: 4, method: 'GET', status: 429, headers, nowMs: NOW }, mid).retry).toBe(true);
    expect(decideRetry({ attempt: 5, method: 'GET', status: 429, headers, nowMs: NOW }, mid)).toEqual({
      retry: false,
      reason: 'exhausted',
      retryAfterMs: 5_000,
    });
    expect(
      decideRetry({ attempt: 2, method: 'GET', status: 500, nowMs: NOW }, createRetryPolicy({ maxRetries: 1 })),
    ).toEqual({ retry: false, reason: 'exhausted' });
  });

  it('does not sit through a wait longer than maxWaitMs (an hourly quota reset)', () => {
    const headers = new Headers({ 'retry-after': '1800' });
    expect(decideRetry({ attempt: 1, method: 'GET', status: 429, headers, nowMs: NOW }, mid)).toEqual({
      retry: false,
      reason: 'wait_too_long',
      retryAfterMs: 1_800_000,
    });
  });
});

describe('backoffMs', () => {
  it('doubles from the base, jitters within [0.7, 1.3] and caps at 30 s', () => {
    expect(backoffMs(1, low)).toBe(700);
    expect(backoffMs(1, high)).toBe(1300);
    expect(backoffMs(3, mid)).toBe(4000);
    expect(backoffMs(10, high)).toBe(30_000);
  });
});

describe('header parsing', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });

  it('reads X-RateLimit-Reset and never returns a negative wait', () => {
    expect(parseRateLimitReset('2026-11-22T10:05Z', NOW)).toBe(300_000);
    expect(parseRateLimitReset('2026-11-22T09:00Z', NOW)).toBe(0);
    expect(parseRateLimitReset('garbage', NOW)).toBeUndefined();
  });

  it('knows which methods are idempotent', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'get'].every((m) => isIdempotent(m))).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('POST', true)).toBe(true);
  });
});
