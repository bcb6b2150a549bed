/**
 * Runs a repository test suite on every dialect (the idea of kysely's `test/node/src/test-setup.ts`): SQLite in a
 * fresh temporary file, and PostgreSQL in a fresh schema of `SKYBRIDGE_TEST_PG_URL` (default
 * `postgres://postgres@127.0.0.1:5432/test`), dropped afterwards, so test files running in parallel processes
 * never see each other's rows.
 *
 * Without PostgreSQL the postgres suite is skipped with a console notice, unless `SKYBRIDGE_TEST_PG_URL` is set
 * or `CI` is true: then an unreachable server fails the run, so CI cannot go green without running it.
 *
 * For tests only: it imports vitest.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DatabaseDialect, DatabaseHandle } from './create-database.ts';
import { createDatabase } from './create-database.ts';
import { redactDatabaseUrl } from './database-error.ts';
import { migrateToLatest } from './migrate.ts';

export const TEST_PG_URL = process.env['SKYBRIDGE_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test';
const pgRequired = Boolean(process.env['SKYBRIDGE_TEST_PG_URL']) || process.env['CI'] === 'true';

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (e) {
    return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'error';
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Decided once per test file, before its suites are collected (describe vs describe.skip must be known then).
const pgProblem = await probePostgres();
if (pgProblem !== undefined && !pgRequired) {
  console.warn(
    `\n[skybridge] PostgreSQL is not reachable at ${redactDatabaseUrl(TEST_PG_URL)} (${pgProblem}): ` +
      `the postgres repository tests are SKIPPED on this machine. Set SKYBRIDGE_TEST_PG_URL to run them.\n`,
  );
}

export interface ForEachDialectOptions {
  /** Apply all migrations before the suite. Default true. */
  migrate?: boolean;
}

/**
 * Declares `suite` once per dialect, inside a `describe(<dialect>)`. `getDb()` returns that dialect's database,
 * opened (and by default migrated) in `beforeAll` and destroyed in `afterAll`; it is shared by the tests of the
 * suite, so tests use unique names rather than expecting empty tables.
 */
export function forEachDialect(
  suite: (dialect: DatabaseDialect, getDb: () => DatabaseHandle) => void,
  options: ForEachDialectOptions = {},
): void {
  const migrate = options.migrate ?? true;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    let handle: DatabaseHandle | undefined;
    const getDb = () => {
      if (!handle) throw new Error(`the ${dialect} test database is not open (getDb() called outside a test?)`);
      return handle;
    };

    if (dialect === 'postgres' && pgProblem !== undefined) {
      if (pgRequired) {
        describe(dialect, () => {
          it('reaches PostgreSQL', () => {
            throw new Error(
              `PostgreSQL is required here but unreachable at ${redactDatabaseUrl(TEST_PG_URL)} (${pgProblem})`,
            );
          });
        });
      } else {
        describe.skip(`${dialect} (unreachable, skipped)`, () => suite(dialect, getDb));
      }
      continue;
    }

    describe(dialect, () => {
      let cleanup: () => Promise<void> = () => Promise.resolve();
      beforeAll(async () => {
        const opened = dialect === 'sqlite' ? await openSqlite() : await openPostgres();
        handle = opened.handle;
        cleanup = opened.cleanup;
        if (migrate) {
          const migrated = await migrateToLatest(handle);
          if (!migrated.ok) throw migrated.error;
        }
      });
      afterAll(async () => {
        await cleanup();
        handle = undefined;
      });
      suite(dialect, getDb);
    });
  }
}

async function openSqlite() {
  const dataDir = await mkdtemp(join(tmpdir(), 'skybridge-db-test-'));
  const opened = await createDatabase({ dataDir });
  if (!opened.ok) throw opened.error;
  const handle = opened.value;
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgres() {
  const schema = `skybridge_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const opened = await createDatabase({ url: TEST_PG_URL, dataDir: tmpdir(), schema });
  if (!opened.ok) {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    throw opened.error;
  }
  const handle = opened.value;
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

/**
 * Why PostgreSQL cannot be used here (undefined when it can), and whether it must be: for tests that set up a
 * PostgreSQL database themselves (the hub harness) and want the same skip-or-fail rule as `forEachDialect`.
 */
export const POSTGRES_PROBLEM: string | undefined = pgProblem;
export const POSTGRES_REQUIRED: boolean = pgRequired;

/** The dialects a hub-level test should run on: both, or SQLite alone (with the notice above) where allowed. */
export function testDialects(): Array<'sqlite' | 'postgres'> {
  return pgProblem !== undefined && !pgRequired ? ['sqlite'] : ['sqlite', 'postgres'];
}
