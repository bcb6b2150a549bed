import type { Clock } from '../domain/clock.ts';
import type { HeaderSource } from './retry-policy.ts';
import { parseRateLimitReset, serverWaitMs } from './retry-policy.ts';

/**
 * Per-site pacing and concurrency. Atlassian asks clients to pace proactively and, on a 429, to back off only the
 * affected scope (API-NOTES §3). A scope is a string the caller chooses:
 * - Jira/Confluence Cloud burst limits are per tenant × endpoint × method, so the cloud clients use one scope per
 *   method and route ("slow down that endpoint only");
 * - Data Center has one token bucket per user, so a DC client uses one scope for everything it sends;
 * - a 429 whose `RateLimit-Reason` names a quota (`jira-quota-*`, `confluence-quota-*`) is site-wide: the hourly
 *   pool blocks every endpoint, so it pauses every scope of this pacer.
 * `maxConcurrency` caps requests in flight across all scopes of the pacer. It is a guard against runaway fan-out, not
 * the rate limit: the limits are per scope (100/s per cloud endpoint and method), so a cap well below "scopes x rate
 * x latency" would hold a sync under its limits for no reason.
 */

export interface PacerOptions {
  /** Requests in flight at once, across all scopes. Default 32. */
  maxConcurrency?: number;
  clock: Clock;
  /** Waits `ms`. Default a `setTimeout` promise; tests use fake timers or advance a manual clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Remaining capacity under which pacing starts, as a fraction of the limit. Default 0.2 (Atlassian's NearLimit). */
  nearLimitFraction?: number;
  /**
   * The window over which the remaining requests are spread when a cloud response is near the limit and says
   * nothing about when it resets, in ms. Default 1 000: cloud burst limits are per second.
   */
  burstWindowMs?: number;
  /** Wait after a 429 that carries no usable Retry-After or reset, in ms. Default 1 000 (never zero). */
  fallbackPauseMs?: number;
  /** Told about every pause and change of pace, for logs and tests. */
  onEvent?: (event: PacerEvent) => void;
}

export type PacerEvent =
  | { type: 'paused'; scope: string; untilMs: number; siteWide: boolean }
  | { type: 'paced'; scope: string; intervalMs: number }
  | { type: 'waiting'; scope: string; ms: number };

export interface ScopeState {
  /** Epoch ms before which nothing in the scope starts. */
  pausedUntilMs: number;
  /** Minimum gap between request starts in the scope; 0 when not pacing. */
  intervalMs: number;
  /** Epoch ms of the last start: the next one is due `intervalMs` after it (an interval set later still applies). */
  lastStartMs: number;
}

export interface Pacer {
  /** Runs `fn` once the scope may send and a concurrency slot is free. */
  schedule<T>(scope: string, fn: () => Promise<T>): Promise<T>;
  /** Feeds a response's headers and status back, to pause or pace the scope. */
  observe(scope: string, headers: HeaderSource, status: number): void;
  /** The scope's current state (a copy), including any site-wide pause. */
  inspect(scope: string): ScopeState;
  /** Requests running and waiting for a slot. */
  load(): { active: number; queued: number };
}

const SITE_WIDE_REASON = /quota/i;

