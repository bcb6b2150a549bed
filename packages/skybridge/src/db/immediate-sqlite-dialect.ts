import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite dialect with transactions that begin `immediate`: they take the write lock at `begin`, waiting
 * for it up to the busy timeout, instead of at their first write.
 *
 * Why: more than one connection writes to the file (the sync page writer's thread, a CLI command beside a running
 * server). A deferred transaction that has read and then tries to write after another connection committed fails
 * at once with SQLITE_BUSY, without waiting: the busy timeout cannot help it. One that begins immediate waits its
 * turn and then sees the latest data.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
