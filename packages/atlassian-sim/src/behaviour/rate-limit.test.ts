import { describe, expect, it } from 'vitest';
import { createBuckets, createPerIssueWindows, DEFAULT_RATE_LIMITS, formatResetMinute } from './rate-limit.ts';

describe('createBuckets', () => {
  it('allows a burst of `capacity`, then refuses with a Retry-After of at least one second', () => {
    let t = 1_000_000;
    const buckets = createBuckets(() => t);
    for (let i = 0; i < 10; i++) expect(buckets.take('k', 10, 10).allowed).toBe(true);
    const refused = buckets.take('k', 10, 10);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    t += 100; // one token refilled at 10/s
    expect(buckets.take('k', 10, 10).allowed).toBe(true);
    expect(buckets.take('k', 10, 10).allowed).toBe(false);
  });

  it('keeps keys independent (per credential, endpoint and method)', () => {
    const buckets = createBuckets(() => 0);
    expect(buckets.take('a', 1, 1).allowed).toBe(true);
    expect(buckets.take('a', 1, 1).allowed).toBe(false);
    expect(buckets.take('b', 1, 1).allowed).toBe(true);
  });

  it('reports remaining tokens', () => {
    const buckets = createBuckets(() => 0);
    expect(buckets.take('k', 5, 5).remaining).toBe(4);
    expect(buckets.take('k', 5, 5).remaining).toBe(3);
  });
});

describe('createPerIssueWindows', () => {
  it('enforces 20 writes per 2 s per issue and then lets writes through once the window slides', () => {
    let t = 0;
    const windows = createPerIssueWindows(() => t);
    for (let i = 0; i < 20; i++) expect(windows.take('ABC-1', DEFAULT_RATE_LIMITS).allowed).toBe(true);
    const refused = windows.take('ABC-1', DEFAULT_RATE_LIMITS);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(windows.take('ABC-2', DEFAULT_RATE_LIMITS).allowed).toBe(true);
    t += 2_001;
    expect(windows.take('ABC-1', DEFAULT_RATE_LIMITS).allowed).toBe(true);
  });

  it('enforces 100 writes per 30 s', () => {
    let t = 0;
    const windows = createPerIssueWindows(() => t);
    let allowed = 0;
    for (let i = 0; i < 200; i++) {
      if (windows.take('K-1', DEFAULT_RATE_LIMITS).allowed) allowed++;
      t += 150; // 13.3/s: under the short limit, over the long one
    }
    // 200 writes over 29.85 s: the first write never leaves the 30 s window, so exactly 100 get through.
    expect(allowed).toBe(100);
  });
});

describe('formatResetMinute', () => {
  it('uses the yyyy-MM-ddTHH:mmZ format Jira documents, rounded up to the minute', () => {
    expect(formatResetMinute(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:05Z');
  });
});
