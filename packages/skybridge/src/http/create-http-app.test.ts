import { describe, expect, it } from 'vitest';
import { API_PREFIX } from './route.ts';
import { apiRoutes, createHttpApp } from './create-http-app.ts';
import { expectError } from './testing/expect-error.ts';
import { as, createFakeHub, TOKENS } from './testing/fake-hub.ts';
import type { ApiTokenRole } from '../domain/connection.ts';
import { ROLE_RANK } from '../access/api-tokens-service.ts';

const VALID_NEW = {
  kind: 'jira-cloud',
  name: 'acme-jira',
  url: 'https://acme.atlassian.net',
  email: 'ada@example.com',
  secret: 'ATATT-not-a-real-token-0000-abcd',
};

/** A concrete URL for a route's path template. */
const concrete = (path: string) => API_PREFIX + path.replace(/\{\w+\}/g, 'c1');

describe('authentication', () => {
  it('refuses a request without a token with 401, WWW-Authenticate and the error shape', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(`${API_PREFIX}/connections`);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectError(res, 401, 'unauthenticated');
  });

  it('refuses an unknown token, a malformed header and a revoked token with 401', async () => {
    const app = createHttpApp(createFakeHub());
    for (const authorization of [
      'Bearer nope-not-a-token',
      'Basic dXNlcjpwYXNz',
      `Bearer ${TOKENS.revoked}`,
      'Bearer',
    ]) {
      const res = await app.request(`${API_PREFIX}/connections`, { headers: { authorization } });
      const error = await expectError(res, 401, 'unauthenticated');
      expect(error.message).not.toContain('nope-not-a-token');
    }
  });

  it('lets a viewer list connections', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(`${API_PREFIX}/connections`, as('viewer'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [] });
  });
});

describe('roles', () => {
  const roles: ApiTokenRole[] = ['viewer', 'admin', 'owner'];
  const routes = apiRoutes(createFakeHub()).filter((r) => r.access !== 'public');

  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: 401 without a token, 403 below its role, not 401/403 at or above it',
    async (_name, route) => {
      const app = createHttpApp(createFakeHub());
      const url = concrete(route.path);
      const method = route.method.toUpperCase();
      await expectError(await app.request(url, { method }), 401, 'unauthenticated');
      for (const role of roles) {
        const res = await app.request(url, as(role, { method }));
        if (ROLE_RANK[role] < ROLE_RANK[route.access as ApiTokenRole]) {
          const error = await expectError(res, 403, 'forbidden');
          expect(error.message).toContain(`"${route.access}"`);
        } else {
          expect([401, 403]).not.toContain(res.status);
        }
      }
    },
  );

  it('a viewer cannot add, edit, delete, verify or rotate, and the service is never called', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/connections', VALID_NEW],
      ['PATCH', '/connections/c1', { name: 'x' }],
      ['DELETE', '/connections/c1', undefined],
      ['POST', '/connections/c1/verify', undefined],
      ['POST', '/connections/c1/rotate', { secret: 'another-secret-value-1234' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await app.request(API_PREFIX + path, as('viewer', { method, body }));
      await expectError(res, 403, 'forbidden');
    }
    expect(hub.connections.calls).toEqual([]);
  });

  it('passes token:<name> as the actor', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const res = await app.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST', body: VALID_NEW }));
    expect(res.status).toBe(201);
    expect(hub.connections.calls[0]?.args[0]).toBe('token:admin');
  });
});

