import { Migrator, sql } from 'kysely';
import { expect, it } from 'vitest';
import { createAccessQueries } from '../../sync/store/access-queries.ts';
import { exportSnapshot } from '../../sync/store/export-snapshot.ts';
import { insertConnection, rowsOf } from '../../sync/store/test-fixtures.ts';
import { VIA_SEPARATOR } from '../../sync/store/via-path.ts';
import { migrateToLatest, MIGRATIONS } from '../migrate.ts';
import { forEachDialect } from '../test-dialects.ts';
import type { DatabaseHandle } from '../create-database.ts';

const migrator = (handle: DatabaseHandle) =>
  new Migrator({
    db: handle.db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    ...(handle.schema === undefined ? {} : { migrationTableSchema: handle.schema }),
  });

/** A run of `connectionId` with rows as 0004 stored them: every id with its connection's prefix. */
async function seedOldRows(handle: DatabaseHandle, connectionId: string): Promise<string> {
  const { db } = handle;
  const runId = `run-${connectionId}`;
  const at = '2026-01-01T00:00:00.000Z';
  await db
    .insertInto('sync_runs')
    .values({ id: runId, connection_id: connectionId, status: 'succeeded', trigger: 'manual', created_at: at })
    .execute();
  const id = (rest: string) => `${connectionId}:${rest}`;
  const resource = (rest: string, type: string, parent: string | null = null) => ({
    run_id: runId,
    id: id(rest),
    type,
    external_id: rest,
    display_name: rest,
    parent_id: parent,
    email: type === 'user' ? 'ann@example.com' : null,
    status: null,
    attributes: '{}',
  });
  await db
    .insertInto('sync_resources')
    .values([
      resource('user:ann', 'user'),
      resource('group:outer', 'group'),
      resource('group:inner', 'group'),
      resource('project:p', 'project'),
      resource('project_role:p:dev', 'project_role', id('project:p')),
    ])
    .execute();
  await db
    .insertInto('sync_entitlements')
    .values([
      {
        run_id: runId,
        id: id('group:outer:member'),
        resource_id: id('group:outer'),
        slug: 'member',
        display_name: 'm',
      },
      { run_id: runId, id: id('project:p:browse'), resource_id: id('project:p'), slug: 'browse', display_name: 'b' },
    ])
    .execute();
  await db
    .insertInto('sync_grants')
    .values([
      { run_id: runId, entitlement_id: id('group:outer:member'), principal_id: id('group:inner'), via: '' },
      { run_id: runId, entitlement_id: id('project:p:browse'), principal_id: id('group:outer'), via: '' },
      {
        run_id: runId,
        entitlement_id: id('project:p:browse'),
        principal_id: id('user:ann'),
        via: [id('group:outer'), id('group:inner')].join(VIA_SEPARATOR),
      },
    ])
    .execute();
  await db
    .insertInto('sync_snapshots')
    .values({ connection_id: connectionId, run_id: runId, promoted_at: at })
    .execute();
  return runId;
}

forEachDialect(
  (_dialect, getDb) => {
    it('0005 stores the ids of runs already synced without their connection prefix, and reads give them back', async () => {
      const handle = getDb();
      const moved = await migrator(handle).migrateTo('0004-dataout');
      expect(moved.error).toBeUndefined();
      const connectionId = await insertConnection(handle.db);
      const runId = await seedOldRows(handle, connectionId);

      expect(await migrateToLatest(handle)).toEqual({ ok: true, value: ['0005-sync-stored-ids'] });

      const rows = await rowsOf(handle.db, runId);
      expect(rows.resources.map((r) => [r.id, r.parent_id])).toEqual([
        ['group:inner', null],
        ['group:outer', null],
        ['project:p', null],
        ['project_role:p:dev', 'project:p'],
        ['user:ann', null],
      ]);
      expect(rows.entitlements.map((e) => [e.id, e.resource_id])).toEqual([
        ['group:outer:member', 'group:outer'],
        ['project:p:browse', 'project:p'],
      ]);
      expect(rows.grants).toEqual([
        { entitlement_id: 'group:outer:member', principal_id: 'group:inner', via: '' },
        { entitlement_id: 'project:p:browse', principal_id: 'group:outer', via: '' },
        {
          entitlement_id: 'project:p:browse',
          principal_id: 'user:ann',
          via: ['group:outer', 'group:inner'].join(VIA_SEPARATOR),
        },
      ]);

      // What the store reads is what it read before the migration: full ids, paths included.
      const id = (rest: string) => `${connectionId}:${rest}`;
      const who = await createAccessQueries(handle.db).whoHas(id('project:p'));
      expect(who.ok && who.value.items.map((e) => [e.principal.id, e.entitlement.id, e.resource?.id, e.via])).toEqual([
        [id('group:outer'), id('project:p:browse'), id('project:p'), []],
        [id('user:ann'), id('project:p:browse'), id('project:p'), [id('group:outer'), id('group:inner')]],
      ]);
      let jsonl = '';
      await exportSnapshot(handle.db, 'all', 'jsonl', (chunk) => {
        jsonl += chunk;
      });
      expect(jsonl).toContain(`"parentId":"${id('project:p')}"`);
      expect(jsonl).not.toMatch(/"(id|principalId|entitlementId|resourceId)":"(user|group|project)/);

      // Down puts the prefix back, exactly.
      const down = await migrator(handle).migrateDown();
      expect(down.error).toBeUndefined();
      const restored = await rowsOf(handle.db, runId);
      expect(restored.resources.map((r) => r.id)).toEqual(
        ['group:inner', 'group:outer', 'project:p', 'project_role:p:dev', 'user:ann'].map(id),
      );
      expect(restored.grants.at(-1)).toEqual({
        entitlement_id: id('project:p:browse'),
        principal_id: id('user:ann'),
        via: [id('group:outer'), id('group:inner')].join(VIA_SEPARATOR),
      });
      const { rows: parents } = await sql<{ parent_id: string }>`
        select parent_id from sync_resources where parent_id is not null
      `.execute(handle.db);
      expect(parents).toEqual([{ parent_id: id('project:p') }]);
    });
  },
  { migrate: false },
);
