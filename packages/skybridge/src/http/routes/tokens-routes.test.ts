import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../create-http-app.ts';
import { API_PREFIX } from '../route.ts';
import { expectError } from '../testing/expect-error.ts';
import { as, createFakeHub, TOKENS } from '../testing/fake-hub.ts';

const url = (path: string) => API_PREFIX + path;

describe('API tokens (owner only)', () => {
  it('creates a token, showing its value once; the list shows hints only', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const res = await app.request(
      url('/tokens'),
      as('owner', { method: 'POST', body: { name: 'ci', role: 'viewer' } }),
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { token: string; apiToken: Record<string, unknown> };
    expect(created.token).toBe('new-token-value-1-abcdefgh');
    expect(created.apiToken).toEqual({
      id: 't-new-1',
      name: 'ci',
      role: 'viewer',
      tokenHint: '••••efgh',
      createdAt: '2026-03-01T12:00:00.000Z',
    });
    expect(hub.apiTokens.calls[0]?.args).toEqual(['token:owner', { name: 'ci', role: 'viewer' }]);

    const list = await app.request(url('/tokens'), as('owner'));
    const text = await list.text();
    expect(JSON.parse(text)).toMatchObject({
      items: expect.arrayContaining([expect.objectContaining({ name: 'ci' })]),
    });
    for (const value of [created.token, ...Object.values(TOKENS)]) expect(text).not.toContain(value);

    // The new token works, with its role.
    const me = await app.request(url('/me'), { headers: { authorization: `Bearer ${created.token}` } });
    expect(await me.json()).toMatchObject({ actor: 'token:ci', token: { role: 'viewer' } });
  });

  it('validates the body: unknown role, missing name, extra field', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(
      url('/tokens'),
      as('owner', { method: 'POST', body: { role: 'root', scope: 'all' } }),
    );
    const error = await expectError(res, 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['name', 'role', 'scope']);
  });

  it('maps token service errors: duplicate_name 409, not_found 404', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    hub.apiTokens.failNext('create', { code: 'duplicate_name', message: 'A token named ci exists.' });
    await expectError(
      await app.request(url('/tokens'), as('owner', { method: 'POST', body: { name: 'ci', role: 'admin' } })),
      409,
      'duplicate_name',
    );
    await expectError(await app.request(url('/tokens/t-missing'), as('owner', { method: 'DELETE' })), 404, 'not_found');
  });

  it('revokes a token, which then no longer authenticates', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(url('/tokens/t-viewer'), as('owner', { method: 'DELETE' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ apiToken: { id: 't-viewer', revokedAt: '2026-03-01T12:00:00.000Z' } });
    await expectError(await app.request(url('/connections'), as('viewer')), 401, 'unauthenticated');
  });

  it('an admin cannot manage tokens', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    await expectError(await app.request(url('/tokens'), as('admin')), 403, 'forbidden');
    await expectError(
      await app.request(url('/tokens'), as('admin', { method: 'POST', body: { name: 'x', role: 'owner' } })),
      403,
      'forbidden',
    );
    await expectError(await app.request(url('/tokens/t-owner'), as('admin', { method: 'DELETE' })), 403, 'forbidden');
    expect(hub.apiTokens.calls).toEqual([]);
  });
});
