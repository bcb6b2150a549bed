import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import type { SealedSecret } from '../domain/connection.ts';
import { createKeyRing } from '../vault/key-ring.ts';
import { maskSecret } from '../vault/mask-secret.ts';
import { resealAll } from '../vault/reseal-all.ts';
import { sealedKeyId } from '../vault/sealed-secret.ts';
import { createVault } from '../vault/vault.ts';
import type { NewConnection } from './connections-repo.ts';
import { createConnectionsRepo } from './connections-repo.ts';
import { newId } from './new-id.ts';
import { RepoError } from './repo-error.ts';
import { createStatusEventsRepo } from './status-events-repo.ts';
import { forEachDialect } from './test-dialects.ts';

const vault = createVault(createKeyRing());
const clock = createManualClock('2026-03-01T10:00:00.000Z');
let counter = 0;

/** A new connection with a unique name and a secret sealed to its id. */
function newConnection(overrides: Partial<NewConnection> = {}, plain = `token-${newId()}`): NewConnection {
  const id = overrides.id ?? newId();
  return {
    id,
    name: `conn ${++counter} ${id.slice(-6)}`,
    kind: 'jira-cloud',
    url: 'https://example.atlassian.net',
    email: 'admin@example.com',
    secret: { sealed: vault.seal(plain, id), hint: maskSecret(plain) },
    at: clock.now(),
    ...overrides,
  };
}

