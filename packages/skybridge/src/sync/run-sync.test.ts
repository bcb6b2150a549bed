import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SyncCheckpoint } from '../domain/access-model.ts';
import { createManualClock } from '../domain/clock.ts';
import { createLogger } from '../observability/logger.ts';
import { runSync, WRITE_AHEAD_RECORDS, type EngineSource, type EngineStore } from './run-sync.ts';

/** A source of `n` numbered records per stream, `size` per page, resumable from a numeric cursor. */
function numberedSource(
  streams: Record<string, number>,
  size: number,
  failAt?: { stream: string; page: number },
): EngineSource<string> {
  return {
    streams: () => Object.keys(streams),
    async *read(stream, from) {
      const total = streams[stream] ?? 0;
      let at = from?.cursor ? Number(from.cursor) : 0;
      let page = 0;
      while (at < total) {
        if (failAt && failAt.stream === stream && failAt.page === page)
          throw Object.assign(new Error('boom'), { code: 'ECONNRESET' });
        const records = Array.from({ length: Math.min(size, total - at) }, (_, i) => `${stream}-${at + i}`);
        at += records.length;
        page++;
        await Promise.resolve();
        yield {
          records,
          checkpoint: at >= total ? 'done' : ({ phase: stream, cursor: String(at) } satisfies SyncCheckpoint),
        };
      }
    },
  };
}

/** An in-memory store with idempotent writes, like the real one. */
function memoryStore() {
  const rows = new Set<string>();
  const checkpoints: Record<string, SyncCheckpoint | 'done'> = {};
  let status = 'running';
  const store: EngineStore<string> = {
    checkpoints: () => Promise.resolve({ ...checkpoints }),
    writePage: (_run, stream, records, checkpoint) => {
      for (const r of records) rows.add(r);
      checkpoints[stream] = checkpoint;
      return Promise.resolve();
    },
    finish: () => {
      status = 'succeeded';
      return Promise.resolve({ status });
    },
    fail: () => {
      status = 'failed';
      return Promise.resolve();
    },
  };
  return { store, rows, status: () => status };
}

const deps = () => ({
  clock: createManualClock('2026-01-01T00:00:00Z'),
  logger: createLogger({ level: 'silent', stream: new PassThrough() }),
  stats: () => ({ requests: 0, retries: 0, rateLimited: 0 }),
});

describe('runSync', () => {
  it('reads every stream to the end and finishes the run', async () => {
    const m = memoryStore();
    const result = await runSync({
      runId: 'r1',
      source: numberedSource({ users: 23, groups: 7 }, 5),
      store: m.store,
      ...deps(),
    });
    expect(result).toEqual({ ok: true, status: 'succeeded', records: 30 });
    expect(m.rows.size).toBe(30);
  });

  it('resumes an interrupted run from its checkpoints and ends with exactly the same rows', async () => {
    const straight = memoryStore();
    await runSync({
      runId: 'a',
      source: numberedSource({ users: 23, groups: 7, projects: 11 }, 4),
      store: straight.store,
      ...deps(),
    });

    const resumed = memoryStore();
    const first = await runSync({
      runId: 'b',
      source: numberedSource({ users: 23, groups: 7, projects: 11 }, 4, { stream: 'users', page: 3 }),
      store: resumed.store,
      ...deps(),
      concurrency: 1,
    });
    expect(first.ok).toBe(false);
    expect(resumed.status()).toBe('failed');
    expect(resumed.rows.size).toBeLessThan(straight.rows.size);
    const second = await runSync({
      runId: 'b',
      source: numberedSource({ users: 23, groups: 7, projects: 11 }, 4),
      store: resumed.store,
      ...deps(),
    });
    expect(second.ok).toBe(true);
    expect([...resumed.rows].sort()).toEqual([...straight.rows].sort());
  });

  it('stops when aborted, reports it as interrupted and leaves the run to resume', async () => {
    const m = memoryStore();
    const controller = new AbortController();
    const result = await runSync({
      runId: 'c',
      source: numberedSource({ users: 100 }, 5),
      store: m.store,
      ...deps(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.pages === 2) controller.abort();
      },
    });
    expect(!result.ok && result.interrupted).toBe(true);
    expect(m.rows.size).toBe(10);
    expect(m.status(), 'an interrupted run is not failed').toBe('running');
  });

  it('hands pages to the store without waiting for their commits, up to WRITE_AHEAD_RECORDS a stream', async () => {
    const pageSize = 1_000;
    const pages = 3 * (WRITE_AHEAD_RECORDS / pageSize);
    const m = memoryStore();
    const unanswered: Array<() => void> = [];
    let mostUnanswered = 0;
    const sessions = new Set<string>();
    // A store that answers only when told to: the engine must go on reading meanwhile, but not without bound.
    const slow: EngineStore<string> = {
      ...m.store,
      writePage: (run, stream, records, checkpoint, session) => {
        sessions.add(session);
        return new Promise((resolve) => {
          unanswered.push(() => void m.store.writePage(run, stream, records, checkpoint, session).then(resolve));
          mostUnanswered = Math.max(mostUnanswered, unanswered.length);
        });
      },
    };
    const answering = setInterval(() => unanswered.shift()?.(), 1);
    try {
      const result = await runSync({
        runId: 'ahead',
        source: numberedSource({ users: pages * pageSize }, pageSize),
        store: slow,
        ...deps(),
      });
      expect(result).toEqual({ ok: true, status: 'succeeded', records: pages * pageSize });
    } finally {
      clearInterval(answering);
    }
    expect(mostUnanswered).toBeGreaterThan(1);
    expect(mostUnanswered).toBeLessThanOrEqual(WRITE_AHEAD_RECORDS / pageSize + 1);
    expect(m.rows.size).toBe(pages * pageSize);
    expect([...sessions]).toHaveLength(1);
    expect([...sessions][0]).toMatch(/^ahead\//);
  });

  it('fails the run when a page handed ahead is refused', async () => {
    const m = memoryStore();
    const refusing: EngineStore<string> = {
      ...m.store,
      writePage: (run, stream, records, checkpoint, session) =>
        records.includes('users-15')
          ? Promise.reject(new Error('disk full'))
          : m.store.writePage(run, stream, records, checkpoint, session),
    };
    const result = await runSync({
      runId: 'refused',
      source: numberedSource({ users: 100 }, 5),
      store: refusing,
      ...deps(),
    });
    expect(result.ok).toBe(false);
    expect(m.status()).toBe('failed');
    expect(m.rows.has('users-14')).toBe(true);
    expect(m.rows.has('users-15')).toBe(false);
  });
});
