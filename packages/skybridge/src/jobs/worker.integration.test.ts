import { afterEach, expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import { forEachDialect } from '../db/test-dialects.ts';
import type { Job } from './job-queue.ts';
import { createJobQueue } from './job-queue.ts';
import type { CreateWorkerOptions, JobHandler, Worker } from './worker.ts';
import { createWorker } from './worker.ts';
import { createWorkerEventLog } from './worker-events.ts';

const T0 = '2026-03-01T10:00:00.000Z';
let seq = 0;
const uniqueQueue = (label: string) => `worker-${label}-${process.pid}-${++seq}`;

/** A promise the test settles by hand: a handler that is "still running" until the test says so. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
});

forEachDialect((dialect, getDb) => {
  function setup(handlers: Record<string, JobHandler>, extra: Partial<CreateWorkerOptions> = {}) {
    const clock = createManualClock(T0);
    const queue = createJobQueue({ db: getDb().db, dialect, clock, workerId: `worker-${++seq}` });
    const log = createWorkerEventLog();
    // pollMs is long on purpose: the tests move the worker with wake() and awaited events, never with time.
    const worker = createWorker({
      queue,
      handlers,
      clock,
      pollMs: 60_000,
      leaseMs: 60_000,
      backoff: { random: () => 0 },
      onEvent: log.onEvent,
      ...extra,
    });
    started.push(worker);
    return { clock, queue, log, worker };
  }

  it('runs a job and reports claimed, succeeded, idle and stopped', async () => {
    const name = uniqueQueue('basic');
    const seen: unknown[] = [];
    const { queue, log, worker } = setup({
      [name]: (job) => {
        seen.push(job.payload);
        return Promise.resolve();
      },
    });
    const { job } = await queue.enqueue({ queue: name, payload: { hello: 'world' } });
    const succeeded = log.next('job:succeeded');
    const idle = log.next('worker:idle');
    worker.start();
    expect((await succeeded).job).toMatchObject({ id: job.id, status: 'succeeded' });
    await idle;
    expect(seen).toEqual([{ hello: 'world' }]);
    expect(log.events.map((e) => e.type)).toEqual(['worker:started', 'job:claimed', 'job:succeeded', 'worker:idle']);
    const stopped = log.next('worker:stopped');
    await worker.stop();
    await stopped;
  });

  it('retries a failing job after an exponential backoff, then fails it', async () => {
    const name = uniqueQueue('retry');
    let calls = 0;
    const { clock, queue, log, worker } = setup({
      [name]: () => {
        calls++;
        return Promise.reject(new Error('boom with https://u:secret@x'));
      },
    });
    const { job } = await queue.enqueue({ queue: name, payload: {}, maxAttempts: 3 });
    let retrying = log.next('job:retrying');
    worker.start();
    const first = await retrying;
    // random() = 0: half the ceiling, 1 s after the first failure, 2 s after the second.
    expect(first.retryAt.toISOString()).toBe('2026-03-01T10:00:00.500Z');
    expect(first.error).toEqual({ code: 'unexpected', message: 'unexpected failure (Error)' });
    expect(first.job).toMatchObject({ id: job.id, status: 'queued', attempts: 1 });
    expect(JSON.stringify(log.events)).not.toContain('secret');

    // Not due yet: waking the worker finds nothing.
    let idle = log.next('worker:idle');
    worker.wake();
    await idle;
    expect(calls).toBe(1);

    retrying = log.next('job:retrying');
    clock.advance(500);
    worker.wake();
    expect((await retrying).retryAt.toISOString()).toBe('2026-03-01T10:00:01.500Z');

    const failed = log.next('job:failed');
    clock.advance(1000);
    worker.wake();
    expect((await failed).job).toMatchObject({ id: job.id, status: 'failed', attempts: 3 });
    idle = log.next('worker:idle');
    await idle;
    expect(calls).toBe(3);
  });

  it('runs up to `concurrency` jobs at once', async () => {
    const name = uniqueQueue('concurrency');
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const { queue, log, worker } = setup(
      {
        [name]: async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
        },
      },
      { concurrency: 2 },
    );
    for (let i = 0; i < 3; i++) await queue.enqueue({ queue: name, payload: i });
    const secondClaim = log.next('job:claimed', () => log.events.filter((e) => e.type === 'job:claimed').length === 2);
    worker.start();
    await secondClaim;
    expect(worker.active).toBe(2);
    const allDone = log.next('job:succeeded', () => log.events.filter((e) => e.type === 'job:succeeded').length === 3);
    gate.resolve();
    await allDone;
    expect(peak).toBe(2);
  });

  it('on stop, fires the handlers signal, drains, and hands interrupted jobs back', async () => {
    const name = uniqueQueue('stop');
    let sawAbort = false;
    const { queue, log, worker } = setup({
      [name]: (_job, { signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const { job } = await queue.enqueue({ queue: name, payload: {} });
    const claimed = log.next('job:claimed');
    worker.start();
    await claimed;
    const released = log.next('job:released');
    await worker.stop();
    expect(sawAbort).toBe(true);
    expect((await released).job).toMatchObject({ id: job.id, status: 'queued', attempts: 0 });
    expect(log.events.at(-1)?.type).toBe('worker:stopped');
  });

  it('waits on stop for a handler that finishes its work', async () => {
    const name = uniqueQueue('drain');
    const { queue, log, worker } = setup({
      // Sees the stop signal, then still finishes (and succeeds) a few turns of the event loop later.
      [name]: async (_job, { signal }) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
    const { job } = await queue.enqueue({ queue: name, payload: {} });
    const claimed = log.next('job:claimed');
    worker.start();
    await claimed;
    await worker.stop();
    // Drained: by the time stop() resolves, the job has finished and been recorded.
    expect(log.events.map((e) => e.type).slice(-2)).toEqual(['job:succeeded', 'worker:stopped']);
    expect(await queue.get(job.id)).toMatchObject({ status: 'succeeded' });
  });

  it('runs again the job of a worker that crashed, once its lease expires', async () => {
    const name = uniqueQueue('crash');
    const ran: Job[] = [];
    const { clock, queue, log, worker } = setup({
      [name]: (job) => {
        ran.push(job);
        return Promise.resolve();
      },
    });
    const crashed = createJobQueue({ db: getDb().db, dialect, clock, workerId: 'crashed' });
    const { job } = await crashed.enqueue({ queue: name, payload: {} });
    await crashed.claim([name], 30_000);

    const idle = log.next('worker:idle');
    worker.start();
    await idle;
    expect(ran).toEqual([]);

    const reclaimed = log.next('job:reclaimed');
    const succeeded = log.next('job:succeeded');
    clock.advance(30_001);
    worker.wake();
    expect((await reclaimed).job.id).toBe(job.id);
    expect((await succeeded).job).toMatchObject({ id: job.id, attempts: 2 });
    expect(ran[0]?.lockedBy).toBe(queue.workerId);
  });

  it('stops a handler whose job was cancelled, at the next heartbeat', async () => {
    const name = uniqueQueue('cancel');
    const { queue, log, worker } = setup(
      {
        [name]: (_job, { signal }) =>
          new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('x')))),
      },
      { heartbeatMs: 5 },
    );
    const { job } = await queue.enqueue({ queue: name, payload: {} });
    const claimed = log.next('job:claimed');
    worker.start();
    await claimed;
    const lost = log.next('job:lease_lost');
    expect((await queue.cancel(job.id)).ok).toBe(true);
    expect((await lost).jobId).toBe(job.id);
    const idle = log.next('worker:idle');
    await idle;
    expect(await queue.get(job.id)).toMatchObject({ status: 'cancelled' });
  });
});
