import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../domain/access-model.ts';
import { createManualClock } from '../../domain/clock.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import type { RunDiffEntry } from './run-diff.ts';
import { createSyncStore } from './sync-store.ts';
import type { SyncStore } from './sync-store.ts';
import { entitlement, grant, insertConnection, resource, rid } from './test-fixtures.ts';

async function completeRun(store: SyncStore, connectionId: string, records: AccessRecord[]) {
  const run = await store.createRun({ connectionId, trigger: 'manual' });
  if (!run.ok) throw run.error;
  await store.writeBatch(run.value.id, records, { stream: 'main', value: { phase: 'done' } });
  // A lenient threshold: these tests are about the diff, not about shrink protection.
  const finished = await store.finishRun(run.value.id, { requests: 0, retries: 0, rateLimited: 0 });
  if (!finished.ok) throw finished.error;
  return finished.value.id;
}

forEachDialect((_dialect, getDb) => {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');
  const store = () => createSyncStore(getDb().db, { clock, shrinkThreshold: 1 });

  async function twoRuns() {
    const connectionId = await insertConnection(getDb().db);
    const c = connectionId;
    const group = rid(c, 'group', 'g');
    const member = `${group}:member`;
    const runA = await completeRun(store(), c, [
      resource(c, 'user', 'u1', { status: 'active' }),
      resource(c, 'user', 'u2', { status: 'active' }),
      resource(c, 'user', 'u3', { status: 'active' }),
      resource(c, 'user', 'u5', { status: 'inactive' }),
      resource(c, 'group', 'g'),
      entitlement(group, 'member'),
      grant(member, rid(c, 'user', 'u1')),
      grant(member, rid(c, 'user', 'u2')),
    ]);
    clock.advance(1000);
    const runB = await completeRun(store(), c, [
      resource(c, 'user', 'u1', { status: 'inactive' }),
      resource(c, 'user', 'u2', { status: 'active' }),
      resource(c, 'user', 'u4', { status: 'active' }),
      resource(c, 'user', 'u5', { status: 'closed' }),
      resource(c, 'group', 'g'),
      entitlement(group, 'member'),
      grant(member, rid(c, 'user', 'u2')),
      grant(member, rid(c, 'user', 'u4')),
    ]);
    return { c, runA, runB, member };
  }

  describe('diff', () => {
    it('finds grants added and removed, accounts created, deactivated and removed', async () => {
      const { c, runA, runB, member } = await twoRuns();
      const summary = await store().diff.summary(runA, runB);
      expect(summary.ok && summary.value).toEqual({
        grantsAdded: 1,
        grantsRemoved: 1,
        accountsCreated: 1,
        accountsDeactivated: 1,
        accountsRemoved: 1,
      });

      const diff = await store().diff.diff(runA, runB);
      if (!diff.ok) throw diff.error;
      const entries: RunDiffEntry[] = [];
      for await (const entry of diff.value) entries.push(entry);
      const brief = entries.map((e) => ('grant' in e ? [e.change, e.grant.principalId] : [e.change, e.account.id]));
      expect(brief).toEqual([
        ['account_created', rid(c, 'user', 'u4')],
        ['account_deactivated', rid(c, 'user', 'u1')],
        ['account_removed', rid(c, 'user', 'u3')],
        ['grant_added', rid(c, 'user', 'u4')],
        ['grant_removed', rid(c, 'user', 'u1')],
      ]);
      const removed = entries.find((e) => e.change === 'account_removed');
      expect(removed && 'account' in removed && removed.account.attributes).toEqual({ status: 'active' });
      const added = entries.find((e) => e.change === 'grant_added');
      expect(added && 'grant' in added && added.grant).toEqual({
        entitlementId: member,
        principalId: rid(c, 'user', 'u4'),
        via: [],
      });

      // Reversed, created and removed swap.
      const back = await store().diff.summary(runB, runA);
      expect(back.ok && back.value).toMatchObject({ accountsCreated: 1, accountsRemoved: 1, accountsDeactivated: 0 });
    });

    it('pages with keyset cursors', async () => {
      const c = await insertConnection(getDb().db);
      const group = rid(c, 'group', 'g');
      const empty = await completeRun(store(), c, []);
      clock.advance(1000);
      const full = await completeRun(store(), c, [
        entitlement(group, 'member'),
        ...['u1', 'u2', 'u3'].map((u) => grant(`${group}:member`, rid(c, 'user', u))),
      ]);
      const first = await store().diff.grants(empty, full, 'added', { limit: 2 });
      if (!first.ok) throw first.error;
      expect(first.value.items).toHaveLength(2);
      expect(first.value.nextCursor).toBeDefined();
      const second = await store().diff.grants(empty, full, 'added', {
        limit: 2,
        cursor: first.value.nextCursor ?? '',
      });
      if (!second.ok) throw second.error;
      expect(second.value.nextCursor).toBeUndefined();
      expect([...first.value.items, ...second.value.items].map((g) => g.principalId).sort()).toEqual(
        ['u1', 'u2', 'u3'].map((u) => rid(c, 'user', u)),
      );
      const bad = await store().diff.accounts(empty, full, 'created', { cursor: 'x' });
      expect(!bad.ok && bad.error.code).toBe('bad_cursor');
    });

    it('refuses unknown runs and runs of different connections', async () => {
      const one = await twoRuns();
      const two = await twoRuns();
      const mixed = await store().diff.summary(one.runA, two.runB);
      expect(!mixed.ok && mixed.error.code).toBe('different_connections');
      const unknown = await store().diff.diff(one.runA, 'nope');
      expect(!unknown.ok && unknown.error.code).toBe('run_not_found');
    });
  });
});
