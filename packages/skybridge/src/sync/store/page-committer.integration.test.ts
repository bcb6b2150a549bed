import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../domain/access-model.ts';
import { createManualClock } from '../../domain/clock.ts';
import type { DatabaseHandle } from '../../db/create-database.ts';
import { createDatabase, SQLITE_FILE_NAME } from '../../db/create-database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import type { Database } from '../../db/schema.ts';
import { createPageCommitter, type PageCommitter } from './page-committer.ts';
import { SyncStoreError } from './sync-store-error.ts';
import { createSyncStore } from './sync-store.ts';
import { entitlement, failNthUpdate, grant, insertConnection, resource, rid, rowsOf } from './test-fixtures.ts';
import { createThreadedPageCommitter } from './threaded-page-committer.ts';

const clock = createManualClock('2026-04-01T00:00:00.000Z');

/** Page `i` of `stream`: a group, its entitlement, three users and their memberships. */
function page(connectionId: string, stream: string, i: number): AccessRecord[] {
  const group = rid(connectionId, 'group', `${stream}-g${i}`);
  const records: AccessRecord[] = [resource(connectionId, 'group', `${stream}-g${i}`), entitlement(group, 'member')];
  for (let u = 0; u < 3; u++) {
    const user = `${stream}-u${i}-${u}`;
    records.push(resource(connectionId, 'user', user, { email: `${user}@example.com`, status: 'active' }));
    records.push(grant(`${group}:member`, rid(connectionId, 'user', user)));
  }
  return records;
}

const cp = (stream: string, i: number) => ({ stream, value: { phase: stream, cursor: String(i + 1) } });

/** A new connection, a store on `db` (committing through `committer`, else in this thread) and a running run. */
async function startRun(db: Kysely<Database>, committer?: PageCommitter) {
  const connectionId = await insertConnection(db);
  const store = createSyncStore(db, { clock, ...(committer ? { committer } : {}) });
  const run = await store.createRun({ connectionId, trigger: 'manual' });
  if (!run.ok) throw run.error;
  return { connectionId, store, run };
}

forEachDialect((_dialect, getDb) => {
  describe('createPageCommitter', () => {
    it('commits pages handed over in one turn, in order, with the last checkpoint of each stream', async () => {
      const { db } = getDb();
      const { connectionId, store, run } = await startRun(db);
      const committer = createPageCommitter(db);
      const writes = [];
      for (let i = 0; i < 10; i++)
        for (const stream of ['a', 'b'])
          writes.push(
            committer.write({ runId: run.value.id, records: page(connectionId, stream, i), checkpoint: cp(stream, i) }),
          );
      expect((await Promise.all(writes)).every((w) => w.ok)).toBe(true);
      const stored = await store.getRun(run.value.id);
      expect(stored.ok && stored.value.checkpoint).toEqual({
        a: { phase: 'a', cursor: '10' },
        b: { phase: 'b', cursor: '10' },
      });
      expect((await rowsOf(db, run.value.id)).grants).toHaveLength(60);
    });

    it('refuses every later page of a session whose commit failed, so no checkpoint passes a lost page', async () => {
      const { db } = getDb();
      const { connectionId, store, run } = await startRun(db);
      const failSecondCommit = failNthUpdate(2, 'disk full');
      const committer = createPageCommitter(db.withPlugin(failSecondCommit.plugin));
      const write = (i: number, session: string) =>
        committer.write({ runId: run.value.id, records: page(connectionId, 's', i), checkpoint: cp('s', i), session });

      expect((await write(0, 'one')).ok).toBe(true);
      await expect(write(1, 'one')).rejects.toThrow('disk full');
      // Page 2 of the same session is refused without touching the database: its checkpoint would skip page 1.
      await expect(write(2, 'one')).rejects.toThrow('disk full');
      expect(failSecondCommit.updates()).toBe(2);
      const afterFailure = await store.getRun(run.value.id);
      expect(afterFailure.ok && afterFailure.value.checkpoint['s']).toEqual({ phase: 's', cursor: '1' });

      // A new session (a resumed run) goes on from the stored checkpoint.
      expect((await write(1, 'two')).ok).toBe(true);
      expect((await write(2, 'two')).ok).toBe(true);
      const resumed = await store.getRun(run.value.id);
      expect(resumed.ok && resumed.value.checkpoint['s']).toEqual({ phase: 's', cursor: '3' });
      await committer.close();
    });
  });
});

