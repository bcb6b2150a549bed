import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../simulator.ts';

// One medium world for the whole file: 30 spaces and 150 pages per site, 200 groups, 2,000 accounts.
const sim = createSimulator({ preset: 'medium' });
const info = sim.describe();
const org = info.orgs[0];
const site = info.sites.find((s) => s.name === 'acme-confluence');
if (!org || !site) throw new Error('medium preset lacks acme');
/** The site origin (`.../s/acme`): Confluence's relative `next` links (`/wiki/api/v2/...`) are joined to it. */
const siteRoot = site.baseUrl.replace(/\/wiki$/, '');
const world = sim.state.world;
const acme = world.cloudSites[0];
const orgWorld = world.orgs[0];
if (!acme || !orgWorld) throw new Error('no world');

const basic = (email: string, token: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`,
});
const admin = basic(org.email, org.apiToken);

async function get(url: string, headers: Record<string, string> = admin) {
  const res = await sim.fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

type V2Page = { results: Array<Record<string, unknown>>; _links: { next?: string; base: string } };

/** Follows a v2 list to its end by `Link` header or by `_links.next`, checking that both always agree. */
async function walkV2(
  firstPath: string,
  follow: 'link' | 'body',
  headers = admin,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let url: string | undefined = `${site?.baseUrl ?? ''}${firstPath}`;
  let pages = 0;
  while (url) {
    const res = await get(url, headers);
    expect(res.status, url).toBe(200);
    const body = res.body as unknown as V2Page;
    expect(body).not.toHaveProperty('total');
    expect(body._links.base).toBe(site?.baseUrl);
    const link = res.headers.get('link');
    const fromHeader = link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
    expect(fromHeader).toBe(body._links.next);
    if (body._links.next) expect(body._links.next).toMatch(/^\/wiki\/api\/v2\//);
    ids.push(...body.results.map((r) => String(r['id'])));
    pages++;
    const next = follow === 'link' ? fromHeader : body._links.next;
    url = next ? `${siteRoot}${next}` : undefined;
  }
  return { ids, pages };
}

type V1Page = {
  results: Array<Record<string, unknown>>;
  start: number;
  limit: number;
  size: number;
  _links: { base: string; context: string; next?: string };
};

/** Follows a v1 list by joining `_links.base` and the relative `_links.next`. */
async function walkV1(firstUrl: string, key: string): Promise<{ values: string[]; pages: number }> {
  const values: string[] = [];
  let url: string | undefined = firstUrl;
  let pages = 0;
  while (url) {
    const res = await get(url);
    expect(res.status, url).toBe(200);
    const body = res.body as unknown as V1Page;
    expect(body.size).toBe(body.results.length);
    expect(body._links.context).toBe('/wiki');
    values.push(...body.results.map((r) => String(r[key])));
    pages++;
    url = body._links.next ? `${body._links.base}${body._links.next}` : undefined;
  }
  return { values, pages };
}

describe('Confluence Cloud v2 pagination', () => {
  it('walks every space by the Link header, each once, in id order', async () => {
    const { ids, pages } = await walkV2('/api/v2/spaces?limit=7', 'link');
    expect(ids).toEqual(acme.confluence.spaces.map((s) => s.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.ceil(acme.confluence.spaces.length / 7));
  });

  it('walks every space by _links.next with the default page size of 25', async () => {
    const { ids, pages } = await walkV2('/api/v2/spaces', 'body');
    expect(ids).toEqual(acme.confluence.spaces.map((s) => s.id));
    expect(pages).toBe(2);
  });

  it('walks every page of the site by _links.next and by the Link header', async () => {
    const expected = acme.confluence.pages.map((p) => p.id).sort((a, b) => Number(a) - Number(b));
    const byBody = await walkV2('/api/v2/pages?limit=40', 'body');
    expect(byBody.ids).toEqual(expected);
    const byLink = await walkV2('/api/v2/pages?limit=40', 'link');
    expect(byLink.ids).toEqual(expected);
    expect(byBody.pages).toBe(Math.ceil(expected.length / 40));
  });

  it('walks the pages of one space, keeping the filters in the next link', async () => {
    const space = acme.confluence.spaces[3];
    if (!space) throw new Error('no space');
    const { ids } = await walkV2(`/api/v2/spaces/${space.id}/pages?limit=2&sort=-title`, 'link');
    const expected = acme.confluence.pages.filter((p) => p.spaceId === space.id);
    expect([...ids].sort()).toEqual(expected.map((p) => p.id).sort());
    expect(ids[0]).toBe([...expected].sort((a, b) => b.title.localeCompare(a.title))[0]?.id);
  });

  it('refuses a tampered cursor, and one issued for another list, with 400 INVALID_REQUEST_PARAMETER', async () => {
    const first = await get(`${site.baseUrl}/api/v2/spaces?limit=5`);
    const next = (first.body as unknown as V2Page)._links.next ?? '';
    const cursor = new URL(next, 'http://x').searchParams.get('cursor') ?? '';
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...payload, offset: 10 }), 'utf8').toString('base64url');
    for (const bad of [tampered, `${cursor.slice(0, -2)}xy`, 'garbage']) {
      const res = await get(`${site.baseUrl}/api/v2/spaces?limit=5&cursor=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: 'Bad Request', detail: 'Invalid cursor' }],
      });
    }
    expect((await get(`${site.baseUrl}/api/v2/pages?cursor=${cursor}`)).status).toBe(400);
    expect((await get(`${siteRoot}${next}`)).status).toBe(200);
  });

  it('clamps limit to 250 and keeps the caller’s limit in the next link', async () => {
    const res = await get(`${site.baseUrl}/api/v2/pages?limit=100`);
    expect((res.body as unknown as V2Page).results).toHaveLength(100);
    expect((res.body as unknown as V2Page)._links.next).toContain('limit=100');
    const all = await get(`${site.baseUrl}/api/v2/pages?limit=9999`);
    expect((all.body as unknown as V2Page).results).toHaveLength(Math.min(250, acme.confluence.pages.length));
  });

  it('serves the gateway mount with the same site-relative next links', async () => {
    const res = await get(`${sim.state.baseUrl}/ex/confluence/${acme.cloudId}/wiki/api/v2/spaces?limit=5`);
    expect(res.status).toBe(200);
    expect((res.body as unknown as V2Page)._links.next).toMatch(/^\/wiki\/api\/v2\/spaces\?/);
  });
});

