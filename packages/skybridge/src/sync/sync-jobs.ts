import { z } from 'zod';
import type { AtlassianErrorCode } from '../domain/atlassian-error-code.ts';
import { AUTH_FAILURE_CODES } from '../domain/atlassian-error-code.ts';
import type { ConnectionsService } from '../connections/connections-service.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Logger } from '../observability/logger.ts';
import type { SyncStore } from './store/sync-store.ts';
import type { SyncProgress } from './run-sync.ts';
import { SYNC_RUN_TRIGGERS } from './store/sync-run.ts';
import type { SyncError, SyncService } from './create-sync-service.ts';

/**
 * Sync as jobs on the persistent queue (`jobs/`): every run, manual or scheduled, is a `sync` job whose exclusive key
 * is its connection, so at most one run per connection is ever in progress, across workers and processes, and a
 * run interrupted by a crash or a restart is picked up again (and resumes from its checkpoints).
 */

/** The queue of sync runs. */
export const SYNC_QUEUE = 'sync';
/** The daily job that prunes old runs of every connection. */
export const SYNC_RETENTION_QUEUE = 'sync-retention';
/** Schedule id of the retention job. */
export const SYNC_RETENTION_SCHEDULE_ID = 'sync-retention';

/** Attempts of one sync job: a run that keeps failing for a transient reason is tried this often, then given up. */
export const SYNC_JOB_MAX_ATTEMPTS = 3;

export const syncJobPayloadSchema = z
  .object({
    connectionId: z.string().min(1),
    trigger: z.enum(SYNC_RUN_TRIGGERS),
    actor: z.string().min(1),
  })
  .strict();
export type SyncJobPayload = z.infer<typeof syncJobPayloadSchema>;

export const retentionJobPayloadSchema = z.object({ keepRuns: z.number().int().min(0) }).strict();

/** At most one running sync job per connection. */
export function syncExclusiveKey(connectionId: string): string {
  return `sync:${connectionId}`;
}

/** One schedule per connection. */
export function syncScheduleId(connectionId: string): string {
  return `sync:${connectionId}`;
}

/** A manual request made while one is already waiting returns the waiting job instead of queueing a second. */
export function syncRequestDedupeKey(connectionId: string): string {
  return `sync-request:${connectionId}`;
}

/**
 * A sync failure as a job error: its code and message are already safe (built from an allow-list), and whether
 * to try again depends on the cause. A credential Atlassian refused will not start working by itself, a deleted
 * connection will not come back; a timeout or an exhausted 5xx retry budget may well pass.
 */
export class SyncJobError extends Error {
  override readonly name = 'SyncJobError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(error: SyncError) {
    super(error.message);
    this.code = error.atlassian?.code ?? error.code;
    this.retryable = isRetryable(error);
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Failures a second attempt minutes later cannot fix: the credential, the permissions or the address is wrong. */
const PERMANENT_ATLASSIAN_CODES: ReadonlySet<AtlassianErrorCode> = new Set<AtlassianErrorCode>([
  ...AUTH_FAILURE_CODES,
  'bad_url',
  'blocked_address',
  'redirect_refused',
  'wrong_product',
  'forbidden',
  'not_found',
  'bad_request',
]);

function isRetryable(error: SyncError): boolean {
  if (error.code === 'not_found' || error.code === 'invalid_input' || error.code === 'connection_unusable')
    return false;
  if (error.atlassian !== undefined) return !PERMANENT_ATLASSIAN_CODES.has(error.atlassian.code as AtlassianErrorCode);
  return true;
}

/** Runs the sync a job asks for. `onProgress` lets the CLI draw its progress line for the job it runs itself. */
export function createSyncJobHandler(
  sync: SyncService,
  options: { onProgress?: (jobId: string, progress: SyncProgress) => void } = {},
): JobHandler {
  return async (job, ctx) => {
    const payload = syncJobPayloadSchema.parse(job.payload);
    const onProgress = options.onProgress;
    const result = await sync.run(payload.actor, payload.connectionId, {
      trigger: payload.trigger,
      signal: ctx.signal,
      ...(onProgress ? { onProgress: (p: SyncProgress) => onProgress(job.id, p) } : {}),
    });
    if (!result.ok) throw new SyncJobError(result.error);
  };
}

/**
 * Prunes the run history of every connection, keeping its newest `keepRuns` finished runs (and always the running
 * run and the snapshot's run; see `SyncRuns.retention`). One connection at a time: each prune is its own
 * transactions, so a large history never holds the database for long.
 */
export function createRetentionJobHandler(
  store: Pick<SyncStore, 'retention'>,
  connections: Pick<ConnectionsService, 'list'>,
  logger: Logger,
): JobHandler {
  return async (job, ctx) => {
    const { keepRuns } = retentionJobPayloadSchema.parse(job.payload);
    let cursor: string | undefined;
    let pruned = 0;
    do {
      ctx.signal.throwIfAborted();
      const page = await connections.list({ limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      if (!page.ok) throw new SyncJobError({ code: 'store_error', message: page.error.message });
      for (const c of page.value.items) pruned += (await store.retention(c.id, keepRuns)).length;
      cursor = page.value.nextCursor;
    } while (cursor !== undefined);
    logger.info('sync history pruned', { runsDeleted: pruned, keepRuns });
  };
}
