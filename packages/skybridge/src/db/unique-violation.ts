import { RepoError } from './repo-error.ts';

/**
 * The columns of the unique constraint an insert or update violated, or undefined if `e` is not a unique
 * violation. Only the column names are taken from the driver's error: its message (PostgreSQL's `detail`) also
 * quotes the value, which must not travel further.
 */
export function uniqueViolationColumns(e: unknown): string[] | undefined {
  if (!(e instanceof Error) || !('code' in e)) return undefined;
  // better-sqlite3: code SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, message "UNIQUE constraint failed: t.a, t.b".
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const list = /constraint failed: (.+)$/.exec(e.message)?.[1];
    return list?.split(',').map((c) => c.trim().split('.').pop() ?? c) ?? [];
  }
  // pg: SQLSTATE 23505 with detail "Key (a, b)=(...) already exists.".
  if (e.code === '23505') {
    const detail = 'detail' in e && typeof e.detail === 'string' ? e.detail : '';
    const list = /^Key \(([^)]+)\)=/.exec(detail)?.[1];
    return list?.split(',').map((c) => c.trim().replace(/^"|"$/g, '')) ?? [];
  }
  return undefined;
}

/**
 * A `duplicate` RepoError naming the field (camelCase) whose uniqueness `e` violated. Anything else is not an
 * expected failure and is rethrown as it is.
 */
export function toDuplicateError(e: unknown, entity: string): RepoError {
  const columns = uniqueViolationColumns(e);
  if (columns === undefined) throw e;
  const column = columns[0];
  return new RepoError(
    'duplicate',
    entity,
    column === undefined ? undefined : column.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase()),
  );
}
