import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, SQLITE_FILE_NAME, SQLITE_WRITER_CACHE_MB } from './create-database.ts';
import { redactDatabaseUrl } from './database-error.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'skybridge-createdb-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('createDatabase', () => {
  it('opens SQLite in the data directory with WAL, foreign keys and a busy timeout', async () => {
    const opened = await createDatabase({ dataDir: join(dataDir, 'data'), busyTimeoutMs: 1234 });
    if (!opened.ok) throw opened.error;
    const { db, dialect, file } = opened.value;
    try {
      expect(dialect).toBe('sqlite');
      expect(file).toBe(join(dataDir, 'data', SQLITE_FILE_NAME));
      const pragma = async (name: string) =>
        (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0];
      expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await pragma('busy_timeout')).toEqual({ timeout: 1234 });
      expect(await pragma('cache_size')).toEqual({ cache_size: -SQLITE_WRITER_CACHE_MB * 1024 });
      if (process.platform !== 'win32') {
        expect((await stat(join(dataDir, 'data', SQLITE_FILE_NAME))).mode & 0o777).toBe(0o600);
        expect((await stat(join(dataDir, 'data'))).mode & 0o777).toBe(0o700);
      }
    } finally {
      await opened.value.close();
    }
  });

  it('gives a connection the page cache it asks for', async () => {
    const opened = await createDatabase({ dataDir, sqliteCacheMb: 4 });
    if (!opened.ok) throw opened.error;
    try {
      const rows = (await sql.raw<Record<string, unknown>>('pragma cache_size').execute(opened.value.db)).rows;
      expect(rows[0]).toEqual({ cache_size: -4096 });
    } finally {
      await opened.value.close();
    }
  });

  it('refuses a URL it does not support, without printing its password', async () => {
    const opened = await createDatabase({ url: 'mysql://u:hunter2-secret@127.0.0.1/x', dataDir });
    expect(opened).toMatchObject({ ok: false, error: { code: 'unsupported_url' } });
    if (!opened.ok) expect(JSON.stringify(opened.error)).not.toContain('hunter2');
  });

  it('reports an unreachable PostgreSQL without printing its password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const opened = await createDatabase({
      url: 'postgres://u:hunter2-secret@127.0.0.1:1/x',
      dataDir,
      connectTimeoutMs: 2000,
    });
    expect(opened).toMatchObject({ ok: false, error: { code: 'connect_failed' } });
    if (opened.ok) return;
    expect(opened.error.message).toContain('127.0.0.1:1');
    expect(opened.error.message).toContain('ECONNREFUSED');
    expect(JSON.stringify(opened.error)).not.toContain('hunter2');
  });
});

describe('redactDatabaseUrl', () => {
  it('masks the password and drops the query string', () => {
    expect(redactDatabaseUrl('postgres://app:s3cret@db.internal:5432/hub?sslpassword=x')).toBe(
      'postgres://app:••••@db.internal:5432/hub',
    );
    expect(redactDatabaseUrl('postgres://127.0.0.1/hub')).toBe('postgres://127.0.0.1/hub');
    expect(redactDatabaseUrl('not a url')).toBe('(unparsable URL)');
  });
});
