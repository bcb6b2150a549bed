/**
 * Rate limits modelled on Atlassian's (API-NOTES §3):
 * - Cloud burst: a token bucket per credential × endpoint × method. GET/POST default 100/s, PUT/DELETE 50/s.
 *   Success responses carry X-RateLimit-Limit/Remaining (and NearLimit under 20%); a 429 adds Retry-After,
 *   X-RateLimit-Reset (ISO `yyyy-MM-ddTHH:mmZ`) and RateLimit-Reason.
 * - Jira per-issue writes: 20 per 2 s and 100 per 30 s per issue, reason `jira-per-issue-on-write`.
 * - Admin API: a bucket per API key and path, ProxyError body on 429.
 * - Data Center: one token bucket per user with headers on every response, including `Retry-After: 0`.
 */

export interface RateLimitSettings {
  enabled: boolean;
  /** Cloud burst rate for GET/POST per second; PUT/DELETE get half. */
  cloudRps: number;
  /** Admin API requests per second per key and path. */
  adminRps: number;
  /** Data Center bucket: max tokens, and tokens added per interval. */
  dcMax: number;
  dcFillRate: number;
  dcIntervalSeconds: number;
  /** Per-issue write windows. */
  perIssueShort: { limit: number; windowMs: number };
  perIssueLong: { limit: number; windowMs: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  cloudRps: 100,
  adminRps: 50,
  dcMax: 100,
  dcFillRate: 20,
  dcIntervalSeconds: 1,
  perIssueShort: { limit: 20, windowMs: 2_000 },
  perIssueLong: { limit: 100, windowMs: 30_000 },
};

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed; 0 when allowed. */
  retryAfterSeconds: number;
  /** Epoch ms when the bucket is full again. */
  resetAt: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A refilling token bucket keyed by string. */
export function createBuckets(now: () => number) {
  const buckets = new Map<string, Bucket>();
  return {
    take(key: string, capacity: number, perSecond: number): LimitDecision {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: capacity, updatedAt: t };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.updatedAt) / 1000) * perSecond);
      bucket.updatedAt = t;
      const resetAt = t + Math.ceil(((capacity - bucket.tokens) / perSecond) * 1000);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, limit: capacity, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0, resetAt };
      }
      const waitSeconds = (1 - bucket.tokens) / perSecond;
      return {
        allowed: false,
        limit: capacity,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)),
        resetAt,
      };
    },
    clear: () => buckets.clear(),
  };
}

/** Sliding windows of recent write times per issue. */
export function createPerIssueWindows(now: () => number) {
  const writes = new Map<string, number[]>();
  return {
    take(issueKey: string, settings: RateLimitSettings): LimitDecision {
      const t = now();
      const longWindow = settings.perIssueLong.windowMs;
      const times = (writes.get(issueKey) ?? []).filter((w) => t - w < longWindow);
      const shortTimes = times.filter((w) => t - w < settings.perIssueShort.windowMs);
      const overShort = shortTimes.length >= settings.perIssueShort.limit;
      const overLong = times.length >= settings.perIssueLong.limit;
      if (overShort || overLong) {
        const oldest = overShort
          ? (shortTimes[0] ?? t) + settings.perIssueShort.windowMs
          : (times[0] ?? t) + longWindow;
        writes.set(issueKey, times);
        return {
          allowed: false,
          limit: overShort ? settings.perIssueShort.limit : settings.perIssueLong.limit,
          remaining: 0,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest - t) / 1000)),
          resetAt: oldest,
        };
      }
      times.push(t);
      writes.set(issueKey, times);
      return {
        allowed: true,
        limit: settings.perIssueShort.limit,
        remaining: settings.perIssueShort.limit - shortTimes.length - 1,
        retryAfterSeconds: 0,
        resetAt: t + settings.perIssueShort.windowMs,
      };
    },
    clear: () => writes.clear(),
  };
}

/** `yyyy-MM-ddTHH:mmZ`, the format Jira Cloud documents for X-RateLimit-Reset. */
export function formatResetMinute(epochMs: number): string {
  const iso = new Date(Math.ceil(epochMs / 60_000) * 60_000).toISOString();
  return `${iso.slice(0, 16)}Z`;
}