function numberHeader(headers: HeaderSource, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

export function createPacer(options: PacerOptions): Pacer {
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 32);
  const clock = options.clock;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const nearLimitFraction = options.nearLimitFraction ?? 0.2;
  const burstWindowMs = options.burstWindowMs ?? 1_000;
  const fallbackPauseMs = options.fallbackPauseMs ?? 1_000;
  const emit = options.onEvent ?? (() => undefined);

  const scopes = new Map<string, ScopeState>();
  let siteWidePausedUntilMs = 0;
  let active = 0;
  const waiters: Array<() => void> = [];
  /** Requests started and not yet answered, per scope: each will take a token the last response still counted. */
  const inFlight = new Map<string, number>();

  const now = () => clock.now().getTime();
  const stateOf = (scope: string): ScopeState => {
    let s = scopes.get(scope);
    if (!s) scopes.set(scope, (s = { pausedUntilMs: 0, intervalMs: 0, lastStartMs: Number.NEGATIVE_INFINITY }));
    return s;
  };

  async function waitForTurn(scope: string): Promise<void> {
    // Re-evaluated after every wait: a 429 seen meanwhile can push the start further out.
    for (;;) {
      const s = stateOf(scope);
      const t = now();
      const readyAt = Math.max(s.pausedUntilMs, siteWidePausedUntilMs, s.lastStartMs + s.intervalMs);
      if (readyAt <= t) {
        s.lastStartMs = t;
        return;
      }
      emit({ type: 'waiting', scope, ms: readyAt - t });
      await sleep(readyAt - t);
    }
  }

  async function acquire(): Promise<void> {
    if (active < maxConcurrency) {
      active++;
      return;
    }
    // The slot is handed over by `release`, so `active` is not incremented here.
    await new Promise<void>((resolve) => waiters.push(resolve));
  }

  function release(): void {
    const next = waiters.shift();
    if (next) next();
    else active--;
  }

  function pace(scope: string, s: ScopeState, intervalMs: number): void {
    const rounded = Math.ceil(intervalMs);
    if (rounded === s.intervalMs) return;
    s.intervalMs = rounded;
    emit({ type: 'paced', scope, intervalMs: rounded });
  }

  return {
    async schedule(scope, fn) {
      await waitForTurn(scope);
      await acquire();
      inFlight.set(scope, (inFlight.get(scope) ?? 0) + 1);
      try {
        return await fn();
      } finally {
        const left = (inFlight.get(scope) ?? 1) - 1;
        if (left > 0) inFlight.set(scope, left);
        else inFlight.delete(scope);
        release();
      }
    },

    observe(scope, headers, status) {
      const t = now();
      const s = stateOf(scope);
      if (status === 429 || (status === 503 && headers.get('retry-after') !== null)) {
        const wait = serverWaitMs(headers, t) || fallbackPauseMs;
        const until = t + wait;
        const siteWide = status === 429 && SITE_WIDE_REASON.test(headers.get('ratelimit-reason') ?? '');
        if (siteWide) siteWidePausedUntilMs = Math.max(siteWidePausedUntilMs, until);
        else s.pausedUntilMs = Math.max(s.pausedUntilMs, until);
        emit({ type: 'paused', scope, untilMs: until, siteWide });
        return;
      }
      const limit = numberHeader(headers, 'x-ratelimit-limit');
      const remaining = numberHeader(headers, 'x-ratelimit-remaining');
      // Requests already on the wire will spend tokens this response still counts as remaining: without them a
      // burst of concurrent requests only starts pacing after the bucket is empty.
      const available = remaining === undefined ? undefined : remaining - (inFlight.get(scope) ?? 0);
      const nearLimit =
        headers.get('x-ratelimit-nearlimit')?.toLowerCase() === 'true' ||
        (limit !== undefined && available !== undefined && limit > 0 && available < limit * nearLimitFraction);
      if (!nearLimit) {
        pace(scope, s, 0);
        return;
      }
      const fillRate = numberHeader(headers, 'x-ratelimit-fillrate');
      const intervalSeconds = numberHeader(headers, 'x-ratelimit-interval-seconds');
      if (fillRate !== undefined && fillRate > 0 && intervalSeconds !== undefined && intervalSeconds > 0) {
        // Data Center token bucket: once it is low, send no faster than it refills.
        pace(scope, s, (intervalSeconds * 1000) / fillRate);
        return;
      }
      // Cloud: spread what is left over the time until the reset (or the burst window when no reset is given).
      const window = parseRateLimitReset(headers.get('x-ratelimit-reset'), t) || burstWindowMs;
      pace(scope, s, window / Math.max(1, remaining ?? 1));
    },

    inspect(scope) {
      const s = stateOf(scope);
      return { ...s, pausedUntilMs: Math.max(s.pausedUntilMs, siteWidePausedUntilMs) };
    },

    load: () => ({ active, queued: waiters.length }),
  };
}
