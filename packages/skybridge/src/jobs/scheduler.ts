import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { fromIso, present, toIso } from '../db/columns.ts';
import type { Database, JobScheduleRow } from '../db/schema.ts';
import type { CronError } from './cron.ts';
import { parseCron } from './cron.ts';
import type { Job } from './job-queue.ts';
import { insertJob } from './job-queue.ts';

/** How often a schedule recurs: a fixed interval, or a cron expression (UTC; see `cron.ts` for the subset). */
export type Recurrence = { intervalMs: number } | { cron: string };

/** A recurring job. See the glossary in `job-status.ts`. */
export interface Schedule {
  /** The caller's own id, e.g. `sync:<connectionId>`: one schedule per purpose, replaced by `upsert`. */
  id: string;
  queue: string;
  payload: unknown;
  every: Recurrence;
  /** The next occurrence to enqueue. */
  nextRunAt: Date;
  enabled: boolean;
  exclusiveKey?: string;
  maxAttempts?: number;
  lastEnqueuedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScheduleInput {
  id: string;
  queue: string;
  payload: unknown;
  every: Recurrence;
  /** Given to each enqueued job. Default: none. */
  exclusiveKey?: string;
  /** Given to each enqueued job. Default: the queue's (5). */
  maxAttempts?: number;
  /** Default true. */
  enabled?: boolean;
  /**
   * The first occurrence. Default: now + interval for an interval, the next cron match after now for cron: a new
   * or restarted schedule does not fire at once (a manual run is an `enqueue`).
   */
  firstRunAt?: Date;
}

export const SCHEDULER_ERROR_CODES = ['invalid_cron', 'invalid_interval', 'not_found'] as const;
export type SchedulerErrorCode = (typeof SCHEDULER_ERROR_CODES)[number];

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
  readonly code: SchedulerErrorCode;

