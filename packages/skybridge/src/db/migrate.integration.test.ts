import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { isFreshDatabase, migrateToLatest, MIGRATIONS } from './migrate.ts';
import { forEachDialect } from './test-dialects.ts';

forEachDialect(
  (dialect, getDb) => {
    it('applies every migration once, from a fresh database', async () => {
      const handle = getDb();
      expect(await isFreshDatabase(handle)).toBe(true);
      expect(await migrateToLatest(handle)).toEqual({ ok: true, value: Object.keys(MIGRATIONS) });
      expect(await isFreshDatabase(handle)).toBe(false);
      expect(await migrateToLatest(handle)).toEqual({ ok: true, value: [] });
    });

    it('creates the tables of migration 0001', async () => {
      const { db } = getDb();
      for (const table of ['connections', 'connection_status_events', 'audit_log', 'api_tokens'] as const) {
        const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        expect(Number(rows[0]?.n)).toBe(0);
      }
    });

    if (dialect === 'postgres') {
      it('keeps its tables and bookkeeping in its own schema', async () => {
        const handle = getDb();
        const { rows } = await sql<{ table_name: string }>`
          select table_name from information_schema.tables where table_schema = ${handle.schema} order by table_name
        `.execute(handle.db);
        // Every feature's tables and the migration bookkeeping land here (later migrations add more tables).
        expect(rows.map((r) => r.table_name)).toEqual(
          expect.arrayContaining([
            'api_tokens',
            'audit_log',
            'connection_status_events',
            'connections',
            'jobs',
            'kysely_migration',
            'kysely_migration_lock',
          ]),
        );
      });
    }
  },
  { migrate: false },
);
