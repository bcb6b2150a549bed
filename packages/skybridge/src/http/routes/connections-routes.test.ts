import { describe, expect, it } from 'vitest';
import type { ConnectionError } from '../../connections/connections-service.ts';
import { CONNECTION_ERROR_CODES } from '../../connections/connections-service.ts';
import { createHttpApp } from '../create-http-app.ts';
import { CONNECTION_ERROR_STATUS, VAULT_ERROR_MESSAGE } from '../error-mapper.ts';
import { API_PREFIX } from '../route.ts';
import { expectError } from '../testing/expect-error.ts';
import { as, createFakeHub } from '../testing/fake-hub.ts';

const SECRET = 'ATATT3xFfGF0-write-only-secret-Zq81';
const TEAMS_SECRET = 'teams-write-only-secret-value-Lm42';
const NEW_SECRET = 'ATATT3xFfGF0-rotated-secret-value-Pw77';

const VALID_NEW = {
  kind: 'jira-cloud',
  name: 'acme-jira',
  url: 'https://acme.atlassian.net',
  email: 'ada@example.com',
  tokenExpiresAt: '2026-12-31',
  secret: SECRET,
};

const url = (path: string) => API_PREFIX + path;

async function withConnection(options: { leaky?: boolean } = {}) {
  const hub = createFakeHub(options);
  const app = createHttpApp(hub);
  const res = await app.request(url('/connections'), as('admin', { method: 'POST', body: VALID_NEW }));
  expect(res.status).toBe(201);
  hub.connections.calls.length = 0;
  return { hub, app };
}

describe('POST /connections validation', () => {
  it.each([
    ['unknown kind', { kind: 'bitbucket-cloud' }, 'kind'],
    ['malformed URL', { url: 'not a url' }, 'url'],
    ['non-http URL', { url: 'ftp://acme.example.com' }, 'url'],
    ['malformed email', { email: 'ada-at-example' }, 'email'],
    ['over-long name', { name: 'n'.repeat(101) }, 'name'],
    ['blank name', { name: '   ' }, 'name'],
    ['control character in name', { name: 'a\u0007b' }, 'name'],
    ['unknown authMode', { authMode: 'proxy' }, 'authMode'],
    ['bad date', { tokenExpiresAt: '2026-13-01' }, 'tokenExpiresAt'],
    ['non-PEM caCert', { caCert: 'hello' }, 'caCert'],
    ['unknown extra field', { colour: 'blue' }, 'colour'],
    ['wrong type', { name: 42 }, 'name'],
  ])('%s is a 400 naming %s (and nothing reaches the service)', async (_case, patch, field) => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const res = await app.request(
      url('/connections'),
      as('admin', { method: 'POST', body: { ...VALID_NEW, ...patch } }),
    );
    const error = await expectError(res, 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field)).toEqual([field]);
    expect(hub.connections.calls).toEqual([]);
  });

  it.each(['kind', 'name', 'secret'])('a missing %s is a 400 naming it as required', async (field) => {
    const app = createHttpApp(createFakeHub());
    const body: Record<string, unknown> = { ...VALID_NEW };
    delete body[field];
    const error = await expectError(
      await app.request(url('/connections'), as('admin', { method: 'POST', body })),
      400,
      'invalid_input',
    );
    expect(error.fields).toEqual([{ field, message: 'is required' }]);
  });

  it('reports every problem at once', async () => {
    const app = createHttpApp(createFakeHub());
    const body = { kind: 'nope', name: '', url: 'x', extra: 1, another: 2 };
    const error = await expectError(
      await app.request(url('/connections'), as('admin', { method: 'POST', body })),
      400,
      'invalid_input',
    );
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['another', 'extra', 'kind', 'name', 'secret', 'url']);
  });

  it('hands the service typed input: dates as Date, absent fields absent', async () => {
    const { hub, app } = await withConnection();
    const res = await app.request(
      url('/connections'),
      as('admin', {
        method: 'POST',
        body: { ...VALID_NEW, name: 'second', tokenExpiresAt: '2026-06-01T10:00:00+02:00' },
      }),
    );
    expect(res.status).toBe(201);
    const input = hub.connections.calls[0]?.args[1];
    expect(input).toEqual({
      kind: 'jira-cloud',
      name: 'second',
      url: 'https://acme.atlassian.net',
      email: 'ada@example.com',
      tokenExpiresAt: new Date('2026-06-01T08:00:00Z'),
      secret: SECRET,
    });
  });

  it('answers 201 with the connection and the verify report', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(url('/connections'), as('admin', { method: 'POST', body: VALID_NEW }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { connection: Record<string, unknown>; report: Record<string, unknown> };
    expect(body.connection).toMatchObject({ id: 'c1', name: 'acme-jira', secretHint: '••••Zq81', version: 1 });
    expect(body.connection.tokenExpiresAt).toBe('2026-12-31T00:00:00.000Z');
    expect(body.report).toMatchObject({ kind: 'jira-cloud', siteId: 'site-1', requests: 3 });
  });
});

