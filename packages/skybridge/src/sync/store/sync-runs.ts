import type { Kysely, Transaction } from 'kysely';
import type { AccessRecord } from '../../domain/access-model.ts';
import type { Clock } from '../../domain/clock.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import { toIso } from '../../db/columns.ts';
import { newId } from '../../db/new-id.ts';
import type { Page, PageRequest } from '../../db/pagination.ts';
import { decodeCursor, pageSize, toPage } from '../../db/pagination.ts';
import type { Database, SyncRunRow } from '../../db/schema.ts';
import { uniqueViolationColumns } from '../../db/unique-violation.ts';
import { SyncStoreError } from './sync-store-error.ts';
import type { SyncCounts, SyncRun, SyncRunError, SyncRunStats, SyncRunTrigger, SyncShrink } from './sync-run.ts';
import { countsSchema, syncRunFromRow } from './sync-run.ts';
import type { CheckpointUpdate, PageCommitter } from './page-committer.ts';
import { createPageCommitter, lockRun, notRunning, runNotFound } from './page-committer.ts';

/** Default share of a type that may disappear in one run before the run is held as suspicious. */
export const DEFAULT_SHRINK_THRESHOLD = 0.2;
/** Longest error message kept on a run. */
export const MAX_RUN_ERROR_MESSAGE = 500;

/** Keys of `counts` that are not compared for shrinkage: derived from others, they follow them. */
const DERIVED_COUNTS = new Set(['effectiveGrants']);

export interface NewSyncRun {
  connectionId: string;
  trigger: SyncRunTrigger;
  /** Default `newId()`. */
  id?: string;
}

export type { CheckpointUpdate } from './page-committer.ts';

export interface SyncRunsOptions {
  clock: Clock;
  shrinkThreshold: number;
  /** Commits pages. Default: in this thread, on `db` (`createPageCommitter`). */
  committer?: PageCommitter;
}

