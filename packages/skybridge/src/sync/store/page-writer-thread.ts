/**
 * The sync page writer's thread (see `threaded-page-committer.ts`): opens its own connection to the hub's SQLite
 * file and commits the pages the hub's thread hands over, answering each once it is stored.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDatabase } from '../../db/create-database.ts';
import { createPageCommitter } from './page-committer.ts';
import type { FromWriterThread, ToWriterThread, WriterThreadOptions } from './threaded-page-committer.ts';

const port = parentPort;
if (!port) throw new Error('page-writer-thread.ts runs as a worker thread');
const post = (message: FromWriterThread) => port.postMessage(message);

const options = workerData as WriterThreadOptions;
const opened = await createDatabase({
  dataDir: options.dataDir,
  ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
});
if (!opened.ok) {
  post({ type: 'failed', message: opened.error.message });
} else {
  const handle = opened.value;
  const committer = createPageCommitter(handle.db);
  post({ type: 'ready' });
  port.on('message', (message: ToWriterThread) => {
    if (message.type === 'close') {
      void committer
        .close()
        .then(() => handle.close())
        .finally(() => {
          post({ type: 'closed' });
          port.close();
        });
      return;
    }
    committer.write(message.page).then(
      (result) =>
        post(
          result.ok
            ? { type: 'written', id: message.id }
            : { type: 'refused', id: message.id, code: result.error.code, message: result.error.message },
        ),
      (error: unknown) =>
        post({
          type: 'thrown',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
          ...(typeof (error as { code?: unknown }).code === 'string' ? { code: (error as { code: string }).code } : {}),
        }),
    );
  });
}