describe('service errors', () => {
  const samples: Record<(typeof CONNECTION_ERROR_CODES)[number], ConnectionError> = {
    invalid_input: {
      code: 'invalid_input',
      message: 'Bad input.',
      fields: [{ field: 'url', message: 'is required for jira-cloud' }],
    },
    not_found: { code: 'not_found', message: 'No such connection.' },
    duplicate_name: { code: 'duplicate_name', message: 'Name taken.' },
    stale_version: { code: 'stale_version', message: 'Changed since version 1.' },
    verification_failed: {
      code: 'verification_failed',
      message: 'Verification failed.',
      atlassian: {
        name: 'AtlassianError',
        code: 'unauthorized',
        message: 'Atlassian refused the credential (401).',
        status: 401,
      },
    },
    has_dependents: {
      code: 'has_dependents',
      message: 'In use.',
      dependents: [{ type: 'schedule', id: 's1', name: 'nightly' }],
    },
    vault_error: { code: 'vault_error', message: 'GCM tag mismatch for key k1' },
  };
  const expected: Record<(typeof CONNECTION_ERROR_CODES)[number], number> = {
    invalid_input: 400,
    not_found: 404,
    duplicate_name: 409,
    stale_version: 409,
    verification_failed: 422,
    has_dependents: 409,
    vault_error: 500,
  };

  it.each(CONNECTION_ERROR_CODES.map((code) => [code, expected[code]] as const))(
    '%s → %i in the one error shape',
    async (code, status) => {
      expect(CONNECTION_ERROR_STATUS[code]).toBe(status);
      const { hub, app } = await withConnection();
      hub.connections.failNext('verify', samples[code]);
      const error = await expectError(
        await app.request(url('/connections/c1/verify'), as('admin', { method: 'POST' })),
        status,
        code,
      );
      if (code === 'vault_error') expect(error.message).toBe(VAULT_ERROR_MESSAGE);
      else expect(error.message).toBe(samples[code].message);
    },
  );

  it('verification_failed carries the Atlassian code and actionable message, without the name field', async () => {
    const { hub, app } = await withConnection();
    hub.connections.failNext('add', samples.verification_failed);
    const res = await app.request(
      url('/connections'),
      as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'b' } }),
    );
    const error = await expectError(res, 422, 'verification_failed');
    expect(error.atlassian).toEqual({
      code: 'unauthorized',
      message: 'Atlassian refused the credential (401).',
      status: 401,
    });
  });

  it('invalid_input from the service keeps its fields', async () => {
    const { hub, app } = await withConnection();
    hub.connections.failNext('add', samples.invalid_input);
    const res = await app.request(
      url('/connections'),
      as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'b' } }),
    );
    expect((await expectError(res, 400, 'invalid_input')).fields).toEqual([
      { field: 'url', message: 'is required for jira-cloud' },
    ]);
  });

  it('vault_error is logged with its code, and its message is not sent', async () => {
    const { hub, app } = await withConnection();
    hub.connections.failNext('get', samples.vault_error);
    const error = await expectError(await app.request(url('/connections/c1'), as('viewer')), 500, 'vault_error');
    expect(error.message).not.toContain('GCM');
    expect(hub.logger.records).toContainEqual(
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ code: 'vault_error' }) }),
    );
  });

  it('not_found for an unknown connection on every per-connection route', async () => {
    const { app } = await withConnection();
    const calls: Array<[string, string, unknown]> = [
      ['GET', '/connections/nope', undefined],
      ['PATCH', '/connections/nope', { name: 'x' }],
      ['POST', '/connections/nope/verify', undefined],
      ['POST', '/connections/nope/rotate', { secret: NEW_SECRET }],
      ['GET', '/connections/nope/dependents', undefined],
      ['DELETE', '/connections/nope', undefined],
    ];
    for (const [method, path, body] of calls)
      await expectError(await app.request(url(path), as('owner', { method, body })), 404, 'not_found');
  });
});

