import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/**
 * What a checkpoint does is visible in the database file alone: a copy of it without its WAL holds exactly the
 * frames copied so far. The writer here never checkpoints itself (`wal_autocheckpoint = 0`) and stays open (the
 * last connection to close would checkpoint), so only the checkpointer can put the rows there.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skybridge-walckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openWriter(file: string): SqliteDatabase.Database {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('create table t (n integer primary key)');
  const insert = db.prepare('insert into t (n) values (?)');
  db.transaction(() => {
    for (let n = 1; n <= 1000; n++) insert.run(n);
  })();
  return db;
}

/** Rows of `t` in a copy of the database file taken without its WAL; undefined while it has no such table. */
async function rowsInFileAlone(file: string): Promise<number | undefined> {
  const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
  await copyFile(file, copy);
  const db = new SqliteDatabase(copy, { readonly: true });
  try {
    const row = db.prepare("select count(*) as n from sqlite_master where name = 't'").get() as { n: number };
    return row.n === 0 ? undefined : (db.prepare('select count(*) as n from t').get() as { n: number }).n;
  } catch (e) {
    // A copy taken while a checkpoint writes may be torn: the caller tries again.
    if (/SQLITE_(CORRUPT|NOTADB)/.test(String((e as { code?: unknown }).code))) return undefined;
    throw e;
  } finally {
    db.close();
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('startWalCheckpointer', () => {
  it('copies what another connection committed into the database file', async () => {
    const file = join(dir, 'hub.db');
    const writer = openWriter(file);
    try {
      // The control: committed, but only in the WAL.
      expect(await rowsInFileAlone(file)).toBeUndefined();
      const checkpointer = startWalCheckpointer({ file, intervalMs: 10 });
      try {
        expect(await checkpointer.started).toEqual({ ok: true });
        expect(await waitFor(async () => (await rowsInFileAlone(file)) === 1000, 5000)).toBe(true);
        // Later commits follow while the writer keeps its connection.
        writer.prepare('insert into t (n) values (?)').run(1001);
        expect(await waitFor(async () => (await rowsInFileAlone(file)) === 1001, 5000)).toBe(true);
      } finally {
        await checkpointer.close();
      }
    } finally {
      writer.close();
    }
  });

  it('says why when it cannot open the file, and still closes', async () => {
    const checkpointer = startWalCheckpointer({ file: join(dir, 'missing.db'), intervalMs: 10 });
    const started = await checkpointer.started;
    expect(started.ok).toBe(false);
    if (!started.ok) expect(started.message).toMatch(/unable to open|no such file|missing/i);
    await checkpointer.close();
  });
});
