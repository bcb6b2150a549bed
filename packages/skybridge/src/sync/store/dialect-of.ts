import type { Kysely } from 'kysely';
import { SqliteAdapter } from 'kysely';

/**
 * Whether `db` talks to SQLite. The store takes a bare Kysely (what repositories take), and the one thing it must
 * know is whether row locks (`for update`) exist: PostgreSQL needs them for read-modify-write of a run under
 * read committed; SQLite has no such clause and needs none (a write transaction holds the database lock).
 */
export function isSqlite(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