/** The run lifecycle: create, write pages with their checkpoint, finish / fail / accept, retention. */
export function createSyncRuns(db: Kysely<Database>, options: SyncRunsOptions) {
  const { clock, shrinkThreshold } = options;
  const committer = options.committer ?? createPageCommitter(db);

  async function countRows(trx: Transaction<Database>, runId: string): Promise<SyncCounts> {
    const counts: SyncCounts = {};
    const types = await trx
      .selectFrom('sync_resources')
      .select(['type', (eb) => eb.fn.countAll().as('n')])
      .where('run_id', '=', runId)
      .groupBy('type')
      .execute();
    for (const t of types) counts[t.type] = Number(t.n);
    const entitlements = await trx
      .selectFrom('sync_entitlements')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    counts['entitlements'] = Number(entitlements.n);
    const grants = await trx
      .selectFrom('sync_grants')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.sum<number | string | null>(eb.case().when('via', '=', '').then(1).else(0).end()).as('direct'),
      ])
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    const direct = Number(grants.direct ?? 0);
    counts['grants'] = direct;
    counts['effectiveGrants'] = Number(grants.n) - direct;
    return counts;
  }

  /** Makes `run` the connection's snapshot; suspicious runs still waiting can no longer be accepted. */
  async function promote(trx: Transaction<Database>, row: SyncRunRow, now: string): Promise<void> {
    await trx
      .insertInto('sync_snapshots')
      .values({ connection_id: row.connection_id, run_id: row.id, promoted_at: now })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ run_id: row.id, promoted_at: now }))
      .execute();
    // Accepting an older suspicious run after a newer one was promoted would roll the snapshot back.
    await trx
      .updateTable('sync_runs')
      .set({ status: 'superseded' })
      .where('connection_id', '=', row.connection_id)
      .where('status', '=', 'suspicious')
      .where('id', '<>', row.id)
      .execute();
  }

  async function snapshotCounts(trx: Transaction<Database>, connectionId: string): Promise<SyncCounts | undefined> {
    const row = await trx
      .selectFrom('sync_snapshots')
      .innerJoin('sync_runs', 'sync_runs.id', 'sync_snapshots.run_id')
      .select('sync_runs.counts')
      .where('sync_snapshots.connection_id', '=', connectionId)
      .executeTakeFirst();
    return row === undefined ? undefined : countsSchema.parse(JSON.parse(row.counts));
  }

  async function reload(trx: Transaction<Database>, runId: string): Promise<SyncRun> {
    return syncRunFromRow(
      await trx.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow(),
    );
  }

  return {
    /** Starts a run (status `running`). Fails with `already_running` when the connection has one. */
    async createRun(input: NewSyncRun): Promise<Result<SyncRun, SyncStoreError>> {
      const now = toIso(clock.now());
      try {
        const row = await db
          .insertInto('sync_runs')
          .values({
            id: input.id ?? newId(),
            connection_id: input.connectionId,
            status: 'running',
            trigger: input.trigger,
            created_at: now,
            started_at: now,
            finished_at: null,
            error: null,
            shrink: null,
            accepted_by: null,
            accepted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return ok(syncRunFromRow(row));
      } catch (e) {
        if (uniqueViolationColumns(e)?.includes('connection_id')) {
          return err(new SyncStoreError('already_running', 'This connection already has a sync running.'));
        }
        throw e;
      }
    },

    async getRun(runId: string): Promise<Result<SyncRun, SyncStoreError>> {
      const row = await db.selectFrom('sync_runs').selectAll().where('id', '=', runId).executeTakeFirst();
      return row === undefined ? err(runNotFound()) : ok(syncRunFromRow(row));
    },

    /** A connection's runs, newest first (keyset pages, default 50). */
    async listRuns(connectionId: string, page?: PageRequest): Promise<Result<Page<SyncRun>, SyncStoreError>> {
      const limit = pageSize(page);
      let query = db.selectFrom('sync_runs').selectAll().where('connection_id', '=', connectionId);
      if (page?.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        if (!position.ok)
          return err(new SyncStoreError('bad_cursor', 'The pagination cursor is not valid for this list.'));
        const { at, id } = position.value;
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return ok(toPage(rows, limit, (r) => ({ at: r.created_at, id: r.id }), syncRunFromRow));
    },

    /** The connection's running run (a sync to resume after a restart), if any. */
    async runningRun(connectionId: string): Promise<SyncRun | undefined> {
      const row = await db
        .selectFrom('sync_runs')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return row === undefined ? undefined : syncRunFromRow(row);
    },

    /** The run that is the connection's current good snapshot, if any. */
    async snapshotRun(connectionId: string): Promise<SyncRun | undefined> {
      const row = await db
        .selectFrom('sync_snapshots')
        .innerJoin('sync_runs', 'sync_runs.id', 'sync_snapshots.run_id')
        .selectAll('sync_runs')
        .where('sync_snapshots.connection_id', '=', connectionId)
        .executeTakeFirst();
      return row === undefined ? undefined : syncRunFromRow(row);
    },

    /**
     * Writes one page of records and the stream's checkpoint in one transaction: either both are stored or
     * neither, so a sync killed at any moment resumes from a checkpoint that matches the rows exactly. Writing
     * a page again (a resume) is harmless: the writes are upserts.
     *
     * Pages that arrive while a commit is under way are committed together (see `page-committer.ts`); each
     * caller still gets its answer only once its page is stored. `session`: see `PageWrite.session`.
     */
    writeBatch(
      runId: string,
      records: readonly AccessRecord[],
      checkpoint: CheckpointUpdate,
      session?: string,
    ): Promise<Result<void, SyncStoreError>> {
      return committer.write({ runId, records, checkpoint, ...(session === undefined ? {} : { session }) });
    },

    /** Gets the committer ready to write (starts its thread, if it has one); writing without it works too. */
    prepareWrites(): Promise<void> {
      return committer.ready();
    },

    /** Waits for pages already handed to `writeBatch`, then releases the committer (its thread, if it has one). */
    closeWrites(): Promise<void> {
      return committer.close();
    },

    /**
     * Ends a run whose streams all completed: counts its rows, compares them with the current snapshot and
     * either promotes it (`succeeded`) or, when a counted type shrank by more than the threshold (or from some
     * to none), holds it as `suspicious` with the shrink recorded, leaving the snapshot as it was.
     * Call `expandEffectiveGrants` before, so the counts include them.
     */
    async finishRun(runId: string, stats: SyncRunStats): Promise<Result<SyncRun, SyncStoreError>> {
      return db.transaction().execute(async (trx) => {
        const row = await lockRun(trx, runId);
        if (row === undefined) return err(runNotFound());
        if (row.status !== 'running') return err(notRunning(row, 'finish the run'));
        const now = toIso(clock.now());
        const counts = await countRows(trx, runId);
        const previous = await snapshotCounts(trx, row.connection_id);
        const shrink = previous === undefined ? {} : shrinkage(previous, counts, shrinkThreshold);
        const suspicious = Object.keys(shrink).length > 0;
        await trx
          .updateTable('sync_runs')
          .set({
            status: suspicious ? 'suspicious' : 'succeeded',
            finished_at: now,
            counts: JSON.stringify(counts),
            requests: stats.requests,
            retries: stats.retries,
            rate_limited: stats.rateLimited,
            shrink: suspicious ? JSON.stringify(shrink) : null,
          })
          .where('id', '=', runId)
          .execute();
        if (!suspicious) await promote(trx, row, now);
        return ok(await reload(trx, runId));
      });
    },

    /** Ends a run as `failed`. The snapshot is never touched. The message is truncated to 500 characters. */
    async failRun(runId: string, error: SyncRunError, stats?: SyncRunStats): Promise<Result<SyncRun, SyncStoreError>> {
      return db.transaction().execute(async (trx) => {
        const row = await lockRun(trx, runId);
        if (row === undefined) return err(runNotFound());
        if (row.status !== 'running') return err(notRunning(row, 'fail the run'));
        await trx
          .updateTable('sync_runs')
          .set({
            status: 'failed',
            finished_at: toIso(clock.now()),
            counts: JSON.stringify(await countRows(trx, runId)),
            error: JSON.stringify({ code: error.code, message: error.message.slice(0, MAX_RUN_ERROR_MESSAGE) }),
            ...(stats === undefined
              ? {}
              : { requests: stats.requests, retries: stats.retries, rate_limited: stats.rateLimited }),
          })
          .where('id', '=', runId)
          .execute();
        return ok(await reload(trx, runId));
      });
    },

    /** Promotes a `suspicious` run to the snapshot (status `accepted`), recording who accepted it. */
    async acceptRun(runId: string, actor: string): Promise<Result<SyncRun, SyncStoreError>> {
      return db.transaction().execute(async (trx) => {
        const row = await lockRun(trx, runId);
        if (row === undefined) return err(runNotFound());
        if (row.status !== 'suspicious') {
          return err(
            new SyncStoreError('invalid_state', `Only a suspicious run can be accepted; this one is ${row.status}.`),
          );
        }
        const now = toIso(clock.now());
        await trx
          .updateTable('sync_runs')
          .set({ status: 'accepted', accepted_by: actor, accepted_at: now })
          .where('id', '=', runId)
          .execute();
        await promote(trx, row, now);
        return ok(await reload(trx, runId));
      });
    },

    /**
     * Deletes the rows of a connection's old runs, keeping the newest `keepRuns` finished runs, any running run
     * and, always, the snapshot's run. One transaction per deleted run, so a huge history does not hold one
     * giant transaction. Returns the ids deleted.
     */
    async retention(connectionId: string, keepRuns: number): Promise<string[]> {
      if (!Number.isInteger(keepRuns) || keepRuns < 0) throw new Error('keepRuns must be a non-negative integer');
      const snapshot = await db
        .selectFrom('sync_snapshots')
        .select('run_id')
        .where('connection_id', '=', connectionId)
        .executeTakeFirst();
      const runs = await db
        .selectFrom('sync_runs')
        .select(['id', 'status'])
        .where('connection_id', '=', connectionId)
        .where('status', '<>', 'running')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      const doomed = runs
        .slice(keepRuns)
        .map((r) => r.id)
        .filter((id) => id !== snapshot?.run_id);
      const deleted: string[] = [];
      for (const id of doomed) {
        await db.transaction().execute(async (trx) => {
          // Re-checked inside the transaction: a run promoted since the list was read must survive.
          const promoted = await trx
            .selectFrom('sync_snapshots')
            .select('run_id')
            .where('run_id', '=', id)
            .executeTakeFirst();
          if (promoted !== undefined) return;
          await trx.deleteFrom('sync_grants').where('run_id', '=', id).execute();
          await trx.deleteFrom('sync_entitlements').where('run_id', '=', id).execute();
          await trx.deleteFrom('sync_resources').where('run_id', '=', id).execute();
          await trx.deleteFrom('sync_runs').where('id', '=', id).execute();
          deleted.push(id);
        });
      }
      return deleted;
    },
  };
}

export type SyncRuns = ReturnType<typeof createSyncRuns>;

/**
 * The counted types that shrank past `threshold` from `before` to `after`. A type that went from some to none
 * always counts, whatever the threshold: an empty answer from Atlassian is the classic silent failure.
 */
export function shrinkage(before: SyncCounts, after: SyncCounts, threshold: number): Record<string, SyncShrink> {
  const out: Record<string, SyncShrink> = {};
  for (const [type, from] of Object.entries(before)) {
    if (DERIVED_COUNTS.has(type) || from <= 0) continue;
    const to = after[type] ?? 0;
    const ratio = (from - to) / from;
    if (ratio > threshold || to === 0) out[type] = { from, to, ratio };
  }
  return out;
}