describe('list, get, edit, delete', () => {
  it('pages with limit and cursor', async () => {
    const { app } = await withConnection();
    await app.request(url('/connections'), as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'two' } }));
    const first = (await (await app.request(url('/connections?limit=1'), as('viewer'))).json()) as {
      items: Array<{ name: string }>;
      nextCursor?: string;
    };
    expect(first.items.map((i) => i.name)).toEqual(['acme-jira']);
    expect(first.nextCursor).toBe('1');
    const second = (await (await app.request(url('/connections?limit=1&cursor=1'), as('viewer'))).json()) as {
      items: Array<{ name: string }>;
      nextCursor?: string;
    };
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'two' })] });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1000', 'limit'],
    ['sort=name', 'sort'],
  ])('rejects ?%s naming %s', async (query, field) => {
    const app = createHttpApp(createFakeHub());
    const error = await expectError(
      await app.request(url(`/connections?${query}`), as('viewer')),
      400,
      'invalid_input',
    );
    expect(error.fields?.map((f) => f.field)).toEqual([field]);
  });

  it('GET by name returns the connection, status history and (for admins) audit, with the version as ETag', async () => {
    const { app } = await withConnection();
    const admin = await app.request(url('/connections/acme-jira'), as('admin'));
    expect(admin.headers.get('etag')).toBe('"1"');
    const body = (await admin.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['audit', 'connection', 'statusHistory']);
    expect(body.statusHistory).toEqual([
      { id: 'e1', connectionId: 'c1', toStatus: 'connected', reasonCode: 'created', at: '2026-03-01T12:00:00.000Z' },
    ]);
    const viewer = (await (await app.request(url('/connections/acme-jira'), as('viewer'))).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(viewer).sort()).toEqual(['connection', 'statusHistory']);
  });

  it('PATCH passes If-Match as expectedVersion; a stale one is 409', async () => {
    const { hub, app } = await withConnection();
    const ok = await app.request(
      url('/connections/c1'),
      as('admin', { method: 'PATCH', body: { name: 'renamed', url: null }, headers: { 'if-match': '"1"' } }),
    );
    expect(ok.status).toBe(200);
    expect(hub.connections.calls[0]?.args).toEqual([
      'token:admin',
      'c1',
      { name: 'renamed', url: null, expectedVersion: 1 },
    ]);
    const stale = await app.request(
      url('/connections/c1'),
      as('admin', { method: 'PATCH', body: { name: 'again' }, headers: { 'if-match': '1' } }),
    );
    await expectError(stale, 409, 'stale_version');
    const viaBody = await app.request(
      url('/connections/c1'),
      as('admin', { method: 'PATCH', body: { name: 'again', expectedVersion: 2 } }),
    );
    expect(viaBody.status).toBe(200);
  });

  it('PATCH refuses a malformed If-Match, or one that disagrees with expectedVersion', async () => {
    const { hub, app } = await withConnection();
    const bad = await app.request(
      url('/connections/c1'),
      as('admin', { method: 'PATCH', body: { name: 'x' }, headers: { 'if-match': '*' } }),
    );
    expect((await expectError(bad, 400, 'invalid_input')).fields?.[0]?.field).toBe('If-Match');
    const both = await app.request(
      url('/connections/c1'),
      as('admin', { method: 'PATCH', body: { name: 'x', expectedVersion: 3 }, headers: { 'if-match': '"1"' } }),
    );
    expect((await expectError(both, 400, 'invalid_input')).fields?.[0]?.field).toBe('expectedVersion');
    expect(hub.connections.calls).toEqual([]);
  });

  it('DELETE without cascade is 409 with the dependents; with cascade=true it deletes', async () => {
    const { hub, app } = await withConnection();
    hub.connections.dependentsOf.set('c1', [{ type: 'schedule', id: 's1', name: 'nightly sync' }]);
    const dependents = await app.request(url('/connections/c1/dependents'), as('viewer'));
    expect(await dependents.json()).toEqual({ dependents: [{ type: 'schedule', id: 's1', name: 'nightly sync' }] });
    const refused = await expectError(
      await app.request(url('/connections/c1'), as('admin', { method: 'DELETE' })),
      409,
      'has_dependents',
    );
    expect(refused.dependents).toEqual([{ type: 'schedule', id: 's1', name: 'nightly sync' }]);
    const bad = await app.request(url('/connections/c1?cascade=yes'), as('admin', { method: 'DELETE' }));
    expect((await expectError(bad, 400, 'invalid_input')).fields?.[0]?.field).toBe('cascade');
    const done = await app.request(url('/connections/c1?cascade=true'), as('admin', { method: 'DELETE' }));
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ deleted: { id: 'c1' }, cascaded: [{ id: 's1' }] });
    expect(hub.connections.calls.at(-1)?.args).toEqual(['token:admin', 'c1', { cascade: true }]);
  });

  it('rotate passes the new secret and options to the service', async () => {
    const { hub, app } = await withConnection();
    const res = await app.request(
      url('/connections/c1/rotate'),
      as('admin', { method: 'POST', body: { secret: NEW_SECRET, tokenExpiresAt: null } }),
    );
    expect(res.status).toBe(200);
    expect(hub.connections.calls[0]?.args).toEqual(['token:admin', 'c1', NEW_SECRET, { tokenExpiresAt: null }]);
    const missing = await app.request(url('/connections/c1/rotate'), as('admin', { method: 'POST', body: {} }));
    expect((await expectError(missing, 400, 'invalid_input')).fields).toEqual([
      { field: 'secret', message: 'is required' },
    ]);
  });
});

