import type { Clock } from '../domain/clock.ts';
import type { BackoffOptions } from './backoff.ts';
import { retryDelayMs } from './backoff.ts';
import type { JobFailure } from './job-error.ts';
import { coerceJobError } from './job-error.ts';
import type { ClaimFilter, Job, JobQueue } from './job-queue.ts';

/** What a handler gets besides the job. */
export interface JobContext {
  /**
   * Fires when the worker stops (the job is then handed back to the queue if the handler gives up) or when the
   * job is no longer this worker's (cancelled, or its lease was lost). Pass it to every fetch and query.
   */
  signal: AbortSignal;
  workerId: string;
}

/**
 * Runs one job. Resolving completes it; throwing fails this attempt (retried with backoff while attempts remain).
 * An error with `retryable: false` gives the job up at once: the handler knows a second attempt cannot help.
 */
export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

/**
 * The worker's lifecycle, as typed events: tests await them instead of sleeping, and the hub logs them. Errors are
 * `JobFailure`s (safe text), never the thrown values.
 */
export type WorkerEvent =
  | { type: 'worker:started'; workerId: string }
  /** Nothing running and nothing due: the queue is drained for now. */
  | { type: 'worker:idle' }
  /** The queue itself failed (the database is down); the worker keeps polling. */
  | { type: 'worker:error'; error: JobFailure }
  | { type: 'worker:stopped' }
  /** A running job whose worker died was put back in the queue (or failed, on its last attempt). */
  | { type: 'job:reclaimed'; job: Job }
  | { type: 'job:claimed'; job: Job }
  | { type: 'job:succeeded'; job: Job; durationMs: number }
  | { type: 'job:retrying'; job: Job; error: JobFailure; retryAt: Date }
  | { type: 'job:failed'; job: Job; error: JobFailure }
  /** Handed back to the queue on stop, without counting the attempt. */
  | { type: 'job:released'; job: Job }
  /** The job stopped being this worker's while it ran (cancelled, or reclaimed after a missed heartbeat). */
  | { type: 'job:lease_lost'; jobId: string };
export type WorkerEventType = WorkerEvent['type'];

export interface CreateWorkerOptions {
  queue: JobQueue;
  /** One handler per queue name; the worker claims jobs of these queues only. */
  handlers: Readonly<Record<string, JobHandler>>;
  /** Jobs run at once. Default 1. */
  concurrency?: number;
  /** Lease per claim and heartbeat, ms. Default 60_000. A worker silent for this long is taken for dead. */
  leaseMs?: number;
  /** Heartbeat period, ms. Default a third of `leaseMs`, so two heartbeats can be missed. */
  heartbeatMs?: number;
  /** How often an idle worker looks for due jobs, ms. Default 1000. `wake()` looks at once. */
  pollMs?: number;
  clock: Clock;
  /** Retry delays. Default: `retryDelayMs` defaults (1 s doubling to 1 h, jittered). */
  backoff?: BackoffOptions;
  /** Default: ignore. Must not throw. */
  onEvent?: (event: WorkerEvent) => void;
  /**
   * Claim only this job, or only jobs of this tag: a command that runs the work it just queued in its own process
   * (the CLI's `sync`, `findings push`) while a server's workers may run the rest. Default: every due job of the
   * handlers' queues.
   */
  only?: ClaimFilter;
  /** Also reclaim running jobs whose worker is known to be gone before their lease ends (`isLocalWorkerGone`). */
  isAbandoned?: (lockedBy: string) => boolean;
}

export interface Worker {
  start(): void;
  /** Stops claiming, fires the handlers' signals and waits for them to finish (drains). */
  stop(): Promise<void>;
  /** Looks for due jobs now instead of at the next poll (after an enqueue, or after moving a test clock). */
  wake(): void;
  /** Jobs running now. */
  readonly active: number;
}

/**
 * Claims jobs of its queues, runs their handlers with a heartbeat, and completes or fails them. Each loop also
 * reclaims expired leases of its queues, so jobs of a worker that died run again. Time for leases and retries
 * comes from `clock`; only the poll and heartbeat periods use real timers.
 */
