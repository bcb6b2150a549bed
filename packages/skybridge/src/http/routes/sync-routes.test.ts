import { describe, expect, it } from 'vitest';
import type { SyncError } from '../../sync/create-sync-service.ts';
import { createHttpApp } from '../create-http-app.ts';
import { INTERNAL_ERROR_MESSAGE } from '../error-mapper.ts';
import { API_PREFIX } from '../route.ts';
import { expectError } from '../testing/expect-error.ts';
import { as, createFakeHub, NOW } from '../testing/fake-hub.ts';
import { sampleEntry, sampleRun, SYNC_LEAK } from '../testing/fake-sync.ts';

const url = (path: string) => API_PREFIX + path;

/** A hub whose connections fake holds `acme` (id c1) and `other` (id c2), with runs and access entries. */
function seeded(options: { leaky?: boolean } = {}) {
  const hub = createFakeHub(options);
  for (const [id, name] of [
    ['c1', 'acme'],
    ['c2', 'other'],
  ] as const)
    hub.connections.views.set(id, {
      id,
      name,
      kind: 'jira-dc',
      url: 'https://jira.example.com',
      secretHint: '••••abcd',
      status: 'connected',
      consecutiveFailures: 0,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
      authMode: 'direct',
      hasTeamsSecret: false,
    });
  const minute = (m: number) => new Date(Date.UTC(2026, 2, 1, 10, m));
  hub.sync.runsById.set('r1', sampleRun('r1', 'c1', { createdAt: minute(1) }));
  hub.sync.runsById.set('r2', sampleRun('r2', 'c1', { createdAt: minute(2) }));
  hub.sync.runsById.set(
    'r3',
    sampleRun('r3', 'c1', {
      createdAt: minute(3),
      status: 'suspicious',
      shrink: { user: { from: 10, to: 2, ratio: 0.8 } },
    }),
  );
  hub.sync.runsById.set('r9', sampleRun('r9', 'c2', { createdAt: minute(9) }));
  for (let n = 1; n <= 5; n++) hub.sync.entries.push(sampleEntry('c1', n));
  return { hub, app: createHttpApp(hub) };
}

async function json(res: Response, status: number): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  return JSON.parse(text) as Record<string, unknown>;
}

describe('POST /connections/{idOrName}/sync', () => {
  it('queues a job and answers 202 with it, its Location, and created; asking again returns the waiting job', async () => {
    const { hub, app } = seeded();
    const res = await app.request(url('/connections/acme/sync'), as('admin', { method: 'POST' }));
    expect(res.headers.get('location')).toBe(url('/sync-jobs/j1'));
    expect(await json(res, 202)).toEqual({
      job: {
        id: 'j1',
        connectionId: 'c1',
        trigger: 'manual',
        actor: 'token:admin',
        status: 'queued',
        attempts: 0,
        maxAttempts: 3,
        runAt: '2026-03-01T12:00:00.000Z',
        createdAt: '2026-03-01T12:00:00.000Z',
      },
      created: true,
    });
    expect(hub.sync.calls[0]).toEqual({ method: 'request', args: ['token:admin', 'acme'] });
    const again = await json(await app.request(url('/connections/c1/sync'), as('owner', { method: 'POST' })), 202);
    expect(again).toMatchObject({ job: { id: 'j1' }, created: false });
  });

  it('is 404 for an unknown connection and 403 for a viewer (the service is not called)', async () => {
    const { hub, app } = seeded();
    await expectError(
      await app.request(url('/connections/nope/sync'), as('admin', { method: 'POST' })),
      404,
      'not_found',
    );
    hub.sync.calls.length = 0;
    await expectError(
      await app.request(url('/connections/acme/sync'), as('viewer', { method: 'POST' })),
      403,
      'forbidden',
    );
    expect(hub.sync.calls).toEqual([]);
  });
});

