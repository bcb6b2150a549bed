import type { Kysely, Transaction } from 'kysely';
import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { Database, SyncRunRow } from '../../db/schema.ts';
import { isSqlite } from './dialect-of.ts';
import { SyncStoreError } from './sync-store-error.ts';
import { parseCheckpoints } from './sync-run.ts';
import { writeRecords } from './write-records.ts';

export interface CheckpointUpdate {
  /** The reader's stream name (a source may run several streams at once, each with its own checkpoint). */
  stream: string;
  value: SyncCheckpoint;
}

/** One page for a run: its records and the checkpoint that resumes after it. */
export interface PageWrite {
  runId: string;
  records: readonly AccessRecord[];
  checkpoint: CheckpointUpdate;
  /**
   * The writer's session (one engine run of one process). Once a commit holding a page of a session fails, every
   * later page of that session is refused: a writer with several pages in flight must never have a later page's
   * checkpoint stored past an earlier page that was lost.
   */
  session?: string;
}

export type PageWriteResult = Result<void, SyncStoreError>;

/** Writes pages and their checkpoints, each page answered once it is committed. */
export interface PageCommitter {
  /** Resolves once the committer can write at once (a thread has started and opened the database). */
  ready(): Promise<void>;
  write(page: PageWrite): Promise<PageWriteResult>;
  /** Waits for the pages already handed over, then releases what the committer holds. */
  close(): Promise<void>;
}

/** Failed sessions remembered; a session is one engine run, so a few hundred cover any process's life. */
const FAILED_SESSIONS_KEPT = 256;

/** A page waiting to be committed, with the writer's answer. */
interface QueuedPage extends PageWrite {
  resolve: (result: PageWriteResult) => void;
  reject: (error: unknown) => void;
}

export function notRunning(row: SyncRunRow, action: string): SyncStoreError {
  return new SyncStoreError('invalid_state', `Cannot ${action}: the run is ${row.status}, not running.`);
}

export function runNotFound(): SyncStoreError {
  return new SyncStoreError('run_not_found', 'No such sync run.');
}

/** The run's row, locked for the rest of the transaction on PostgreSQL. */
export async function lockRun(trx: Transaction<Database>, runId: string): Promise<SyncRunRow | undefined> {
  const query = trx.selectFrom('sync_runs').selectAll().where('id', '=', runId);
  return (isSqlite(trx) ? query : query.forUpdate()).executeTakeFirst();
}

/**
 * Commits pages on `db` in this thread. Pages that arrive while a commit is under way (the streams of a sync,
 * read concurrently, or several pages of one stream handed over without waiting) are committed together in the
 * next transaction, each with its stream's checkpoint, in arrival order: a commit costs about the same for one
 * page as for ten, and one per page made the database, not Atlassian, the limit of a large sync.
 */
export function createPageCommitter(db: Kysely<Database>): PageCommitter {
  /** Pages waiting for the next commit, per run. */
  const queued = new Map<string, QueuedPage[]>();
  /**
   * The latest commit of each run, started or waiting. A run's commits run one after another, in order: on
   * PostgreSQL two overlapping transactions could otherwise commit out of order, and a crash between them would
   * leave a later page's checkpoint stored without the earlier page's rows. Since each waits for the one before,
   * these are also all `close` has to wait for.
   */
  const lastCommit = new Map<string, Promise<void>>();
  /** Sessions with a failed commit, and what every later page of theirs is answered. */
  const failed = new Map<string, { result?: PageWriteResult; error?: Error }>();

  function markFailed(batch: readonly QueuedPage[], outcome: { result?: PageWriteResult; error?: Error }): void {
    for (const page of batch) {
      if (page.session === undefined) continue;
      failed.set(page.session, outcome);
      if (failed.size > FAILED_SESSIONS_KEPT) failed.delete(failed.keys().next().value as string);
    }
  }

  /** Answers the pages of sessions that failed meanwhile with that failure; returns the others. */
  function dropFailedSessions(pages: readonly QueuedPage[]): QueuedPage[] {
    return pages.filter((page) => {
      const earlier = page.session === undefined ? undefined : failed.get(page.session);
      if (earlier?.result) page.resolve(earlier.result);
      else if (earlier?.error) page.reject(earlier.error);
      return earlier === undefined;
    });
  }

  async function commitQueued(runId: string): Promise<void> {
    // A page queued before an earlier commit of its session failed must not be stored either.
    const batch = dropFailedSessions(queued.get(runId) ?? []);
    queued.delete(runId);
    if (batch.length === 0) return;
    try {
      const result = await db.transaction().execute(async (trx): Promise<PageWriteResult> => {
        const row = await lockRun(trx, runId);
        if (row === undefined) return err(runNotFound());
        if (row.status !== 'running') return err(notRunning(row, 'write to the run'));
        // In arrival order, so a record written twice keeps its later values, as separate commits would.
        await writeRecords(
          trx,
          { id: runId, connectionId: row.connection_id },
          batch.flatMap((page) => page.records),
        );
        const checkpoints = parseCheckpoints(row.checkpoint);
        for (const page of batch) checkpoints[page.checkpoint.stream] = page.checkpoint.value;
        await trx
          .updateTable('sync_runs')
          .set({ checkpoint: JSON.stringify(checkpoints) })
          .where('id', '=', runId)
          .execute();
        return ok(undefined);
      });
      if (!result.ok) markFailed(batch, { result });
      for (const page of batch) page.resolve(result);
    } catch (e) {
      markFailed(batch, { error: e instanceof Error ? e : new Error(String(e)) });
      for (const page of batch) page.reject(e);
    }
  }

  return {
    ready: () => Promise.resolve(),
    write(page) {
      const earlier = page.session === undefined ? undefined : failed.get(page.session);
      if (earlier?.result) return Promise.resolve(earlier.result);
      if (earlier?.error) return Promise.reject(earlier.error);
      return new Promise((resolve, reject) => {
        const { runId } = page;
        let queue = queued.get(runId);
        if (!queue) {
          queue = [];
          queued.set(runId, queue);
          // After the run's previous commit, and after the current turn: every page that is ready by then joins.
          const previous = lastCommit.get(runId) ?? Promise.resolve();
          const commit = previous.then(() => new Promise((next) => setImmediate(next))).then(() => commitQueued(runId));
          lastCommit.set(runId, commit);
          void commit.finally(() => {
            if (lastCommit.get(runId) === commit) lastCommit.delete(runId);
          });
        }
        queue.push({ ...page, resolve, reject });
      });
    },
    async close() {
      // A queued page's commit is in `lastCommit` from the moment its queue exists.
      while (lastCommit.size > 0) await Promise.allSettled([...lastCommit.values()]);
    },
  };
}