export function createWorker(options: CreateWorkerOptions): Worker {
  const { queue, handlers, clock } = options;
  const queues = Object.keys(handlers);
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3));
  const pollMs = options.pollMs ?? 1000;
  const emit = options.onEvent ?? (() => undefined);

  const active = new Map<string, Promise<void>>();
  const stopController = new AbortController();
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let wakePending = false;

  const wake = () => {
    wakePending = true;
    wakeUp?.();
  };

  const pause = () =>
    new Promise<void>((resolve) => {
      if (wakePending || stopController.signal.aborted) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function run(job: Job): Promise<void> {
    const handler = handlers[job.queue];
    const controller = new AbortController();
    const stopped = () => controller.abort(stopController.signal.reason);
    stopController.signal.addEventListener('abort', stopped, { once: true });
    let lost = false;
    const loseLease = () => {
      if (lost) return;
      lost = true;
      controller.abort(new Error('the job is no longer held by this worker'));
      emit({ type: 'job:lease_lost', jobId: job.id });
    };
    const beat = setInterval(() => {
      queue.heartbeat(job.id, leaseMs).then(
        (r) => {
          if (!r.ok) loseLease();
        },
        (e: unknown) => emit({ type: 'worker:error', error: coerceJobError(e) }),
      );
    }, heartbeatMs);
    beat.unref();
    const startedAt = clock.now().getTime();
    try {
      if (handler === undefined) throw new Error('no handler for this queue');
      await handler(job, { signal: controller.signal, workerId: queue.workerId });
      clearInterval(beat);
      if (lost) return;
      const done = await queue.complete(job.id);
      if (done.ok) emit({ type: 'job:succeeded', job: done.value, durationMs: clock.now().getTime() - startedAt });
      else loseLease();
    } catch (e) {
      clearInterval(beat);
      if (lost) return;
      if (stopController.signal.aborted) {
        // Interrupted by shutdown, not a failure of the job: hand it back without spending an attempt.
        const released = await queue.release(job.id);
        if (released.ok) emit({ type: 'job:released', job: released.value });
        else loseLease();
        return;
      }
      const error = coerceJobError(e);
      const retryAt = new Date(clock.now().getTime() + retryDelayMs(job.attempts, options.backoff));
      const retryable = !(typeof e === 'object' && e !== null && 'retryable' in e && e.retryable === false);
      const failed = await queue.fail(job.id, e, { retryAt, retryable });
      if (!failed.ok) loseLease();
      else if (failed.value.status === 'queued') emit({ type: 'job:retrying', job: failed.value, error, retryAt });
      else emit({ type: 'job:failed', job: failed.value, error });
    } finally {
      clearInterval(beat);
      stopController.signal.removeEventListener('abort', stopped);
    }
  }

  function track(job: Job): void {
    const running = run(job)
      // complete/fail/release themselves failed (the database went away): the lease will expire and the job be
      // reclaimed; report it and keep the worker alive.
      .catch((e: unknown) => emit({ type: 'worker:error', error: coerceJobError(e) }))
      .finally(() => {
        active.delete(job.id);
        wake();
      });
    active.set(job.id, running);
  }

  async function poll(): Promise<void> {
    while (!stopController.signal.aborted) {
      wakePending = false;
      try {
        for (const job of await queue.reclaimExpired(queues, options.isAbandoned)) emit({ type: 'job:reclaimed', job });
        while (!stopController.signal.aborted && active.size < concurrency) {
          const job = await queue.claim(queues, leaseMs, options.only);
          if (job === undefined) break;
          emit({ type: 'job:claimed', job });
          track(job);
        }
        if (active.size === 0 && !stopController.signal.aborted) emit({ type: 'worker:idle' });
      } catch (e) {
        emit({ type: 'worker:error', error: coerceJobError(e) });
      }
      await pause();
    }
  }

  return {
    start() {
      if (loop !== undefined || stopController.signal.aborted) return;
      emit({ type: 'worker:started', workerId: queue.workerId });
      loop = poll();
    },
    async stop() {
      if (!stopController.signal.aborted) {
        stopController.abort(new Error('the worker is stopping'));
        wake();
      }
      await loop;
      await Promise.all(active.values());
      if (loop !== undefined) {
        loop = undefined;
        emit({ type: 'worker:stopped' });
      }
    },
    wake,
    get active() {
      return active.size;
    },
  };
}