describe('sync jobs', () => {
  it('lists the most recent first, up to limit, and shows who asked to admins only', async () => {
    const { hub, app } = seeded();
    await app.request(url('/connections/acme/sync'), as('admin', { method: 'POST' }));
    const first = hub.sync.jobsById.get('j1');
    if (first) first.status = 'succeeded';
    await app.request(url('/connections/acme/sync'), as('admin', { method: 'POST' }));
    const admin = await json(await app.request(url('/connections/acme/sync-jobs?limit=1'), as('admin')), 200);
    expect(admin).toEqual({ items: [expect.objectContaining({ id: 'j2', actor: 'token:admin' })] });
    expect(hub.sync.calls.at(-1)).toEqual({ method: 'jobs', args: ['acme', { limit: 1 }] });
    const viewer = await json(await app.request(url('/connections/acme/sync-jobs'), as('viewer')), 200);
    const items = viewer['items'] as Array<Record<string, unknown>>;
    expect(items.map((j) => j['id'])).toEqual(['j2', 'j1']);
    expect(items.every((j) => !('actor' in j))).toBe(true);
  });

  it.each(['0', '201', 'abc', '1.5'])('limit=%s is a 400 naming limit', async (limit) => {
    const { hub, app } = seeded();
    const error = await expectError(
      await app.request(url(`/connections/acme/sync-jobs?limit=${limit}`), as('viewer')),
      400,
      'invalid_input',
    );
    expect(error.fields?.map((f) => f.field)).toEqual(['limit']);
    expect(hub.sync.calls).toEqual([]);
  });

  it('gets one job, and 404s an unknown one or an unknown connection', async () => {
    const { app } = seeded();
    await app.request(url('/connections/acme/sync'), as('admin', { method: 'POST' }));
    expect(await json(await app.request(url('/sync-jobs/j1'), as('viewer')), 200)).toMatchObject({
      job: { id: 'j1', status: 'queued' },
    });
    await expectError(await app.request(url('/sync-jobs/j404'), as('viewer')), 404, 'not_found');
    await expectError(await app.request(url('/connections/nope/sync-jobs'), as('viewer')), 404, 'not_found');
  });
});

describe('sync schedule', () => {
  it('sets an interval, reads it back, switches to cron, and clears it', async () => {
    const { hub, app } = seeded();
    expect(await json(await app.request(url('/connections/acme/sync-schedule'), as('viewer')), 200)).toEqual({
      schedule: null,
    });
    const set = await app.request(
      url('/connections/acme/sync-schedule'),
      as('admin', { method: 'PUT', body: { every: '6h' } }),
    );
    const every = {
      connectionId: 'c1',
      every: '6h',
      intervalMs: 21_600_000,
      nextRunAt: '2026-03-02T03:00:00.000Z',
      enabled: true,
    };
    expect(await json(set, 200)).toEqual({ schedule: every });
    expect(hub.sync.calls.at(-1)).toEqual({
      method: 'setSchedule',
      args: ['token:admin', 'acme', { intervalMs: 21_600_000 }],
    });
    expect(await json(await app.request(url('/connections/acme/sync-schedule'), as('viewer')), 200)).toEqual({
      schedule: every,
    });
    const cron = await app.request(
      url('/connections/acme/sync-schedule'),
      as('admin', { method: 'PUT', body: { cron: '0 3 * * *' } }),
    );
    expect(await json(cron, 200)).toMatchObject({ schedule: { cron: '0 3 * * *' } });
    const cleared = await app.request(url('/connections/acme/sync-schedule'), as('admin', { method: 'DELETE' }));
    expect(await json(cleared, 200)).toEqual({ schedule: null });
    expect(hub.sync.calls.at(-1)).toEqual({ method: 'setSchedule', args: ['token:admin', 'acme', null] });
    expect(hub.sync.schedules.size).toBe(0);
  });

  it.each([
    ['both every and cron', { every: '6h', cron: '0 3 * * *' }, ['every', 'cron']],
    ['neither', {}, ['body']],
    ['an interval under a minute', { every: '30s' }, ['every']],
    ['an interval over a year', { every: '400d' }, ['every']],
    ['not a duration', { every: 'often' }, ['every']],
    ['a bad cron field', { cron: '61 * * * *' }, ['cron']],
    ['a cron with four fields', { cron: '0 3 * *' }, ['cron']],
    ['an unknown field', { every: '6h', at: '03:00' }, ['at']],
    ['a number', { every: 3600 }, ['every']],
  ])('%s is a 400 naming %j (the service is not called)', async (_case, body, fields) => {
    const { hub, app } = seeded();
    const res = await app.request(url('/connections/acme/sync-schedule'), as('admin', { method: 'PUT', body }));
    const error = await expectError(res, 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field)).toEqual(fields);
    expect(hub.sync.calls).toEqual([]);
  });

  it('names the field when the service refuses the schedule (a cron that never matches)', async () => {
    const { hub, app } = seeded();
    hub.sync.failNext('setSchedule', {
      code: 'invalid_input',
      message: 'every: The cron expression never matches (within five years).',
    });
    const res = await app.request(
      url('/connections/acme/sync-schedule'),
      as('admin', { method: 'PUT', body: { cron: '0 0 31 2 *' } }),
    );
    const error = await expectError(res, 400, 'invalid_input');
    expect(error.fields).toEqual([
      { field: 'cron', message: 'The cron expression never matches (within five years).' },
    ]);
  });

  it('is 404 for an unknown connection, and admin-only to change', async () => {
    const { app } = seeded();
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { every: '1d' }],
      ['DELETE', undefined],
    ] as const)
      await expectError(
        await app.request(url('/connections/nope/sync-schedule'), as('admin', { method, body })),
        404,
        'not_found',
      );
    await expectError(
      await app.request(url('/connections/acme/sync-schedule'), as('viewer', { method: 'PUT', body: { every: '1d' } })),
      403,
      'forbidden',
    );
  });
});

