import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator.ts';
import type { Org, Project } from '../../world/types.ts';

type Json = Record<string, unknown>;

let sim: Simulator;
let adminAuth: Record<string, string>;
let org: Org;
const BASE = 'http://sim.local/s/acme';

async function get(
  path: string,
  headers: Record<string, string> = adminAuth,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await sim.fetch(path.startsWith('http') ? path : `${BASE}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

async function tokenFor(user: string): Promise<Record<string, string>> {
  const res = await sim.fetch('http://sim.local/_sim/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const { token, email } = (await res.json()) as { token: string; email: string };
  return { authorization: `Basic ${btoa(`${email}:${token}`)}` };
}

beforeAll(() => {
  sim = createSimulator({ preset: 'medium', rateLimits: { enabled: false } });
  const d = sim.describe();
  const o = d.orgs[0];
  if (!o) throw new Error('no org');
  adminAuth = { authorization: `Basic ${btoa(`${o.email}:${o.apiToken}`)}` };
  const worldOrg = sim.state.world.orgs[0];
  if (!worldOrg) throw new Error('no org');
  org = worldOrg;
});

/** Whether org user `idx` can browse `project`, computed from the world independently of the routes. */
function browsable(idx: number, project: Project): boolean {
  if (!project.restricted) return true;
  return project.roles.some(
    (r) =>
      r.actorUsers.includes(idx) ||
      r.actorGroups.some((g) => org.groups.find((x) => x.id === g)?.members.includes(idx)),
  );
}

/** An active non-admin with access to acme who cannot see at least one restricted project. */
function plainUser(): number {
  const admins = new Set(org.groups.filter((g) => g.grantsSiteAdmin).flatMap((g) => g.members));
  const projects = sim.state.world.cloudSites[0]?.jira.projects ?? [];
  const idx = org.users.findIndex(
    (u, i) =>
      u.status === 'active' &&
      u.accountType === 'atlassian' &&
      u.siteAccess.includes(0) &&
      !admins.has(i) &&
      projects.some((p) => !browsable(i, p)),
  );
  if (idx < 0) throw new Error('no plain user');
  return idx;
}

describe('pagination walks (medium preset)', () => {
  it('walks project/search by nextPage and by startAt to the same complete, ordered list', async () => {
    const projects = sim.state.world.cloudSites[0]?.jira.projects ?? [];
    const byNext: string[] = [];
    let url: string | undefined = `${BASE}/rest/api/3/project/search?maxResults=7`;
    let pages = 0;
    while (url) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      const page = body as { values: Json[]; isLast: boolean; nextPage?: string; total: number; maxResults: number };
      expect(page.total).toBe(projects.length);
      byNext.push(...page.values.map((v) => v['key'] as string));
      expect(page.isLast).toBe(page.nextPage === undefined);
      url = page.nextPage;
      pages++;
    }
    expect(pages).toBe(Math.ceil(projects.length / 7));
    const byStart: string[] = [];
    for (let startAt = 0; ; startAt += 7) {
      const page = (await get(`/rest/api/3/project/search?maxResults=7&startAt=${startAt}`)).body as {
        values: Json[];
        isLast: boolean;
      };
      byStart.push(...page.values.map((v) => v['key'] as string));
      if (page.isLast) break;
    }
    const expected = projects.map((p) => p.key).sort();
    expect(byNext).toEqual(expected);
    expect(byStart).toEqual(expected);
  });

  it('walks users/search (a bare array) until a short page, with nothing skipped or repeated', async () => {
    const expected = org.users.filter((u) => u.siteAccess.includes(0)).map((u) => u.accountId);
    const seen: string[] = [];
    for (let startAt = 0; ; startAt += 100) {
      const { status, body } = await get(`/rest/api/3/users/search?startAt=${startAt}&maxResults=100`);
      expect(status).toBe(200);
      const users = body as Json[];
      seen.push(...users.map((u) => u['accountId'] as string));
      if (users.length < 100) break;
    }
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  });

  it('walks group/member by startAt until isLast; inactive members only with includeInactiveUsers', async () => {
    const group = [...org.groups].sort((a, b) => b.members.length - a.members.length)[0];
    if (!group) throw new Error('no group');
    const walk = async (inactive: boolean) => {
      const ids: string[] = [];
      for (let startAt = 0; ;) {
        const { status, body } = await get(
          `/rest/api/3/group/member?groupId=${group.id}&includeInactiveUsers=${inactive}&startAt=${startAt}&maxResults=500`,
        );
        expect(status).toBe(200);
        const page = body as { values: Json[]; isLast: boolean; maxResults: number; total: number };
        expect(page.maxResults).toBe(50);
        ids.push(...page.values.map((v) => v['accountId'] as string));
        if (page.isLast) {
          expect(page.total).toBe(ids.length);
          break;
        }
        startAt += page.maxResults;
      }
      return ids;
    };
    const all = await walk(true);
    expect(new Set(all)).toEqual(new Set(group.members.map((i) => org.users[i]?.accountId)));
    expect(all).toHaveLength(group.members.length);
    const active = await walk(false);
    expect(active).toHaveLength(group.members.filter((i) => org.users[i]?.status === 'active').length);
    expect(active.length).toBeLessThan(all.length);
  });
});

describe('projects', () => {
  it('clamps maxResults to 100 and orders by name descending on request', async () => {
    const page = (await get('/rest/api/3/project/search?maxResults=500&orderBy=-name')).body as {
      maxResults: number;
      values: Json[];
    };
    expect(page.maxResults).toBe(100);
    const names = page.values.map((v) => String(v['name']).toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
  });

  it('filters by query and keys, 404s when criteria match nothing, and 400s on a bad orderBy', async () => {
    const project = sim.state.world.cloudSites[0]?.jira.projects[2];
    if (!project) throw new Error('no project');
    const byKey = (await get(`/rest/api/3/project/search?keys=${project.key}&expand=description,insight`)).body as {
      values: Json[];
    };
    expect(byKey.values.map((v) => v['key'])).toEqual([project.key]);
    expect(byKey.values[0]?.['description']).toBe(project.description);
    expect(byKey.values[0]?.['insight']).toMatchObject({ totalIssueCount: 3 });
    expect((await get('/rest/api/3/project/search?query=zzzz-nothing')).status).toBe(404);
    expect((await get('/rest/api/3/project/search?orderBy=colour')).status).toBe(400);
  });

  it('gets a project by key or id with its role map, and 404s with Jira text for an unknown one', async () => {
    const project = sim.state.world.cloudSites[0]?.jira.projects[0];
    if (!project) throw new Error('no project');
    const { status, body } = await get(`/rest/api/3/project/${project.key}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: project.id,
      key: project.key,
      roles: { Administrators: `${BASE}/rest/api/3/project/${project.id}/role/10002` },
    });
    expect((await get(`/rest/api/3/project/${project.id}`)).status).toBe(200);
    expect(await get('/rest/api/3/project/NOPE')).toMatchObject({
      status: 404,
      body: { errorMessages: ["No project could be found with key 'NOPE'."], errors: {} },
    });
  });

  it('lists role actors: users by accountId and groups with groupId', async () => {
    const project = sim.state.world.cloudSites[0]?.jira.projects.find((p) =>
      p.roles.some((r) => r.actorGroups.length > 0),
    );
    const role = project?.roles.find((r) => r.actorGroups.length > 0);
    if (!project || !role) throw new Error('no role with groups');
    const { status, body } = await get(`/rest/api/3/project/${project.key}/role/${role.id}`);
    expect(status).toBe(200);
    const actors = (body as { actors: Json[] }).actors;
    expect(
      actors.filter((a) => a['type'] === 'atlassian-user-role-actor').map((a) => (a['actorUser'] as Json)['accountId']),
    ).toEqual(expect.arrayContaining(role.actorUsers.map((i) => org.users[i]?.accountId)));
    const groupActor = actors.find((a) => a['type'] === 'atlassian-group-role-actor');
    expect((groupActor?.['actorGroup'] as Json)['groupId']).toBe(role.actorGroups[0]);
    expect((await get(`/rest/api/3/project/${project.key}/role/99999`)).status).toBe(404);
  });
});

