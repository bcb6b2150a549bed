import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('doubles per attempt, between half and all of the ceiling', () => {
    const low = { random: () => 0 };
    const high = { random: () => 0.999999 };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, low))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, high))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is capped at maxMs', () => {
    expect(retryDelayMs(40, { random: () => 0, maxMs: 60_000 })).toBe(30_000);
    expect(retryDelayMs(40, { random: () => 0.999999, maxMs: 60_000 })).toBe(60_000);
    expect(retryDelayMs(40, { random: () => 0 })).toBe(1_800_000);
    expect(retryDelayMs(40, { random: () => 0.999999 })).toBeLessThanOrEqual(3_600_000);
  });

  it('jitters', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(5)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(8000);
  });
});
