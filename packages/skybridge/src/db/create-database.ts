import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { DatabaseError, driverErrorCode, redactDatabaseUrl } from './database-error.ts';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.ts';

export const DATABASE_DIALECTS = ['sqlite', 'postgres'] as const;
export type DatabaseDialect = (typeof DATABASE_DIALECTS)[number];

/**
 * SQLite page cache per connection, MB, by default: what a bulk writer (the sync page writer) needs. A sync writes
 * hundreds of thousands of rows into wide indexes; SQLite's default 2 MB makes each insert re-read index pages
 * from the OS. Measured on the sync bench: 8 MB made the org sync 5% slower, 256 MB wrote no faster.
 */
export const SQLITE_WRITER_CACHE_MB = 16;

/**
 * The hub's own connection, MB: it serves the API, the job queue and the end of a sync (counts, expansion), while
 * the bulk writes of a sync go through the page writer's connection. Measured on the sync bench: 4 MB instead of
 * 16 took 25-30 MB off the hub's peak memory (the cache fills while a sync is finished) and no time.
 */
export const SQLITE_HUB_CACHE_MB = 4;

/** The SQLite file's name inside the data directory. */
export const SQLITE_FILE_NAME = 'skybridge.db';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface CreateDatabaseOptions {
  /**
   * `postgres://` or `postgresql://` (the `DATABASE_URL`) for PostgreSQL. Default: absent, meaning SQLite in
   * `<dataDir>/skybridge.db`.
   */
  url?: string | undefined;
  /** The data directory; created (mode 0700) if missing when SQLite is used. */
  dataDir: string;
  /** PostgreSQL only: the schema to work in (sets `search_path`). Default: the server's default (`public`). */
  schema?: string;
  /** SQLite: the connection's page cache, MB. Default `SQLITE_WRITER_CACHE_MB`. */
  sqliteCacheMb?: number;
  /** SQLite: how long a writer waits for a lock, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** PostgreSQL: connect timeout, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** PostgreSQL: server-side statement timeout, ms. Default 30000. */
  statementTimeoutMs?: number;
  /** PostgreSQL: pool size. Default 10. */
  poolSize?: number;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DatabaseDialect;
  /** PostgreSQL: the schema in use (migrations keep their bookkeeping there). SQLite: undefined. */
  schema: string | undefined;
  /** SQLite: the database file. PostgreSQL: undefined. */
  file: string | undefined;
  /** Closes the pool or the file. */
  close(): Promise<void>;
}

/**
 * Opens the database: SQLite (WAL, foreign keys on, a busy timeout; file mode 0600 since it holds sealed
 * secrets) or PostgreSQL (a pg Pool with connect and statement timeouts). It checks the connection once, so a
 * wrong URL fails here with a clear message instead of at the first query. It does not migrate: see
 * `migrateToLatest`, and `isFreshDatabase` to learn whether this is a first start.
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<Result<DatabaseHandle, DatabaseError>> {
  const url = options.url;
  if (url === undefined || url === '') return openSqlite(options);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  return err(
    new DatabaseError(
      'unsupported_url',
      `DATABASE_URL must start with postgres:// or postgresql:// (or be unset for SQLite); got ${redactDatabaseUrl(url)}`,
    ),
  );
}

function openSqlite(options: CreateDatabaseOptions): Result<DatabaseHandle, DatabaseError> {
  const file = join(options.dataDir, SQLITE_FILE_NAME);
  let database: SqliteDatabase.Database | undefined;
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    database = new SqliteDatabase(file, { timeout: options.busyTimeoutMs ?? 5000 });
    // The file holds sealed secrets and the audit log: owner only. SQLite gives -wal/-shm the same mode.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
  } catch (e) {
    database?.close();
    return err(
      new DatabaseError(
        'connect_failed',
        `Could not open the SQLite database ${file} (${driverErrorCode(e) ?? 'error'})`,
      ),
    );
  }
  // WAL lets readers (the API) run while a writer (a sync) commits; NORMAL is durable enough under WAL.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  // A fixed page cache per connection (negative = KiB): see SQLITE_WRITER_CACHE_MB and SQLITE_HUB_CACHE_MB.
  database.pragma(`cache_size = -${(options.sqliteCacheMb ?? SQLITE_WRITER_CACHE_MB) * 1024}`);
  // Each checkpoint copies the WAL's pages into the database file and syncs it. At SQLite's default (every 1,000
  // pages, 4 MB) a sync spent a third of its time in checkpoints rewriting the same hot index pages; every 65,536
  // pages (256 MB) they are rewritten once per checkpoint instead. `journal_size_limit` trims the WAL file back to
  // 64 MB after a checkpoint, so the disk does not keep the peak.
  database.pragma('wal_autocheckpoint = 65536');
  database.pragma('journal_size_limit = 67108864');
  // SQLite ships with foreign keys off, per connection.
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  return ok({ db, dialect: 'sqlite', schema: undefined, file, close: () => db.destroy() });
}

async function openPostgres(
  url: string,
  options: CreateDatabaseOptions,
): Promise<Result<DatabaseHandle, DatabaseError>> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error('schema must be a lower-case SQL identifier');
  }
  // Loaded here rather than at the top: a hub on SQLite, and the sync page writer's thread (whose start every
  // sync waits for), never need the PostgreSQL driver, and loading it cost them 25 ms (measured).
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open by a crash in the middle of a use-case must not hold locks forever.
    idle_in_transaction_session_timeout: 60_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client's error (e.g. the server restarted) is emitted on the pool; without a listener it would crash
  // the process. The next query gets a fresh client.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? undefined;
    if (schema === undefined) {
      await db.destroy();
      return err(new DatabaseError('connect_failed', `PostgreSQL at ${redactDatabaseUrl(url)} has no usable schema`));
    }
    return ok({ db, dialect: 'postgres', schema, file: undefined, close: () => db.destroy() });
  } catch (e) {
    await db.destroy();
    return err(
      new DatabaseError(
        'connect_failed',
        `Could not connect to PostgreSQL at ${redactDatabaseUrl(url)} (${driverErrorCode(e) ?? 'error'})`,
      ),
    );
  }
}
