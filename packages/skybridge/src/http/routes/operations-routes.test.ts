import { describe, expect, it } from 'vitest';
import { createHttpApp } from '../create-http-app.ts';
import { VAULT_ERROR_MESSAGE } from '../error-mapper.ts';
import { API_PREFIX } from '../route.ts';
import { expectError } from '../testing/expect-error.ts';
import { as, createFakeHub } from '../testing/fake-hub.ts';

const url = (path: string) => API_PREFIX + path;

describe('operations', () => {
  it('GET /me names the token and its role, without its value', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(url('/me'), as('viewer'));
    expect(await res.json()).toEqual({
      actor: 'token:viewer',
      token: {
        id: 't-viewer',
        name: 'viewer',
        role: 'viewer',
        tokenHint: '••••0003',
        createdAt: '2026-03-01T12:00:00.000Z',
      },
    });
  });

  it('POST /health-check runs the check as the caller (admin)', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const res = await app.request(url('/health-check'), as('admin', { method: 'POST' }));
    expect(await res.json()).toEqual({ checked: 0, changed: 0, warnings: 0 });
    expect(hub.connections.calls).toEqual([{ method: 'checkHealth', args: ['token:admin'] }]);
    await expectError(await app.request(url('/health-check'), as('viewer', { method: 'POST' })), 403, 'forbidden');
  });

  it('POST /keys/rotate is owner only and reports the counts', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const admin = await expectError(
      await app.request(url('/keys/rotate'), as('admin', { method: 'POST' })),
      403,
      'forbidden',
    );
    expect(admin.message).toContain('"owner"');
    const res = await app.request(url('/keys/rotate'), as('owner', { method: 'POST' }));
    expect(await res.json()).toEqual({ total: 0, resealed: 0, alreadyCurrent: 0, failed: 0, keyId: 'k2' });
    expect(hub.connections.calls).toEqual([{ method: 'rotateKeys', args: ['token:owner'] }]);
  });

  it('a vault failure during key rotation is a 500 with the safe message', async () => {
    const hub = createFakeHub();
    hub.connections.failNext('rotateKeys', {
      code: 'vault_error',
      message: 'key k1 missing from SKYBRIDGE_MASTER_KEY',
    });
    const app = createHttpApp(hub);
    const error = await expectError(
      await app.request(url('/keys/rotate'), as('owner', { method: 'POST' })),
      500,
      'vault_error',
    );
    expect(error.message).toBe(VAULT_ERROR_MESSAGE);
  });
});
