import type { HttpFactory } from '../atlassian/verify-target.ts';
import type { ConnectionError } from '../connections/connections-service.ts';
import type { ConnectionsInternal } from '../connections/create-connections-service.ts';
import type { PageRequest, Page } from '../db/pagination.ts';
import type { AccessGrant, AccessRecord, AccessResource, SyncCheckpoint } from '../domain/access-model.ts';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { Job, JobQueue } from '../jobs/job-queue.ts';
import type { JobStatus } from '../jobs/job-status.ts';
import type { Recurrence, Schedule, Scheduler } from '../jobs/scheduler.ts';
import type { Logger } from '../observability/logger.ts';
import {
  SYNC_JOB_MAX_ATTEMPTS,
  SYNC_QUEUE,
  syncExclusiveKey,
  syncJobPayloadSchema,
  syncRequestDedupeKey,
  syncScheduleId,
  type SyncJobPayload,
} from './sync-jobs.ts';
import { runSync, type EngineStore, type SyncProgress } from './run-sync.ts';
import { createSourceReader } from './sources/create-source-reader.ts';
import type { AccessEntry } from './store/access-queries.ts';
import type { ExportFormat, ExportWriter } from './store/export-snapshot.ts';
import type { RunDiffSummary } from './store/run-diff.ts';
import type { SyncStoreError } from './store/sync-store-error.ts';
import type { SyncRun, SyncRunTrigger } from './store/sync-run.ts';
import type { SyncStore } from './store/sync-store.ts';

/**
 * Sync as a use-case: open the connection, read its source through the engine into the store, record the outcome
 * in the connection's authorization status. A run left `running` by a crash or a kill is resumed from its
 * checkpoints instead of starting over.
 */

export interface SyncError {
  /** `interrupted`: stopped by its signal; the run stays `running` and the next run of the connection resumes it. */
  code: 'not_found' | 'invalid_input' | 'connection_unusable' | 'sync_failed' | 'interrupted' | 'store_error';
  message: string;
  atlassian?: { code: string; message: string };
}

/** A sync job as the API and CLI show it: a run requested or scheduled, and how it went. */
export interface SyncJob {
  id: string;
  connectionId: string;
  trigger: SyncRunTrigger;
  /** Who asked for it (`schedule` for scheduled runs). */
  actor: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  /** Not started before this time (a retry waits here). */
  runAt: Date;
  /** Safe `code: message` of the last failed attempt. */
  lastError?: string;
  createdAt: Date;
  finishedAt?: Date;
}

/** A connection's sync schedule. */
export interface SyncSchedule {
  connectionId: string;
  every: Recurrence;
  nextRunAt: Date;
  enabled: boolean;
  lastEnqueuedAt?: Date;
}

export interface SyncService {
  run(
    actor: string,
    idOrName: string,
    options?: { trigger?: SyncRunTrigger; signal?: AbortSignal; onProgress?: (p: SyncProgress) => void },
  ): Promise<Result<SyncRun, SyncError>>;
  runs(idOrName: string, page?: PageRequest): Promise<Result<Page<SyncRun>, SyncError>>;
  getRun(runId: string): Promise<Result<SyncRun, SyncError>>;
  /**
   * Queues a manual run as a job; a worker (`serve`, or the CLI's own) runs it. At most one sync of a connection
   * runs at a time; asking again while a request waits returns that request (`created: false`).
   */
  request(actor: string, idOrName: string): Promise<Result<{ job: SyncJob; created: boolean }, SyncError>>;
  getJob(jobId: string): Promise<Result<SyncJob, SyncError>>;
  /** A connection's sync jobs, newest first. `limit` default 50, at most 500. */
  jobs(idOrName: string, options?: { limit?: number }): Promise<Result<SyncJob[], SyncError>>;
  /** Sets how often the connection syncs (`null` stops scheduled syncs). The first scheduled run is one period away. */
  setSchedule(
    actor: string,
    idOrName: string,
    every: Recurrence | null,
  ): Promise<Result<SyncSchedule | undefined, SyncError>>;
  getSchedule(idOrName: string): Promise<Result<SyncSchedule | undefined, SyncError>>;
  /** Promotes a run held as suspicious to the connection's snapshot. */
  accept(actor: string, runId: string): Promise<Result<SyncRun, SyncError>>;
  /** What changed between two runs of one connection: counts, then the first page of each kind of change. */
  diff(runA: string, runB: string, options?: { limit?: number }): Promise<Result<RunDiffReport, SyncError>>;
  /** Everything a person can reach in the current snapshots, and through what. */
  accessUser(emailOrAccountId: string, page?: PageRequest): Promise<Result<Page<AccessEntry>, SyncError>>;
  /** Everyone who holds an entitlement, or any entitlement of a resource, in the current snapshots. */
  whoHas(entitlementOrResourceId: string, page?: PageRequest): Promise<Result<Page<AccessEntry>, SyncError>>;
  /** Streams the current snapshots (one connection, or all) as jsonl or csv. */
  exportSnapshot(
    connection: string | undefined,
    format: ExportFormat,
    write: ExportWriter,
  ): Promise<Result<number, SyncError>>;
}