describe('Confluence Cloud v2 resources', () => {
  it('gets a space with base link and nulls for icon and description, and 404s an unknown one', async () => {
    const space = acme.confluence.spaces[0];
    if (!space) throw new Error('no space');
    const res = await get(`${site.baseUrl}/api/v2/spaces/${space.id}`);
    expect(res.body).toMatchObject({
      id: space.id,
      key: space.key,
      icon: null,
      description: null,
      _links: { webui: `/spaces/${space.key}`, base: site.baseUrl },
    });
    const missing = await get(`${site.baseUrl}/api/v2/spaces/1`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] });
    expect((await get(`${site.baseUrl}/api/v2/spaces/abc`)).status).toBe(400);
  });

  it('filters spaces by keys, ids and type, and rejects an unknown type', async () => {
    const [a, b] = acme.confluence.spaces;
    if (!a || !b) throw new Error('no spaces');
    const byKeys = await get(`${site.baseUrl}/api/v2/spaces?keys=${a.key},${b.key}`);
    expect((byKeys.body as unknown as V2Page).results.map((s) => s['key'])).toEqual([a.key, b.key]);
    const byIds = await get(`${site.baseUrl}/api/v2/spaces?ids=${b.id}`);
    expect((byIds.body as unknown as V2Page).results.map((s) => s['id'])).toEqual([b.id]);
    const kb = await get(`${site.baseUrl}/api/v2/spaces?type=knowledge_base&limit=250`);
    expect((kb.body as unknown as V2Page).results.length).toBe(
      acme.confluence.spaces.filter((s) => s.type === 'knowledge_base').length,
    );
    expect((await get(`${site.baseUrl}/api/v2/spaces?type=wiki`)).status).toBe(400);
  });

  it('lists space permissions with accountIds and group ids', async () => {
    const space = acme.confluence.spaces[0];
    if (!space) throw new Error('no space');
    const res = await get(`${site.baseUrl}/api/v2/spaces/${space.id}/permissions`);
    const results = (res.body as unknown as V2Page).results;
    expect(results).toHaveLength(space.permissions.length);
    const author = orgWorld.users[space.authorIdx];
    expect(results).toContainEqual({
      id: `${space.id}01`,
      principal: { type: 'user', id: author?.accountId },
      operation: { key: 'administer', targetType: 'space' },
    });
    expect(results.some((r) => (r['principal'] as { type: string }).type === 'group')).toBe(true);
  });

  it('gets a page with its body in the asked format and a root page with null parent', async () => {
    const space = acme.confluence.spaces[0];
    const child = acme.confluence.pages.find((p) => p.spaceId === space?.id && p.parentId !== null);
    if (!space || !child) throw new Error('no pages');
    const home = await get(`${site.baseUrl}/api/v2/pages/${space.homepageId}`);
    expect(home.body).toMatchObject({
      id: space.homepageId,
      parentId: null,
      parentType: null,
      body: {},
      _links: { base: site.baseUrl },
    });
    const page = await get(`${site.baseUrl}/api/v2/pages/${child.id}?body-format=storage`);
    expect(page.body).toMatchObject({
      parentId: space.homepageId,
      parentType: 'page',
      body: { storage: { representation: 'storage', value: child.body } },
    });
    expect((await get(`${site.baseUrl}/api/v2/pages/5`)).status).toBe(404);
  });
});