describe('createThreadedPageCommitter (SQLite)', () => {
  let dataDir = '';
  let handle: DatabaseHandle;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'skybridge-page-thread-'));
    const opened = await createDatabase({ dataDir });
    if (!opened.ok) throw opened.error;
    handle = opened.value;
    const migrated = await migrateToLatest(handle);
    if (!migrated.ok) throw migrated.error;
  });
  afterAll(async () => {
    await handle.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A store committing through a new page writer thread, and a running run in it. */
  const threadedRun = () => startRun(handle.db, createThreadedPageCommitter({ dataDir }));

  it('stores exactly what the in-thread committer stores, while the hub thread keeps writing too', async () => {
    const { db } = handle;
    const connectionId = await insertConnection(db);
    const inline = createSyncStore(db, { clock });
    const committer = createThreadedPageCommitter({ dataDir });
    const threaded = createSyncStore(db, { clock, committer });

    const reference = await inline.createRun({ connectionId, trigger: 'manual' });
    if (!reference.ok) throw reference.error;
    for (let i = 0; i < 30; i++)
      for (const stream of ['a', 'b'])
        expect((await inline.writeBatch(reference.value.id, page(connectionId, stream, i), cp(stream, i))).ok).toBe(
          true,
        );
    await inline.failRun(reference.value.id, { code: 'test', message: 'reference only' });

    const run = await threaded.createRun({ connectionId, trigger: 'manual' });
    if (!run.ok) throw run.error;
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i++)
      for (const stream of ['a', 'b'])
        writes.push(threaded.writeBatch(run.value.id, page(connectionId, stream, i), cp(stream, i), 'session'));
    // The hub's own thread writes while the pages are committed: neither side may fail on the other's lock.
    const others = await Promise.all(Array.from({ length: 5 }, () => insertConnection(db)));
    const results = (await Promise.all(writes)) as Array<{ ok: boolean }>;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(others).toHaveLength(5);

    const stored = await threaded.getRun(run.value.id);
    expect(stored.ok && stored.value.checkpoint).toEqual({
      a: { phase: 'a', cursor: '30' },
      b: { phase: 'b', cursor: '30' },
    });
    expect(await rowsOf(db, run.value.id)).toEqual(await rowsOf(db, reference.value.id));
    await threaded.closeWrites();
  });

  it('has its commits copied into the database file by the checkpoint thread, not by its own commits', async () => {
    const { connectionId, store, run } = await threadedRun();
    for (let i = 0; i < 5; i++)
      expect((await store.writeBatch(run.value.id, page(connectionId, 'a', i), cp('a', i))).ok).toBe(true);
    // These commits are far below any connection's automatic checkpoint: in the database file alone (a copy
    // taken without its WAL), the run's checkpoint can only come from the checkpoint thread.
    const checkpointInFile = async (): Promise<string | undefined> => {
      const copy = join(dataDir, `copy-${Math.random().toString(36).slice(2)}.db`);
      await copyFile(join(dataDir, SQLITE_FILE_NAME), copy);
      const alone = new SqliteDatabase(copy, { readonly: true });
      try {
        // Until the first checkpoint, even the tables are only in the WAL.
        if (alone.prepare("select 1 from sqlite_master where name = 'sync_runs'").get() === undefined) return undefined;
        const row = alone.prepare('select checkpoint from sync_runs where id = ?').get(run.value.id) as
          { checkpoint: string } | undefined;
        return row?.checkpoint;
      } catch (e) {
        // A copy taken while a checkpoint writes may be torn: try again.
        if (/SQLITE_(CORRUPT|NOTADB)/.test(String((e as { code?: unknown }).code))) return undefined;
        throw e;
      } finally {
        alone.close();
        await rm(copy, { force: true });
      }
    };
    // The thread may copy an earlier commit first; the last one follows within a few ticks.
    const last = JSON.stringify({ a: { phase: 'a', cursor: '5' } });
    let found: string | undefined;
    for (let tries = 0; tries < 250 && found !== last; tries++) {
      found = await checkpointInFile();
      if (found !== last) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(found && JSON.parse(found)).toEqual({ a: { phase: 'a', cursor: '5' } });
    await store.closeWrites();
  });

  it('answers a refused page with the store error, and refuses writes once closed', async () => {
    const { connectionId, store, run } = await threadedRun();
    await store.failRun(run.value.id, { code: 'test', message: 'stopped' });

    const refused = await store.writeBatch(run.value.id, page(connectionId, 'a', 0), cp('a', 0));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toBeInstanceOf(SyncStoreError);
    expect(refused.error.code).toBe('invalid_state');

    await store.closeWrites();
    await expect(store.writeBatch(run.value.id, page(connectionId, 'a', 1), cp('a', 1))).rejects.toThrow('closed');
  });

  it('fails the waiting pages with a clear error when its thread cannot open the database', async () => {
    // A data directory whose database file is a directory: the thread starts, cannot open it, and says so.
    const broken = await mkdtemp(join(tmpdir(), 'skybridge-page-thread-broken-'));
    await mkdir(join(broken, SQLITE_FILE_NAME));
    const committer = createThreadedPageCommitter({ dataDir: broken });
    try {
      await committer.ready();
      await expect(committer.write({ runId: 'any', records: [], checkpoint: cp('a', 0) })).rejects.toThrow(
        'could not open the database',
      );
    } finally {
      await committer.close();
      await rm(broken, { recursive: true, force: true });
    }
  });
});
