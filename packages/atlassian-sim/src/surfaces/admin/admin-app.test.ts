import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator.ts';
import { issueScopedAdminKey } from './admin-key-scopes.ts';
import { V1_USERS_PAGE_SIZE } from './org-routes.ts';

const ORIGIN = 'http://sim.local';
// The tests walk deep into untyped response JSON; a missing field fails the assertion that reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function setup(options: Parameters<typeof createSimulator>[0] = {}) {
  const sim = createSimulator(options);
  const org = sim.describe().orgs[0];
  if (!org) throw new Error('no org');
  const call = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const res = await sim.fetch(`${ORIGIN}/admin${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? org.apiKey}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return { sim, org, call };
}

async function stats(sim: Simulator): Promise<Json> {
  const res = await sim.fetch(`${ORIGIN}/_sim/stats`);
  return ((await res.json()) as Json)['orgs'][0];
}

const medium = () => setup({ preset: 'medium', rateLimits: { enabled: false } });

describe('Admin API pagination walks (medium preset)', () => {
  it('walks GET /v1/orgs/{orgId}/users by following full-URL links.next to the end', async () => {
    const { sim, org, call } = medium();
    const seen = new Set<string>();
    let url: string | undefined = `${ORIGIN}/admin/v1/orgs/${org.id}/users`;
    let pages = 0;
    let total = -1;
    while (url) {
      // v1 links are absolute URLs carrying the cursor: follow them verbatim.
      expect(url.startsWith(`${ORIGIN}/admin/v1/orgs/${org.id}/users`)).toBe(true);
      const page = await call(url.slice(`${ORIGIN}/admin`.length));
      expect(page.status).toBe(200);
      total = page.body['meta']['total'];
      for (const user of page.body['data']) {
        expect(seen.has(user.account_id)).toBe(false);
        seen.add(user.account_id);
      }
      if (page.body['links']['next']) expect(page.body['data']).toHaveLength(V1_USERS_PAGE_SIZE);
      url = page.body['links']['next'];
      if (url) expect(url).toMatch(/\?cursor=[A-Za-z0-9_-]+$/);
      pages++;
    }
    const expected = (await stats(sim))['users'];
    expect(seen.size).toBe(expected);
    expect(total).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / V1_USERS_PAGE_SIZE));
  });

  it('walks POST v2 users/search on directory `-` with limit 100 by cursor tokens', async () => {
    const { sim, org, call } = medium();
    const seen = new Set<string>();
    let cursor: string | undefined;
    let apps = 0;
    const v1 = await call(`/v1/orgs/${org.id}/users/search`, {
      method: 'POST',
      body: { accountTypes: ['app'], limit: 1000 },
    });
    apps = v1.body['data'].length;
    do {
      const page = await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
        method: 'POST',
        body: { limit: 100, ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      expect(page.body['data'].length).toBeLessThanOrEqual(100);
      for (const user of page.body['data']) {
        expect(seen.has(user.accountId)).toBe(false);
        seen.add(user.accountId);
      }
      cursor = page.body['links']['next'];
      // v2 links are bare tokens, never URLs.
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (cursor);
    expect(apps).toBeGreaterThan(0);
    // Directories hold people: every org account except the app accounts.
    expect(seen.size).toBe((await stats(sim))['users'] - apps);
  });

  it('serves the same users through the deprecated GET v2 …/users', async () => {
    const { org, call } = medium();
    const viaGet = await call(`/v2/orgs/${org.id}/directories/-/users?limit=100`);
    const viaPost = await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
      method: 'POST',
      body: { limit: 100 },
    });
    expect(viaGet.body['data']).toEqual(viaPost.body['data']);
    const next = await call(`/v2/orgs/${org.id}/directories/-/users?limit=100&cursor=${viaGet.body['links']['next']}`);
    expect(next.body['data'][0].accountId).not.toBe(viaGet.body['data'][0].accountId);
  });

  it('walks v2 groups/search to the end; groups and member counts equal the stats', async () => {
    const { sim, org, call } = medium();
    const seen = new Set<string>();
    let members = 0;
    let cursor: string | undefined;
    do {
      const page = await call(`/v2/orgs/${org.id}/directories/-/groups/search`, {
        method: 'POST',
        body: { limit: 100, expand: ['counts.users'], ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      for (const group of page.body['data']) {
        expect(seen.has(group.id)).toBe(false);
        seen.add(group.id);
        members += group.counts.users;
      }
      cursor = page.body['links']['next'];
    } while (cursor);
    const s = await stats(sim);
    expect(seen.size).toBe(s['groups']);
    expect(members).toBe(s['memberships']);
  });

  it('walks the deprecated v1 users/search and groups/search by bare cursor tokens in links.next', async () => {
    const { sim, org, call } = medium();
    const walk = async (kind: 'users' | 'groups', idOf: (x: Json) => string) => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await call(`/v1/orgs/${org.id}/${kind}/search`, {
          method: 'POST',
          body: { limit: 250, ...(cursor ? { cursor } : {}) },
        });
        expect(page.status).toBe(200);
        for (const item of page.body['data']) {
          expect(seen.has(idOf(item))).toBe(false);
          seen.add(idOf(item));
        }
        cursor = page.body['links']['next'];
        if (cursor) expect(cursor).not.toContain('/');
      } while (cursor);
      return seen.size;
    };
    const s = await stats(sim);
    expect(await walk('users', (u) => u['accountId'])).toBe(s['users']);
    expect(await walk('groups', (g) => g['id'])).toBe(s['groups']);
  });
});

describe('Admin API error envelopes', () => {
  it('answers a missing or wrong key with a 401 ProxyError', async () => {
    const { sim, org, call } = setup();
    const none = await sim.fetch(`${ORIGIN}/admin/v1/orgs`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 401, message: expect.any(String) });
    const wrong = await call('/v1/orgs', { key: 'ATCTT3xFfGN0notakey' });
    expect(wrong.status).toBe(401);
    // A site API token is not an admin key.
    const basic = await sim.fetch(`${ORIGIN}/admin/v1/orgs`, {
      headers: { authorization: `Basic ${btoa(`${org.email}:${org.apiToken}`)}` },
    });
    expect(basic.status).toBe(401);
  });

  it('answers 401 once the key is revoked through /_sim/tokens/revoke', async () => {
    const { sim, org, call } = setup();
    expect((await call(`/v1/orgs/${org.id}`)).status).toBe(200);
    const revoke = await sim.fetch(`${ORIGIN}/_sim/tokens/revoke`, {
      method: 'POST',
      body: JSON.stringify({ token: org.apiKey }),
    });
    expect(revoke.status).toBe(200);
    const after = await call(`/v1/orgs/${org.id}`);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ code: 401, message: expect.any(String) });
  });

  it('answers a burst with a 429 ProxyError and X-RateLimit-* headers with an ISO reset', async () => {
    let now = Date.UTC(2026, 10, 2, 12, 0, 0);
    const { org, call } = setup({ now: () => now, rateLimits: { adminRps: 3 } });
    for (let i = 0; i < 3; i++) expect((await call(`/v1/orgs/${org.id}`)).status).toBe(200);
    const limited = await call(`/v1/orgs/${org.id}`);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 429, message: expect.any(String) });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    now += 1_000;
    expect((await call(`/v1/orgs/${org.id}`)).status).toBe(200);
  });

  it('answers a scoped key without read:domains:admin with the domains 403 NoPermsError', async () => {
    const { sim, org, call } = setup();
    const narrow = issueScopedAdminKey(sim.state, 0, ['read:org:admin', 'read:directories:admin']);
    const denied = await call(`/v1/orgs/${org.id}/domains`, { key: narrow });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      error: 'Forbidden',
      message: expect.any(String),
      path: `/admin/v1/orgs/${org.id}/domains`,
      requestId: expect.any(String),
      status: 403,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await call(`/v1/orgs/${org.id}`, { key: narrow })).status).toBe(200);
    const wide = issueScopedAdminKey(sim.state, 0, ['read:domains:admin']);
    expect((await call(`/v1/orgs/${org.id}/domains`, { key: wide })).status).toBe(200);
  });

  it('answers an unknown org, and an org the key does not belong to, with 404 ADMIN-404-2', async () => {
    const { sim, org, call } = setup();
    const unknown = await call('/v1/orgs/00000000-0000-4000-8000-000000000000/users');
    expect(unknown.status).toBe(404);
    expect(unknown.body['errors'][0]).toMatchObject({
      status: '404',
      code: 'ADMIN-404-2',
      title: expect.any(String),
      detail: expect.any(String),
      id: expect.any(String),
    });
    // A second org in the world: org 0's key must not see it, though it exists.
    const first = sim.state.world.orgs[0];
    if (!first) throw new Error('no org');
    sim.state.world.orgs.push({ ...first, id: 'f1d2d2f9-0000-4000-8000-00000000beef', apiKey: 'ATCTT3xFfGN0OTHERKEY' });
    const foreign = await call('/v1/orgs/f1d2d2f9-0000-4000-8000-00000000beef');
    expect(foreign.status).toBe(404);
    expect(foreign.body['errors'][0]['code']).toBe('ADMIN-404-2');
    const listed = await call('/v1/orgs');
    expect(listed.body['data'].map((o: Json) => o['id'])).toEqual([org.id]);
  });

  it('answers a bad cursor with 400 ADMIN-400-1, also a token from another listing', async () => {
    const { org, call } = setup();
    const users = await call(`/v2/orgs/${org.id}/directories/-/users/search`, { method: 'POST', body: { limit: 5 } });
    const foreign = await call(`/v2/orgs/${org.id}/directories/-/groups/search`, {
      method: 'POST',
      body: { cursor: users.body['links']['next'] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body['errors'][0]['code']).toBe('ADMIN-400-1');
    const v1 = await call(`/v1/orgs/${org.id}/users?cursor=garbage!`);
    expect(v1.status).toBe(400);
    expect(v1.body['errors'][0]['code']).toBe('ADMIN-400-1');
  });

  it('refuses emails with searchTerm, limit over 100 and more than 10 accountIds with 400', async () => {
    const { org, call } = setup();
    const path = `/v2/orgs/${org.id}/directories/-/users/search`;
    for (const body of [
      { emails: ['a@acme.example'], searchTerm: 'a' },
      { limit: 101 },
      { accountIds: Array.from({ length: 11 }, (_, i) => `id${i}`) },
      { expand: ['everything'] },
    ]) {
      const res = await call(path, { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(res.body['errors'][0]).toMatchObject({ status: '400', code: 'ADMIN-400-24' });
    }
    expect((await call(`/v2/orgs/${org.id}/directories/-/users?limit=101`)).status).toBe(400);
    expect((await call(path, { method: 'POST', body: { limit: 100 } })).status).toBe(200);
  });

  it('answers an unknown directory, group and user with 404', async () => {
    const { org, call } = setup();
    expect((await call(`/v2/orgs/${org.id}/directories/nope/users/search`, { method: 'POST' })).status).toBe(404);
    const group = await call(`/v2/orgs/${org.id}/directories/-/groups/nope`);
    expect(group.body['errors'][0]['code']).toBe('ADMIN-404-10');
    const user = await call(`/v2/orgs/${org.id}/directories/-/users/nope/role-assignments`);
    expect(user.body['errors'][0]['code']).toBe('ADMIN-404-8');
  });
});

describe('Admin API data', () => {
  it('searches users by email, term and group, and expands groups and product access', async () => {
    const { sim, org, call } = setup();
    const world = sim.state.world.orgs[0];
    const group = world?.groups[3];
    if (!world || !group) throw new Error('no group');
    const byGroup = await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
      method: 'POST',
      body: { groupIds: [group.id], limit: 100, expand: ['groups', 'productAccess'] },
    });
    expect(byGroup.body['data'].map((u: Json) => u['accountId'])).toEqual(
      group.members.map((m) => world.users[m]?.accountId),
    );
    for (const u of byGroup.body['data']) expect(u['groups'].map((g: Json) => g['id'])).toContain(group.id);
    const byEmail = await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
      method: 'POST',
      body: { emails: [org.email.toUpperCase()] },
    });
    expect(byEmail.body['data']).toHaveLength(1);
    expect(byEmail.body['data'][0]['email']).toBe(org.email);
    const byTerm = await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
      method: 'POST',
      body: { searchTerm: 'zzzz-nobody' },
    });
    expect(byTerm.body).toEqual({ data: [], links: { self: expect.any(String) } });
  });

  it('adds and removes a group membership (204) and the user search sees it', async () => {
    const { sim, org, call } = setup();
    const world = sim.state.world.orgs[0];
    const group = world?.groups[2];
    const outsider =
      world?.users.findIndex((u, i) => u.accountType === 'atlassian' && !group?.members.includes(i)) ?? -1;
    const accountId = world?.users[outsider]?.accountId;
    if (!group || !accountId) throw new Error('no candidate');
    const base = `/v2/orgs/${org.id}/directories/-/groups/${group.id}`;
    const members = async () =>
      (
        await call(`/v2/orgs/${org.id}/directories/-/users/search`, {
          method: 'POST',
          body: { groupIds: [group.id], limit: 100 },
        })
      ).body['data'].map((u: Json) => u['accountId']);
    expect(await members()).not.toContain(accountId);
    const added = await call(`${base}/memberships`, { method: 'POST', body: { accountId } });
    expect(added.status).toBe(204);
    expect(await members()).toContain(accountId);
    expect((await call(base)).body['data']['counts']['users']).toBe(group.members.length);
    expect((await call(`${base}/memberships/${encodeURIComponent(accountId)}`, { method: 'DELETE' })).status).toBe(204);
    expect(await members()).not.toContain(accountId);
    expect((await call(`${base}/memberships`, { method: 'POST', body: { accountId: 'nobody' } })).status).toBe(404);
  });

  it('lists role assignments per resource and one workspace per site product', async () => {
    const { sim, org, call } = setup();
    const admin = sim.state.world.orgs[0]?.users[0];
    if (!admin) throw new Error('no admin');
    const roles = await call(
      `/v2/orgs/${org.id}/directories/-/users/${encodeURIComponent(admin.accountId)}/role-assignments`,
    );
    expect(roles.status).toBe(200);
    const site = sim.state.world.cloudSites[0];
    expect(roles.body['data']).toContainEqual(
      expect.objectContaining({ resourceId: `ari:cloud:platform::org/${org.id}`, roles: ['atlassian/org-admin'] }),
    );
    expect(roles.body['data']).toContainEqual(
      expect.objectContaining({
        resourceId: `ari:cloud:jira::site/${site?.cloudId}`,
        resourceOwner: 'jira',
        roles: ['atlassian/admin'],
      }),
    );
    const all = await call(`/v2/orgs/${org.id}/workspaces`, { method: 'POST', body: {} });
    expect(all.body['data'].map((w: Json) => w['id'])).toEqual(
      sim.state.world.cloudSites.flatMap((s) => [
        `ari:cloud:jira::site/${s.cloudId}`,
        `ari:cloud:confluence::site/${s.cloudId}`,
      ]),
    );
    const confluence = await call(`/v2/orgs/${org.id}/workspaces`, {
      method: 'POST',
      body: { query: { field: { name: 'attributes.type', values: ['confluence'] } } },
    });
    expect(confluence.body['data'].map((w: Json) => w['attributes']['type'])).toEqual(
      sim.state.world.cloudSites.map(() => 'confluence'),
    );
    expect(confluence.body['meta']['total']).toBe(sim.state.world.cloudSites.length);
  });

  it('lists the org, its verified domain and its directory', async () => {
    const { org, call } = setup();
    const one = await call(`/v1/orgs/${org.id}`);
    expect(one.body['data']).toMatchObject({ id: org.id, type: 'orgs', attributes: { name: org.name } });
    const domains = await call(`/v1/orgs/${org.id}/domains`);
    expect(domains.body['data']).toEqual([
      expect.objectContaining({
        type: 'domains',
        attributes: { name: org.email.split('@')[1], claim: { type: 'dns', status: 'verified' } },
      }),
    ]);
    const domain = await call(`/v1/orgs/${org.id}/domains/${domains.body['data'][0]['id']}`);
    expect(domain.status).toBe(200);
    const directories = await call(`/v2/orgs/${org.id}/directories`);
    expect(directories.body['data']).toHaveLength(1);
    expect(directories.body['links']['next']).toBeUndefined();
  });
});
