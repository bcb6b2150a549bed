import { fromStoredId, fromStoredVia, idPrefix, toStoredId } from './stored-ids.ts';
import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../domain/access-model.ts';
import { createManualClock } from '../../domain/clock.ts';
import { forEachDialect } from '../../db/test-dialects.ts';
import { createSyncStore } from './sync-store.ts';
import { entitlement, grant, insertConnection, resource, rid } from './test-fixtures.ts';

/**
 * G1 > G2 > U2, G1 > U1; a cycle G3 > G4 > G3 with U3 in G4; project P's Developers role held by G1 and G3.
 */
function nestedOrg(c: string): { records: AccessRecord[]; ids: Record<string, string> } {
  const ids = {
    U1: rid(c, 'user', 'u1'),
    U2: rid(c, 'user', 'u2'),
    U3: rid(c, 'user', 'u3'),
    G1: rid(c, 'group', 'g1'),
    G2: rid(c, 'group', 'g2'),
    G3: rid(c, 'group', 'g3'),
    G4: rid(c, 'group', 'g4'),
    P: rid(c, 'project', 'p'),
  };
  const member = (g: string) => `${g}:member`;
  const role = `${ids.P}:role:Developers`;
  const records: AccessRecord[] = [
    resource(c, 'user', 'u1', { email: 'one@example.com', status: 'active' }),
    resource(c, 'user', 'u2', { email: 'Two@Example.com', status: 'active' }),
    resource(c, 'user', 'u3', { email: 'three@example.com', status: 'active' }),
    ...['g1', 'g2', 'g3', 'g4'].map((g) => resource(c, 'group', g)),
    resource(c, 'project', 'p', {}, 'Project P'),
    ...[ids.G1, ids.G2, ids.G3, ids.G4].map((g) => entitlement(g, 'member')),
    entitlement(ids.P, 'role:Developers', 'Developers'),
    grant(member(ids.G1), ids.U1),
    grant(member(ids.G1), ids.G2),
    grant(member(ids.G2), ids.U2),
    grant(member(ids.G3), ids.G4),
    grant(member(ids.G4), ids.G3),
    grant(member(ids.G4), ids.U3),
    grant(role, ids.G1),
    grant(role, ids.G3),
  ];
  return { records, ids: { ...ids, role } };
}

