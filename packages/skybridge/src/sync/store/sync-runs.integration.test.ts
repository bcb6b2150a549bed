import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../domain/access-model.ts';
import { createManualClock } from '../../domain/clock.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import { idPrefix, toStoredId } from './stored-ids.ts';
import { createSyncStore } from './sync-store.ts';
import type { SyncStore } from './sync-store.ts';
import { entitlement, failNthUpdate, grant, insertConnection, resource, rid, rowsOf } from './test-fixtures.ts';

const STATS = { requests: 10, retries: 1, rateLimited: 2 };

/** A deterministic source: page i of `pages`, each with users, a group, its membership grants. */
function sourcePage(connectionId: string, i: number): AccessRecord[] {
  const group = rid(connectionId, 'group', `g${i}`);
  const records: AccessRecord[] = [resource(connectionId, 'group', `g${i}`), entitlement(group, 'member')];
  for (let u = 0; u < 5; u++) {
    const user = `u${i}-${u}`;
    records.push(resource(connectionId, 'user', user, { email: `${user}@example.com`, status: 'active' }));
    records.push(grant(`${group}:member`, rid(connectionId, 'user', user)));
  }
  return records;
}
const PAGES = 6;

async function completeRun(store: SyncStore, connectionId: string, pages: AccessRecord[][]) {
  const run = await store.createRun({ connectionId, trigger: 'manual' });
  if (!run.ok) throw run.error;
  for (const [i, records] of pages.entries()) {
    const written = await store.writeBatch(run.value.id, records, {
      stream: 'main',
      value: { phase: 'p', cursor: String(i + 1) },
    });
    if (!written.ok) throw written.error;
  }
  const expanded = await store.expandEffectiveGrants(run.value.id);
  if (!expanded.ok) throw expanded.error;
  const finished = await store.finishRun(run.value.id, STATS);
  if (!finished.ok) throw finished.error;
  return finished.value;
}

function users(connectionId: string, n: number, status = 'active'): AccessRecord[] {
  return Array.from({ length: n }, (_, i) => resource(connectionId, 'user', `u${i}`, { status }));
}