describe('Confluence Cloud v1 groups and users', () => {
  it('walks every group by base + _links.next, each once', async () => {
    const { values, pages } = await walkV1(`${site.baseUrl}/rest/api/group?limit=30`, 'id');
    expect(values).toEqual(orgWorld.groups.map((g) => g.id));
    expect(pages).toBe(Math.ceil(orgWorld.groups.length / 30));
  });

  it('defaults groups to 25 a page, caps limit at 200, and marks next links with next=true', async () => {
    const first = (await get(`${site.baseUrl}/rest/api/group`)).body as unknown as V1Page;
    expect(first).toMatchObject({ start: 0, limit: 25, size: 25 });
    expect(first._links.next).toBe('/rest/api/group?next=true&limit=25&start=25');
    const capped = (await get(`${site.baseUrl}/rest/api/group?limit=5000`)).body as unknown as V1Page;
    expect(capped.limit).toBe(200);
  });

  it('walks the members of the biggest group by accountId', async () => {
    const group = [...orgWorld.groups].sort((a, b) => b.members.length - a.members.length)[0];
    if (!group) throw new Error('no groups');
    expect(group.members.length).toBeGreaterThan(60);
    const { values, pages } = await walkV1(
      `${site.baseUrl}/rest/api/group/member?groupId=${group.id}&limit=30`,
      'accountId',
    );
    expect(values).toEqual(group.members.map((idx) => orgWorld.users[idx]?.accountId));
    expect(pages).toBe(Math.ceil(group.members.length / 30));
  });

  it('lists the people with site access through the CQL user search, and refuses other CQL', async () => {
    const res = await get(`${site.baseUrl}/rest/api/search/user?cql=${encodeURIComponent('type = user')}&limit=40`);
    expect(res.status).toBe(200);
    const first = (res.body as unknown as { results: Array<{ user: { accountId: string; type: string } }> }).results;
    expect(first[0]?.user.type).toBe('known');
    const siteUsers = orgWorld.users.filter((u) => u.siteAccess.includes(0)).map((u) => u.accountId);
    let url: string | undefined = `${site.baseUrl}/rest/api/search/user?cql=type%3Duser&limit=40`;
    const ids: string[] = [];
    while (url) {
      const page = (await get(url)).body as unknown as Omit<V1Page, 'results'> & {
        results: Array<{ user: { accountId: string } }>;
      };
      ids.push(...page.results.map((r) => r.user.accountId));
      url = page._links.next ? `${page._links.base}${page._links.next}` : undefined;
    }
    expect(ids).toEqual(siteUsers);
    const bad = await get(`${site.baseUrl}/rest/api/search/user?cql=type%3Dpage`);
    expect(bad.status).toBe(400);
  });

  it('answers member and user lookups with v1 users and v1 errors', async () => {
    const user = orgWorld.users[5];
    if (!user) throw new Error('no user');
    const found = await get(`${site.baseUrl}/rest/api/user?accountId=${user.accountId}`);
    expect(found.body).toMatchObject({
      type: 'known',
      accountId: user.accountId,
      accountType: 'atlassian',
      email: user.email,
      publicName: user.nickname,
      displayName: user.name,
    });
    const missing = await get(`${site.baseUrl}/rest/api/user?accountId=nobody`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      statusCode: 404,
      data: { authorized: true, valid: true, errors: [], successful: false },
      reason: 'Not Found',
    });
    expect((await get(`${site.baseUrl}/rest/api/group/member`)).status).toBe(400);
    expect((await get(`${site.baseUrl}/rest/api/group/member?groupId=nope`)).status).toBe(404);
  });

  it('says who is calling, and answers the anonymous user without credentials', async () => {
    const me = await get(`${site.baseUrl}/rest/api/user/current`);
    expect(me.body).toMatchObject({ type: 'known', accountId: orgWorld.users[0]?.accountId });
    const anonymous = await get(`${site.baseUrl}/rest/api/user/current`, {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ type: 'anonymous', displayName: 'Anonymous' });
    expect((await get(`${site.baseUrl}/rest/api/user/current`, basic(org.email, 'wrong'))).status).toBe(401);
  });
});