forEachDialect((_dialect, getDb) => {
  const clock = createManualClock('2026-03-01T10:00:00.000Z');

  async function syncNested() {
    const { db } = getDb();
    const store = createSyncStore(db, { clock });
    const connectionId = await insertConnection(db);
    const { records, ids } = nestedOrg(connectionId);
    const run = await store.createRun({ connectionId, trigger: 'manual' });
    if (!run.ok) throw run.error;
    await store.writeBatch(run.value.id, records, { stream: 'main', value: { phase: 'done' } });
    return { store, connectionId, runId: run.value.id, ids };
  }

  describe('expandEffectiveGrants', () => {
    it('expands nested groups to any depth with their path, stops at cycles, and is idempotent', async () => {
      const { store, runId, ids, connectionId } = await syncNested();
      const expanded = await store.expandEffectiveGrants(runId);
      expect(expanded.ok && expanded.value).toBe(7);
      const again = await store.expandEffectiveGrants(runId);
      expect(again.ok && again.value).toBe(7);

      const rows = await getDb()
        .db.selectFrom('sync_grants')
        .select(['entitlement_id', 'principal_id', 'via'])
        .where('run_id', '=', runId)
        .where('via', '<>', '')
        .execute();
      // Stored without the connection prefix (stored-ids.ts), given it back here.
      const prefix = idPrefix(connectionId);
      const effective = rows
        .map((r) => [
          fromStoredId(prefix, r.entitlement_id),
          fromStoredId(prefix, r.principal_id),
          fromStoredVia(prefix, r.via),
        ])
        .sort();
      const m = (g: string | undefined) => `${g ?? ''}:member`;
      expect(effective).toEqual(
        [
          [m(ids.G1), ids.U2, [ids.G2]],
          [ids.role, ids.U1, [ids.G1]],
          [ids.role, ids.G2, [ids.G1]],
          [ids.role, ids.U2, [ids.G1, ids.G2]],
          [m(ids.G3), ids.U3, [ids.G4]],
          [ids.role, ids.G4, [ids.G3]],
          [ids.role, ids.U3, [ids.G3, ids.G4]],
        ].sort(),
      );

      const finished = await store.finishRun(runId, { requests: 1, retries: 0, rateLimited: 0 });
      expect(finished.ok && finished.value.counts).toMatchObject({ grants: 8, effectiveGrants: 7 });
      const late = await store.expandEffectiveGrants(runId);
      expect(!late.ok && late.error.code).toBe('invalid_state');
    });

    it('respects the nesting depth limit', async () => {
      const { runId, ids, connectionId } = await syncNested();
      const shallow = createSyncStore(getDb().db, { clock, maxNestingDepth: 1 });
      const expanded = await shallow.expandEffectiveGrants(runId);
      // Without the second level: no [G1, G2] and no [G3, G4] paths.
      expect(expanded.ok && expanded.value).toBe(5);
      const deep = await getDb()
        .db.selectFrom('sync_grants')
        .select('principal_id')
        .where('run_id', '=', runId)
        .where('principal_id', '=', toStoredId(idPrefix(connectionId), ids.U2 ?? ''))
        .where('entitlement_id', '=', toStoredId(idPrefix(connectionId), ids.role ?? ''))
        .execute();
      expect(deep).toEqual([]);
    });
  });

  describe('access queries', () => {
    it('answers only from the snapshot', async () => {
      const { store, runId, connectionId } = await syncNested();
      await store.expandEffectiveGrants(runId);
      const before = await store.accessForUser([connectionId], 'two@example.com');
      expect(before.ok && before.value.items).toEqual([]);
    });

    it('accessForUser: every entitlement a person holds, by email (any case) or account id, with the path', async () => {
      const { store, runId, connectionId, ids } = await syncNested();
      await store.expandEffectiveGrants(runId);
      await store.finishRun(runId, { requests: 1, retries: 0, rateLimited: 0 });

      const byEmail = await store.accessForUser([connectionId], 'TWO@example.com');
      if (!byEmail.ok) throw byEmail.error;
      const seen = byEmail.value.items.map((e) => [e.entitlement.id, e.via]);
      expect(seen.sort()).toEqual(
        [
          [`${ids.G2 ?? ''}:member`, []],
          [`${ids.G1 ?? ''}:member`, [ids.G2]],
          [ids.role, [ids.G1, ids.G2]],
        ].sort(),
      );
      const viaRole = byEmail.value.items.find((e) => e.entitlement.id === ids.role);
      expect(viaRole).toMatchObject({
        connectionId,
        runId,
        principal: { id: ids.U2, type: 'user', externalId: 'u2', email: 'two@example.com' },
        entitlement: { slug: 'role:Developers', displayName: 'Developers' },
        resource: { id: ids.P, type: 'project', displayName: 'Project P' },
      });

      const byAccountId = await store.accessForUser('all', 'u2');
      expect(byAccountId.ok && byAccountId.value.items.length).toBeGreaterThanOrEqual(3);
      const otherScope = await store.accessForUser(['another-connection'], 'u2');
      expect(otherScope.ok && otherScope.value.items).toEqual([]);

      // Paging: one at a time, same set.
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.accessForUser(
          [connectionId],
          'two@example.com',
          cursor === undefined ? { limit: 1 } : { limit: 1, cursor },
        );
        if (!page.ok) throw page.error;
        walked.push(...page.value.items.map((e) => e.entitlement.id));
        cursor = page.value.nextCursor;
      } while (cursor !== undefined);
      expect(walked.sort()).toEqual(byEmail.value.items.map((e) => e.entitlement.id).sort());
      const bad = await store.accessForUser('all', 'u2', { cursor: 'garbage' });
      expect(!bad.ok && bad.error.code).toBe('bad_cursor');
    });

    it('whoHas: everyone holding an entitlement, or any entitlement of a resource', async () => {
      const { store, runId, connectionId, ids } = await syncNested();
      await store.expandEffectiveGrants(runId);
      await store.finishRun(runId, { requests: 1, retries: 0, rateLimited: 0 });

      const byEntitlement = await store.whoHas(ids.role ?? '', undefined, [connectionId]);
      if (!byEntitlement.ok) throw byEntitlement.error;
      const holders = byEntitlement.value.items.map((e) => [e.principal.id, e.via.length]).sort();
      expect(holders).toEqual(
        [
          [ids.G1, 0],
          [ids.G3, 0],
          [ids.U1, 1],
          [ids.G2, 1],
          [ids.U2, 2],
          [ids.G4, 1],
          [ids.U3, 2],
        ].sort(),
      );
      const byResource = await store.whoHas(ids.P ?? '');
      expect(byResource.ok && byResource.value.items.length).toBe(7);
      const nobody = await store.whoHas('no-such-thing');
      expect(nobody.ok && nobody.value.items).toEqual([]);
    });
  });
});
