import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import { createAuditRepo } from './audit-repo.ts';
import { newId } from './new-id.ts';
import { forEachDialect } from './test-dialects.ts';

const clock = createManualClock('2026-05-01T00:00:00.000Z');

forEachDialect((_dialect, getDb) => {
  it('appends events and lists one target newest first', async () => {
    const repo = createAuditRepo(getDb().db);
    const target = newId();
    const created = await repo.append({
      actor: 'cli:alice',
      action: 'connection.create',
      targetType: 'connection',
      targetId: target,
      details: {
        name: 'Prod Jira',
        kind: 'jira-cloud',
        secretHint: '••••WXYZ',
        attempt: 1,
        verified: false,
        note: null,
      },
      at: clock.now(),
    });
    expect(created).toStrictEqual({
      id: created.id,
      actor: 'cli:alice',
      action: 'connection.create',
      targetType: 'connection',
      targetId: target,
      details: {
        name: 'Prod Jira',
        kind: 'jira-cloud',
        secretHint: '••••WXYZ',
        attempt: 1,
        verified: false,
        note: null,
      },
      at: clock.now(),
    });
    clock.advance(10);
    const edited = await repo.append({
      actor: 'ops-token',
      action: 'connection.edit',
      targetType: 'connection',
      targetId: target,
      at: clock.now(),
    });
    await repo.append({
      actor: 'ops-token',
      action: 'connection.edit',
      targetType: 'connection',
      targetId: newId(),
      at: clock.now(),
    });
    const rotated = await repo.append({
      actor: 'cli:root',
      action: 'vault.rotate_keys',
      targetType: 'vault',
      at: clock.now(),
    });
    expect(rotated).not.toHaveProperty('targetId');
    expect(edited.details).toEqual({});

    const listed = await repo.list({ target: { type: 'connection', id: target } });
    expect(listed.ok && listed.value).toStrictEqual({ items: [edited, created] });
  });

  it('pages through the whole log newest first', async () => {
    const repo = createAuditRepo(getDb().db);
    for (let i = 0; i < 4; i++) {
      await repo.append({
        actor: 'cli:bob',
        action: 'api_token.create',
        targetType: 'api_token',
        targetId: newId(),
        at: clock.now(),
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      if (!page.ok) throw page.error;
      seen.push(...page.value.items.map((e) => e.id));
      cursor = page.value.nextCursor;
    } while (cursor !== undefined);
    const all = await getDb()
      .db.selectFrom('audit_log')
      .select('id')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(seen).toEqual(all.map((r) => r.id));
    expect(seen.length).toBeGreaterThanOrEqual(4);
  });

  it.each(['secret', 'token', 'apiToken', 'password', 'authorization', 'apiKey'])(
    'refuses a detail named %s',
    async (key) => {
      const repo = createAuditRepo(getDb().db);
      const targetId = newId();
      await expect(
        repo.append({
          actor: 'cli:eve',
          action: 'connection.rotate_secret',
          targetType: 'connection',
          targetId,
          details: { [key]: 'plain-value' },
          at: clock.now(),
        }),
      ).rejects.toThrow(/looks like a secret/);
      const listed = await repo.list({ target: { type: 'connection', id: targetId } });
      expect(listed.ok && listed.value.items).toEqual([]);
    },
  );
});
