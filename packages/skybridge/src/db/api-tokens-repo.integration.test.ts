import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import { createApiTokensRepo, hashApiToken } from './api-tokens-repo.ts';
import { newId } from './new-id.ts';
import { forEachDialect } from './test-dialects.ts';

const clock = createManualClock('2026-06-01T00:00:00.000Z');

forEachDialect((_dialect, getDb) => {
  function newToken(name = `token ${newId()}`) {
    const token = `sbt_${newId()}`;
    return {
      token,
      input: {
        name,
        role: 'admin' as const,
        tokenHash: hashApiToken(token),
        tokenHint: `••••${token.slice(-4)}`,
        createdAt: clock.now(),
      },
    };
  }

  it('stores a token by hash and finds it while it is active', async () => {
    const repo = createApiTokensRepo(getDb().db);
    const { token, input } = newToken();
    const inserted = await repo.insert(input);
    if (!inserted.ok) throw inserted.error;
    expect(inserted.value).toStrictEqual({
      id: inserted.value.id,
      name: input.name,
      role: 'admin',
      tokenHint: input.tokenHint,
      createdAt: clock.now(),
    });
    expect(await repo.findActiveByHash(hashApiToken(token))).toStrictEqual(inserted.value);
    expect(await repo.findActiveByHash(hashApiToken(`${token}x`))).toBeUndefined();
    expect(await repo.getById(inserted.value.id)).toStrictEqual(inserted.value);

    const row = await getDb()
      .db.selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', inserted.value.id)
      .executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('refuses a duplicate name, naming the field', async () => {
    const repo = createApiTokensRepo(getDb().db);
    const { input } = newToken();
    await repo.insert(input);
    expect(await repo.insert(newToken(input.name).input)).toMatchObject({
      ok: false,
      error: { code: 'duplicate', field: 'name' },
    });
  });

  it('records use, and revokes once', async () => {
    const repo = createApiTokensRepo(getDb().db);
    const { token, input } = newToken();
    const inserted = await repo.insert(input);
    if (!inserted.ok) throw inserted.error;
    const id = inserted.value.id;
    clock.advance(1000);
    await repo.touchLastUsed(id, clock.now());
    expect((await repo.getById(id))?.lastUsedAt).toEqual(clock.now());

    clock.advance(1000);
    const revokedAt = clock.now();
    expect(await repo.revoke(id, revokedAt)).toMatchObject({ ok: true, value: { revokedAt } });
    expect(await repo.findActiveByHash(hashApiToken(token))).toBeUndefined();
    clock.advance(1000);
    expect(await repo.revoke(id, clock.now())).toMatchObject({ ok: true, value: { revokedAt } });
    expect(await repo.revoke('missing', clock.now())).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const listed = await repo.list();
    expect(listed.find((t) => t.id === id)).toMatchObject({ revokedAt });
  });
});
