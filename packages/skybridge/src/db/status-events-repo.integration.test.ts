import { expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import type { SealedSecret } from '../domain/connection.ts';
import { createConnectionsRepo } from './connections-repo.ts';
import { newId } from './new-id.ts';
import { createStatusEventsRepo } from './status-events-repo.ts';
import { forEachDialect } from './test-dialects.ts';

const clock = createManualClock('2026-04-01T00:00:00.000Z');

forEachDialect((_dialect, getDb) => {
  async function aConnection(): Promise<string> {
    const id = newId();
    const inserted = await createConnectionsRepo(getDb().db).insert({
      id,
      name: `status ${id}`,
      kind: 'jira-dc',
      url: 'https://jira.example.test',
      secret: { sealed: 'v1:test:not-opened-here' as SealedSecret, hint: '••••' },
      at: clock.now(),
    });
    if (!inserted.ok) throw inserted.error;
    return id;
  }

  it('appends events and lists a connection history newest first, insertion order within one instant', async () => {
    const repo = createStatusEventsRepo(getDb().db);
    const connectionId = await aConnection();
    const other = await aConnection();
    const first = await repo.append({ connectionId, toStatus: 'unverified', reasonCode: 'created', at: clock.now() });
    expect(first).toStrictEqual({
      id: first.id,
      connectionId,
      toStatus: 'unverified',
      reasonCode: 'created',
      at: clock.now(),
    });
    clock.advance(1000);
    // Same instant for the next two: the id keeps their order.
    const second = await repo.append({
      connectionId,
      fromStatus: 'unverified',
      toStatus: 'connected',
      reasonCode: 'succeeded',
      at: clock.now(),
    });
    const third = await repo.append({
      connectionId,
      fromStatus: 'connected',
      toStatus: 'needs_reauthorization',
      reasonCode: 'unauthorized',
      message: 'The API token was refused.',
      at: clock.now(),
    });
    await repo.append({ connectionId: other, toStatus: 'unverified', reasonCode: 'created', at: clock.now() });

    const listed = await repo.listForConnection(connectionId);
    expect(listed.ok && listed.value).toStrictEqual({ items: [third, second, first] });
    expect(third).toMatchObject({ fromStatus: 'connected', message: 'The API token was refused.' });
  });

  it('pages through a long history', async () => {
    const repo = createStatusEventsRepo(getDb().db);
    const connectionId = await aConnection();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      ids.push(
        (await repo.append({ connectionId, toStatus: 'connected', reasonCode: 'succeeded', at: clock.now() })).id,
      );
    }
    const page1 = await repo.listForConnection(connectionId, { limit: 2 });
    if (!page1.ok || page1.value.nextCursor === undefined) throw new Error('expected a next page');
    const page2 = await repo.listForConnection(connectionId, { limit: 2, cursor: page1.value.nextCursor });
    if (!page2.ok || page2.value.nextCursor === undefined) throw new Error('expected a next page');
    const page3 = await repo.listForConnection(connectionId, { limit: 2, cursor: page2.value.nextCursor });
    if (!page3.ok) throw page3.error;
    expect(page3.value.nextCursor).toBeUndefined();
    expect([...page1.value.items, ...page2.value.items, ...page3.value.items].map((e) => e.id)).toEqual(ids.reverse());
    expect(await repo.listForConnection(connectionId, { cursor: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'bad_cursor' },
    });
  });

  it('refuses an event for a connection that does not exist', async () => {
    const repo = createStatusEventsRepo(getDb().db);
    await expect(
      repo.append({ connectionId: 'missing', toStatus: 'connected', reasonCode: 'succeeded', at: clock.now() }),
    ).rejects.toThrow();
  });
});