forEachDialect((_dialect, getDb) => {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');
  const store = () => createSyncStore(getDb().db, { clock });

  describe('runs', () => {
    it('creates a running run, refuses a second one, finds it, lists runs newest first in pages', async () => {
      const connectionId = await insertConnection(getDb().db);
      const first = await store().createRun({ connectionId, trigger: 'schedule' });
      expect(first.ok && first.value.status).toBe('running');
      const second = await store().createRun({ connectionId, trigger: 'manual' });
      expect(!second.ok && second.error.code).toBe('already_running');
      if (!first.ok) return;
      expect((await store().runningRun(connectionId))?.id).toBe(first.value.id);
      await store().failRun(first.value.id, { code: 'x', message: 'boom' });
      expect(await store().runningRun(connectionId)).toBeUndefined();
      clock.advance(1000);
      const again = await store().createRun({ connectionId, trigger: 'manual' });
      expect(again.ok).toBe(true);
      const page1 = await store().listRuns(connectionId, { limit: 1 });
      if (!page1.ok || !again.ok) throw new Error('list failed');
      expect(page1.value.items.map((r) => r.id)).toEqual([again.value.id]);
      const page2 = await store().listRuns(connectionId, { limit: 1, cursor: page1.value.nextCursor ?? '' });
      expect(page2.ok && page2.value.items.map((r) => r.id)).toEqual([first.value.id]);
      expect(page2.ok && page2.value.nextCursor).toBeUndefined();
      const bad = await store().listRuns(connectionId, { cursor: 'nope' });
      expect(!bad.ok && bad.error.code).toBe('bad_cursor');
      const missing = await store().getRun('no-such-run');
      expect(!missing.ok && missing.error.code).toBe('run_not_found');
    });
  });

  describe('writeBatch', () => {
    it('is idempotent: writing a page again leaves the same rows, with the newer values', async () => {
      const { db } = getDb();
      const connectionId = await insertConnection(db);
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      const page = sourcePage(connectionId, 0);
      const cp = { stream: 'users', value: { phase: 'users', cursor: '1' } };
      expect((await store().writeBatch(run.value.id, page, cp)).ok).toBe(true);
      const once = await rowsOf(db, run.value.id);
      expect((await store().writeBatch(run.value.id, [...page, ...page], cp)).ok).toBe(true);
      expect(await rowsOf(db, run.value.id)).toEqual(once);
      expect(once.grants).toHaveLength(5);

      const renamed = resource(connectionId, 'user', 'u0-0', { email: 'U0-0@Example.com' }, 'Renamed');
      await store().writeBatch(run.value.id, [renamed], cp);
      const after = await rowsOf(db, run.value.id);
      // Rows hold ids without the connection prefix (stored-ids.ts).
      const user = after.resources.find(
        (r) => r.id === toStoredId(idPrefix(connectionId), rid(connectionId, 'user', 'u0-0')),
      );
      expect(user?.display_name).toBe('Renamed');
      expect(user?.email).toBe('u0-0@example.com');
      expect(after.resources).toHaveLength(once.resources.length);
    });

    it("refuses a page holding another connection's record: nothing of it is stored, its checkpoint neither", async () => {
      const { db } = getDb();
      const connectionId = await insertConnection(db);
      const other = await insertConnection(db);
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      const page = [...sourcePage(connectionId, 0), resource(other, 'user', 'stranger')];
      await expect(
        store().writeBatch(run.value.id, page, { stream: 'users', value: { phase: 'users', cursor: '1' } }),
      ).rejects.toThrow(`The record id '${rid(other, 'user', 'stranger')}' does not belong to this run's connection.`);
      expect(await rowsOf(db, run.value.id)).toEqual({ resources: [], entitlements: [], grants: [] });
      const got = await store().getRun(run.value.id);
      expect(got.ok && got.value.checkpoint).toEqual({});
    });

    it('stores each stream checkpoint with its page, and refuses a run that is not running', async () => {
      const connectionId = await insertConnection(getDb().db);
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      await store().writeBatch(run.value.id, [], { stream: 'users', value: { phase: 'users', cursor: 'c1' } });
      await store().writeBatch(run.value.id, [], {
        stream: 'groups',
        value: { phase: 'members:g1', state: { left: ['g2'] } },
      });
      const got = await store().getRun(run.value.id);
      expect(got.ok && got.value.checkpoint).toEqual({
        users: { phase: 'users', cursor: 'c1' },
        groups: { phase: 'members:g1', state: { left: ['g2'] } },
      });
      await store().failRun(run.value.id, { code: 'x', message: 'y' });
      const refused = await store().writeBatch(run.value.id, [], { stream: 'users', value: { phase: 'users' } });
      expect(!refused.ok && refused.error.code).toBe('invalid_state');
      const missing = await store().writeBatch('nope', [], { stream: 'users', value: { phase: 'users' } });
      expect(!missing.ok && missing.error.code).toBe('run_not_found');
    });

    it('keeps every stream checkpoint when streams write in parallel', async () => {
      const connectionId = await insertConnection(getDb().db);
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      const streams = ['users', 'groups', 'projects', 'spaces', 'roles', 'teams'];
      const results = await Promise.all(
        streams.map((stream, i) =>
          store().writeBatch(run.value.id, sourcePage(connectionId, i), {
            stream,
            value: { phase: stream, cursor: 'next' },
          }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const got = await store().getRun(run.value.id);
      expect(got.ok && Object.keys(got.value.checkpoint).sort()).toEqual([...streams].sort());
    });

    it('commits records and checkpoint together: a crash mid-batch resumes to exactly the rows of a straight run', async () => {
      const { db } = getDb();
      const connectionId = await insertConnection(db);
      const straight = await completeRun(
        store(),
        connectionId,
        Array.from({ length: PAGES }, (_, i) => sourcePage(connectionId, i)),
      );

      // The crash: the checkpoint update of the 4th batch fails after its records were inserted.
      const crashOnFourthCheckpoint = failNthUpdate(4, 'killed');
      const doomed = createSyncStore(db.withPlugin(crashOnFourthCheckpoint.plugin), { clock });
      const run = await doomed.createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      let crashed = false;
      for (let i = 0; i < PAGES && !crashed; i++) {
        await doomed
          .writeBatch(run.value.id, sourcePage(connectionId, i), {
            stream: 'main',
            value: { phase: 'p', cursor: String(i + 1) },
          })
          .catch(() => {
            crashed = true;
          });
      }
      expect(crashed).toBe(true);
      // Nothing of the failed batch is stored, and the checkpoint still says "after page 3".
      const resumedFrom = await store().runningRun(connectionId);
      expect(resumedFrom?.checkpoint['main']?.cursor).toBe('3');
      const partial = await rowsOf(db, run.value.id);
      expect(partial.resources.some((r) => r.external_id === 'g3')).toBe(false);

      // A second writer (a restarted process) resumes from the stored checkpoint.
      const restarted = store();
      const resumed = await restarted.runningRun(connectionId);
      if (resumed === undefined) throw new Error('no running run to resume');
      for (let i = Number(resumed.checkpoint['main']?.cursor ?? '0'); i < PAGES; i++) {
        const w = await restarted.writeBatch(resumed.id, sourcePage(connectionId, i), {
          stream: 'main',
          value: { phase: 'p', cursor: String(i + 1) },
        });
        expect(w.ok).toBe(true);
      }
      await restarted.expandEffectiveGrants(resumed.id);
      const finished = await restarted.finishRun(resumed.id, STATS);
      expect(finished.ok && finished.value.counts).toEqual(straight.counts);
      expect(await rowsOf(db, resumed.id)).toEqual(await rowsOf(db, straight.id));
    });
  });

  describe('finishRun', () => {
    it('counts rows per type plus entitlements and grants, records stats and promotes the run', async () => {
      const connectionId = await insertConnection(getDb().db);
      clock.set('2026-03-02T10:00:00.000Z');
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      await store().writeBatch(run.value.id, [...sourcePage(connectionId, 0), ...sourcePage(connectionId, 1)], {
        stream: 'main',
        value: { phase: 'done' },
      });
      clock.advance(4500);
      const finished = await store().finishRun(run.value.id, STATS);
      if (!finished.ok) throw finished.error;
      expect(finished.value).toMatchObject({
        status: 'succeeded',
        counts: { user: 10, group: 2, entitlements: 2, grants: 10, effectiveGrants: 0 },
        requests: 10,
        retries: 1,
        rateLimited: 2,
        durationMs: 4500,
      });
      expect((await store().snapshotRun(connectionId))?.id).toBe(run.value.id);
      const twice = await store().finishRun(run.value.id, STATS);
      expect(!twice.ok && twice.error.code).toBe('invalid_state');
    });

    it('holds a run that shrank a type past the threshold as suspicious, until accepted', async () => {
      const connectionId = await insertConnection(getDb().db);
      const good = await completeRun(store(), connectionId, [users(connectionId, 10)]);
      expect(good.status).toBe('succeeded');

      // 10 -> 8 users is 20%: not more than the threshold.
      const fine = await completeRun(store(), connectionId, [users(connectionId, 8)]);
      expect(fine.status).toBe('succeeded');

      // 8 -> 6 is 25%.
      const shrunk = await completeRun(store(), connectionId, [users(connectionId, 6)]);
      expect(shrunk.status).toBe('suspicious');
      expect(shrunk.shrink).toEqual({ user: { from: 8, to: 6, ratio: 0.25 } });
      expect((await store().snapshotRun(connectionId))?.id).toBe(fine.id);

      const accepted = await store().acceptRun(shrunk.id, 'alice');
      if (!accepted.ok) throw accepted.error;
      expect(accepted.value).toMatchObject({ status: 'accepted', acceptedBy: 'alice' });
      expect(accepted.value.acceptedAt).toBeInstanceOf(Date);
      expect((await store().snapshotRun(connectionId))?.id).toBe(shrunk.id);
      const again = await store().acceptRun(shrunk.id, 'alice');
      expect(!again.ok && again.error.code).toBe('invalid_state');
    });

    it('always holds a type that went to zero, and supersedes a suspicious run when a later one is promoted', async () => {
      const connectionId = await insertConnection(getDb().db);
      const lenient = createSyncStore(getDb().db, { clock, shrinkThreshold: 1 });
      await completeRun(lenient, connectionId, [[...users(connectionId, 3), resource(connectionId, 'project', 'P1')]]);
      const empty = await completeRun(lenient, connectionId, [users(connectionId, 3)]);
      expect(empty.status).toBe('suspicious');
      expect(empty.shrink).toEqual({ project: { from: 1, to: 0, ratio: 1 } });
      const later = await completeRun(lenient, connectionId, [
        [...users(connectionId, 3), resource(connectionId, 'project', 'P1')],
      ]);
      expect(later.status).toBe('succeeded');
      const stale = await lenient.getRun(empty.id);
      expect(stale.ok && stale.value.status).toBe('superseded');
    });
  });

  describe('failRun', () => {
    it('records a safe error and never touches the snapshot', async () => {
      const connectionId = await insertConnection(getDb().db);
      const good = await completeRun(store(), connectionId, [users(connectionId, 4)]);
      const run = await store().createRun({ connectionId, trigger: 'manual' });
      if (!run.ok) throw run.error;
      await store().writeBatch(run.value.id, users(connectionId, 1), { stream: 'main', value: { phase: 'users' } });
      const failed = await store().failRun(run.value.id, { code: 'rate_limited', message: 'x'.repeat(2000) }, STATS);
      if (!failed.ok) throw failed.error;
      expect(failed.value.status).toBe('failed');
      expect(failed.value.error?.code).toBe('rate_limited');
      expect(failed.value.error?.message).toHaveLength(500);
      expect(failed.value.counts['user']).toBe(1);
      expect((await store().snapshotRun(connectionId))?.id).toBe(good.id);
    });
  });

  describe('retention', () => {
    it('deletes old runs and their rows but keeps the newest N, the running run and the snapshot', async () => {
      const { db } = getDb();
      const connectionId = await insertConnection(db);
      const snapshot = await completeRun(store(), connectionId, [users(connectionId, 5)]);
      const failedIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        const run = await store().createRun({ connectionId, trigger: 'schedule' });
        if (!run.ok) throw run.error;
        await store().writeBatch(run.value.id, users(connectionId, 2), { stream: 'main', value: { phase: 'users' } });
        await store().failRun(run.value.id, { code: 'x', message: 'y' });
        failedIds.push(run.value.id);
      }
      clock.advance(1000);
      const running = await store().createRun({ connectionId, trigger: 'schedule' });
      if (!running.ok) throw running.error;

      const deleted = await store().retention(connectionId, 1);
      expect(deleted.sort()).toEqual([failedIds[0], failedIds[1]].sort());
      const left = await store().listRuns(connectionId);
      expect(left.ok && left.value.items.map((r) => r.id).sort()).toEqual(
        [snapshot.id, failedIds[2], running.value.id].sort(),
      );
      const orphans = await db.selectFrom('sync_resources').select('id').where('run_id', 'in', deleted).execute();
      expect(orphans).toEqual([]);
      expect((await store().snapshotRun(connectionId))?.id).toBe(snapshot.id);
      expect(await rowsOf(db, snapshot.id)).toMatchObject({ resources: { length: 5 } });

      expect(await store().retention(connectionId, 0)).toEqual([failedIds[2]]);
    });
  });
});