describe('runs', () => {
  it('pages newest first with limit and the opaque cursor until a page has no nextCursor', async () => {
    const { app } = seeded();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = cursor === undefined ? '?limit=1' : `?limit=1&cursor=${encodeURIComponent(cursor)}`;
      const page = await json(await app.request(url(`/connections/acme/runs${query}`), as('viewer')), 200);
      const items = page['items'] as Array<{ id: string }>;
      expect(items).toHaveLength(1);
      seen.push(...items.map((r) => r.id));
      cursor = page['nextCursor'] as string | undefined;
      pages++;
    } while (cursor !== undefined && pages < 10);
    expect(seen).toEqual(['r3', 'r2', 'r1']);
  });

  it('renders a run with ISO dates, counts and shrink, without checkpoints, and acceptedBy for admins only', async () => {
    const { hub, app } = seeded();
    hub.sync.runsById.set(
      'r4',
      sampleRun('r4', 'c1', {
        status: 'accepted',
        acceptedBy: 'token:admin',
        acceptedAt: NOW,
        checkpoint: { users: { phase: 'users', cursor: 'https://jira.example.com/next' } },
      }),
    );
    const viewer = await json(await app.request(url('/runs/r4'), as('viewer')), 200);
    expect(viewer).toEqual({
      run: {
        id: 'r4',
        connectionId: 'c1',
        status: 'accepted',
        trigger: 'manual',
        createdAt: '2026-03-01T10:00:00.000Z',
        startedAt: '2026-03-01T10:00:00.000Z',
        finishedAt: '2026-03-01T10:00:05.000Z',
        durationMs: 5000,
        counts: { user: 3, group: 1, grants: 4 },
        requests: 7,
        retries: 0,
        rateLimited: 0,
        acceptedAt: '2026-03-01T12:00:00.000Z',
      },
    });
    const admin = await json(await app.request(url('/runs/r4'), as('admin')), 200);
    expect(admin['run']).toMatchObject({ acceptedBy: 'token:admin' });
    await expectError(await app.request(url('/runs/r404'), as('viewer')), 404, 'not_found');
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['a cursor of another list', Buffer.from(JSON.stringify(['a', 'b', 'c', 'd'])).toString('base64url')],
    ['too long', 'a'.repeat(5000)],
  ])('a cursor that is %s is a 400 naming cursor', async (_case, cursor) => {
    const { hub, app } = seeded();
    const error = await expectError(
      await app.request(url(`/connections/acme/runs?cursor=${cursor}`), as('viewer')),
      400,
      'invalid_input',
    );
    expect(error.fields?.map((f) => f.field)).toEqual(['cursor']);
    expect(hub.sync.calls).toEqual([]);
  });

  it('refuses a bad limit or an unknown parameter, and 404s an unknown connection', async () => {
    const { app } = seeded();
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['sort=asc', 'sort'],
    ] as const) {
      const error = await expectError(
        await app.request(url(`/connections/acme/runs?${query}`), as('viewer')),
        400,
        'invalid_input',
      );
      expect(error.fields?.map((f) => f.field)).toEqual([field]);
    }
    await expectError(await app.request(url('/connections/nope/runs'), as('viewer')), 404, 'not_found');
  });

  it('turns a store error into a bare 500 and logs the store message for the operator', async () => {
    const { hub, app } = seeded();
    hub.sync.failNext('runs', { code: 'store_error', message: 'run r1 has a corrupt checkpoint' });
    const error = await expectError(await app.request(url('/connections/acme/runs'), as('viewer')), 500, 'internal');
    expect(error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(hub.logger.records.find((r) => r.message === 'sync store error')?.fields).toMatchObject({
      message: 'run r1 has a corrupt checkpoint',
    });
  });
});

