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
import { createDatabase } from './db/create-database.ts';
import { isFreshDatabase, migrateToLatest } from './db/migrate.ts';
import { createStatusEventsRepo } from './db/status-events-repo.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { err, ok, type Result } from './domain/result.ts';
import { createIntervalScheduler } from './jobs/interval-scheduler.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { loadKeyRing, MASTER_KEY_ENV, writeKeyFile } from './vault/load-key-ring.ts';
import { createVault } from './vault/vault.ts';
import { createSyncService, type SyncService } from './sync/create-sync-service.ts';
import { createSyncStore } from './sync/store/sync-store.ts';

/**
 * The composition root: `createHub(config)` opens the database, loads the key ring, builds the outbound client
 * and the use-cases, and returns them with `close()`. The HTTP API (`http/`) and the CLI (`cli/`) are built on a
 * hub; nothing else constructs services.
 */
export interface Hub {
  config: Config;
  connections: ConnectionsService;
  /** Identity and access sync (issue 4; the engine, store and readers; scheduling and the HTTP API come next). */
  sync: SyncService;
  apiTokens: ApiTokensService;
  logger: Logger;
  clock: Clock;
  /** What happened on this start that a person must be told (printed by `serve` and the CLI). */
  firstStart: { keyFileCreated: boolean; keyFile?: string };
  /** Starts the periodic health check (every `config.healthIntervalMs`). `serve` calls it; the CLI does not. */
  startScheduler(): void;
  close(): Promise<void>;
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

/** Builds the hub. Every problem that stops it is returned as a readable line; nothing is half-started. */
export async function createHub(config: Config, options: HubOptions = {}): Promise<Result<Hub, string[]>> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel, stream: process.stderr });

  const opened = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
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
  const sync = createSyncService({ connections, store: createSyncStore(handle.db, { clock }), clock, logger });

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
    apiTokens,
    logger,
    clock,
    firstStart: { keyFileCreated: created, ...(created ? { keyFile } : {}) },
    startScheduler: () => scheduler.start(),
    async close() {
      await scheduler.stop();
      await handle.close();
    },
  };
  return ok(hub);
}
