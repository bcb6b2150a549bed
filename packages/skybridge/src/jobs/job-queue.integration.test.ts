import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import type { DatabaseHandle } from '../db/create-database.ts';
import { createDatabase } from '../db/create-database.ts';
import { forEachDialect, TEST_PG_URL } from '../db/test-dialects.ts';
import { createJobQueue } from './job-queue.ts';

const T0 = '2026-03-01T10:00:00.000Z';
let seq = 0;
/** A queue name no other test of the shared database uses. */
const uniqueQueue = (label: string) => `${label}-${process.pid}-${++seq}`;

forEachDialect((dialect, getDb) => {
  const setup = (workerId = 'w1') => {
    const clock = createManualClock(T0);
    const { db } = getDb();
    return { clock, queue: createJobQueue({ db, dialect, clock, workerId }) };
  };

  it('enqueues, claims and completes a job', async () => {
    const { queue } = setup();
    const name = uniqueQueue('basic');
    const { job, created } = await queue.enqueue({ queue: name, payload: { connectionId: 'c1', n: 2 } });
    expect(created).toBe(true);
    expect(job).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 5, payload: { connectionId: 'c1', n: 2 } });

    const claimed = await queue.claim([name], 30_000);
    expect(claimed).toMatchObject({ id: job.id, status: 'running', attempts: 1, lockedBy: 'w1' });
    expect(claimed?.lockedUntil?.toISOString()).toBe('2026-03-01T10:00:30.000Z');
    expect(await queue.claim([name], 30_000)).toBeUndefined();

    const done = await queue.complete(job.id);
    expect(done.ok && done.value.status).toBe('succeeded');
    expect(done.ok && done.value.finishedAt?.toISOString()).toBe(T0);
    expect(done.ok && done.value.lockedBy).toBeUndefined();
    // Finished is final.
    expect(await queue.complete(job.id)).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    expect(await queue.complete('no-such-job')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('claims only due jobs of the given queues, oldest due first', async () => {
    const { clock, queue } = setup();
    const [a, b] = [uniqueQueue('a'), uniqueQueue('b')];
    const later = await queue.enqueue({ queue: a, payload: 'later', runAt: new Date('2026-03-01T10:05:00.000Z') });
    const first = await queue.enqueue({ queue: a, payload: 'first', runAt: new Date('2026-03-01T09:00:00.000Z') });
    await queue.enqueue({ queue: b, payload: 'other queue' });
    expect((await queue.claim([a], 1000))?.id).toBe(first.job.id);
    expect(await queue.claim([a], 1000)).toBeUndefined();
    clock.advance(5 * 60_000);
    expect((await queue.claim([a], 1000))?.id).toBe(later.job.id);
  });

  it('never gives the same job to two concurrent claimers', async () => {
    const { queue: q1 } = setup('w1');
    // A second pool (PostgreSQL) or connection (SQLite) on the same database, as a second worker process would be.
    const second = await openSecond(getDb());
    try {
      const q2 = createJobQueue({ db: second.db, dialect, clock: createManualClock(T0), workerId: 'w2' });
      const name = uniqueQueue('race');
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await q1.enqueue({ queue: name, payload: i })).job.id);
      const claims = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? q1 : q2).claim([name], 10_000)),
      );
      const taken = claims.filter((j) => j !== undefined).map((j) => j.id);
      expect(new Set(taken).size).toBe(taken.length);
      expect(new Set(taken)).toEqual(ids);
      expect(claims.filter((j) => j === undefined)).toHaveLength(10);
    } finally {
      await second.close();
    }
  });

  it('runs at most one job per exclusive key at a time', async () => {
    const { queue } = setup();
    const name = uniqueQueue('exclusive');
    const key = `sync:${name}`;
    const one = await queue.enqueue({ queue: name, payload: 1, exclusiveKey: key });
    const two = await queue.enqueue({ queue: name, payload: 2, exclusiveKey: key });
    const free = await queue.enqueue({ queue: name, payload: 3 });
    expect((await queue.claim([name], 1000))?.id).toBe(one.job.id);
    // The second job of the key waits; the job without a key is not held up by it.
    expect((await queue.claim([name], 1000))?.id).toBe(free.job.id);
    expect(await queue.claim([name], 1000)).toBeUndefined();
    await queue.complete(one.job.id);
    expect((await queue.claim([name], 1000))?.id).toBe(two.job.id);
  });

  it('keeps the exclusive key under concurrent claimers too', async () => {
    const { queue } = setup();
    const name = uniqueQueue('exclusive-race');
    for (let i = 0; i < 6; i++) await queue.enqueue({ queue: name, payload: i, exclusiveKey: `k:${name}` });
    const claims = await Promise.all(Array.from({ length: 6 }, () => queue.claim([name], 1000)));
    expect(claims.filter((j) => j !== undefined)).toHaveLength(1);
  });

  it('makes a second enqueue with the same dedupe key a no-op while the first waits', async () => {
    const { queue } = setup();
    const name = uniqueQueue('dedupe');
    const key = `${name}:2026-03-01T10:00`;
    const first = await queue.enqueue({ queue: name, payload: 'a', dedupeKey: key });
    const again = await queue.enqueue({ queue: name, payload: 'b', dedupeKey: key });
    expect(again).toEqual({ job: first.job, created: false });
    expect(await queue.list({ queue: name })).toHaveLength(1);
    // Once it runs, the key is free for a new occurrence.
    await queue.claim([name], 1000);
    expect((await queue.enqueue({ queue: name, payload: 'c', dedupeKey: key })).created).toBe(true);
  });

  it('retries a failing job at retryAt until maxAttempts, then fails it, with safe error text', async () => {
    const { clock, queue } = setup();
    const name = uniqueQueue('retry');
    const { job } = await queue.enqueue({ queue: name, payload: {}, maxAttempts: 2 });
    await queue.claim([name], 1000);
    const retryAt = new Date('2026-03-01T10:00:10.000Z');
    const first = await queue.fail(job.id, new Error('https://user:secret@host/'), { retryAt });
    expect(first.ok && first.value).toMatchObject({ status: 'queued', attempts: 1, runAt: retryAt });
    expect(first.ok && first.value.lastError).toBe('unexpected: unexpected failure (Error)');
    expect(await queue.claim([name], 1000)).toBeUndefined();
    clock.advance(10_000);
    expect((await queue.claim([name], 1000))?.attempts).toBe(2);
    const last = await queue.fail(job.id, new Error('again'), { retryAt: new Date('2026-03-01T11:00:00.000Z') });
    expect(last.ok && last.value).toMatchObject({ status: 'failed', attempts: 2 });
    expect(last.ok && last.value.finishedAt).toEqual(clock.now());
  });

  it('fails at once when the failure is not retryable', async () => {
    const { queue } = setup();
    const name = uniqueQueue('permanent');
    const { job } = await queue.enqueue({ queue: name, payload: {} });
    await queue.claim([name], 1000);
    const failed = await queue.fail(job.id, new Error('x'), { retryable: false });
    expect(failed.ok && failed.value.status).toBe('failed');
  });

  it('reclaims the job of a crashed worker once its lease expires, and runs it again', async () => {
    const { clock, queue: crashed } = setup('crashed');
    const name = uniqueQueue('lease');
    const { job } = await crashed.enqueue({ queue: name, payload: {} });
    await crashed.claim([name], 30_000);
    const survivor = createJobQueue({ db: getDb().db, dialect, clock, workerId: 'survivor' });

    clock.advance(29_999);
    expect(await survivor.reclaimExpired([name])).toEqual([]);
    clock.advance(2);
    const reclaimed = await survivor.reclaimExpired([name]);
    expect(reclaimed.map((j) => [j.id, j.status])).toEqual([[job.id, 'queued']]);
    expect(reclaimed[0]?.lastError).toMatch(/^lease_expired/);

    const again = await survivor.claim([name], 30_000);
    expect(again).toMatchObject({ id: job.id, attempts: 2, lockedBy: 'survivor' });
    // The dead worker's late calls change nothing.
    expect(await crashed.complete(job.id)).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    expect(await crashed.heartbeat(job.id, 30_000)).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    expect((await survivor.complete(job.id)).ok).toBe(true);
  });

  it('keeps a job whose worker heartbeats, and fails a reclaimed job that had no attempt left', async () => {
    const { clock, queue } = setup();
    const name = uniqueQueue('heartbeat');
    const { job } = await queue.enqueue({ queue: name, payload: {}, maxAttempts: 1 });
    await queue.claim([name], 10_000);
    clock.advance(8_000);
    expect((await queue.heartbeat(job.id, 10_000)).ok).toBe(true);
    clock.advance(8_000);
    expect(await queue.reclaimExpired([name])).toEqual([]);
    clock.advance(3_000);
    const [reclaimed] = await queue.reclaimExpired([name]);
    expect(reclaimed).toMatchObject({ id: job.id, status: 'failed' });
  });

  it('cancels queued and running jobs, not finished ones', async () => {
    const { queue } = setup();
    const name = uniqueQueue('cancel');
    const waiting = await queue.enqueue({ queue: name, payload: 1 });
    expect((await queue.cancel(waiting.job.id)).ok).toBe(true);
    const running = await queue.enqueue({ queue: name, payload: 2 });
    await queue.claim([name], 1000);
    expect((await queue.cancel(running.job.id)).ok).toBe(true);
    // The worker finds out at its next heartbeat.
    expect(await queue.heartbeat(running.job.id, 1000)).toMatchObject({ ok: false, error: { code: 'lease_lost' } });
    expect(await queue.cancel(running.job.id)).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(await queue.cancel('missing')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('releases a job on shutdown without counting the attempt', async () => {
    const { queue } = setup();
    const name = uniqueQueue('release');
    const { job } = await queue.enqueue({ queue: name, payload: 1 });
    await queue.claim([name], 1000);
    const released = await queue.release(job.id);
    expect(released.ok && released.value).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('lists by queue and status', async () => {
    const { queue } = setup();
    const name = uniqueQueue('list');
    const a = await queue.enqueue({ queue: name, payload: 1 });
    await queue.enqueue({ queue: name, payload: 2 });
    await queue.claim([name], 1000);
    expect((await queue.list({ queue: name, status: 'running' })).map((j) => j.id)).toEqual([a.job.id]);
    expect(await queue.list({ queue: name })).toHaveLength(2);
    expect(await queue.get(a.job.id)).toMatchObject({ id: a.job.id, status: 'running' });
    expect(await queue.get('missing')).toBeUndefined();
  });
});

async function openSecond(handle: DatabaseHandle): Promise<DatabaseHandle> {
  if (handle.dialect === 'sqlite') {
    // One process owns a SQLite file; a second handle in the same process shares its single writer through the
    // first one, so the race is between interleaved statements on the same connection.
    return { ...handle, close: () => Promise.resolve() };
  }
  const opened = await createDatabase({
    url: TEST_PG_URL,
    dataDir: tmpdir(),
    ...(handle.schema === undefined ? {} : { schema: handle.schema }),
  });
  if (!opened.ok) throw opened.error;
  return opened.value;
}
