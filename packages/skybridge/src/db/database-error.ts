/** Why the database could not be opened or migrated. Messages never contain a password or a query's values. */
export const DATABASE_ERROR_CODES = [
  /** The URL is neither `postgres://`/`postgresql://` nor absent (SQLite). */
  'unsupported_url',
  /** The SQLite file could not be opened or PostgreSQL could not be reached. */
  'connect_failed',
  /** A migration failed; the database is left at the last migration that succeeded. */
  'migration_failed',
] as const;
export type DatabaseErrorCode = (typeof DATABASE_ERROR_CODES)[number];

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly code: DatabaseErrorCode;

  /** `message` must be built from redacted URLs, file paths and driver error codes only. */
  constructor(code: DatabaseErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: DatabaseErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** A database URL safe to print: the password replaced by `••••`, the query string dropped. */
export function redactDatabaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(unparsable URL)';
  }
  const user = u.username === '' ? '' : `${u.username}${u.password === '' ? '' : ':••••'}@`;
  return `${u.protocol}//${user}${u.host}${u.pathname}`;
}

/** A driver error's code (`ECONNREFUSED`, `SQLITE_CANTOPEN`, `28P01`, ...) for a message, or undefined. */
export function driverErrorCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