describe('users, groups and permissions', () => {
  it('user/search matches display-name and email prefixes, or one accountId; 400 without either', async () => {
    const user = org.users.find((u) => u.status === 'active' && u.siteAccess.includes(0) && u.email);
    if (!user?.email) throw new Error('no user');
    const byEmail = (await get(`/rest/api/3/user/search?query=${encodeURIComponent(user.email.slice(0, 12))}`))
      .body as Json[];
    expect(byEmail.map((u) => u['accountId'])).toContain(user.accountId);
    const byId = (await get(`/rest/api/3/user/search?accountId=${user.accountId}`)).body as Json[];
    expect(byId.map((u) => u['accountId'])).toEqual([user.accountId]);
    expect((await get('/rest/api/3/user/search')).status).toBe(400);
    expect((await get(`/rest/api/3/user?accountId=${user.accountId}&expand=groups`)).body).toMatchObject({
      accountId: user.accountId,
      groups: { items: expect.any(Array) },
    });
    expect((await get('/rest/api/3/user')).status).toBe(400);
    expect((await get('/rest/api/3/user?accountId=nobody')).status).toBe(404);
  });

  it('group/bulk filters by groupId and groupName', async () => {
    const [a, b] = org.groups.slice(5, 7);
    if (!a || !b) throw new Error('no groups');
    const page = (await get(`/rest/api/3/group/bulk?groupId=${a.id}&groupName=${b.name.toUpperCase()}`)).body as {
      values: Json[];
      total: number;
    };
    expect(page.total).toBe(2);
    expect(new Set(page.values.map((v) => v['groupId']))).toEqual(new Set([a.id, b.id]));
  });

  it('mypermissions requires the permissions list on cloud and answers per project', async () => {
    expect(await get('/rest/api/3/mypermissions')).toMatchObject({
      status: 400,
      body: { errorMessages: ["The 'permissions' query parameter is required."] },
    });
    expect((await get('/rest/api/3/mypermissions?permissions=FLY')).status).toBe(400);
    const { body } = await get('/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS');
    expect(body).toMatchObject({
      permissions: {
        ADMINISTER: { id: '0', type: 'GLOBAL', havePermission: true },
        BROWSE_PROJECTS: { id: '10', havePermission: true },
      },
    });
  });

  it('a non-admin sees only the projects they may browse, and is refused admin-only lookups', async () => {
    const idx = plainUser();
    const auth = await tokenFor(org.users[idx]?.email ?? '');
    const projects = sim.state.world.cloudSites[0]?.jira.projects ?? [];
    const expected = projects
      .filter((p) => browsable(idx, p))
      .map((p) => p.key)
      .sort();
    const hidden = projects.find((p) => !browsable(idx, p));
    if (!hidden) throw new Error('nothing hidden');
    const page = (await get('/rest/api/3/project/search?maxResults=100', auth)).body as {
      values: Json[];
      total: number;
    };
    expect(page.values.map((v) => v['key'])).toEqual(expected);
    expect(page.total).toBeLessThan(projects.length);
    expect((await get(`/rest/api/3/project/${hidden.key}`, auth)).status).toBe(404);
    expect(
      (await get(`/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=${hidden.key}`, auth)).status,
    ).toBe(404);
    const perms = (await get('/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS', auth)).body as {
      permissions: Record<string, Json>;
    };
    expect(perms.permissions['ADMINISTER']?.['havePermission']).toBe(false);
    expect(perms.permissions['BROWSE_PROJECTS']?.['havePermission']).toBe(true);
    const group = org.groups[3];
    expect(await get(`/rest/api/3/group/member?groupId=${group?.id ?? ''}`, auth)).toMatchObject({
      status: 403,
      body: { errorMessages: [expect.any(String)], errors: {} },
    });
    // Role details are for project administrators only; others get the project's 404.
    const visible = projects.find(
      (p) => browsable(idx, p) && !p.roles.some((r) => r.name === 'Administrators' && r.actorUsers.includes(idx)),
    );
    expect((await get(`/rest/api/3/project/${visible?.key ?? ''}/role/10002`, auth)).status).toBe(404);
  });

  it('Browse users and groups follows the site product group: others get 403 on group/bulk and [] from user/search', async () => {
    const productGroup = org.groups.find((g) => g.name === 'jira-software-users-acme');
    const admins = new Set(org.groups.filter((g) => g.grantsSiteAdmin).flatMap((g) => g.members));
    const outsider = org.users.findIndex(
      (u, i) =>
        u.status === 'active' &&
        u.email &&
        u.siteAccess.includes(0) &&
        !admins.has(i) &&
        !productGroup?.members.includes(i),
    );
    const insider = productGroup?.members.find(
      (i) => org.users[i]?.status === 'active' && !admins.has(i) && org.users[i]?.siteAccess.includes(0),
    );
    const outAuth = await tokenFor(org.users[outsider]?.email ?? '');
    const inAuth = await tokenFor(org.users[insider ?? -1]?.email ?? '');
    expect(await get('/rest/api/3/group/bulk', outAuth)).toMatchObject({
      status: 403,
      body: { errorMessages: ['Browse users and groups permission is required to view groups.'], errors: {} },
    });
    expect((await get('/rest/api/3/user/search?query=a', outAuth)).body).toEqual([]);
    expect((await get('/rest/api/3/group/bulk', inAuth)).status).toBe(200);
    expect(((await get('/rest/api/3/user/search?query=a', inAuth)).body as Json[]).length).toBeGreaterThan(0);
  });

  it('anonymous callers on a site with anonymous browse see only unrestricted projects; a bad token is served as anonymous', async () => {
    const projects = sim.state.world.cloudSites[0]?.jira.projects ?? [];
    const open = projects.filter((p) => !p.restricted).length;
    const anon = await get('/rest/api/3/project/search?maxResults=100', {});
    expect(anon.status).toBe(200);
    expect((anon.body as { total: number }).total).toBe(open);
    const failed = await get('/rest/api/3/project/search?maxResults=100', {
      authorization: `Basic ${btoa('x@y.z:nope')}`,
    });
    expect(failed.status).toBe(200);
    expect(failed.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    expect((failed.body as { total: number }).total).toBe(open);
    // globex has no anonymous browse: 401.
    expect((await get('http://sim.local/s/globex/rest/api/3/project/search', {})).status).toBe(401);
  });
});
