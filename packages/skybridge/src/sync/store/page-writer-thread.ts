/**
 * The sync page writer's thread (see `threaded-page-committer.ts`): opens its own connection to the hub's SQLite
 * file and commits the pages the hub's thread hands over, answering each once it is stored.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import { createDatabase } from '../../db/create-database.ts';
import { createPageCommitter, type PageCommitter } from './page-committer.ts';
import type { FromWriterThread, ToWriterThread, WriterThreadOptions } from './threaded-page-committer.ts';

const port = parentPort;
if (!port) throw new Error('page-writer-thread.ts runs as a worker thread');
const post = (message: FromWriterThread) => port.postMessage(message);

const options = workerData as WriterThreadOptions;
const opened = await createDatabase({ dataDir: options.dataDir });
// Each 500-row insert may stop half-way (a constraint), so SQLite keeps a statement journal of the pages it
// changed; past 64 KB it goes to a temp file, which made a large sync's commits write nearly twice. In memory it
// is one statement's pages. Only here: the hub's own connection runs statements (the effective-grant expansion)
// whose journals and temporary tables may be large, and those are better on disk than in the hub's memory.
if (opened.ok) await sql`pragma temp_store = memory`.execute(opened.value.db);
// A database the thread cannot open fails every page with that reason, until the hub closes the thread: the
// thread stays, so no write waits on a thread that is gone and each says why.
const committer: PageCommitter | undefined = opened.ok ? createPageCommitter(opened.value.db) : undefined;
const cannotOpen = opened.ok ? '' : `The sync page writer could not open the database: ${opened.error.message}`;
post({ type: 'ready' });
port.on('message', (message: ToWriterThread) => {
  if (message.type === 'close') {
    void (async () => {
      await committer?.close();
      if (opened.ok) await opened.value.close();
    })().finally(() => {
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  if (!committer) {
    post({ type: 'thrown', id: message.id, message: cannotOpen });
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
