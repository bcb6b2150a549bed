import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely, UpdateObject } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { enumValue, fromIso, present, toIso } from '../db/columns.ts';
import type { DatabaseDialect } from '../db/create-database.ts';
import { newId } from '../db/new-id.ts';
import type { Database, JobRow } from '../db/schema.ts';
import { uniqueViolationColumns } from '../db/unique-violation.ts';
import { coerceJobError, jobErrorText } from './job-error.ts';
import type { JobStatus } from './job-status.ts';
import { JOB_STATUSES, statusesLeadingTo, transition } from './job-status.ts';

/** Default for `maxAttempts`: attempts before a failing job is given up as `failed`. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default page size of `list`. */
export const DEFAULT_LIST_LIMIT = 100;

/** A job as the rest of the hub sees it. See the glossary in `job-status.ts`. */
export interface Job {
  id: string;
  queue: string;
  /** The parsed JSON payload; handlers validate it (zod) since it crossed a process boundary. */
  payload: unknown;
  status: JobStatus;
  /** Claims so far, the current one included. */
  attempts: number;
  maxAttempts: number;
  /** Not claimed before this time. */
  runAt: Date;
  lockedBy?: string;
  lockedUntil?: Date;
  /** Safe text (`code: message`) from the last failed attempt. */
  lastError?: string;
  exclusiveKey?: string;
  dedupeKey?: string;
  tag?: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
}

export interface EnqueueInput {
  queue: string;
  /** Anything `JSON.stringify` turns into text. Never a credential: payloads are stored in clear. */
  payload: unknown;
  /** Default: now (the injected clock). */
  runAt?: Date;
  /** Default `DEFAULT_MAX_ATTEMPTS` (5). At least 1. */
  maxAttempts?: number;
  /** At most one running job per key. Default: none. */
  exclusiveKey?: string;
  /** At most one queued job per key: enqueueing again while one waits returns that one. Default: none. */
  dedupeKey?: string;
  /** Who the job belongs to, so they can be listed (`list({ tag })`), e.g. `instance:<id>`. Default: none. */
  tag?: string;
}

export interface EnqueueResult {
  job: Job;
  /** False when a queued job with the same dedupe key already existed and was returned instead. */
  created: boolean;
}

export const JOB_QUEUE_ERROR_CODES = [
  'not_found',
  /** The status machine forbids it (cancelling a finished job). */
  'invalid_transition',
  /** The job is no longer this worker's: its lease expired and it was reclaimed, or it was cancelled. */
  'lease_lost',
] as const;
export type JobQueueErrorCode = (typeof JOB_QUEUE_ERROR_CODES)[number];

export class JobQueueError extends Error {
  override readonly name = 'JobQueueError';
  readonly code: JobQueueErrorCode;

