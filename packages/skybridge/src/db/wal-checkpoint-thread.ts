/**
 * The WAL checkpointer's thread (see `wal-checkpointer.ts`): its own connection to the hub's SQLite file, copying
 * committed WAL frames into the database file every `intervalMs` with a PASSIVE checkpoint, which never waits
 * for and never blocks a reader or a writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import type { FromCheckpointThread, ToCheckpointThread, WalCheckpointerOptions } from './wal-checkpointer.ts';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint-thread.ts runs as a worker thread');
const post = (message: FromCheckpointThread) => port.postMessage(message);
const options = workerData as WalCheckpointerOptions;

let database: SqliteDatabase.Database | undefined;
try {
  // The hub created the file and put it in WAL mode (a persistent setting); this thread never creates one.
  database = new SqliteDatabase(options.file, { fileMustExist: true, timeout: 0 });
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  port.close();
}

if (database) {
  const db = database;
  // A checkpoint reads WAL frames and writes database pages; it needs no page cache of its own.
  db.pragma('cache_size = -1024');
  // This connection writes nothing, so it never checkpoints on commit either.
  db.pragma('wal_autocheckpoint = 0');
  const tick = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY: another connection is checkpointing (a writer's automatic checkpoint); the next tick goes on.
    }
  }, options.intervalMs);
  post({ type: 'ready' });
  port.on('message', (message: ToCheckpointThread) => {
    if (message.type !== 'close') return;
    clearInterval(tick);
    db.close();
    post({ type: 'closed' });
    port.close();
  });
}
