import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../../simulator.ts';
import type { DcInstance } from '../../../world/types.ts';

type Json = Record<string, unknown>;

let sim: Simulator;
let adminAuth: Record<string, string>;
let instance: DcInstance;
const BASE = 'http://sim.local/dc/jira-dc-1/jira';

async function get(
  path: string,
  headers: Record<string, string> = adminAuth,
): Promise<{ status: number; body: unknown }> {
  const res = await sim.fetch(`${BASE}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function patFor(username: string): Promise<Record<string, string>> {
  const res = await sim.fetch('http://sim.local/_sim/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'jira-dc-1', user: username }),
  });
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

beforeAll(() => {
  sim = createSimulator({ preset: 'medium', rateLimits: { enabled: false } });
  const site = sim.describe().sites.find((s) => s.name === 'jira-dc-1');
  if (!site || !('pat' in site.credentials)) throw new Error('no DC site');
  adminAuth = { authorization: `Bearer ${site.credentials.pat}` };
  const found = sim.state.world.dcInstances.find((d) => d.name === 'jira-dc-1');
  if (!found) throw new Error('no instance');
  instance = found;
});

describe('Jira DC identity', () => {
  it('GET /rest/api/2/project is a bare array of every project for an admin', async () => {
    const { status, body } = await get('/rest/api/2/project');
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect((body as Json[]).map((p) => p['key'])).toEqual(instance.jira.projects.map((p) => p.key).sort());
  });

  it('walks user/search?username=. as a bare array until a short page, active and inactive', async () => {
    const walk = async (extra: string) => {
      const names: string[] = [];
      for (let startAt = 0; ; startAt += 100) {
        const { status, body } = await get(
          `/rest/api/2/user/search?username=.&startAt=${startAt}&maxResults=100${extra}`,
        );
        expect(status).toBe(200);
        const users = body as Json[];
        names.push(...users.map((u) => u['name'] as string));
        if (users.length < 100) break;
      }
      return names;
    };
    const active = await walk('');
    expect(new Set(active)).toEqual(new Set(instance.users.filter((u) => u.active).map((u) => u.name)));
    expect(new Set(active).size).toBe(active.length);
    const all = await walk('&includeInactive=true');
    expect(all).toHaveLength(instance.users.length);
    expect(new Set(all).size).toBe(all.length);
  });

  it('user/search needs username, matches prefixes, and refuses excluding everyone', async () => {
    expect((await get('/rest/api/2/user/search')).status).toBe(400);
    expect((await get('/rest/api/2/user/search?username=adm&includeActive=false')).status).toBe(400);
    const found = (await get('/rest/api/2/user/search?username=adm')).body as Json[];
    expect(found.map((u) => u['name'])).toContain('admin');
  });

  it('user by username or key, 404 with Jira text otherwise', async () => {
    const user = instance.users[5];
    if (!user) throw new Error('no user');
    expect((await get(`/rest/api/2/user?username=${user.name}`)).body).toMatchObject({
      name: user.name,
      key: user.key,
    });
    expect((await get(`/rest/api/2/user?key=${user.key}`)).body).toMatchObject({ name: user.name });
    expect(await get('/rest/api/2/user?username=ghost')).toMatchObject({
      status: 404,
      body: { errorMessages: ["The user named 'ghost' does not exist"] },
    });
  });

  it('walks group/member by startAt until isLast', async () => {
    const group = instance.groups.find((g) => g.name === 'jira-software-users');
    if (!group) throw new Error('no group');
    const names: string[] = [];
    for (let startAt = 0; ; startAt += 50) {
      const { status, body } = await get(
        `/rest/api/2/group/member?groupname=jira-software-users&startAt=${startAt}&maxResults=50`,
      );
      expect(status).toBe(200);
      const page = body as { values: Json[]; isLast: boolean; total: number; nextPage?: string };
      names.push(...page.values.map((v) => v['name'] as string));
      expect(page.nextPage === undefined).toBe(page.isLast);
      if (page.isLast) break;
    }
    expect(names).toEqual(
      group.members
        .map((i) => instance.users[i]?.name ?? '')
        .filter((n) => n !== '')
        .sort(),
    );
    expect((await get('/rest/api/2/group/member?groupname=nope')).status).toBe(404);
  });

  it('groups/picker lists and highlights matching groups', async () => {
    const { body } = await get('/rest/api/2/groups/picker?query=jira&maxResults=1');
    expect(body).toMatchObject({
      total: 2,
      header: 'Showing 1 of 2 matching groups',
      groups: [{ name: 'jira-administrators', html: '<b>jira</b>-administrators', labels: [] }],
    });
  });

  it('mypermissions needs no permissions list on DC', async () => {
    const { status, body } = await get('/rest/api/2/mypermissions');
    expect(status).toBe(200);
    expect((body as { permissions: Record<string, Json> }).permissions['ADMINISTER']).toMatchObject({
      key: 'ADMINISTER',
      havePermission: true,
    });
  });

  it('a non-admin sees only browsable projects, role actors by name, and is refused group/member', async () => {
    const admins = new Set(instance.groups.filter((g) => g.name.endsWith('-administrators')).flatMap((g) => g.members));
    const idx = instance.users.findIndex(
      (u, i) =>
        u.active &&
        !u.admin &&
        !admins.has(i) &&
        instance.jira.projects.some(
          (p) =>
            p.restricted &&
            !p.roles.some(
              (r) =>
                r.actorUsers.includes(i) ||
                r.actorGroups.some((g) => instance.groups.find((x) => x.name === g)?.members.includes(i)),
            ),
        ),
    );
    const user = instance.users[idx];
    if (!user) throw new Error('no plain user');
    const auth = await patFor(user.name);
    const keys = ((await get('/rest/api/2/project', auth)).body as Json[]).map((p) => p['key']);
    expect(keys.length).toBeLessThan(instance.jira.projects.length);
    const open = instance.jira.projects.find((p) => !p.restricted && p.roles.some((r) => r.actorUsers.length > 0));
    expect(keys).toContain(open?.key);
    const role = open?.roles.find((r) => r.actorUsers.length > 0);
    const roleBean = (await get(`/rest/api/2/project/${open?.key ?? ''}/role/${role?.id ?? 0}`, auth)).body as {
      actors: Json[];
    };
    expect(roleBean.actors.filter((a) => a['type'] === 'atlassian-user-role-actor').map((a) => a['name'])).toEqual(
      expect.arrayContaining(role?.actorUsers.map((i) => instance.users[i]?.name) ?? []),
    );
    expect((await get('/rest/api/2/group/member?groupname=jira-software-users', auth)).status).toBe(403);
  });
});