describe('routing and the request edge', () => {
  it('answers unknown routes with 404 in the error shape, inside and outside the API prefix', async () => {
    const app = createHttpApp(createFakeHub());
    await expectError(await app.request(`${API_PREFIX}/nothing-here`, as('owner')), 404, 'not_found');
    await expectError(await app.request('/elsewhere'), 404, 'not_found');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(`${API_PREFIX}/connections`, as('owner', { method: 'PUT' }));
    expect(res.headers.get('allow')).toBe('GET, POST');
    await expectError(res, 405, 'method_not_allowed');
  });

  it('refuses malformed JSON with 400 naming body', async () => {
    const app = createHttpApp(createFakeHub());
    const res = await app.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST', body: '{"kind": ' }));
    const error = await expectError(res, 400, 'invalid_input');
    expect(error.fields).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('refuses a missing body with 400 naming body, and a non-JSON content type with 415', async () => {
    const app = createHttpApp(createFakeHub());
    const empty = await app.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST' }));
    expect((await expectError(empty, 400, 'invalid_input')).fields).toEqual([
      { field: 'body', message: 'is required' },
    ]);
    const text = await app.request(
      `${API_PREFIX}/connections`,
      as('admin', { method: 'POST', body: 'kind=jira-cloud', headers: { 'content-type': 'text/plain' } }),
    );
    await expectError(text, 415, 'unsupported_media_type');
  });

  it('refuses a body over the limit with 413, streamed or announced by Content-Length', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    const big = JSON.stringify({ ...VALID_NEW, caCert: 'x'.repeat(70 * 1024) });
    await expectError(
      await app.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST', body: big })),
      413,
      'payload_too_large',
    );
    const announced = as('admin', { method: 'POST', body: big, headers: { 'content-length': String(big.length) } });
    await expectError(await app.request(`${API_PREFIX}/connections`, announced), 413, 'payload_too_large');
    expect(hub.connections.calls).toEqual([]);
    // Just under the limit is not refused for its size (the schema then rejects the over-long caCert).
    const small = createHttpApp(createFakeHub(), { maxBodyBytes: 200 });
    const ok = await small.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST', body: VALID_NEW }));
    expect(ok.status).toBe(201);
    const over = as('admin', { method: 'POST', body: { ...VALID_NEW, name: 'n'.repeat(100) } });
    await expectError(await small.request(`${API_PREFIX}/connections`, over), 413, 'payload_too_large');
  });

  it('turns a thrown bug into a 500 that says nothing about it, and logs a scrubbed summary', async () => {
    const hub = createFakeHub();
    hub.connections.list = () => Promise.reject(new Error('boom: token=ATATTsecretvalue1234567890abcdef'));
    const app = createHttpApp(hub);
    const res = await app.request(`${API_PREFIX}/connections`, as('viewer'));
    const error = await expectError(res, 500, 'internal');
    expect(error.message).not.toMatch(/boom|ATATT/);
    const logged = hub.logger.records.find((r) => r.message === 'request failed');
    expect(logged?.fields).toMatchObject({ errorName: 'Error', route: `${API_PREFIX}/connections` });
    expect(JSON.stringify(hub.logger.records)).not.toContain('ATATTsecretvalue');
  });

  it('marks every response no-store', async () => {
    const app = createHttpApp(createFakeHub());
    expect((await app.request(`${API_PREFIX}/connections`, as('viewer'))).headers.get('cache-control')).toBe(
      'no-store',
    );
    expect((await app.request('/nope')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('request log', () => {
  it('logs method, route pattern, status, duration and actor — never the token, path values or body', async () => {
    const hub = createFakeHub();
    const app = createHttpApp(hub);
    await app.request(`${API_PREFIX}/connections`, as('admin', { method: 'POST', body: VALID_NEW }));
    await app.request(`${API_PREFIX}/connections/acme-jira`, as('viewer'));
    await app.request(`${API_PREFIX}/connections`);
    const requests = hub.logger.records.filter((r) => r.message === 'http request').map((r) => r.fields);
    expect(requests).toEqual([
      { method: 'POST', route: `${API_PREFIX}/connections`, status: 201, durationMs: 0, actor: 'token:admin' },
      {
        method: 'GET',
        route: `${API_PREFIX}/connections/{idOrName}`,
        status: 200,
        durationMs: 0,
        actor: 'token:viewer',
      },
      { method: 'GET', route: `${API_PREFIX}/connections`, status: 401, durationMs: 0, actor: 'anonymous' },
    ]);
    const everything = JSON.stringify(hub.logger.records);
    for (const forbidden of [TOKENS.admin, TOKENS.viewer, VALID_NEW.secret, 'acme-jira', 'ada@example.com'])
      expect(everything).not.toContain(forbidden);
  });
});
