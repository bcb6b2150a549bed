import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import { createPacer } from './pacer.ts';
import type { PacerEvent } from './pacer.ts';

const START = Date.parse('2026-11-22T10:00:00Z');

/** A manual clock moved in lockstep with fake timers, so the pacer's default setTimeout sleep is driven too. */
function setup(options: { maxConcurrency?: number } = {}) {
  const clock = createManualClock(START);
  const events: PacerEvent[] = [];
  const pacer = createPacer({ clock, onEvent: (e) => events.push(e), ...options });
  const starts: Array<[string, number]> = [];
  const run = (scope: string, label = scope) =>
    pacer.schedule(scope, () => {
      starts.push([label, clock.now().getTime() - START]);
      return Promise.resolve(label);
    });
  const advance = async (ms: number) => {
    // The clock jumps before the timers run, so tests advance exactly to each expected wake-up.
    clock.advance(ms);
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { clock, pacer, events, starts, run, advance };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets pending promise callbacks run (no timers involved). */
const flush = () => vi.advanceTimersByTimeAsync(0);

describe('createPacer', () => {
  it('runs at most maxConcurrency requests at once, in order', async () => {
    const { pacer } = setup({ maxConcurrency: 2 });
    const releases: Array<() => void> = [];
    const started: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) =>
      pacer.schedule('s', () => {
        started.push(i);
        return new Promise<void>((resolve) => releases.push(resolve));
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(pacer.load()).toEqual({ active: 2, queued: 3 });
    releases[0]?.();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    for (let i = 1; i < 5; i++) {
      releases[i]?.();
      await flush();
    }
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(pacer.load()).toEqual({ active: 0, queued: 0 });
  });

  it('frees the slot when a request fails', async () => {
    const { pacer } = setup({ maxConcurrency: 1 });
    await expect(pacer.schedule('s', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pacer.schedule('s', () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('pauses only the scope that got a 429, until Retry-After', async () => {
    const { pacer, run, starts, advance } = setup();
    pacer.observe(
      'GET /rest/api/3/search/jql',
      new Headers({ 'retry-after': '2', 'ratelimit-reason': 'jira-burst-based' }),
      429,
    );
    const paused = run('GET /rest/api/3/search/jql', 'search');
    const other = run('GET /rest/api/3/myself', 'myself');
    await flush();
    expect(starts).toEqual([['myself', 0]]);
    await advance(1_999);
    expect(starts).toHaveLength(1);
    await advance(1);
    await Promise.all([paused, other]);
    expect(starts).toEqual([
      ['myself', 0],
      ['search', 2_000],
    ]);
  });

  it('pauses every scope of the site when the 429 names a quota', async () => {
    const { pacer, run, starts, advance, events } = setup();
    pacer.observe('GET /a', new Headers({ 'retry-after': '30', 'ratelimit-reason': 'jira-quota-tenant-based' }), 429);
    expect(events).toContainEqual({ type: 'paused', scope: 'GET /a', untilMs: START + 30_000, siteWide: true });
    const done = Promise.all([run('GET /a'), run('POST /b')]);
    await advance(29_999);
    expect(starts).toEqual([]);
    await advance(1);
    await done;
    expect(starts.map(([, t]) => t)).toEqual([30_000, 30_000]);
  });

  it('never treats Retry-After: 0 on a 429 as "go now"', () => {
    const { pacer } = setup();
    pacer.observe('dc', new Headers({ 'retry-after': '0' }), 429);
    expect(pacer.inspect('dc').pausedUntilMs).toBe(START + 1_000);
  });

  it('spreads requests over the burst window when near the limit (cloud NearLimit)', async () => {
    const { pacer, run, starts, advance } = setup();
    pacer.observe(
      'GET /x',
      new Headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '10', 'x-ratelimit-nearlimit': 'true' }),
      200,
    );
    expect(pacer.inspect('GET /x').intervalMs).toBe(100);
    const done = Promise.all([run('GET /x', 'a'), run('GET /x', 'b'), run('GET /x', 'c')]);
    await flush();
    await advance(100);
    await advance(100);
    await done;
    expect(starts).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 200],
    ]);
  });

  it('applies a pace learned from a response to the very next start, not one start later', async () => {
    const { pacer, run, starts, advance } = setup();
    await run('GET /y', 'first');
    // The response to `first` says the bucket is nearly empty: the next start is due a full interval after `first`.
    pacer.observe('GET /y', new Headers({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '1' }), 200);
    const second = run('GET /y', 'second');
    await flush();
    expect(starts).toEqual([['first', 0]]);
    await advance(1_000);
    await second;
    expect(starts).toEqual([
      ['first', 0],
      ['second', 1_000],
    ]);
  });

  it('spreads the remaining requests until X-RateLimit-Reset when it is given', () => {
    const { pacer } = setup();
    const reset = new Date(START + 60_000).toISOString().slice(0, 16) + 'Z';
    pacer.observe(
      'GET /admin',
      new Headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': reset }),
      200,
    );
    expect(pacer.inspect('GET /admin').intervalMs).toBe(12_000);
  });

  it('paces Data Center to the fill rate once the bucket is low, and stops pacing when it refills', () => {
    const { pacer, events } = setup();
    const dc = (remaining: number) =>
      new Headers({
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-fillrate': '20',
        'x-ratelimit-interval-seconds': '1',
        'retry-after': '0',
      });
    pacer.observe('dc-user', dc(90), 200);
    expect(pacer.inspect('dc-user').intervalMs).toBe(0);
    pacer.observe('dc-user', dc(15), 200);
    expect(pacer.inspect('dc-user').intervalMs).toBe(50);
    pacer.observe('dc-user', dc(60), 200);
    expect(pacer.inspect('dc-user').intervalMs).toBe(0);
    expect(events.filter((e) => e.type === 'paced')).toEqual([
      { type: 'paced', scope: 'dc-user', intervalMs: 50 },
      { type: 'paced', scope: 'dc-user', intervalMs: 0 },
    ]);
  });

  it('re-checks a pause that arrives while a request is already waiting', async () => {
    const { pacer, run, starts, advance } = setup();
    pacer.observe('s', new Headers({ 'retry-after': '1' }), 429);
    const waiting = run('s');
    await advance(500);
    pacer.observe('s', new Headers({ 'retry-after': '3' }), 429);
    await advance(500);
    expect(starts).toEqual([]);
    await advance(2_499);
    expect(starts).toEqual([]);
    await advance(1);
    await waiting;
    expect(starts).toEqual([['s', 3_500]]);
  });
});
