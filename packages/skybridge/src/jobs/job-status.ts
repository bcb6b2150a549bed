/**
 * Glossary of the job queue (`jobs/`), which knows nothing about Atlassian:
 *
 * - **Job**: one unit of work in a named **queue**, with a JSON **payload**, persisted so it survives a restart.
 * - **Claim**: a worker takes the oldest due queued job and holds a **lease** on it (`locked_until`); it renews
 *   the lease with a **heartbeat**. A running job whose lease has passed belongs to a dead worker and is
 *   **reclaimed** (queued again).
 * - **Attempt**: one claim of a job. A failed attempt is retried after a backoff until `maxAttempts`.
 * - **Exclusive key**: at most one job with the same key runs at a time (for example one sync per connection).
 * - **Dedupe key**: at most one job with the same key waits in the queue (enqueueing the same occurrence twice is
 *   a no-op).
 * - **Schedule**: a recurring job (an interval or a cron expression) that the scheduler enqueues when it is due.
 *
 * This file is the status machine, as a table of allowed transitions (the idea of Nango's scheduler).
 */
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Where each status may go. Terminal statuses go nowhere: a finished job is history. */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  // claimed, or cancelled before it ran
  queued: ['running', 'cancelled'],
  // finished; or queued again (a retry, a lease reclaimed from a dead worker, a graceful release on shutdown)
  running: ['succeeded', 'failed', 'queued', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function isTerminal(status: JobStatus): boolean {
  return JOB_TRANSITIONS[status].length === 0;
}

/** The statuses from which `to` may be reached: the `where status in (...)` of a conditional update. */
export function statusesLeadingTo(to: JobStatus): JobStatus[] {
  return JOB_STATUSES.filter((from) => JOB_TRANSITIONS[from].includes(to));
}

export class JobTransitionError extends Error {
  override readonly name = 'JobTransitionError';
  readonly code = 'invalid_transition' as const;
  readonly from: JobStatus;
  readonly to: JobStatus;

  constructor(from: JobStatus, to: JobStatus) {
    super(`A ${from} job cannot become ${to}.`);
    this.from = from;
    this.to = to;
  }

  toJSON(): { code: 'invalid_transition'; message: string; from: JobStatus; to: JobStatus } {
    return { code: this.code, message: this.message, from: this.from, to: this.to };
  }
}

/** Whether a job may go from `from` to `to`; the new status, or why not. */
export function transition(from: JobStatus, to: JobStatus): Result<JobStatus, JobTransitionError> {
  return JOB_TRANSITIONS[from].includes(to) ? ok(to) : err(new JobTransitionError(from, to));
}