  constructor(code: SchedulerErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: SchedulerErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Shortest interval accepted, ms: one minute, like cron's resolution. */
export const MIN_INTERVAL_MS = 60_000;

export interface Scheduler {
  /** Creates or replaces the schedule `input.id`; its next occurrence is recomputed. */
  upsert(input: ScheduleInput): Promise<Result<Schedule, SchedulerError>>;
  setEnabled(id: string, enabled: boolean): Promise<Result<Schedule, SchedulerError>>;
  /** Whether there was one to remove. Jobs it already enqueued stay. */
  remove(id: string): Promise<boolean>;
  get(id: string): Promise<Schedule | undefined>;
  list(): Promise<Schedule[]>;
  /**
   * Enqueues every due occurrence and advances each schedule. Occurrences missed while the hub was down collapse
   * into one (a day offline must not start 24 hourly syncs), and the next one stays on the schedule's grid.
   * Safe to call from several processes at once: each occurrence is enqueued exactly once. Returns the jobs it
   * created.
   */
  tick(): Promise<Job[]>;
}

export interface CreateSchedulerOptions {
  db: Kysely<Database>;
  clock: Clock;
}

type NextOccurrence = (after: Date, from: Date) => Date | undefined;

function recurrenceOf(every: Recurrence): Result<NextOccurrence, SchedulerError> {
  if ('cron' in every) {
    const parsed = parseCron(every.cron);
    if (!parsed.ok) return err(cronProblem(parsed.error));
    return ok((after) => parsed.value.nextAfter(after));
  }
  const interval = every.intervalMs;
  if (!Number.isInteger(interval) || interval < MIN_INTERVAL_MS) {
    return err(
      new SchedulerError('invalid_interval', `An interval must be a whole number of ms, at least ${MIN_INTERVAL_MS}.`),
    );
  }
  // The first point of the grid `from + k * interval` strictly after `after`.
  return ok((after, from) => {
    const k = Math.max(1, Math.floor((after.getTime() - from.getTime()) / interval) + 1);
    return new Date(from.getTime() + k * interval);
  });
}

function cronProblem(e: CronError): SchedulerError {
  return new SchedulerError('invalid_cron', e.message);
}

export function scheduleFromRow(row: JobScheduleRow): Schedule {
  const every: Recurrence =
    row.cron !== null ? { cron: row.cron } : { intervalMs: Number(row.interval_ms ?? MIN_INTERVAL_MS) };
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as unknown,
    every,
    nextRunAt: fromIso(row.next_run_at),
    enabled: Number(row.enabled) === 1,
    ...present('exclusiveKey', row.exclusive_key),
    ...present('maxAttempts', row.max_attempts === null ? null : Number(row.max_attempts)),
    ...present('lastEnqueuedAt', row.last_enqueued_at === null ? null : fromIso(row.last_enqueued_at)),
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
  };
}

/** The dedupe key of one occurrence: the same for every scheduler that sees it. */
export function occurrenceKey(scheduleId: string, dueAt: Date): string {
  return `schedule:${scheduleId}:${dueAt.toISOString()}`;
}

/**
 * Interval and cron schedules stored beside the jobs. It only enqueues: workers run the jobs. Drive `tick()` from
 * a timer (the hub's interval scheduler) every few seconds; the database makes concurrent ticks safe.
 */
export function createScheduler(options: CreateSchedulerOptions): Scheduler {
  const { db, clock } = options;

  const get = async (id: string) => {
    const row = await db.selectFrom('job_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : scheduleFromRow(row);
  };

  return {
    async upsert(input) {
      const next = recurrenceOf(input.every);
      if (!next.ok) return next;
      const now = clock.now();
      const firstRunAt = input.firstRunAt ?? next.value(now, now);
      if (firstRunAt === undefined) {
        return err(new SchedulerError('invalid_cron', 'The cron expression never matches (within five years).'));
      }
      const payload = JSON.stringify(input.payload);
      if (typeof payload !== 'string') throw new Error('a schedule payload must be JSON-serialisable');
      const values = {
        queue: input.queue,
        payload,
        interval_ms: 'intervalMs' in input.every ? input.every.intervalMs : null,
        cron: 'cron' in input.every ? input.every.cron : null,
        next_run_at: toIso(firstRunAt),
        enabled: input.enabled === false ? 0 : 1,
        exclusive_key: input.exclusiveKey ?? null,
        max_attempts: input.maxAttempts ?? null,
        updated_at: toIso(now),
      };
      const row = await db
        .insertInto('job_schedules')
        .values({ id: input.id, ...values, created_at: toIso(now) })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return ok(scheduleFromRow(row));
    },

    async setEnabled(id, enabled) {
      const row = await db
        .updateTable('job_schedules')
        .set({ enabled: enabled ? 1 : 0, updated_at: toIso(clock.now()) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined
        ? err(new SchedulerError('not_found', `No such schedule: ${id}.`))
        : ok(scheduleFromRow(row));
    },

    async remove(id) {
      const result = await db.deleteFrom('job_schedules').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    get,

    async list() {
      const rows = await db.selectFrom('job_schedules').selectAll().orderBy('id').execute();
      return rows.map(scheduleFromRow);
    },

    async tick() {
      const now = clock.now();
      const due = await db
        .selectFrom('job_schedules')
        .selectAll()
        .where('enabled', '=', 1)
        .where('next_run_at', '<=', toIso(now))
        .orderBy('next_run_at')
        .orderBy('id')
        .execute();
      const created: Job[] = [];
      for (const row of due) {
        const schedule = scheduleFromRow(row);
        const next = recurrenceOf(schedule.every);
        // A row we could not have written (edited by hand): leave it for an operator rather than stop every schedule.
        if (!next.ok) continue;
        const dueAt = schedule.nextRunAt;
        const following = next.value(now, dueAt);
        const job = await db.transaction().execute(async (trx) => {
          // Compare-and-set on next_run_at: of several schedulers seeing this occurrence, one advances it and
          // enqueues; the others update nothing and move on (on PostgreSQL they wait for the winner's commit).
          const advanced = await trx
            .updateTable('job_schedules')
            .set({
              // Never matching again (a cron that cannot recur): park it far ahead and disable it.
              next_run_at: toIso(following ?? dueAt),
              enabled: following === undefined ? 0 : 1,
              last_enqueued_at: toIso(now),
              updated_at: toIso(now),
            })
            .where('id', '=', schedule.id)
            .where('next_run_at', '=', row.next_run_at)
            .where('enabled', '=', 1)
            .executeTakeFirst();
          if (Number(advanced.numUpdatedRows) !== 1) return undefined;
          const enqueued = await insertJob(trx, now, {
            queue: schedule.queue,
            payload: schedule.payload,
            runAt: dueAt,
            // Belt and braces: even a scheduler with a stale view cannot queue this occurrence twice.
            dedupeKey: occurrenceKey(schedule.id, dueAt),
            ...(schedule.exclusiveKey === undefined ? {} : { exclusiveKey: schedule.exclusiveKey }),
            ...(schedule.maxAttempts === undefined ? {} : { maxAttempts: schedule.maxAttempts }),
          });
          return enqueued.created ? enqueued.job : undefined;
        });
        if (job !== undefined) created.push(job);
      }
      return created;
    },
  };
}
