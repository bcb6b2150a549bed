import module from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SQLITE_FILE_NAME } from '../../db/create-database.ts';
import type { WalCheckpointer } from '../../db/wal-checkpointer.ts';
import { startWalCheckpointer, WAL_CHECKPOINT_INTERVAL_MS } from '../../db/wal-checkpointer.ts';
import { err, ok } from '../../domain/result.ts';
import type { PageCommitter, PageWrite, PageWriteResult } from './page-committer.ts';
import type { SyncStoreErrorCode } from './sync-store-error.ts';
import { SyncStoreError } from './sync-store-error.ts';

/**
 * Commits sync pages on a thread of their own, over a second connection to the same SQLite file.
 *
 * Why: better-sqlite3 is synchronous, so on the hub's thread every commit of a large sync stops the event loop,
 * and with it the sync's own requests: a list that can only be read one page after another (the org's accounts,
 * 500 pages) waited behind each commit, and the database, not Atlassian, set the pace. On its own thread the
 * writer runs beside the requests, and pages that arrive while it commits form its next, larger commit.
 *
 * Same guarantees as committing in the hub's thread: each page is answered once it and its checkpoint are
 * committed, pages of a run are committed in the order they were handed over, and a session whose commit failed
 * gets nothing more stored. WAL lets the hub's thread read while this one writes; both connections begin their
 * transactions `immediate` (see `db/immediate-sqlite-dialect.ts`), so neither can fail to upgrade a read to a write.
 * While the thread runs, a third connection copies the WAL into the database (`db/wal-checkpointer.ts`), so the
 * writer's commits do not stop for checkpoints.
 */

export interface WriterThreadOptions {
  /** The hub's data directory (the SQLite file is `<dataDir>/skybridge.db`). */
  dataDir: string;
}

export type ToWriterThread = { type: 'write'; id: number; page: PageWrite } | { type: 'close' };

export type FromWriterThread =
  | { type: 'ready' }
  | { type: 'written'; id: number }
  | { type: 'refused'; id: number; code: SyncStoreErrorCode; message: string }
  | { type: 'thrown'; id: number; message: string; code?: string }
  | { type: 'closed' };

interface Waiting {
  resolve: (result: PageWriteResult) => void;
  reject: (error: Error) => void;
}

/** How long `close` waits for the thread to finish its commits and close its connection. */
const CLOSE_TIMEOUT_MS = 30_000;

/**
 * The thread's V8 heap. It holds the pages in flight (at most `WRITE_AHEAD_RECORDS` per run) and a commit's
 * rows; like the hub's own flags (`cli/main.ts`), a small young generation keeps V8 from growing the heap far
 * past that under load.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };

const THREAD_ENTRY = new URL('./page-writer-thread.ts', import.meta.url);

export function createThreadedPageCommitter(options: WriterThreadOptions): PageCommitter {
  let thread: Worker | undefined;
  let checkpointer: WalCheckpointer | undefined;
  let closed: Promise<void> | undefined;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  /** Callers of `ready` waiting for the thread to open the database. */
  const readyWaiters: Array<() => void> = [];
  let isReady = false;

  /** Every page still waiting fails with `error`; the next write starts a new thread. */
  function failAll(error: Error): void {
    // `ready` only says the thread is there; a failed start shows in the writes that follow.
    for (const resolve of readyWaiters.splice(0)) resolve();
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  }

  function onMessage(message: FromWriterThread): void {
    if (message.type === 'ready') {
      isReady = true;
      for (const resolve of readyWaiters.splice(0)) resolve();
      if (waiting.size === 0) thread?.unref();
      return;
    }
    if (message.type === 'closed') return;
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    // The thread keeps the process alive only while pages wait, so a finished CLI command exits on its own.
    if (waiting.size === 0) thread?.unref();
    if (message.type === 'written') w.resolve(ok(undefined));
    else if (message.type === 'refused') w.resolve(err(new SyncStoreError(message.code, message.message)));
    else w.reject(Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code }));
  }

  function start(): Worker {
    checkpointer ??= startWalCheckpointer({
      file: join(options.dataDir, SQLITE_FILE_NAME),
      intervalMs: WAL_CHECKPOINT_INTERVAL_MS,
    });
    // A thread does not inherit the process's compile cache (see `cli/main.ts`); handed the directory, it loads its
    // modules (Kysely, the store) in two thirds of the time, and every sync waits for this thread to start.
    const cacheDir = module.getCompileCacheDir?.();
    const started = new Worker(THREAD_ENTRY, {
      workerData: options,
      resourceLimits: THREAD_HEAP,
      ...(cacheDir === undefined ? {} : { env: { ...process.env, NODE_COMPILE_CACHE: cacheDir } }),
    });
    started.on('message', onMessage);
    started.on('error', (e) => failAll(e));
    started.on('exit', (code) => {
      if (thread === started) {
        thread = undefined;
        isReady = false;
      }
      failAll(new Error(`The sync page writer stopped (exit code ${code}).`));
    });
    started.unref();
    return started;
  }

  return {
    ready() {
      if (closed || isReady) return Promise.resolve();
      thread ??= start();
      thread.ref();
      return new Promise((resolve) => readyWaiters.push(resolve));
    },
    write(page) {
      if (closed) return Promise.reject(new Error('The sync page writer is closed.'));
      thread ??= start();
      const id = nextId++;
      const target = thread;
      return new Promise<PageWriteResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        target.ref();
        target.postMessage({ type: 'write', id, page } satisfies ToWriterThread);
      });
    },
    close() {
      closed ??= (async () => {
        const running = thread;
        const stopCheckpoints = async () => checkpointer?.close();
        if (!running) return stopCheckpoints();
        running.ref();
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
        running.postMessage({ type: 'close' } satisfies ToWriterThread);
        // A thread stuck past this is stopped: its open transaction rolls back, as after a crash.
        const stuck = setTimeout(() => void running.terminate(), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(stuck);
        await stopCheckpoints();
      })();
      return closed;
    },
  };
}
