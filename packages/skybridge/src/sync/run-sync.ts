import { randomUUID } from 'node:crypto';
import { coerceError, type AtlassianError } from '../atlassian/atlassian-error.ts';
import type { SyncCheckpoint } from '../domain/access-model.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * The sync engine: reads every stream of a connection's source page by page and writes each page, together with
 * the checkpoint that resumes after it, in one transaction. A run that is interrupted (killed, crashed, cancelled)
 * is resumed from the stored checkpoints and ends with exactly the rows an uninterrupted run would have, because
 * pages are written idempotently and a checkpoint only moves when its page is stored. Pages are handed to the store
 * ahead of their commits (`WRITE_AHEAD_RECORDS`); the store commits them in order, so that still holds.
 *
 * When every stream is done, effective grants are expanded and the run is finished: promoted to the connection's
 * snapshot, or held as suspicious when a type shrank past the threshold. A failed run never touches the snapshot.
 */

/** One page from a source: its records and where to resume after it (`done` when the stream is finished). */
export interface SourcePage<R> {
  records: R[];
  checkpoint: SyncCheckpoint | 'done';
}

export interface EngineSource<R> {
  streams(): string[];
  read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage<R>>;
}

/** The store operations the engine needs (the sync store implements them). */
export interface EngineStore<R> {
  /** The stored checkpoint per stream for a run (`done` for finished streams). */
  checkpoints(runId: string): Promise<Record<string, SyncCheckpoint | 'done'>>;
  /**
   * Writes a page's records and moves the stream's checkpoint, atomically. Pages of one stream are handed over
   * in order without waiting for the earlier ones, so the store must commit them in that order, and once one of
   * a `session`'s pages fails it must store none of that session's later pages.
   */
  writePage(
    runId: string,
    stream: string,
    records: R[],
    checkpoint: SyncCheckpoint | 'done',
    session: string,
  ): Promise<void>;
  /** After all streams: expand effective grants, count, compare with the snapshot, promote or hold. */
  finish(runId: string, stats: RunStats): Promise<{ status: string }>;
  fail(runId: string, error: { code: string; message: string }, stats: RunStats): Promise<void>;
}

export interface RunStats {
  requests: number;
  retries: number;
  rateLimited: number;
  records: number;
}

export interface SyncProgress {
  stream: string;
  pages: number;
  records: number;
  streamsDone: number;
  streams: number;
}

export interface RunSyncOptions<R> {
  runId: string;
  source: EngineSource<R>;
  store: EngineStore<R>;
  /** How many streams are read at once. The http client's pacer keeps the request rate within the limits. Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Live request counters from the connection's http clients. */
  stats: () => Omit<RunStats, 'records'>;
  clock: Clock;
  logger: Logger;
}

/**
 * `interrupted`: the signal fired (a shutdown, a lost job lease, Ctrl-C). The run is left `running` with its
 * checkpoints, so the next run of the connection resumes it instead of starting over; it is not a failure.
 */
export type RunSyncResult =
  { ok: true; status: string; records: number } | { ok: false; error: AtlassianError; interrupted: boolean };

/**
 * Records of a run handed to the store and not yet committed, at most, across its streams. Why hand pages over
 * without waiting: a stream that waits for each commit before taking its next page reads no faster than the
 * database commits, and a list read one page after another (a cursor chain) then pays the commit on top of every
 * round trip; the store also commits fewer, larger transactions. Bounded in records, not pages, so memory stays
 * flat whatever the page size and however much slower the store is than the source; per run, not per stream, so
 * a run with one big stream can use all of it.
 */
export const WRITE_AHEAD_RECORDS = 10_000;

export async function runSync<R>(options: RunSyncOptions<R>): Promise<RunSyncResult> {
  const { runId, source, store, logger } = options;
  const signal = options.signal ?? new AbortController().signal;
  const streams = source.streams();
  const stored = await store.checkpoints(runId);
  let records = 0;
  let streamsDone = streams.filter((s) => stored[s] === 'done').length;
  const pending = streams.filter((s) => stored[s] !== 'done');

  // This run's writes: a failed write refuses the rest of the session, so a resumed run starts a new one.
  const session = `${runId}/${randomUUID()}`;
  /** Writes handed to the store and not yet answered, so the run ends only once they are settled. */
  const unsettled = new Set<Promise<void>>();
  /** The run's writes in the order they were handed over, oldest first, while over `WRITE_AHEAD_RECORDS`. */
  const ahead: Array<{ write: Promise<void>; records: number }> = [];
  let aheadRecords = 0;

  const readStream = async (stream: string): Promise<void> => {
    const from = stored[stream];
    let pages = 0;
    let failure: { error: unknown } | undefined;
    let last: Promise<void> | undefined;
    for await (const page of source.read(stream, from === 'done' ? undefined : from, signal)) {
      signal.throwIfAborted();
      if (failure) throw failure.error;
      const write = store.writePage(runId, stream, page.records, page.checkpoint, session).then(() => {
        // Answers come in the order pages were handed over, so progress counts stored pages in order.
        pages++;
        records += page.records.length;
        if (page.checkpoint === 'done') streamsDone++;
        options.onProgress?.({ stream, pages, records, streamsDone, streams: streams.length });
      });
      unsettled.add(write);
      write.then(
        () => unsettled.delete(write),
        (error: unknown) => {
          unsettled.delete(write);
          failure ??= { error };
        },
      );
      last = write;
      ahead.push({ write, records: page.records.length });
      aheadRecords += page.records.length;
      // Over the budget: wait for the run's oldest write, whichever stream it came from (commits are in order).
      while (aheadRecords > WRITE_AHEAD_RECORDS) {
        const oldest = ahead.shift();
        if (!oldest) break;
        aheadRecords -= oldest.records;
        await oldest.write;
      }
    }
    // A run's pages are committed in order and a failure refuses the rest, so the last one answers for all.
    await last;
    if (failure) throw failure.error;
  };

  try {
    // A fixed pool of stream readers: streams are independent, and the pacer shared by the connection's clients
    // holds the request rate within Atlassian's limits however many streams run.
    const queue = [...pending];
    const workers = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
      for (let stream = queue.shift(); stream !== undefined; stream = queue.shift()) await readStream(stream);
    });
    await Promise.all(workers);
    // Pages are stored after they are read: a signal that fired meanwhile still leaves the run to be resumed.
    signal.throwIfAborted();
    const finished = await store.finish(runId, { ...options.stats(), records });
    logger.info('sync run finished', { run: runId, status: finished.status, records });
    return { ok: true, status: finished.status, records };
  } catch (e) {
    // Other streams' pages may still be on their way to the store: let them land (or fail) before the run is
    // left for a resume or marked failed, so nothing of this run is written after it ended.
    while (unsettled.size > 0) await Promise.allSettled([...unsettled]);
    const error = coerceError(e);
    if (signal.aborted) {
      logger.info('sync run interrupted; the next run resumes it', { run: runId, records });
      return { ok: false, error, interrupted: true };
    }
    await store.fail(runId, { code: error.code, message: error.actionableMessage() }, { ...options.stats(), records });
    logger.warn('sync run failed', { run: runId, code: error.code });
    return { ok: false, error, interrupted: false };
  }
}