describe('secrets are write-only', () => {
  it('no response body or header ever contains a secret sent in a request, even from a service that leaks it', async () => {
    const hub = createFakeHub({ leaky: true });
    const app = createHttpApp(hub);
    const responses: Response[] = [];
    const send = async (path: string, init: RequestInit) => {
      const res = await app.request(url(path), init);
      responses.push(res);
      return res;
    };
    const created = await send(
      '/connections',
      as('admin', { method: 'POST', body: { ...VALID_NEW, teamsSecret: TEAMS_SECRET } }),
    );
    expect(created.status).toBe(201);
    await send('/connections', as('viewer'));
    await send('/connections/c1', as('owner'));
    await send('/connections/c1/verify', as('admin', { method: 'POST' }));
    await send('/connections/c1', as('admin', { method: 'PATCH', body: { secret: NEW_SECRET } }));
    await send(
      '/connections/c1/rotate',
      as('admin', { method: 'POST', body: { secret: NEW_SECRET, teamsSecret: TEAMS_SECRET } }),
    );
    await send('/connections/c1/dependents', as('viewer'));
    // Secrets in the wrong place: the problems name the field, never echo the value.
    await send('/connections', as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'x', email: SECRET } }));
    await send('/connections', as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'x', secrte: SECRET } }));
    await send('/connections', as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'x', kind: SECRET } }));
    await send(
      '/connections',
      as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'x', secret: SECRET.repeat(200) } }),
    );
    await send('/connections', as('admin', { method: 'POST', body: `{"secret": "${SECRET}"` }));
    await send('/connections/c1', as('admin', { method: 'DELETE' }));

    // The leaky fake really did put the secrets on its views: without the allow-lists this test would fail.
    expect(JSON.stringify([...hub.connections.calls])).toContain(SECRET);
    expect(responses).toHaveLength(13);
    for (const res of responses) {
      const text = await res.text();
      const headers = JSON.stringify([...res.headers.entries()]);
      for (const secret of [SECRET, TEAMS_SECRET, NEW_SECRET]) {
        // The whole secret, and everything but the four characters a hint may show.
        for (const part of [secret, secret.slice(0, -4)]) {
          expect(text).not.toContain(part);
          expect(headers).not.toContain(part);
        }
      }
    }
  });
});
