/** How long a failed job waits before its next attempt. A pure function, so the policy is tested on its own. */
export interface BackoffOptions {
  /** Delay ceiling after the first failed attempt, ms. Default 1000. */
  baseMs?: number;
  /** Largest delay, ms. Default 3_600_000 (one hour). */
  maxMs?: number;
  /** Uniform in [0, 1). Default `Math.random`; tests pass a fixed one. */
  random?: () => number;
}

/**
 * The delay after `attempts` failed attempts (1 for the first): exponential (`baseMs * 2^(attempts-1)`, capped
 * at `maxMs`) with "equal jitter", a uniformly random point in the upper half. The jitter spreads the retries of
 * jobs that failed together (an outage ending) so they do not return together; keeping the lower half means a
 * retry never comes back almost at once.
 */
export function retryDelayMs(attempts: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 3_600_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