describe('Confluence Cloud authentication', () => {
  it('answers 401 in the v2 shape on v2 and the v1 shape on v1', async () => {
    const v2 = await get(`${site.baseUrl}/api/v2/spaces`, {});
    expect(v2.status).toBe(401);
    expect(v2.body).toMatchObject({ errors: [{ status: 401, code: 'UNAUTHORIZED' }] });
    const v1 = await get(`${site.baseUrl}/rest/api/group`, basic(org.email, 'wrong'));
    expect(v1.status).toBe(401);
    expect(v1.body).toMatchObject({ statusCode: 401, data: { authorized: false }, reason: 'Unauthorized' });
  });
});

describe('Confluence Cloud space permissions for a non-admin', () => {
  const adminGroups = new Set(orgWorld.groups.filter((g) => g.grantsSiteAdmin).map((g) => g.id));
  /** Read on the space for this user directly or through a group, computed from the world independently. */
  const readable = (userIdx: number) =>
    acme.confluence.spaces.filter((s) =>
      s.permissions.some(
        (p) =>
          p.operation.key === 'read' &&
          ((p.principal.type === 'user' && p.principal.idx === userIdx) ||
            (p.principal.type === 'group' &&
              orgWorld.groups
                .find((g) => g.id === (p.principal as { groupId: string }).groupId)
                ?.members.includes(userIdx))),
      ),
    );
  const userIdx = orgWorld.users.findIndex(
    (u, idx) =>
      u.status === 'active' &&
      u.email !== undefined &&
      u.siteAccess.includes(0) &&
      !orgWorld.groups.some((g) => adminGroups.has(g.id) && g.members.includes(idx)) &&
      readable(idx).length >= 2,
  );
  const user = orgWorld.users[userIdx];

  async function tokenFor(email: string): Promise<Record<string, string>> {
    const res = await sim.fetch(`${sim.state.baseUrl}/_sim/tokens`, {
      method: 'POST',
      body: JSON.stringify({ site: 'acme-confluence', user: email }),
    });
    expect(res.status).toBe(201);
    return basic(email, ((await res.json()) as { token: string }).token);
  }

  it('sees exactly the spaces it may read, in lists and by id', async () => {
    if (!user?.email) throw new Error('no suitable non-admin user in the medium world');
    const headers = await tokenFor(user.email);
    const expected = readable(userIdx).map((s) => s.id);
    expect(expected.length).toBeLessThan(acme.confluence.spaces.length);
    const { ids } = await walkV2('/api/v2/spaces?limit=2', 'link', headers);
    expect(ids).toEqual(expected);

    const hidden = acme.confluence.spaces.find((s) => !expected.includes(s.id));
    if (!hidden) throw new Error('no hidden space');
    expect((await get(`${site.baseUrl}/api/v2/spaces/${hidden.id}`, headers)).status).toBe(404);
    expect((await get(`${site.baseUrl}/api/v2/spaces/${hidden.id}/pages`, headers)).status).toBe(404);
    expect((await get(`${site.baseUrl}/api/v2/spaces/${hidden.id}/permissions`, headers)).status).toBe(404);
    expect((await get(`${site.baseUrl}/api/v2/pages/${hidden.homepageId}`, headers)).status).toBe(404);
    // The admin sees the same space.
    expect((await get(`${site.baseUrl}/api/v2/spaces/${hidden.id}`)).status).toBe(200);

    const pages = await walkV2('/api/v2/pages?limit=50', 'body', headers);
    const visiblePages = acme.confluence.pages.filter((p) => expected.includes(p.spaceId)).map((p) => p.id);
    expect([...pages.ids].sort()).toEqual([...visiblePages].sort());
  });
});
