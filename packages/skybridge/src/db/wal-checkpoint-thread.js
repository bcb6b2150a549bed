/**
 * The WAL checkpointer's thread (see `wal-checkpointer.ts`): its own connection to the hub's SQLite file, copying
 * committed WAL frames into the database file every `intervalMs` with a PASSIVE checkpoint, which never waits
 * for and never blocks a reader or a writer.
 *
 * Plain JavaScript on purpose: a worker whose entry is TypeScript loads Node's type stripper into its own V8
 * isolate, 10 MB of resident memory (measured) for a thread that runs one pragma. The messages are typed in
 * `wal-checkpointer.ts`.
 */
import { clearInterval, setInterval } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint-thread.js runs as a worker thread');
const { file, intervalMs } = workerData;

let db;
try {
  // The hub created the file and put it in WAL mode (a persistent setting); this thread never creates one.
  db = new SqliteDatabase(file, { fileMustExist: true, timeout: 0 });
} catch (e) {
  port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  port.close();
}

if (db) {
  // A checkpoint reads WAL frames and writes database pages; it needs no page cache of its own.
  db.pragma('cache_size = -1024');
  const tick = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY: another connection is checkpointing (a writer's automatic checkpoint); the next tick goes on.
    }
  }, intervalMs);
  port.postMessage({ type: 'ready' });
  port.on('message', (message) => {
    if (message.type !== 'close') return;
    clearInterval(tick);
    db.close();
    port.close();
  });
}
