import type { HttpFactory } from '../atlassian/verify-target.ts';
import type { ConnectionError } from '../connections/connections-service.ts';
import type { ConnectionsInternal } from '../connections/create-connections-service.ts';
import type { PageRequest, Page } from '../db/pagination.ts';
import type { AccessGrant, AccessRecord, AccessResource, SyncCheckpoint } from '../domain/access-model.ts';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { Logger } from '../observability/logger.ts';
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
  code: 'not_found' | 'invalid_input' | 'connection_unusable' | 'sync_failed' | 'store_error';
  message: string;
  atlassian?: { code: string; message: string };
}

export interface SyncService {
  run(
    actor: string,
    idOrName: string,
    options?: { trigger?: SyncRunTrigger; signal?: AbortSignal; onProgress?: (p: SyncProgress) => void },
  ): Promise<Result<SyncRun, SyncError>>;
  runs(idOrName: string, page?: PageRequest): Promise<Result<Page<SyncRun>, SyncError>>;
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

export function createSyncService(deps: {
  connections: ConnectionsInternal;
  store: SyncStore;
  clock: Clock;
  logger: Logger;
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
    async writePage(runId, stream, records, checkpoint) {
      const written = await store.writeBatch(runId, records, {
        stream,
        value: checkpoint === 'done' ? DONE : checkpoint,
      });
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

    async runs(idOrName, page) {
      const opened = await deps.connections.get(idOrName);
      if (!opened.ok) return err(fromConnectionError(opened.error));
      const listed = await store.listRuns(opened.value.connection.id, page);
      return listed.ok ? ok(listed.value) : err({ code: 'store_error', message: listed.error.message });
    },
  };
}
