import type { ApiTokensService } from './access/api-tokens-service.ts';
import { createApiTokensService } from './access/create-api-tokens-service.ts';
import { createGuardedFetch, type FetchLike, type Lookup } from './atlassian/guarded-fetch.ts';
import { createAtlassianHttp } from './atlassian/http-client.ts';
import { createPacer } from './atlassian/pacer.ts';
import { verifyTarget } from './atlassian/verify.ts';
import type { HttpFactory } from './atlassian/verify-target.ts';
import type { Config } from './config.ts';
import type { ConnectionsService } from './connections/connections-service.ts';
import { createConnectionsService } from './connections/create-connections-service.ts';
import { createDependentsRegistry } from './connections/dependents-registry.ts';
import { createApiTokensRepo } from './db/api-tokens-repo.ts';
import { createAuditRepo } from './db/audit-repo.ts';
import { createConnectionsRepo } from './db/connections-repo.ts';
import { createDatabase, SQLITE_HUB_CACHE_MB } from './db/create-database.ts';
import { isFreshDatabase, migrateToLatest } from './db/migrate.ts';
import { createStatusEventsRepo } from './db/status-events-repo.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { err, ok, type Result } from './domain/result.ts';
import { createIntervalScheduler } from './jobs/interval-scheduler.ts';
import { createJobQueue, type ClaimFilter, type Job, type JobQueue } from './jobs/job-queue.ts';
import { isLocalWorkerGone } from './jobs/local-workers.ts';
import { createScheduler, type Scheduler } from './jobs/scheduler.ts';
import { createWorker, type JobHandler, type Worker, type WorkerEvent } from './jobs/worker.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { loadKeyRing, MASTER_KEY_ENV, writeKeyFile } from './vault/load-key-ring.ts';
import { createVault } from './vault/vault.ts';
import { createSyncService, type SyncService } from './sync/create-sync-service.ts';
import type { SyncProgress } from './sync/run-sync.ts';
import { createSyncStore } from './sync/store/sync-store.ts';
import { createThreadedPageCommitter } from './sync/store/threaded-page-committer.ts';
import { createSyncDependents } from './sync/sync-dependents.ts';
import { createDataoutService, type DataoutService } from './dataout/create-dataout-service.ts';
import { createDataoutDependents } from './dataout/dataout-dependents.ts';
import { DATAOUT_CREATE_QUEUE, DATAOUT_TICKET_QUEUE } from './dataout/dataout-jobs.ts';
import { createInstancesRepo } from './dataout/instances-repo.ts';
import { createTicketCreator } from './dataout/ticket-creator.ts';
import { createTicketReconciler } from './dataout/ticket-reconciler.ts';
import type { TicketWorkDeps } from './dataout/ticket-work.ts';
import { createTicketsRepo } from './dataout/tickets-repo.ts';
import {
  SYNC_QUEUE,
  SYNC_RETENTION_QUEUE,
  SYNC_RETENTION_SCHEDULE_ID,
  createRetentionJobHandler,
  createSyncJobHandler,
} from './sync/sync-jobs.ts';

/**
 * The composition root: `createHub(config)` opens the database, loads the key ring, builds the outbound client
 * and the use-cases, and returns them with `close()`. The HTTP API (`http/`) and the CLI (`cli/`) are built on a
 * hub; nothing else constructs services.
 */
export interface Hub {
  config: Config;
  connections: ConnectionsService;
  /** Identity and access sync: runs, schedules, history, access queries, export. */
  sync: SyncService;
  /** Data out: instances, findings in, tickets out. */
  dataout: DataoutService;
  apiTokens: ApiTokensService;
  logger: Logger;
  clock: Clock;
  /** What happened on this start that a person must be told (printed by `serve` and the CLI). */
  firstStart: { keyFileCreated: boolean; keyFile?: string };
  /**
   * The persistent queue, its scheduler, and a way to run jobs. `serve` starts the hub's own workers with
   * `start()`; the CLI runs the one job it queued with `runJob`.
   */
  jobs: HubJobs;
  /**
   * Starts the background work of a server: the periodic health check (every `config.healthIntervalMs`), the
   * schedule ticker, and `config.syncWorkers` sync workers. `serve` calls it; the CLI does not.
   */
  start(): void;
  /** Stops the background work (running jobs are handed back to the queue) and closes the database. */
  close(): Promise<void>;
}