export interface RunDiffReport {
  summary: RunDiffSummary;
  grantsAdded: AccessGrant[];
  grantsRemoved: AccessGrant[];
  accountsCreated: AccessResource[];
  accountsDeactivated: AccessResource[];
  accountsRemoved: AccessResource[];
}

function fromStoreError(e: SyncStoreError): SyncError {
  return {
    code:
      e.code === 'run_not_found'
        ? 'not_found'
        : e.code === 'bad_cursor' || e.code === 'different_connections' || e.code === 'invalid_state'
          ? 'invalid_input'
          : 'store_error',
    message: e.message,
  };
}

/** Finished streams are stored as this checkpoint, so the store needs no special value for "done". */
const DONE: SyncCheckpoint = { phase: '__done__' };

function fromConnectionError(e: ConnectionError): SyncError {
  return { code: e.code === 'not_found' ? 'not_found' : 'connection_unusable', message: e.message };
}

/** A job of the sync queue as a `SyncJob`; undefined for any other job (ids of other queues are not sync jobs). */
export function syncJobFromJob(job: Job): SyncJob | undefined {
  if (job.queue !== SYNC_QUEUE) return undefined;
  const payload = syncJobPayloadSchema.safeParse(job.payload);
  if (!payload.success) return undefined;
  return {
    id: job.id,
    connectionId: payload.data.connectionId,
    trigger: payload.data.trigger,
    actor: payload.data.actor,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    ...(job.lastError === undefined ? {} : { lastError: job.lastError }),
    createdAt: job.createdAt,
    ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
  };
}

function syncScheduleFrom(connectionId: string, schedule: Schedule): SyncSchedule {
  return {
    connectionId,
    every: schedule.every,
    nextRunAt: schedule.nextRunAt,
    enabled: schedule.enabled,
    ...(schedule.lastEnqueuedAt === undefined ? {} : { lastEnqueuedAt: schedule.lastEnqueuedAt }),
  };
}

/** `every 6h` / `cron 0 3 * * *`, for logs and messages. */
export function describeRecurrence(every: Recurrence): string {
  if ('cron' in every) return `cron ${every.cron}`;
  const ms = every.intervalMs;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms % size === 0) return `every ${ms / size}${unit}`;
  return `every ${ms}ms`;
}

/** Most sync jobs one `jobs` call returns. */
export const MAX_SYNC_JOBS_LIMIT = 500;

