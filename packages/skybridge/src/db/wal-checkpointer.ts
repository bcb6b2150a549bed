import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log into the database file on a thread of its own.
 *
 * Why: SQLite checkpoints on commit, in the connection that crosses `wal_autocheckpoint`, and the one that writes
 * most is the sync page writer. During a large sync (377,000 records) its commit that crossed the threshold took
 * 0.5-0.9 s every 2.5 s, copying the ~60,000 pages the sync had touched; pages queued behind it past the engine's
 * write-ahead budget, and every stream of the sync stopped with them (measured: 24 such stops, 3 s of a 34 s
 * sync). A PASSIVE checkpoint on its own connection copies the same frames beside the writer without blocking it
 * or any reader; when a writer's automatic checkpoint does come, the frames are already copied and it is short.
 *
 * Best effort by design: if the thread cannot start or open the file, the connections' automatic checkpoints
 * still keep the WAL bounded, as they did before (`started` says which).
 */

export interface WalCheckpointerOptions {
  /** The SQLite database file (in WAL mode). */
  file: string;
  /** Time between checkpoints. A checkpoint with no new frames costs a lock and a header read. */
  intervalMs: number;
}

export type ToCheckpointThread = { type: 'close' };
export type FromCheckpointThread = { type: 'ready' } | { type: 'failed'; message: string };

export interface WalCheckpointer {
  /** Resolves once the thread checkpoints (`ok`), or with why it cannot. */
  readonly started: Promise<{ ok: true } | { ok: false; message: string }>;
  /** Stops the thread and closes its connection. */
  close(): Promise<void>;
}

/** Checkpoints every quarter second: a large sync appends ~3,000 frames (12 MB) to the WAL in that time. */
export const WAL_CHECKPOINT_INTERVAL_MS = 250;

/** How long `close` waits for the thread before stopping it. A checkpoint under way finishes first. */
const CLOSE_TIMEOUT_MS = 10_000;

const THREAD_ENTRY = new URL('./wal-checkpoint-thread.js', import.meta.url);

export function startWalCheckpointer(options: WalCheckpointerOptions): WalCheckpointer {
  const thread = new Worker(THREAD_ENTRY, {
    workerData: options,
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
  });
  // Never what keeps the process alive: a CLI command exits once its own work is done.
  thread.unref();
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const started = new Promise<{ ok: true } | { ok: false; message: string }>((resolve) => {
    thread.on('message', (message: FromCheckpointThread) => {
      if (message.type === 'ready') resolve({ ok: true });
      else if (message.type === 'failed') resolve({ ok: false, message: message.message });
    });
    thread.once('error', (e) => resolve({ ok: false, message: e.message }));
    void exited.then(() => resolve({ ok: false, message: 'the checkpoint thread exited' }));
  });
  let closing: Promise<void> | undefined;
  return {
    started,
    close() {
      closing ??= (async () => {
        thread.postMessage({ type: 'close' } satisfies ToCheckpointThread);
        const stuck = setTimeout(() => void thread.terminate(), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(stuck);
      })();
      return closing;
    },
  };
}