describe('accept and diff', () => {
  it('accepts a suspicious run as the caller; any other run is a 409 invalid_state', async () => {
    const { hub, app } = seeded();
    const accepted = await json(await app.request(url('/runs/r3/accept'), as('admin', { method: 'POST' })), 200);
    expect(accepted['run']).toMatchObject({ id: 'r3', status: 'accepted', acceptedBy: 'token:admin' });
    expect(hub.sync.calls.at(-1)).toEqual({ method: 'accept', args: ['token:admin', 'r3'] });
    const again = await app.request(url('/runs/r3/accept'), as('admin', { method: 'POST' }));
    expect((await expectError(again, 409, 'invalid_state')).message).toMatch(/suspicious/);
    await expectError(await app.request(url('/runs/r404/accept'), as('admin', { method: 'POST' })), 404, 'not_found');
    await expectError(await app.request(url('/runs/r3/accept'), as('viewer', { method: 'POST' })), 403, 'forbidden');
  });

  it('diffs two runs: counts, lists cut to limit, and whether they are complete', async () => {
    const { hub, app } = seeded();
    const full = await json(await app.request(url('/runs/r1/diff/r2'), as('viewer')), 200);
    expect(full).toEqual({
      summary: { grantsAdded: 2, grantsRemoved: 1, accountsCreated: 1, accountsDeactivated: 0, accountsRemoved: 0 },
      complete: true,
      grantsAdded: [
        { entitlementId: 'e1', principalId: 'p1', via: [] },
        { entitlementId: 'e1', principalId: 'p2', via: ['g1'] },
      ],
      grantsRemoved: [{ entitlementId: 'e2', principalId: 'p1', via: [] }],
      accountsCreated: [
        {
          id: 'p2',
          type: 'user',
          externalId: 'p2',
          displayName: 'p2',
          attributes: { email: 'p2@example.com', active: true },
        },
      ],
      accountsDeactivated: [],
      accountsRemoved: [],
    });
    const cut = await json(await app.request(url('/runs/r1/diff/r2?limit=1'), as('viewer')), 200);
    expect(cut['complete']).toBe(false);
    expect(cut['grantsAdded']).toHaveLength(1);
    expect(hub.sync.calls.at(-1)).toEqual({ method: 'diff', args: ['r1', 'r2', { limit: 1 }] });
  });

  it('refuses runs of two connections with a 400 naming runB, and 404s an unknown run', async () => {
    const { app } = seeded();
    const error = await expectError(await app.request(url('/runs/r1/diff/r9'), as('viewer')), 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field)).toEqual(['runB']);
    await expectError(await app.request(url('/runs/r1/diff/r404'), as('viewer')), 404, 'not_found');
    const limit = await expectError(
      await app.request(url('/runs/r1/diff/r2?limit=0'), as('viewer')),
      400,
      'invalid_input',
    );
    expect(limit.fields?.map((f) => f.field)).toEqual(['limit']);
  });
});

describe('access queries', () => {
  it("pages a person's access by email, passing the path value decoded", async () => {
    const { hub, app } = seeded();
    hub.sync.entries.push({ ...sampleEntry('c1', 6), principal: { id: 'x', email: 'ada+ops@example.com' } });
    const page = await json(
      await app.request(url(`/access/users/${encodeURIComponent('Ada+Ops@example.com')}?limit=1`), as('viewer')),
      200,
    );
    expect(hub.sync.calls.at(-1)).toEqual({
      method: 'accessUser',
      args: ['Ada+Ops@example.com', { limit: 1 }],
    });
    expect(page).toEqual({
      items: [
        {
          connectionId: 'c1',
          runId: 'r1',
          principal: { id: 'x', email: 'ada+ops@example.com' },
          entitlement: { id: 'c1:group:g1:member', slug: 'member', displayName: 'Member of devs' },
          resource: { id: 'c1:group:g1', type: 'group', displayName: 'devs' },
          via: [],
        },
      ],
    });
  });

  it('walks the holders of an entitlement page by page; an id with a slash is sent encoded', async () => {
    const { hub, app } = seeded();
    const id = 'c1:group:g1:member';
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const query = cursor === undefined ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page = await json(
        await app.request(url(`/access/holders/${encodeURIComponent(id)}${query}`), as('viewer')),
        200,
      );
      seen.push(...(page['items'] as Array<{ principal: { id: string } }>).map((e) => e.principal.id));
      cursor = page['nextCursor'] as string | undefined;
    } while (cursor !== undefined && seen.length < 20);
    expect(seen).toEqual(['c1:user:u1', 'c1:user:u2', 'c1:user:u3', 'c1:user:u4', 'c1:user:u5']);
    await app.request(url(`/access/holders/${encodeURIComponent('c1:group:ops/eu')}`), as('viewer'));
    expect(hub.sync.calls.at(-1)?.args[0]).toBe('c1:group:ops/eu');
  });

  it('is a 400 naming cursor when the service refuses the cursor', async () => {
    const { app } = seeded();
    for (const path of ['/access/users/user1@example.com', '/access/holders/c1:group:g1']) {
      const error = await expectError(
        await app.request(url(`${path}?cursor=nope`), as('viewer')),
        400,
        'invalid_input',
      );
      expect(error.fields?.map((f) => f.field)).toEqual(['cursor']);
    }
  });
});