export interface HubJobs {
  queue: JobQueue;
  scheduler: Scheduler;
  /**
   * Runs one queued job in this process (a worker that claims that job only) and resolves with its final state.
   * If another process runs it first, waits for that. `onEvent` sees the worker's events (waiting, retrying...).
   * `signal` stops waiting: the job, if this process runs it, is handed back to the queue.
   */
  runJob(
    jobId: string,
    options?: {
      signal?: AbortSignal;
      onEvent?: (event: WorkerEvent) => void;
      onProgress?: (jobId: string, progress: SyncProgress) => void;
    },
  ): Promise<Job | undefined>;
  /**
   * Runs the ticket jobs of one tag (`instance:<id>`) in this process until every job in `jobIds` has finished
   * (including the follow-ups they queue under the same tag meanwhile), or `signal` fires. Resolves with their
   * final states.
   */
  runTagged(
    tag: string,
    jobIds: readonly string[],
    options?: { signal?: AbortSignal; onEvent?: (event: WorkerEvent) => void },
  ): Promise<Job[]>;
}

export interface HubOptions {
  clock?: Clock;
  logger?: Logger;
  /**
   * The transport under the guarded client. Default: undici with DNS pinning. Tests pass the simulator's in-process
   * `fetch` here; the address guard, timeouts and size caps still apply.
   */
  fetch?: FetchLike;
  /** DNS resolver for the address guard (tests). */
  lookup?: Lookup;
  /** Test hook: no jitter, no real waiting between retries. */
  sleep?: (ms: number) => Promise<void>;
}

/** The class of an unexpected error, never its message (which may carry a URL or a secret). */
function describeError(e: unknown): string {
  return e instanceof Error ? e.name : 'unknown';
}

function isFinished(job: Job): boolean {
  return job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';
}

/** How often due schedules are turned into jobs, ms. A schedule's resolution is one minute, so 5 s is plenty. */
const SCHEDULE_TICK_MS = 5_000;

