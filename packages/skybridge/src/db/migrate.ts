import type { Migration, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { DatabaseHandle } from './create-database.ts';
import { DatabaseError, driverErrorCode } from './database-error.ts';
import * as m0001 from './migrations/0001-connections.ts';
import * as m0002 from './migrations/0002-jobs.ts';
import * as m0003 from './migrations/0003-sync.ts';
import * as m0004 from './migrations/0004-dataout.ts';
import * as m0005 from './migrations/0005-sync-stored-ids.ts';

/**
 * Every migration, in order. In code rather than read from a folder so the set is fixed at build time and works
 * the same from a package, a bundle or the source tree. Add new ones at the end: `0002-<what>.ts`.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-connections': m0001,
  '0002-jobs': m0002,
  '0003-sync': m0003,
  '0004-dataout': m0004,
  '0005-sync-stored-ids': m0005,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

function createMigrator(handle: DatabaseHandle): Migrator {
  return new Migrator({
    db: handle.db,
    provider,
    // Without a schema Kysely looks for its bookkeeping table in every schema of the server, and would take
    // another schema's table (another app, or a parallel test) for ours.
    ...(handle.schema === undefined ? {} : { migrationTableSchema: handle.schema }),
  });
}

/** Applies every pending migration (each in its own transaction); returns the names applied. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<Result<string[], DatabaseError>> {
  const { error, results = [] } = await createMigrator(handle).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(bookkeeping)';
    return err(
      new DatabaseError('migration_failed', `Migration ${failed} failed (${driverErrorCode(error) ?? 'error'})`),
    );
  }
  return ok(results.filter((r) => r.status === 'Success').map((r) => r.migrationName));
}

/**
 * Whether no migration has ever run here: a first start. The hub uses it to decide whether the vault may create
 * a key (with existing data a new key would open nothing, so a missing key must stop the hub instead).
 */
export async function isFreshDatabase(handle: DatabaseHandle): Promise<boolean> {
  const migrations = await createMigrator(handle).getMigrations();
  return migrations.every((m) => m.executedAt === undefined);
}