export function createSyncService(deps: {
  connections: ConnectionsInternal;
  store: SyncStore;
  clock: Clock;
  logger: Logger;
  /** The persistent queue and scheduler that run syncs as jobs (`request`, `setSchedule`). */
  jobs: { queue: JobQueue; scheduler: Scheduler };
  /** Streams read at once per run. Default 4. */
  concurrency?: number;
}): SyncService {
  const { store, logger } = deps;

  const engineStore: EngineStore<AccessRecord> = {
    async checkpoints(runId) {
      const run = await store.getRun(runId);
      if (!run.ok) return {};
      const out: Record<string, SyncCheckpoint | 'done'> = {};
      for (const [stream, cp] of Object.entries(run.value.checkpoint))
        out[stream] = cp.phase === DONE.phase ? 'done' : cp;
      return out;
    },
    async writePage(runId, stream, records, checkpoint, session) {
      const written = await store.writeBatch(
        runId,
        records,
        { stream, value: checkpoint === 'done' ? DONE : checkpoint },
        session,
      );
      if (!written.ok) throw written.error;
    },
    async finish(runId, stats) {
      const expanded = await store.expandEffectiveGrants(runId);
      if (!expanded.ok) throw expanded.error;
      const finished = await store.finishRun(runId, {
        requests: stats.requests,
        retries: stats.retries,
        rateLimited: stats.rateLimited,
      });
      if (!finished.ok) throw finished.error;
      return { status: finished.value.status };
    },
    async fail(runId, error, stats) {
      await store.failRun(runId, error, {
        requests: stats.requests,
        retries: stats.retries,
        rateLimited: stats.rateLimited,
      });
    },
  };

  return {
    async run(actor, idOrName, options = {}) {
      const opened = await deps.connections.open(idOrName);
      if (!opened.ok) return err(fromConnectionError(opened.error));
      const { connection, target } = opened.value;
      const stats = { requests: 0, retries: 0, rateLimited: 0 };
      // Every client the readers build reports its calls here, for the run record.
      const counting: HttpFactory = (o) =>
        opened.value.http({
          ...o,
          onOutcome: (outcome) => {
            o.onOutcome?.(outcome);
            stats.requests += outcome.requests;
            stats.retries += outcome.retries;
            stats.rateLimited += outcome.rateLimited;
          },
        });
      const { kind: _kind, ...targetFields } = target;
      const reader = createSourceReader(connection.kind, {
        ...targetFields,
        connectionId: connection.id,
        http: counting,
        ...(connection.siteId ? { cloudId: connection.siteId } : {}),
      });
      if (!reader.ok) return err({ code: 'connection_unusable', message: reader.error.actionableMessage() });

      const existing = await store.runningRun(connection.id);
      let runId: string;
      if (existing) {
        logger.info('resuming an interrupted sync run', { connection: connection.name, run: existing.id });
        runId = existing.id;
      } else {
        const created = await store.createRun({ connectionId: connection.id, trigger: options.trigger ?? 'manual' });
        if (!created.ok) return err({ code: 'store_error', message: created.error.message });
        runId = created.value.id;
      }
      // The page writer (a thread of its own on SQLite) is started before the first request, so the first pages
      // are committed as soon as they are read rather than piling up while it starts.
      await store.prepareWrites();
      logger.info('sync run started', { connection: connection.name, run: runId, actor });
      const result = await runSync({
        runId,
        source: reader.value,
        store: engineStore,
        concurrency: deps.concurrency ?? 4,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        stats: () => ({ ...stats }),
        clock: deps.clock,
        logger,
      });
      if (!result.ok && result.interrupted)
        return err({
          code: 'interrupted',
          message: `The sync of '${connection.name}' was interrupted; its next run resumes where it stopped.`,
        });
      await deps.connections.recordUse(connection.id, result.ok ? { ok: true } : { ok: false, error: result.error });
      const run = await store.getRun(runId);
      if (!run.ok) return err({ code: 'store_error', message: run.error.message });
      if (!result.ok)
        return err({
          code: 'sync_failed',
          message: `The sync of '${connection.name}' failed; the last good snapshot is kept. ${result.error.actionableMessage()}`,
          atlassian: { code: result.error.code, message: result.error.actionableMessage() },
        });
      return ok(run.value);
    },

    async accept(actor, runId) {
      const accepted = await store.acceptRun(runId, actor);
      return accepted.ok ? ok(accepted.value) : err(fromStoreError(accepted.error));
    },

    async diff(runA, runB, options = {}) {
      const summary = await store.diff.summary(runA, runB);
      if (!summary.ok) return err(fromStoreError(summary.error));
      const limit = options.limit ?? 100;
      const grants = async (change: 'added' | 'removed') => {
        const page = await store.diff.grants(runA, runB, change, { limit });
        return page.ok ? page.value.items : [];
      };
      const accounts = async (change: 'created' | 'deactivated' | 'removed') => {
        const page = await store.diff.accounts(runA, runB, change, { limit });
        return page.ok ? page.value.items : [];
      };
      return ok({
        summary: summary.value,
        grantsAdded: await grants('added'),
        grantsRemoved: await grants('removed'),
        accountsCreated: await accounts('created'),
        accountsDeactivated: await accounts('deactivated'),
        accountsRemoved: await accounts('removed'),
      });
    },

    async accessUser(who, page) {
      const found = await store.accessForUser('all', who, page);
      return found.ok ? ok(found.value) : err(fromStoreError(found.error));
    },

    async whoHas(id, page) {
      const found = await store.whoHas(id, page);
      return found.ok ? ok(found.value) : err(fromStoreError(found.error));
    },

    async exportSnapshot(connection, format, write) {
      let scope: 'all' | string[] = 'all';
      if (connection !== undefined) {
        const found = await deps.connections.get(connection);
        if (!found.ok) return err(fromConnectionError(found.error));
        scope = [found.value.connection.id];
      }
      return ok(await store.exportSnapshot(scope, format, write));
    },

    async getRun(runId) {
      const run = await store.getRun(runId);
      return run.ok ? ok(run.value) : err(fromStoreError(run.error));
    },

    async request(actor, idOrName) {
      const found = await deps.connections.get(idOrName);
      if (!found.ok) return err(fromConnectionError(found.error));
      const connectionId = found.value.connection.id;
      const payload: SyncJobPayload = { connectionId, trigger: 'manual', actor };
      const enqueued = await deps.jobs.queue.enqueue({
        queue: SYNC_QUEUE,
        payload,
        exclusiveKey: syncExclusiveKey(connectionId),
        dedupeKey: syncRequestDedupeKey(connectionId),
        maxAttempts: SYNC_JOB_MAX_ATTEMPTS,
      });
      const job = syncJobFromJob(enqueued.job);
      if (job === undefined) return err({ code: 'store_error', message: 'The queued job is not a sync job.' });
      if (enqueued.created)
        logger.info('sync requested', { connection: found.value.connection.name, job: job.id, actor });
      return ok({ job, created: enqueued.created });
    },

    async getJob(jobId) {
      const found = await deps.jobs.queue.get(jobId);
      const job = found === undefined ? undefined : syncJobFromJob(found);
      return job === undefined ? err({ code: 'not_found', message: `No such sync job: ${jobId}.` }) : ok(job);
    },

    async jobs(idOrName, options = {}) {
      const limit = options.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SYNC_JOBS_LIMIT)
        return err({
          code: 'invalid_input',
          message: `limit must be a whole number from 1 to ${MAX_SYNC_JOBS_LIMIT}.`,
        });
      const found = await deps.connections.get(idOrName);
      if (!found.ok) return err(fromConnectionError(found.error));
      const listed = await deps.jobs.queue.list({
        queue: SYNC_QUEUE,
        exclusiveKey: syncExclusiveKey(found.value.connection.id),
        newestFirst: true,
        limit,
      });
      return ok(listed.map(syncJobFromJob).filter((j): j is SyncJob => j !== undefined));
    },

    async setSchedule(actor, idOrName, every) {
      const found = await deps.connections.get(idOrName);
      if (!found.ok) return err(fromConnectionError(found.error));
      const connectionId = found.value.connection.id;
      const id = syncScheduleId(connectionId);
      if (every === null) {
        const removed = await deps.jobs.scheduler.remove(id);
        if (removed) logger.info('sync schedule removed', { connection: found.value.connection.name, actor });
        return ok(undefined);
      }
      const payload: SyncJobPayload = { connectionId, trigger: 'schedule', actor: 'schedule' };
      const saved = await deps.jobs.scheduler.upsert({
        id,
        queue: SYNC_QUEUE,
        payload,
        every,
        exclusiveKey: syncExclusiveKey(connectionId),
        maxAttempts: SYNC_JOB_MAX_ATTEMPTS,
      });
      if (!saved.ok) return err({ code: 'invalid_input', message: `every: ${saved.error.message}` });
      logger.info('sync schedule set', {
        connection: found.value.connection.name,
        actor,
        every: describeRecurrence(every),
      });
      return ok(syncScheduleFrom(connectionId, saved.value));
    },

    async getSchedule(idOrName) {
      const found = await deps.connections.get(idOrName);
      if (!found.ok) return err(fromConnectionError(found.error));
      const connectionId = found.value.connection.id;
      const schedule = await deps.jobs.scheduler.get(syncScheduleId(connectionId));
      return ok(schedule === undefined ? undefined : syncScheduleFrom(connectionId, schedule));
    },

    async runs(idOrName, page) {
      const opened = await deps.connections.get(idOrName);
      if (!opened.ok) return err(fromConnectionError(opened.error));
      const listed = await store.listRuns(opened.value.connection.id, page);
      return listed.ok ? ok(listed.value) : err(fromStoreError(listed.error));
    },
  };
}