/** Builds the hub. Every problem that stops it is returned as a readable line; nothing is half-started. */
export async function createHub(config: Config, options: HubOptions = {}): Promise<Result<Hub, string[]>> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel, stream: process.stderr });

  const opened = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    sqliteCacheMb: SQLITE_HUB_CACHE_MB,
    ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
  });
  if (!opened.ok) return err([opened.error.message]);
  const handle = opened.value;
  const fail = async (problems: string[]): Promise<Result<Hub, string[]>> => {
    await handle.close();
    return err(problems);
  };

  // A first start (no migrations yet) may create the key file; with existing data a missing key must stop us.
  const fresh = await isFreshDatabase(handle);
  const keys = await loadKeyRing({
    env: { [MASTER_KEY_ENV]: config.masterKey },
    dataDir: config.dataDir,
    allowCreate: fresh,
  });
  if (!keys.ok) return fail([keys.error.message]);
  const migrated = await migrateToLatest(handle);
  if (!migrated.ok) return fail([migrated.error.message]);

  const { keyRing, source, keyFile, created } = keys.value;
  const vault = createVault(keyRing);
  const repos = {
    connections: createConnectionsRepo(handle.db),
    statusEvents: createStatusEventsRepo(handle.db),
    audit: createAuditRepo(handle.db),
    apiTokens: createApiTokensRepo(handle.db),
  };

  const pacer = createPacer({ clock, ...(options.sleep ? { sleep: options.sleep } : {}) });
  const guardedByCa = new Map<string, FetchLike>();
  const guardedFor = (ca: string | undefined): FetchLike => {
    const key = ca ?? '';
    let guarded = guardedByCa.get(key);
    if (!guarded) {
      guarded = createGuardedFetch({
        allowedHosts: config.allowedHosts,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.lookup ? { lookup: options.lookup } : {}),
        ...(ca ? { ca } : {}),
      });
      guardedByCa.set(key, guarded);
    }
    return guarded;
  };
  const httpFor = (connection: { caCert?: string | undefined }): HttpFactory => {
    return (httpOptions) =>
      createAtlassianHttp({
        guardedFetch: guardedFor(connection.caCert),
        pacer,
        clock,
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...httpOptions,
      });
  };

  const dependents = createDependentsRegistry();
  const instancesRepo = createInstancesRepo(handle.db);
  const connections = createConnectionsService({
    ...repos,
    vault,
    clock,
    logger,
    verify: verifyTarget,
    httpFor,
    urlRules: { allowedHosts: config.allowedHosts },
    failureThreshold: config.failureThreshold,
    dependents,
    otherSealedSecrets: [instancesRepo.sealedSecrets],
    async rotateKeyRing() {
      if (source === 'env') {
        return err(
          `The master key comes from ${MASTER_KEY_ENV}; rotate it by setting a key-ring JSON with a new primary key there, then run keys rotate to re-seal.`,
        );
      }
      const keyId = keyRing.rotate();
      const written = await writeKeyFile(keyFile, keyRing);
      return written.ok ? ok(keyId) : err(written.error.message);
    },
  });
  const apiTokens = createApiTokensService({ tokens: repos.apiTokens, audit: repos.audit, clock });
  const queue = createJobQueue({ db: handle.db, dialect: handle.dialect, clock });
  const jobScheduler = createScheduler({ db: handle.db, clock });
  // On SQLite, sync pages are committed on a thread of their own, so a large sync's commits do not hold up its
  // requests (see threaded-page-committer.ts); PostgreSQL's driver is asynchronous already.
  const committer = handle.dialect === 'sqlite' ? createThreadedPageCommitter({ dataDir: config.dataDir }) : undefined;
  const syncStore = createSyncStore(handle.db, { clock, ...(committer ? { committer } : {}) });
  const sync = createSyncService({
    connections,
    store: syncStore,
    clock,
    logger,
    jobs: { queue, scheduler: jobScheduler },
  });
  dependents.register(createSyncDependents({ queue, scheduler: jobScheduler }));
  const ticketsRepo = createTicketsRepo(handle.db);
  const ticketWork: TicketWorkDeps = {
    instances: instancesRepo,
    tickets: ticketsRepo,
    connections,
    queue,
    clock,
    logger,
  };
  const ticketHandlers = {
    [DATAOUT_CREATE_QUEUE]: createTicketCreator(ticketWork),
    [DATAOUT_TICKET_QUEUE]: createTicketReconciler(ticketWork),
  };
  const dataout = createDataoutService({
    db: handle.db,
    instances: instancesRepo,
    tickets: ticketsRepo,
    connections,
    queue,
    vault,
    clock,
    logger,
    wake: () => {
      for (const w of workers) w.wake();
    },
  });
  dependents.register(createDataoutDependents({ instances: instancesRepo, dataout }));
  // Failures and reclaims are worth a log line; the rest of the worker's events are routine.
  const logWorkerEvent = (event: WorkerEvent) => {
    if (event.type === 'job:failed' || event.type === 'job:retrying')
      logger.warn(event.type, {
        job: event.job.id,
        queue: event.job.queue,
        code: event.error.code,
        error: event.error.message,
      });
    else if (event.type === 'worker:error')
      logger.warn(event.type, { code: event.error.code, error: event.error.message });
    else if (event.type === 'job:reclaimed')
      logger.info('job reclaimed from a worker that stopped', { job: event.job.id, queue: event.job.queue });
  };
  const workers: Worker[] = [];
  const startWorkers = () => {
    if (workers.length > 0) return;
    workers.push(
      createWorker({
        queue,
        clock,
        concurrency: config.syncWorkers,
        isAbandoned: (lockedBy) => isLocalWorkerGone(lockedBy),
        handlers: {
          [SYNC_QUEUE]: createSyncJobHandler(sync),
          [SYNC_RETENTION_QUEUE]: createRetentionJobHandler(syncStore, connections, logger),
        },
        onEvent: logWorkerEvent,
      }),
      createWorker({
        queue,
        clock,
        concurrency: config.dataoutWorkers,
        isAbandoned: (lockedBy) => isLocalWorkerGone(lockedBy),
        handlers: ticketHandlers,
        onEvent: logWorkerEvent,
      }),
    );
    for (const w of workers) w.start();
  };
  const scheduleTicker = createIntervalScheduler({
    intervalMs: SCHEDULE_TICK_MS,
    firstRunDelayMs: 0,
    task: async () => {
      const enqueued = await jobScheduler.tick();
      if (enqueued.length > 0) for (const w of workers) w.wake();
    },
    onError: (e) => logger.error('schedule tick failed', { error: describeError(e) }),
  });

  // Once a day, prune each connection's old runs. Upserted only when missing or changed: an upsert moves the next
  // occurrence a full day ahead, and a hub restarted more often than daily would then never prune.
  const ensureRetentionSchedule = async () => {
    const payload = { keepRuns: config.syncKeepRuns };
    const existing = await jobScheduler.get(SYNC_RETENTION_SCHEDULE_ID);
    if (existing !== undefined && JSON.stringify(existing.payload) === JSON.stringify(payload)) return;
    const saved = await jobScheduler.upsert({
      id: SYNC_RETENTION_SCHEDULE_ID,
      queue: SYNC_RETENTION_QUEUE,
      payload,
      every: { intervalMs: 86_400_000 },
      exclusiveKey: SYNC_RETENTION_QUEUE,
    });
    if (!saved.ok) throw saved.error;
  };

  /**
   * Runs a worker limited to `only` in this process until `settled` says the work is done (or `signal` fires).
   * `settled` is asked after every worker event, and at least every second: another process may be running the
   * work, and then only looking at the queue tells us it finished.
   */
  async function runInProcess<T>(options: {
    only: ClaimFilter;
    handlers: Readonly<Record<string, JobHandler>>;
    concurrency?: number;
    pollMs: number;
    signal: AbortSignal | undefined;
    onEvent: ((event: WorkerEvent) => void) | undefined;
    settled: () => Promise<{ done: boolean; value: T }>;
  }): Promise<T> {
    let changed: (() => void) | undefined;
    const worker = createWorker({
      queue,
      clock,
      only: options.only,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      pollMs: options.pollMs,
      isAbandoned: (lockedBy) => isLocalWorkerGone(lockedBy),
      handlers: options.handlers,
      onEvent: (event) => {
        options.onEvent?.(event);
        logWorkerEvent(event);
        changed?.();
      },
    });
    const nextChange = () =>
      new Promise<void>((resolve) => {
        changed = resolve;
        setTimeout(resolve, 1_000).unref();
        options.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    worker.start();
    try {
      for (;;) {
        const state = await options.settled();
        if (state.done || options.signal?.aborted) return state.value;
        await nextChange();
      }
    } finally {
      await worker.stop();
    }
  }

  const runTagged: HubJobs['runTagged'] = (tag, jobIds, runOptions = {}) =>
    runInProcess({
      only: { tag },
      handlers: ticketHandlers,
      concurrency: config.dataoutWorkers,
      pollMs: 200,
      signal: runOptions.signal,
      onEvent: runOptions.onEvent,
      async settled() {
        const jobs = (await Promise.all(jobIds.map((id) => queue.get(id)))).filter((j): j is Job => j !== undefined);
        if (!jobs.every(isFinished)) return { done: false, value: jobs };
        // Follow-ups the finished jobs queued (a ticket job after a create) run before we report.
        const waiting = await queue.list({ tag, status: 'queued', limit: 1 });
        const running = await queue.list({ tag, status: 'running', limit: 1 });
        return { done: waiting.length === 0 && running.length === 0, value: jobs };
      },
    });

  const runJob: HubJobs['runJob'] = (jobId, runOptions = {}) => {
    const onProgress = runOptions.onProgress;
    return runInProcess({
      only: { jobId },
      handlers: { [SYNC_QUEUE]: createSyncJobHandler(sync, onProgress ? { onProgress } : {}) },
      pollMs: 500,
      signal: runOptions.signal,
      onEvent: runOptions.onEvent,
      async settled() {
        const job = await queue.get(jobId);
        return { done: job === undefined || isFinished(job), value: job };
      },
    });
  };

  const scheduler = createIntervalScheduler({
    intervalMs: config.healthIntervalMs,
    task: async () => {
      const result = await connections.checkHealth('system:health-check');
      logger.info('health check done', result);
    },
    onError: (e) => logger.error('health check failed', { error: e instanceof Error ? e.name : 'unknown' }),
  });

  if (created)
    logger.warn('created a new master key file: back it up, without it the stored secrets cannot be opened', {
      keyFile,
    });
  const hub: Hub = {
    config,
    connections,
    sync,
    dataout,
    apiTokens,
    logger,
    clock,
    firstStart: { keyFileCreated: created, ...(created ? { keyFile } : {}) },
    jobs: { queue, scheduler: jobScheduler, runJob, runTagged },
    start() {
      scheduler.start();
      // A server syncs sooner or later: its page writer thread starts now rather than in front of the first sync.
      void syncStore.prepareWrites();
      ensureRetentionSchedule().then(
        () => scheduleTicker.start(),
        (e: unknown) => logger.error('could not set up the sync retention job', { error: describeError(e) }),
      );
      startWorkers();
    },
    async close() {
      await scheduler.stop();
      await scheduleTicker.stop();
      await Promise.all(workers.map((w) => w.stop()));
      await syncStore.closeWrites();
      await handle.close();
    },
  };
  return ok(hub);
}
