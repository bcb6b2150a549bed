import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../simulator.ts';
import { UPM_INSTALLED_TYPE } from '../dc-admin/upm.ts';

// One medium world for the whole file: 500 users, 40 groups and 40 spaces on the Confluence DC instance.
const sim = createSimulator({ preset: 'medium' });
const site = sim.describe().sites.find((s) => s.deployment === 'dc' && s.product === 'confluence');
const instance = sim.state.world.dcInstances.find((i) => i.product === 'confluence');
if (!site || !('pat' in site.credentials) || !instance) throw new Error('medium preset lacks Confluence DC');
const base = site.baseUrl;
const admin = { authorization: `Bearer ${site.credentials.pat}` };

async function get(path: string, headers: Record<string, string> = admin) {
  const res = await sim.fetch(path.startsWith('http') ? path : `${base}${path}`, { headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined) as Record<string, unknown>,
  };
}

async function patFor(username: string): Promise<Record<string, string>> {
  const res = await sim.fetch(`${sim.state.baseUrl}/_sim/tokens`, {
    method: 'POST',
    body: JSON.stringify({ site: site?.name, user: username }),
  });
  expect(res.status).toBe(201);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

type DcPage = {
  results: Array<Record<string, unknown>>;
  start: number;
  limit: number;
  size: number;
  _links: { base: string; context: string; self: string; next?: string; prev?: string };
};

/** Follows a Data Center list by joining `_links.base` (which carries the context path) and `_links.next`. */
async function walk(
  firstPath: string,
  key: string,
  headers: Record<string, string> = admin,
): Promise<{ values: string[]; pages: number }> {
  const values: string[] = [];
  let url: string | undefined = `${base}${firstPath}`;
  let pages = 0;
  while (url) {
    const res = await get(url, headers);
    expect(res.status, url).toBe(200);
    const body = res.body as unknown as DcPage;
    expect(body._links).toMatchObject({ base, context: '/confluence' });
    expect(body.size).toBe(body.results.length);
    if (body._links.next) expect(body._links.next).toMatch(/^\/rest\/api\/.*next=true/);
    values.push(...body.results.map((r) => String(r[key])));
    pages++;
    url = body._links.next ? `${body._links.base}${body._links.next}` : undefined;
  }
  return { values, pages };
}

describe('Confluence DC pagination', () => {
  it('walks every space with the default page size of 25', async () => {
    const { values, pages } = await walk('/rest/api/space', 'key');
    expect(values).toEqual(instance.spaces.map((s) => s.key));
    expect(pages).toBe(Math.ceil(instance.spaces.length / 25));
  });

  it('walks spaces in small pages with prev links, nothing skipped or repeated', async () => {
    const { values } = await walk('/rest/api/space?limit=7&type=global', 'key');
    expect(values).toEqual(instance.spaces.map((s) => s.key));
    const second = (await get('/rest/api/space?limit=7&start=7')).body as unknown as DcPage;
    expect(second._links.prev).toBe('/rest/api/space?limit=7&start=0');
  });

  it('walks every user, 100 a page by default, by username and userKey', async () => {
    const { values, pages } = await walk('/rest/api/user/list', 'userKey');
    expect(values).toEqual(instance.users.map((u) => u.key));
    expect(pages).toBe(Math.ceil(instance.users.length / 100));
    expect(values[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('walks every group and the members of confluence-users', async () => {
    const groups = await walk('/rest/api/group?limit=15', 'name');
    expect(groups.values).toEqual(instance.groups.map((g) => g.name));
    const users = instance.groups.find((g) => g.name === 'confluence-users');
    if (!users) throw new Error('no confluence-users');
    const members = await walk('/rest/api/group/confluence-users/member', 'username');
    expect(members.values).toEqual(users.members.map((idx) => instance.users[idx]?.name));
    expect(members.pages).toBe(Math.ceil(users.members.length / 200));
  });
});

describe('Confluence DC resources', () => {
  it('reports version and build from the instance, and counts for admins only', async () => {
    const info = await get('/rest/api/server-information');
    expect(info.body).toEqual({
      baseUrl: base,
      version: instance.version,
      buildNumber: instance.buildNumber,
      marketplaceBuildNumber: instance.buildNumber,
      buildDate: expect.any(String) as unknown,
    });
    expect(info.body).not.toHaveProperty('deploymentType');
    expect((await get('/rest/api/instance-metrics')).body).toEqual({
      pages: instance.pages.length,
      spaces: instance.spaces.length,
      users: instance.users.length,
    });
    const plain = await patFor(instance.users.find((u, i) => i > 0 && !u.admin)?.name ?? '');
    const denied = await get('/rest/api/instance-metrics', plain);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ statusCode: 403, reason: 'Forbidden' });
  });

  it('finds users by username or key, and answers RestError otherwise', async () => {
    const user = instance.users[3];
    if (!user) throw new Error('no user');
    expect((await get(`/rest/api/user?username=${user.name}`)).body).toMatchObject({
      type: 'known',
      username: user.name,
      userKey: user.key,
      displayName: user.displayName,
    });
    expect((await get(`/rest/api/user?key=${user.key}`)).body).toMatchObject({ username: user.name });
    const missing = await get('/rest/api/user?username=ghost');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, data: { errors: [] }, reason: 'Not Found' });
    expect((await get('/rest/api/user')).status).toBe(400);
    expect((await get('/rest/api/user/current')).body).toMatchObject({ username: 'admin' });
    expect((await get('/rest/api/user/current', {})).body).toMatchObject({ type: 'anonymous' });
  });

  it('refuses a bad PAT, and a PAT sent as Basic, with 401', async () => {
    const bad = await get('/rest/api/space', { authorization: 'Bearer not-a-pat' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ statusCode: 401, reason: 'Unauthorized' });
    const pat = (site.credentials as { pat: string }).pat;
    const asBasic = await get('/rest/api/space', {
      authorization: `Basic ${Buffer.from(`admin:${pat}`).toString('base64')}`,
    });
    expect(asBasic.status).toBe(401);
    expect((await get('/rest/api/user/current', { authorization: 'Bearer not-a-pat' })).status).toBe(401);
  });
});

describe('Confluence DC space permissions for a non-admin', () => {
  const groupsOf = (idx: number) => new Set(instance.groups.filter((g) => g.members.includes(idx)).map((g) => g.name));
  const holds = (idx: number, key: 'read' | 'administer') =>
    instance.spaces.filter((s) =>
      s.permissions.some(
        (p) =>
          p.operation.key === key &&
          ((p.principal.type === 'user' && p.principal.idx === idx) ||
            (p.principal.type === 'group' && groupsOf(idx).has(p.principal.groupId))),
      ),
    );
  // A reader through a group who administers none of the spaces they can read.
  const userIdx = instance.users.findIndex(
    (u, idx) =>
      idx > 0 &&
      u.active &&
      !groupsOf(idx).has('confluence-administrators') &&
      holds(idx, 'read').length >= 2 &&
      holds(idx, 'administer').length === 0,
  );
  const user = instance.users[userIdx];

  it('lists and gets only readable spaces, and may not read their permissions', async () => {
    if (!user) throw new Error('no suitable non-admin user in the medium world');
    const headers = await patFor(user.name);
    const readable = holds(userIdx, 'read').map((s) => s.key);
    expect(readable.length).toBeLessThan(instance.spaces.length);
    const { values } = await walk('/rest/api/space?limit=3', 'key', headers);
    expect(values).toEqual(readable);
    const hidden = instance.spaces.find((s) => !readable.includes(s.key));
    if (!hidden) throw new Error('no hidden space');
    expect((await get(`/rest/api/space/${hidden.key}`, headers)).status).toBe(404);
    expect((await get(`/rest/api/space/${hidden.key}`)).status).toBe(200);
    expect((await get(`/rest/api/space/${readable[0] ?? ''}/permissions`, headers)).status).toBe(403);
    const asAdmin = await get(`/rest/api/space/${readable[0] ?? ''}/permissions`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toContainEqual(
      expect.objectContaining({
        subject: expect.objectContaining({ type: 'group' }) as unknown,
        operation: { operationKey: 'read', targetType: 'space' },
      }),
    );
  });
});

describe('Confluence DC instance metadata', () => {
  it('serves UPM only with its media type, to admins, with an upm-token', async () => {
    expect((await get('/rest/plugins/1.0/')).status).toBe(406);
    const res = await get('/rest/plugins/1.0/', { ...admin, accept: UPM_INSTALLED_TYPE });
    expect(res.status).toBe(200);
    expect(res.headers.get('upm-token')).toMatch(/^[0-9a-f]+$/);
    const plugins = (res.body as { plugins: Array<Record<string, unknown>> }).plugins;
    expect(plugins.map((p) => p['key'])).toEqual(instance.apps.map((a) => a.key));
    expect(plugins[0]).toMatchObject({
      links: { self: `/confluence/rest/plugins/1.0/${instance.apps[0]?.key ?? ''}-key` },
    });
    const plain = await patFor(instance.users.find((u, i) => i > 0 && !u.admin)?.name ?? '');
    expect((await get('/rest/plugins/1.0/', { ...plain, accept: UPM_INSTALLED_TYPE })).status).toBe(401);
  });

  it('lists application links and serves the manifest without credentials, XML unless JSON is asked for', async () => {
    const links = await get('/rest/applinks/1.0/applicationlink');
    expect((links.body as { applicationLinks: unknown[] }).applicationLinks).toHaveLength(instance.appLinks.length);
    const xml = await get('/rest/applinks/1.0/manifest', {});
    expect(xml.status).toBe(200);
    expect(xml.text).toContain(`<version>${instance.version}</version>`);
    const json = await get('/rest/applinks/1.0/manifest', { accept: 'application/json' });
    expect(json.body).toMatchObject({
      typeId: 'confluence',
      version: instance.version,
      buildNumber: instance.buildNumber,
    });
  });

  it('reports licence expiry dates in epoch ms and seat counts', async () => {
    const details = await get('/rest/license/1.0/license/details');
    expect(details.body).toMatchObject({
      expiryDate: instance.license.expiryDate,
      maintenanceExpiryDate: expect.any(Number) as unknown,
      dataCenter: true,
    });
    const count = (await get('/rest/license/1.0/license/userCount')).body['count'];
    const remaining = (await get('/rest/license/1.0/license/remainingSeats')).body['count'];
    expect(Number(count) + Number(remaining)).toBe(instance.license.maximumNumberOfUsers);
    const plain = await patFor(instance.users.find((u, i) => i > 0 && !u.admin)?.name ?? '');
    expect((await get('/rest/license/1.0/license/details', plain)).status).toBe(403);
  });
});