forEachDialect((dialect, getDb) => {
  const repo = () => createConnectionsRepo(getDb().db);

  it('inserts and reads back a connection by id and by name, optional fields absent', async () => {
    const input = newConnection({ tokenExpiresAt: new Date('2026-12-31T00:00:00.000Z') });
    const inserted = await repo().insert(input);
    expect(inserted.ok).toBe(true);
    const expected = {
      id: input.id,
      name: input.name,
      kind: 'jira-cloud',
      url: 'https://example.atlassian.net',
      email: 'admin@example.com',
      secretHint: input.secret.hint,
      authMode: 'direct',
      tokenExpiresAt: new Date('2026-12-31T00:00:00.000Z'),
      status: 'unverified',
      consecutiveFailures: 0,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      version: 1,
    };
    // toStrictEqual: an absent optional field must be absent, not `undefined`.
    expect(inserted.ok && inserted.value).toStrictEqual(expected);
    expect(await repo().getById(input.id)).toStrictEqual(expected);
    expect(await repo().getByName(input.name)).toStrictEqual(expected);
    expect(await repo().getById('missing')).toBeUndefined();
    expect(await repo().getByName('missing')).toBeUndefined();
  });

  it('keeps every field of an org connection', async () => {
    const input = newConnection({
      kind: 'atlassian-org',
      orgId: 'org-1',
      siteId: 'site-1',
      url: 'http://127.0.0.1:9/admin',
      teamsUrl: 'http://127.0.0.1:9/teams',
      caCert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      status: 'connected',
    });
    const inserted = await repo().insert(input);
    expect(inserted.ok && inserted.value).toMatchObject({
      kind: 'atlassian-org',
      orgId: 'org-1',
      siteId: 'site-1',
      url: 'http://127.0.0.1:9/admin',
      teamsUrl: 'http://127.0.0.1:9/teams',
      caCert: input.caCert,
      status: 'connected',
    });
  });

  it('refuses a duplicate name with a typed error naming the field, and a duplicate id', async () => {
    const first = newConnection();
    expect((await repo().insert(first)).ok).toBe(true);
    const sameName = await repo().insert(newConnection({ name: first.name }));
    expect(sameName.ok).toBe(false);
    if (sameName.ok) return;
    expect(sameName.error).toBeInstanceOf(RepoError);
    expect(sameName.error.toJSON()).toEqual({
      code: 'duplicate',
      field: 'name',
      message: 'A connection with this name already exists.',
    });

    const sameId = await repo().insert(newConnection({ id: first.id }));
    expect(sameId).toMatchObject({ ok: false, error: { code: 'duplicate', field: 'id' } });
  });

  it('updates with a version check: absent fields stay, null clears, the version and updatedAt move', async () => {
    const input = newConnection();
    await repo().insert(input);
    clock.advance(60_000);
    const updated = await repo().update(
      input.id,
      1,
      { email: null, url: 'https://other.atlassian.net', status: 'connected' },
      clock.now(),
    );
    expect(updated.ok).toBe(true);
    if (!updated.ok) return;
    expect(updated.value).not.toHaveProperty('email');
    expect(updated.value).toMatchObject({
      url: 'https://other.atlassian.net',
      name: input.name,
      version: 2,
      status: 'connected',
    });
    expect(updated.value.updatedAt).toEqual(clock.now());
    expect(updated.value.createdAt).toEqual(input.at);
    expect(await repo().getById(input.id)).toStrictEqual(updated.value);
  });

  it('refuses an update based on a stale version, and one of an unknown id', async () => {
    const input = newConnection();
    await repo().insert(input);
    expect((await repo().update(input.id, 1, { name: `${input.name} (a)` }, clock.now())).ok).toBe(true);
    const stale = await repo().update(input.id, 1, { name: `${input.name} (b)` }, clock.now());
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_version' } });
    expect((await repo().getById(input.id))?.name).toBe(`${input.name} (a)`);
    expect(await repo().update('no-such-id', 1, { name: 'x' }, clock.now())).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses a rename onto an existing name', async () => {
    const a = newConnection();
    const b = newConnection();
    await repo().insert(a);
    await repo().insert(b);
    expect(await repo().update(b.id, 1, { name: a.name }, clock.now())).toMatchObject({
      ok: false,
      error: { code: 'duplicate', field: 'name' },
    });
  });

  it('replaces the secret and its hint together', async () => {
    const input = newConnection();
    await repo().insert(input);
    const plain = 'replacement-token-ABCD';
    const updated = await repo().update(
      input.id,
      1,
      { secret: { sealed: vault.seal(plain, input.id), hint: maskSecret(plain) } },
      clock.now(),
    );
    expect(updated.ok && updated.value.secretHint).toBe('••••ABCD');
    const stored = await repo().getSealedSecret(input.id);
    expect(stored?.version).toBe(2);
    const opened = stored && vault.open(stored.sealed, input.id);
    expect(opened?.ok && opened.value.reveal()).toBe(plain);
  });

  it('records a check without bumping the version, and refuses one begun before an edit', async () => {
    const input = newConnection();
    await repo().insert(input);
    clock.advance(1000);
    const checked = await repo().recordStatus(input.id, 1, {
      status: 'needs_reauthorization',
      consecutiveFailures: 1,
      lastCheckedAt: clock.now(),
      lastError: { code: 'unauthorized', message: 'The API token was refused.' },
      lastExpiryWarningDays: 7,
    });
    expect(checked.ok && checked.value).toMatchObject({
      version: 1,
      status: 'needs_reauthorization',
      consecutiveFailures: 1,
      lastCheckedAt: clock.now(),
      lastError: { code: 'unauthorized', message: 'The API token was refused.' },
      lastExpiryWarningDays: 7,
    });
    // The user's edit based on version 1 still applies.
    expect((await repo().update(input.id, 1, { lastError: null }, clock.now())).ok).toBe(true);
    // A check that started on version 1 is now stale: its result says nothing about the edited connection.
    expect(await repo().recordStatus(input.id, 1, { status: 'connected' })).toMatchObject({
      ok: false,
      error: { code: 'stale_version' },
    });
    expect(await repo().recordStatus(input.id, 2, {})).toMatchObject({ ok: true, value: { version: 2 } });
    expect(await repo().recordStatus('no-such-id', 1, {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('stores only the allow-listed fields of lastError, message cut to length', async () => {
    const input = newConnection();
    await repo().insert(input);
    const lastError = { code: 'server_error', message: 'x'.repeat(600), cause: 'token-in-cause' } as const;
    const checked = await repo().recordStatus(input.id, 1, { lastError });
    expect(checked.ok && checked.value.lastError).toEqual({ code: 'server_error', message: 'x'.repeat(500) });
    const raw = await getDb()
      .db.selectFrom('connections')
      .select('last_error')
      .where('id', '=', input.id)
      .executeTakeFirst();
    expect(raw?.last_error).not.toContain('token-in-cause');
  });

  it('deletes a connection and its status history', async () => {
    const input = newConnection();
    await repo().insert(input);
    const events = createStatusEventsRepo(getDb().db);
    await events.append({ connectionId: input.id, toStatus: 'unverified', reasonCode: 'created', at: clock.now() });
    expect(await repo().delete(input.id)).toEqual({ ok: true, value: undefined });
    expect(await repo().getById(input.id)).toBeUndefined();
    const history = await events.listForConnection(input.id);
    expect(history.ok && history.value.items).toEqual([]);
    expect(await repo().delete(input.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('paginates in a stable order: every row once, even with inserts during the walk', async () => {
    // Several rows share a creation time, so the id has to break the tie.
    for (let i = 0; i < 7; i++) {
      if (i % 3 === 0) clock.advance(1);
      await repo().insert(newConnection());
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repo().list({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      if (!page.ok) throw page.error;
      seen.push(...page.value.items.map((c) => c.id));
      cursor = page.value.nextCursor;
      // A row that sorts before the cursor (an earlier creation time) must not shift what comes next.
      if (pages++ === 0) await repo().insert(newConnection({ at: new Date('2020-01-01T00:00:00.000Z') }));
    } while (cursor !== undefined);

    const all = await getDb()
      .db.selectFrom('connections')
      .select(['id', 'created_at'])
      .where('created_at', '>', '2020-01-01T00:00:00.000Z')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(seen).toEqual(all.map((r) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(2);
  });

  it('refuses a cursor it did not produce', async () => {
    for (const cursor of ['garbage', Buffer.from('["not a date","x"]').toString('base64url')]) {
      expect(await repo().list({ cursor })).toMatchObject({ ok: false, error: { code: 'bad_cursor' } });
    }
  });

  it('re-seals every stored secret under a rotated key, online', async () => {
    const ring = createKeyRing();
    const localVault = createVault(ring);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = newId();
      ids.push(id);
      const plain = `rotate-me-${i}-0000000`;
      await repo().insert(
        newConnection({ id, secret: { sealed: localVault.seal(plain, id), hint: maskSecret(plain) } }),
      );
    }
    const oldKey = ring.primaryKeyId;
    const newKey = ring.rotate();
    // Other tests' rows were sealed by another vault: they are reported as failed and left alone.
    const report = await resealAll({
      vault: localVault,
      items: repo().listSealedSecrets(2),
      write: (id, next, previous) => repo().updateSealedSecret(id, next, previous),
    });
    expect(report.resealed).toBe(5);
    expect(report.failed.every((f) => f.code === 'unknown_key' && !ids.includes(f.id))).toBe(true);
    for (const [i, id] of ids.entries()) {
      const stored = await repo().getSealedSecret(id);
      expect(stored && sealedKeyId(stored.sealed)).toBe(newKey);
      expect(stored?.version).toBe(1);
      const opened = stored && localVault.open(stored.sealed, id);
      expect(opened?.ok && opened.value.reveal()).toBe(`rotate-me-${i}-0000000`);
    }
    expect(newKey).not.toBe(oldKey);
  });

  it('swaps a sealed value only if it is still the one read', async () => {
    const input = newConnection();
    await repo().insert(input);
    const other = vault.seal('another-secret-00', input.id);
    expect(await repo().updateSealedSecret(input.id, other, 'v1:stale:x' as SealedSecret)).toBe(false);
    expect(await repo().updateSealedSecret(input.id, other, input.secret.sealed)).toBe(true);
    expect((await repo().getSealedSecret(input.id))?.sealed).toBe(other);
  });

  if (dialect === 'sqlite') {
    it('never writes the plaintext secret to the database file', async () => {
      const plain = 'ATATT-plaintext-canary-5f1c9e2b7d';
      const input = newConnection({ name: 'canary-connection-7c41' }, plain);
      await repo().insert(input);
      const file = getDb().file;
      if (file === undefined) throw new Error('no sqlite file');
      // Committed pages may still sit in the WAL: read both.
      const bytes = Buffer.concat([await readFile(file), await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))]);
      // The search works: the row's name and sealed value are in those bytes...
      expect(bytes.includes('canary-connection-7c41')).toBe(true);
      expect(bytes.includes(input.secret.sealed)).toBe(true);
      // ...and the plaintext is not, in UTF-8 or UTF-16.
      expect(bytes.includes(plain)).toBe(false);
      expect(bytes.includes(Buffer.from(plain, 'utf16le'))).toBe(false);
      expect(bytes.includes('plaintext-canary')).toBe(false);
    });
  }
});