describe('GET /export', () => {
  it('streams jsonl as application/x-ndjson and csv as text/csv, as the service writes them', async () => {
    const { hub, app } = seeded();
    hub.sync.exportChunks.jsonl = ['{"kind":"resource"}\n', '{"kind":"grant"}\n'];
    hub.sync.exportChunks.csv = ['connection_id,principal_id\r\n', 'c1,u1\r\n'];
    const jsonl = await app.request(url('/export'), as('viewer'));
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(jsonl.headers.get('content-disposition')).toBe('attachment; filename="skybridge-access.jsonl"');
    expect(await jsonl.text()).toBe('{"kind":"resource"}\n{"kind":"grant"}\n');
    const csv = await app.request(url('/export?format=csv&connection=acme'), as('viewer'));
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe('connection_id,principal_id\r\nc1,u1\r\n');
    expect(hub.sync.calls.map((c) => c.args)).toEqual([
      [undefined, 'jsonl'],
      ['acme', 'csv'],
    ]);
  });

  it('answers an unknown connection with a JSON 404 before any byte is streamed, and a bad format with 400', async () => {
    const { app } = seeded();
    await expectError(await app.request(url('/export?connection=nope'), as('viewer')), 404, 'not_found');
    const error = await expectError(await app.request(url('/export?format=xml'), as('viewer')), 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field)).toEqual(['format']);
  });

  it('aborts the stream on a failure after the first chunk and logs its class, never its message', async () => {
    const { hub, app } = seeded({ leaky: true });
    hub.sync.exportChunks.jsonl = ['{"n":1}\n', '{"n":2}\n', '{"n":3}\n'];
    hub.sync.exportThrowsAfter = 1;
    const res = await app.request(url('/export'), as('viewer'));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(hub.logger.records.find((r) => r.message === 'export aborted')?.fields).toMatchObject({ error: 'Error' });
    expect(JSON.stringify(hub.logger.records)).not.toContain(SYNC_LEAK);
  });

  it('turns a thrown bug before the first chunk into the usual bare 500', async () => {
    const { hub, app } = seeded();
    hub.sync.exportChunks.jsonl = ['{"n":1}\n'];
    hub.sync.exportThrowsAfter = 0;
    await expectError(await app.request(url('/export'), as('viewer')), 500, 'internal');
  });
});

describe('service errors', () => {
  it.each([
    ['connection_unusable', 409],
    ['sync_failed', 502],
    ['interrupted', 503],
  ] as const)('%s is %i in the error shape', async (code, status) => {
    const { hub, app } = seeded();
    const error: SyncError = {
      code,
      message: 'Safe message.',
      atlassian: { code: 'unauthorized', message: 'Re-issue the token.' },
    };
    hub.sync.failNext('request', error);
    const body = await expectError(
      await app.request(url('/connections/acme/sync'), as('admin', { method: 'POST' })),
      status,
      code,
    );
    expect(body.atlassian).toEqual({ code: 'unauthorized', message: 'Re-issue the token.' });
  });
});

describe('allow-listed bodies', () => {
  it('keeps whatever a buggy service adds (a secret, run checkpoints) out of every response', async () => {
    const { hub, app } = seeded({ leaky: true });
    await app.request(url('/connections/acme/sync-schedule'), as('admin', { method: 'PUT', body: { every: '1d' } }));
    const texts: string[] = [];
    for (const [method, path] of [
      ['POST', '/connections/acme/sync'],
      ['GET', '/connections/acme/sync-jobs'],
      ['GET', '/sync-jobs/j1'],
      ['GET', '/connections/acme/sync-schedule'],
      ['GET', '/connections/acme/runs'],
      ['GET', '/runs/r1'],
      ['POST', '/runs/r3/accept'],
      ['GET', '/runs/r1/diff/r2'],
      ['GET', '/access/users/user1@example.com'],
      ['GET', '/access/holders/c1:group:g1'],
    ] as const) {
      const res = await app.request(url(path), as('owner', { method }));
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      texts.push(await res.text());
    }
    const all = texts.join('\n');
    expect(all).toContain('c1:user:u1');
    expect(all).not.toContain(SYNC_LEAK);
    expect(all).not.toContain('checkpoint');
    expect(hub.sync.calls).toHaveLength(11);
  });
});
