import type { Kysely } from 'kysely';
import type { Clock } from '../../domain/clock.ts';
import { systemClock } from '../../domain/clock.ts';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { Database } from '../../db/schema.ts';
import type { AccessQueries, ConnectionScope } from './access-queries.ts';
import { createAccessQueries } from './access-queries.ts';
import { DEFAULT_MAX_NESTING_DEPTH, expandEffectiveGrants } from './expand-effective-grants.ts';
import type { ExportFormat, ExportWriter } from './export-snapshot.ts';
import { DEFAULT_EXPORT_PAGE_SIZE, exportSnapshot } from './export-snapshot.ts';
import type { PageCommitter } from './page-committer.ts';
import type { RunDiff } from './run-diff.ts';
import { createRunDiff } from './run-diff.ts';
import { SyncStoreError } from './sync-store-error.ts';
import type { SyncRuns } from './sync-runs.ts';
import { DEFAULT_SHRINK_THRESHOLD, createSyncRuns } from './sync-runs.ts';

export interface SyncStoreOptions {
  /** Timestamps of runs and snapshots. Default the system clock. */
  clock?: Clock;
  /** Share of a counted type that may disappear before a run is held as suspicious. Default 0.2. */
  shrinkThreshold?: number;
  /** How deep nested groups are expanded. Default 20. */
  maxNestingDepth?: number;
  /** Rows per page when exporting. Default 1000. */
  exportPageSize?: number;
  /** Commits sync pages. Default: in this thread, on `db`. */
  committer?: PageCommitter;
}

export type SyncStore = SyncRuns &
  AccessQueries & {
    /**
     * Adds the effective grants of a running run (nested groups and team membership, with their path), in SQL.
     * Call it once all direct grants are written and before `finishRun`. Returns the run's effective grant count.
     */
    expandEffectiveGrants(runId: string): Promise<Result<number, SyncStoreError>>;
    /** Run-to-run differences, paginated and streamed: see `run-diff.ts`. */
    diff: RunDiff;
    /** Streams the current snapshots in scope as jsonl or csv; returns the number of rows written. */
    exportSnapshot(scope: ConnectionScope, format: ExportFormat, write: ExportWriter): Promise<number>;
  };

/**
 * The access model's store: sync runs and their history, the rows of each run, the current good snapshot per
 * connection, and the questions asked of it (access user, access who, diff, export). Knows nothing of Atlassian:
 * the engine feeds it `AccessRecord`s page by page.
 */
export function createSyncStore(db: Kysely<Database>, options: SyncStoreOptions = {}): SyncStore {
  const shrinkThreshold = options.shrinkThreshold ?? DEFAULT_SHRINK_THRESHOLD;
  if (!(shrinkThreshold >= 0 && shrinkThreshold <= 1)) throw new Error('shrinkThreshold must be between 0 and 1');
  const maxDepth = options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH;
  const exportPageSize = options.exportPageSize ?? DEFAULT_EXPORT_PAGE_SIZE;
  if (!Number.isInteger(exportPageSize) || exportPageSize < 1)
    throw new Error('exportPageSize must be a positive integer');
  const runs = createSyncRuns(db, {
    clock: options.clock ?? systemClock,
    shrinkThreshold,
    ...(options.committer ? { committer: options.committer } : {}),
  });
  return {
    ...runs,
    ...createAccessQueries(db),
    async expandEffectiveGrants(runId) {
      const run = await runs.getRun(runId);
      if (!run.ok) return run;
      if (run.value.status !== 'running') {
        return err(
          new SyncStoreError('invalid_state', `Cannot expand grants: the run is ${run.value.status}, not running.`),
        );
      }
      return ok(await expandEffectiveGrants(db, runId, maxDepth));
    },
    diff: createRunDiff(db),
    exportSnapshot: (scope, format, write) => exportSnapshot(db, scope, format, write, exportPageSize),
  };
}