  constructor(code: JobQueueErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: JobQueueErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export interface FailOptions {
  /** When the next attempt may run. Default: now. Ignored when no attempt is left. */
  retryAt?: Date;
  /** False gives up at once (the failure is permanent). Default true. */
  retryable?: boolean;
}

export interface JobQueue {
  /** This queue's worker id: what `locked_by` says for the jobs it claims. */
  readonly workerId: string;
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  /**
   * Atomically takes the oldest due queued job of `queues` whose exclusive key has no running job, and leases it
   * for `leaseMs`. Undefined when none is due. Several workers, even in several processes on PostgreSQL, never
   * take the same job.
   */
  claim(queues: readonly string[], leaseMs: number, only?: ClaimFilter): Promise<Job | undefined>;
  /** Extends this worker's lease on a running job to now + `leaseMs`. */
  heartbeat(id: string, leaseMs: number): Promise<Result<Job, JobQueueError>>;
  /** running -> succeeded. Only the worker holding the lease may. */
  complete(id: string): Promise<Result<Job, JobQueueError>>;
  /**
   * A failed attempt: running -> queued at `retryAt` while attempts remain (and `retryable`), else -> failed.
   * `error` is stored as safe text (`coerceJobError`).
   */
  fail(id: string, error: unknown, options?: FailOptions): Promise<Result<Job, JobQueueError>>;
  /** running -> queued without counting the attempt: a graceful shutdown hands the job back. */
  release(id: string): Promise<Result<Job, JobQueueError>>;
  /** queued or running -> cancelled. A running job's worker learns it at its next heartbeat. */
  cancel(id: string): Promise<Result<Job, JobQueueError>>;
  /**
   * Running jobs whose lease has passed (their worker died) go back to queued, or to failed if that was their last
   * attempt. This is what makes jobs survive a crash. `queues`: only these. Default: every queue. Returns the
   * jobs it changed. `isAbandoned` also reclaims running jobs whose lease has not passed yet but whose worker is
   * known to be gone (see `local-workers.ts`), so a restarted command does not wait out a dead process's lease.
   */
  reclaimExpired(queues?: readonly string[], isAbandoned?: (lockedBy: string) => boolean): Promise<Job[]>;
  get(id: string): Promise<Job | undefined>;
  /** Oldest first (`newestFirst` reverses). `limit` default `DEFAULT_LIST_LIMIT` (100). */
  list(filter?: {
    queue?: string;
    status?: JobStatus;
    exclusiveKey?: string;
    tag?: string;
    limit?: number;
    newestFirst?: boolean;
  }): Promise<Job[]>;
}

/** Narrows `claim` to one job, or to the jobs of one tag. */
export interface ClaimFilter {
  jobId?: string;
  tag?: string;
}

export interface CreateJobQueueOptions {
  db: Kysely<Database>;
  /** Chooses how `claim` locks: `FOR UPDATE SKIP LOCKED` on PostgreSQL. */
  dialect: DatabaseDialect;
  clock: Clock;
  /** Default: `<hostname>:<pid>:<random>`, unique per queue instance. */
  workerId?: string;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    status: enumValue(JOB_STATUSES, row.status, 'status'),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: fromIso(row.run_at),
    ...present('lockedBy', row.locked_by),
    ...present('lockedUntil', row.locked_until === null ? null : fromIso(row.locked_until)),
    ...present('lastError', row.last_error),
    ...present('exclusiveKey', row.exclusive_key),
    ...present('dedupeKey', row.dedupe_key),
    ...present('tag', row.tag),
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
    ...present('finishedAt', row.finished_at === null ? null : fromIso(row.finished_at)),
  };
}

/**
 * Inserts a job through `db` (which may be a transaction: the scheduler enqueues inside its own). With a dedupe
 * key, `ON CONFLICT ... DO NOTHING` against the partial unique index makes a second enqueue a no-op that returns
 * the waiting job.
 */
export async function insertJob(db: Kysely<Database>, now: Date, input: EnqueueInput): Promise<EnqueueResult> {
  if (input.queue === '') throw new Error('a job needs a queue name');
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  const payload = JSON.stringify(input.payload);
  if (typeof payload !== 'string') throw new Error('a job payload must be JSON-serialisable');
  const nowIso = toIso(now);
  const dedupeKey = input.dedupeKey;
  // Two rounds: the waiting job we collided with may be claimed between our insert and our select.
  for (let round = 0; round < 3; round++) {
    const row = await db
      .insertInto('jobs')
      .values({
        id: newId(),
        queue: input.queue,
        payload,
        status: 'queued',
        max_attempts: maxAttempts,
        run_at: toIso(input.runAt ?? now),
        exclusive_key: input.exclusiveKey ?? null,
        dedupe_key: dedupeKey ?? null,
        tag: input.tag ?? null,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .$if(dedupeKey !== undefined, (qb) =>
        qb.onConflict((oc) => oc.column('dedupe_key').where('status', '=', sql.lit('queued')).doNothing()),
      )
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return { job: jobFromRow(row), created: true };
    if (dedupeKey === undefined) break;
    const existing = await db
      .selectFrom('jobs')
      .selectAll()
      .where('dedupe_key', '=', dedupeKey)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (existing !== undefined) return { job: jobFromRow(existing), created: false };
  }
  throw new Error('could not enqueue the job (dedupe key contention)');
}

/**
 * A persistent job queue on the hub's database. Every state change is one conditional UPDATE (`where status =
 * <allowed from>` and, for the worker's own calls, `locked_by = <this worker>`), so a change that lost a race
 * changes nothing and says so, instead of overwriting.
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { db, dialect, clock } = options;
  const workerId = options.workerId ?? defaultWorkerId();
  const now = () => toIso(clock.now());

  const leaseLost = (id: string) =>
    new JobQueueError('lease_lost', `Job ${id} is no longer held by this worker (reclaimed, cancelled or finished).`);
  const notFound = (id: string) => new JobQueueError('not_found', `No such job: ${id}.`);

  /** Why a worker-owned change (complete, fail, release, heartbeat) matched no row. */
  async function whyNotOwned(id: string): Promise<Result<never, JobQueueError>> {
    const row = await db.selectFrom('jobs').select('id').where('id', '=', id).executeTakeFirst();
    return err(row === undefined ? notFound(id) : leaseLost(id));
  }

  /** Updates a running job this worker holds, moving dedupe_key aside if requeueing it would collide. */
  async function updateOwned(
    id: string,
    values: UpdateObject<Database, 'jobs'>,
    requeue: boolean,
  ): Promise<JobRow | undefined> {
    const run = (extra: { dedupe_key?: null }) =>
      db
        .updateTable('jobs')
        .set({ ...values, ...extra })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .returningAll()
        .executeTakeFirst();
    try {
      return await run({});
    } catch (e) {
      // Another job with the same dedupe key was enqueued while this one ran: both stay, the retry without the key.
      if (requeue && uniqueViolationColumns(e) !== undefined) return run({ dedupe_key: null });
      throw e;
    }
  }

  return {
    workerId,

    enqueue: (input) => insertJob(db, clock.now(), input),

    async claim(queues, leaseMs, only) {
      if (queues.length === 0) return undefined;
      for (let round = 0; round < 5; round++) {
        const at = clock.now();
        const nowIso = toIso(at);
        const candidate = db
          .selectFrom('jobs as j')
          .select('j.id')
          .where('j.status', '=', 'queued')
          .where('j.queue', 'in', [...queues])
          .where('j.run_at', '<=', nowIso)
          .$if(only?.jobId !== undefined, (qb) => qb.where('j.id', '=', only?.jobId ?? ''))
          .$if(only?.tag !== undefined, (qb) => qb.where('j.tag', '=', only?.tag ?? ''))
          .where((eb) =>
            eb.or([
              eb('j.exclusive_key', 'is', null),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('jobs as r')
                    .select('r.id')
                    .where('r.status', '=', 'running')
                    .whereRef('r.exclusive_key', '=', 'j.exclusive_key'),
                ),
              ),
            ]),
          )
          .orderBy('j.run_at')
          .orderBy('j.id')
          .limit(1)
          // PostgreSQL: concurrent claimers skip the row another is taking instead of waiting for it. SQLite has
          // one writer at a time (and one process owns the file), so the single statement is already atomic.
          .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
        try {
          const row = await db
            .updateTable('jobs')
            .set((eb) => ({
              status: 'running',
              attempts: eb('attempts', '+', 1),
              locked_by: workerId,
              locked_until: toIso(new Date(at.getTime() + leaseMs)),
              updated_at: nowIso,
            }))
            .where('id', '=', candidate)
            .where('status', '=', 'queued')
            .returningAll()
            .executeTakeFirst();
          return row === undefined ? undefined : jobFromRow(row);
        } catch (e) {
          // Two claimers took two queued jobs with the same exclusive key at once: the unique index let one win.
          // The loser looks again and now sees the running job.
          if (uniqueViolationColumns(e) === undefined) throw e;
        }
      }
      return undefined;
    },

    async heartbeat(id, leaseMs) {
      const at = clock.now();
      const row = await db
        .updateTable('jobs')
        .set({ locked_until: toIso(new Date(at.getTime() + leaseMs)), updated_at: toIso(at) })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? whyNotOwned(id) : ok(jobFromRow(row));
    },

    async complete(id) {
      const at = now();
      const row = await updateOwned(
        id,
        { status: 'succeeded', locked_by: null, locked_until: null, finished_at: at, updated_at: at },
        false,
      );
      return row === undefined ? whyNotOwned(id) : ok(jobFromRow(row));
    },

    async fail(id, error, failOptions = {}) {
      const current = await db
        .selectFrom('jobs')
        .select(['attempts', 'max_attempts'])
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      if (current === undefined) return whyNotOwned(id);
      const at = clock.now();
      const lastError = jobErrorText(coerceJobError(error));
      const retry = (failOptions.retryable ?? true) && Number(current.attempts) < Number(current.max_attempts);
      const row = retry
        ? await updateOwned(
            id,
            {
              status: 'queued',
              run_at: toIso(failOptions.retryAt ?? at),
              locked_by: null,
              locked_until: null,
              last_error: lastError,
              updated_at: toIso(at),
            },
            true,
          )
        : await updateOwned(
            id,
            {
              status: 'failed',
              locked_by: null,
              locked_until: null,
              last_error: lastError,
              finished_at: toIso(at),
              updated_at: toIso(at),
            },
            false,
          );
      return row === undefined ? whyNotOwned(id) : ok(jobFromRow(row));
    },

    async release(id) {
      const at = now();
      const row = await updateOwned(
        id,
        {
          status: 'queued',
          attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
          locked_by: null,
          locked_until: null,
          run_at: at,
          updated_at: at,
        },
        true,
      );
      return row === undefined ? whyNotOwned(id) : ok(jobFromRow(row));
    },

    async cancel(id) {
      const at = now();
      const row = await db
        .updateTable('jobs')
        .set({ status: 'cancelled', locked_by: null, locked_until: null, finished_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', 'in', statusesLeadingTo('cancelled'))
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) return ok(jobFromRow(row));
      const existing = await db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirst();
      if (existing === undefined) return err(notFound(id));
      const allowed = transition(enumValue(JOB_STATUSES, existing.status, 'status'), 'cancelled');
      // Allowed but unmatched: the status changed under us; report what it is now.
      return err(
        new JobQueueError('invalid_transition', allowed.ok ? `Job ${id} changed; try again.` : allowed.error.message),
      );
    },

    async reclaimExpired(queues, isAbandoned) {
      if (queues?.length === 0) return [];
      const at = clock.now();
      const nowIso = toIso(at);
      const candidates = await db
        .selectFrom('jobs')
        .select(['id', 'attempts', 'max_attempts', 'locked_until', 'locked_by'])
        .where('status', '=', 'running')
        // Running jobs are few (one per worker slot), so the abandoned check can look at all of them.
        .$if(isAbandoned === undefined, (qb) => qb.where('locked_until', '<', nowIso))
        .$if(queues !== undefined, (qb) => qb.where('queue', 'in', [...(queues ?? [])]))
        .orderBy('locked_until')
        .execute();
      const expired = candidates.filter(
        (job) =>
          (job.locked_until !== null && job.locked_until < nowIso) ||
          (job.locked_by !== null && job.locked_by !== workerId && isAbandoned?.(job.locked_by) === true),
      );
      const changed: Job[] = [];
      const lastError = jobErrorText({ code: 'lease_expired', message: 'the worker stopped renewing its lease' });
      for (const job of expired) {
        const giveUp = Number(job.attempts) >= Number(job.max_attempts);
        const update = (dropDedupe: boolean) =>
          db
            .updateTable('jobs')
            .set({
              status: giveUp ? 'failed' : 'queued',
              locked_by: null,
              locked_until: null,
              last_error: lastError,
              updated_at: nowIso,
              ...(giveUp ? { finished_at: nowIso } : { run_at: nowIso }),
              ...(dropDedupe ? { dedupe_key: null } : {}),
            })
            .where('id', '=', job.id)
            .where('status', '=', 'running')
            // Unchanged since we looked: a heartbeat that just arrived wins.
            .where('locked_until', '=', job.locked_until)
            .returningAll()
            .executeTakeFirst();
        let row: JobRow | undefined;
        try {
          row = await update(false);
        } catch (e) {
          if (giveUp || uniqueViolationColumns(e) === undefined) throw e;
          row = await update(true);
        }
        if (row !== undefined) changed.push(jobFromRow(row));
      }
      return changed;
    },

    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : jobFromRow(row);
    },

    async list(filter = {}) {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .$if(filter.queue !== undefined, (qb) => qb.where('queue', '=', filter.queue ?? ''))
        .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status ?? 'queued'))
        .$if(filter.exclusiveKey !== undefined, (qb) => qb.where('exclusive_key', '=', filter.exclusiveKey ?? ''))
        .$if(filter.tag !== undefined, (qb) => qb.where('tag', '=', filter.tag ?? ''))
        .orderBy('created_at', filter.newestFirst === true ? 'desc' : 'asc')
        .orderBy('id', filter.newestFirst === true ? 'desc' : 'asc')
        .limit(filter.limit ?? DEFAULT_LIST_LIMIT)
        .execute();
      return rows.map(jobFromRow);
    },
  };
}
