import { describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../domain/clock.ts';
import type { AtlassianError } from './atlassian-error.ts';
import type { FetchLike } from './guarded-fetch.ts';
import { buildUrl, createAtlassianHttp, pathOf, routeOf } from './http-client.ts';
import type { RequestOutcome } from './http-client.ts';
import { createRetryPolicy } from './retry-policy.ts';

const TOKEN = 'ATATT3xFfGF0E31D80A0dc852c177a3e90c11859363bde521680b88a4b3c1adf5573';

/** A client whose transport answers from `respond`; records every request. */
function client(
  respond: (url: string, init: RequestInit) => Response | Promise<Response>,
  baseUrl = 'https://acme.atlassian.net',
) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const outcomes: RequestOutcome[] = [];
  const sleeps: number[] = [];
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const fetch = vi.fn<FetchLike>(async (input, init = {}) => {
    const url = input instanceof Request ? input.url : input.toString();
    seen.push({ url, init });
    return respond(url, init);
  });
  const http = createAtlassianHttp({
    baseUrl,
    auth: { type: 'basic', email: 'me@acme.example', token: { reveal: () => TOKEN } },
    guardedFetch: fetch,
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    retryPolicy: createRetryPolicy({ random: () => 0.5 }),
    onOutcome: (o) => outcomes.push(o),
  });
  return { http, seen, outcomes, sleeps, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function failureOf(promise: Promise<{ ok: boolean; error?: unknown }>) {
  const result = await promise;
  expect(result.ok).toBe(false);
  return (result as { error: AtlassianError }).error;
}

describe('URLs', () => {
  it('joins paths under a base path, with or without slashes', () => {
    expect(buildUrl('https://jira.corp/jira', '/rest/api/2/myself').href).toBe(
      'https://jira.corp/jira/rest/api/2/myself',
    );
    expect(buildUrl('https://jira.corp/jira/', 'rest/api/2/myself').href).toBe(
      'https://jira.corp/jira/rest/api/2/myself',
    );
    expect(buildUrl('https://api.atlassian.com/ex/jira/abc-123', '/rest/api/3/myself').href).toBe(
      'https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself',
    );
    expect(
      buildUrl('https://acme.atlassian.net', '/rest/api/3/users/search', {
        startAt: 0,
        maxResults: 50,
        key: ['A', 'B'],
        skip: undefined,
      }).href,
    ).toBe('https://acme.atlassian.net/rest/api/3/users/search?startAt=0&maxResults=50&key=A&key=B');
  });

  it('accepts an absolute next link only on the same origin', () => {
    expect(
      buildUrl('https://acme.atlassian.net/wiki', 'https://acme.atlassian.net/wiki/api/v2/pages?cursor=x').href,
    ).toBe('https://acme.atlassian.net/wiki/api/v2/pages?cursor=x');
    expect(() => buildUrl('https://acme.atlassian.net', 'https://evil.example/steal')).toThrow(/another origin/);
  });

  it('encodes path values and shapes routes for pacing and logs', () => {
    expect(pathOf`/rest/api/3/issue/${'ABC-1'}/comment/${'a/b c'}`).toBe('/rest/api/3/issue/ABC-1/comment/a%2Fb%20c');
    expect(routeOf('/rest/api/3/issue/ABC-123/comment')).toBe('/rest/api/3/issue/{id}/comment');
    expect(routeOf('/wiki/api/v2/pages/98581')).toBe('/wiki/api/v2/pages/{id}');
  });
});

describe('requests', () => {
  it('sends basic auth, JSON headers and a JSON body', async () => {
    const { http, seen } = client(() => json(201, { id: '10000', key: 'ABC-1' }));
    const created = await http.post<{ key: string }>('/rest/api/3/issue', { fields: { summary: 'x' } });
    expect(created).toEqual({ ok: true, value: { id: '10000', key: 'ABC-1' } });
    const headers = new Headers(seen[0]?.init.headers);
    expect(headers.get('authorization')).toBe(`Basic ${Buffer.from(`me@acme.example:${TOKEN}`).toString('base64')}`);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('accept')).toBe('application/json');
    expect(seen[0]?.init.method).toBe('POST');
    expect(seen[0]?.init.body).toBe('{"fields":{"summary":"x"}}');
  });

  it('returns undefined for an empty 204', async () => {
    const { http } = client(() => new Response(null, { status: 204 }));
    expect(await http.delete('/rest/api/3/issue/ABC-1')).toEqual({ ok: true, value: undefined });
  });
});

describe('status and error shapes', () => {
  it('reads Jira ErrorCollection messages and field errors', async () => {
    const { http } = client(() =>
      json(400, {
        errorMessages: ["Field 'priority' is required"],
        errors: { summary: 'You must specify a summary.' },
      }),
    );
    const error = await failureOf(http.post('/rest/api/3/issue', {}));
    expect(error).toMatchObject({
      code: 'bad_request',
      status: 400,
      detail: "Field 'priority' is required; summary: You must specify a summary.",
    });
  });

  it('reads Confluence v2 errors[].title/detail', async () => {
    const { http } = client(() =>
      json(404, { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] }),
    );
    expect(await failureOf(http.get('/wiki/api/v2/pages/1'))).toMatchObject({ code: 'not_found', detail: 'Not Found' });
  });

  it('reads Confluence v1 / DC message, Admin ProxyError and ApplicationErrors', async () => {
    const v1 = client(() =>
      json(404, {
        statusCode: 404,
        data: { authorized: false },
        message: 'No space with key : XYZ',
        reason: 'Not Found',
      }),
    );
    expect(await failureOf(v1.http.get('/rest/api/space/XYZ'))).toMatchObject({
      code: 'not_found',
      detail: 'No space with key : XYZ',
    });
    const proxy = client(() => json(401, { code: 401, message: 'Unauthorized' }));
    expect(await failureOf(proxy.http.get('/v1/orgs'))).toMatchObject({ code: 'unauthorized', detail: 'Unauthorized' });
    const app = client(() =>
      json(404, {
        errors: [{ id: 'x', status: '404', code: 'ADMIN-404-2', title: 'Not Found', detail: 'Organization not found' }],
      }),
    );
    expect(await failureOf(app.http.get('/v1/orgs/o'))).toMatchObject({
      code: 'not_found',
      detail: 'Not Found: Organization not found',
    });
  });

  it('names the missing permission on a 403', async () => {
    const { http } = client(() =>
      json(403, { errorMessages: ['Browse users and groups permission is required to view groups.'], errors: {} }),
    );
    const error = await failureOf(http.get('/rest/api/3/group/member'));
    expect(error).toMatchObject({ code: 'forbidden', status: 403, permission: 'Browse users and groups' });
    expect(error.actionableMessage()).toContain('"Browse users and groups" permission');
  });

  it('recognises basic auth switched off (plain-text 401)', async () => {
    const { http } = client(
      () =>
        new Response(
          'Basic authentication with passwords is deprecated. For more information, see: https://developer.atlassian.com/cloud/jira/platform/deprecation-notice-basic-auth-and-cookie-based-auth',
          { status: 401, headers: { 'content-type': 'text/plain' } },
        ),
    );
    const error = await failureOf(http.get('/rest/api/3/myself'));
    expect(error.code).toBe('basic_auth_disabled');
  });

  it('recognises the Data Center CAPTCHA challenge', async () => {
    const { http } = client(() =>
      json(
        403,
        {},
        {
          'x-authentication-denied-reason': 'CAPTCHA_CHALLENGE; login-url=https://jira.corp/login.jsp',
          'x-seraph-loginreason': 'AUTHENTICATION_DENIED',
        },
      ),
    );
    expect(await failureOf(http.get('/rest/api/2/myself'))).toMatchObject({ code: 'captcha_required', status: 403 });
  });

  it('treats an HTML page on a 2xx as the wrong product, and other non-JSON as a bad response', async () => {
    const html = client(
      () =>
        new Response('<!DOCTYPE html><html><body>Welcome</body></html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
    );
    expect(await failureOf(html.http.get('/rest/api/3/serverInfo'))).toMatchObject({ code: 'wrong_product' });
    const garbage = client(
      () => new Response('not json', { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    expect(await failureOf(garbage.http.get('/rest/api/3/serverInfo'))).toMatchObject({ code: 'bad_response' });
    const text = client(() => new Response('plain', { status: 200 }));
    expect(await text.http.get('/x', { responseType: 'text' })).toEqual({ ok: true, value: 'plain' });
  });

  it('maps 410 Gone to not_found and 409/413/422 to bad_request', async () => {
    for (const [status, code] of [
      [410, 'not_found'],
      [409, 'bad_request'],
      [413, 'bad_request'],
      [422, 'bad_request'],
    ] as const) {
      const { http } = client(() => json(status, { errorMessages: ['x'], errors: {} }));
      expect(await failureOf(http.get('/x'))).toMatchObject({ code, status });
    }
  });

  it('reports rate_limited with the wait when the server asks for longer than we sit through', async () => {
    const { http, outcomes, sleeps } = client(() =>
      json(
        429,
        { errorMessages: ['Rate limit exceeded.'] },
        { 'retry-after': '3600', 'ratelimit-reason': 'jira-quota-global-based' },
      ),
    );
    const error = await failureOf(http.get('/rest/api/3/myself'));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 3_600_000 });
    expect(error.actionableMessage()).toContain('Retry after 1 h');
    expect(sleeps).toEqual([]);
    expect(outcomes).toEqual([
      {
        ok: false,
        code: 'rate_limited',
        status: 429,
        method: 'GET',
        route: '/rest/api/3/myself',
        requests: 1,
        retries: 0,
        rateLimited: 1,
      },
    ]);
  });

  it('never puts the credential into an error, even when the transport throws one containing it', async () => {
    const { http } = client(() => {
      throw new TypeError(`fetch failed for https://me:${TOKEN}@acme.atlassian.net with Authorization: Basic ${TOKEN}`);
    });
    const error = await failureOf(http.post('/rest/api/3/issue', {}));
    expect(error.code).toBe('connect');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(error.message).not.toContain(TOKEN);
    expect(String(error.stack)).not.toContain(TOKEN);
  });

  it('scrubs a credential that an error body echoes back', async () => {
    const { http } = client(() =>
      json(400, { errorMessages: [`Invalid token ${TOKEN} for https://me:pw@acme.atlassian.net`] }),
    );
    const error = await failureOf(http.get('/x'));
    expect(error.detail).not.toContain(TOKEN);
    expect(error.detail).not.toContain('me:pw');
  });
});

describe('getPage', () => {
  it('finds the next page in a Link header (Confluence Cloud)', async () => {
    const { http } = client(
      () => json(200, { results: [] }, { link: '</wiki/api/v2/pages?cursor=abc>; rel="next"' }),
      'https://acme.atlassian.net/wiki',
    );
    const page = await http.getPage<{ results: unknown[] }>('/api/v2/pages', { query: { limit: 25 } });
    expect(page.ok && page.value.next).toBe('https://acme.atlassian.net/wiki/api/v2/pages?cursor=abc');
  });

  it('finds nextPage (Jira PageBean) and links.next (Admin v1), and nothing on the last page', async () => {
    const jira = client(() =>
      json(200, { values: [], nextPage: 'https://acme.atlassian.net/rest/api/3/project/search?startAt=50' }),
    );
    const page = await jira.http.getPage('/rest/api/3/project/search');
    expect(page.ok && page.value.next).toBe('https://acme.atlassian.net/rest/api/3/project/search?startAt=50');
    const admin = client(
      () => json(200, { data: [], links: { next: 'https://api.atlassian.com/admin/v1/orgs?cursor=2' } }),
      'https://api.atlassian.com/admin',
    );
    const adminPage = await admin.http.getPage('/v1/orgs');
    expect(adminPage.ok && adminPage.value.next).toBe('https://api.atlassian.com/admin/v1/orgs?cursor=2');
    // Following it works because it is the same origin as the base URL.
    expect((await admin.http.getPage(adminPage.ok ? (adminPage.value.next ?? '') : '')).ok).toBe(true);
    expect(admin.seen[1]?.url).toBe('https://api.atlassian.com/admin/v1/orgs?cursor=2');
    const last = client(() => json(200, { values: [], isLast: true }));
    const lastPage = await last.http.getPage('/rest/api/3/project/search');
    expect(lastPage.ok && lastPage.value.next).toBeUndefined();
  });
});
