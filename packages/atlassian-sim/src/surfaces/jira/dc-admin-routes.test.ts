import { beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator.ts';
import type { DcInstance } from '../../world/types.ts';

type Json = Record<string, unknown>;

let sim: Simulator;
let adminAuth: Record<string, string>;
let userAuth: Record<string, string>;
let instance: DcInstance;
const BASE = 'http://sim.local/dc/jira-dc-1/jira';

async function call(path: string, headers: Record<string, string> = adminAuth): Promise<Response> {
  return sim.fetch(`${BASE}${path}`, { headers });
}

beforeAll(async () => {
  sim = createSimulator({ preset: 'small', rateLimits: { enabled: false } });
  const site = sim.describe().sites.find((s) => s.name === 'jira-dc-1');
  if (!site || !('pat' in site.credentials)) throw new Error('no DC site');
  adminAuth = { authorization: `Bearer ${site.credentials.pat}` };
  const found = sim.state.world.dcInstances.find((d) => d.name === 'jira-dc-1');
  if (!found) throw new Error('no instance');
  instance = found;
  const plain = instance.users.find(
    (u, i) =>
      u.active && !u.admin && !instance.groups.some((g) => g.name.endsWith('-administrators') && g.members.includes(i)),
  );
  const res = await sim.fetch('http://sim.local/_sim/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: 'jira-dc-1', user: plain?.name }),
  });
  userAuth = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
});

describe('Jira DC admin endpoints', () => {
  it('applicationrole counts distinct active users in the role groups as seats', async () => {
    const res = await call('/rest/api/2/applicationrole');
    expect(res.status).toBe(200);
    const roles = (await res.json()) as Json[];
    const software = roles.find((r) => r['key'] === 'jira-software');
    const active = new Set(
      instance.groups
        .filter((g) => g.name === 'jira-software-users' || g.name === 'jira-administrators')
        .flatMap((g) => g.members)
        .filter((i) => instance.users[i]?.active),
    );
    expect(software).toMatchObject({
      userCount: active.size,
      hasUnlimitedSeats: false,
      defined: true,
      userCountDescription: 'users',
    });
    expect(software?.['remainingSeats']).toBe((software?.['numberOfSeats'] as number) - active.size);
    const denied = await call('/rest/api/2/applicationrole', userAuth);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
  });

  it('cluster/nodes lists nodeCount nodes; non-admins get the 401 the spec documents', async () => {
    const nodes = (await (await call('/rest/api/2/cluster/nodes')).json()) as Json[];
    expect(nodes).toHaveLength(instance.nodeCount);
    expect(nodes[0]).toMatchObject({ nodeId: 'node1', state: 'ACTIVE', alive: true, nodeVersion: instance.version });
    expect((await call('/rest/api/2/cluster/nodes', userAuth)).status).toBe(401);
  });

  it('UPM lists plugins only for its vendor media type, with an upm-token header', async () => {
    const wrong = await call('/rest/plugins/1.0/', { ...adminAuth, accept: 'application/json' });
    expect(wrong.status).toBe(406);
    const res = await call('/rest/plugins/1.0/', {
      ...adminAuth,
      accept: 'application/vnd.atl.plugins.installed+json',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.atl.plugins.installed+json');
    expect(res.headers.get('upm-token')).toMatch(/^-?\d+$/);
    const body = (await res.json()) as { plugins: Json[]; safeMode: boolean; links: Json };
    expect(body.safeMode).toBe(false);
    expect(body.plugins.map((p) => p['key'])).toEqual(instance.apps.map((a) => a.key));
    const app = instance.apps[0];
    const one = await call(`/rest/plugins/1.0/${app?.key ?? ''}-key`, {
      ...adminAuth,
      accept: 'application/vnd.atl.plugins.plugin+json',
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ key: app?.key, version: app?.version, userInstalled: app?.userInstalled });
    expect((await call('/rest/plugins/1.0/no.such.app-key')).status).toBe(404);
    expect(
      (await call('/rest/plugins/1.0/', { ...userAuth, accept: 'application/vnd.atl.plugins.installed+json' })).status,
    ).toBe(403);
  });

  it('application links need a credential; the manifest is public, XML by default and JSON on request', async () => {
    const links = (await (await call('/rest/applinks/1.0/applicationlink', userAuth)).json()) as {
      applicationLinks: Json[];
    };
    expect(links.applicationLinks.map((l) => l['id'])).toEqual(instance.appLinks.map((l) => l.id));
    expect((await call('/rest/applinks/1.0/applicationlink', {})).status).toBe(401);
    const xml = await call('/rest/applinks/1.0/manifest', {});
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('application/xml');
    const text = await xml.text();
    expect(text).toContain(`<version>${instance.version}</version>`);
    expect(text).toContain('<typeId>jira</typeId>');
    const json = (await (await call('/rest/applinks/1.0/manifest', { accept: 'application/json' })).json()) as Json;
    expect(json).toMatchObject({
      typeId: 'jira',
      version: instance.version,
      buildNumber: instance.buildNumber,
      url: BASE,
    });
  });

  it('the licence view carries the seat limit and SEN but never rawLicense', async () => {
    const body = (await (await call('/rest/plugins/applications/1.0/installed/jira-software/license')).json()) as Json;
    expect(body).toMatchObject({
      maximumNumberOfUsers: instance.license.maximumNumberOfUsers,
      supportEntitlementNumber: instance.license.sen,
      dataCenter: true,
      expiryDate: instance.license.expiryDate,
    });
    expect(body).not.toHaveProperty('rawLicense');
    expect(body['expiryDateString']).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{2}$/);
    expect((await call('/rest/plugins/applications/1.0/installed/jira-software/license', userAuth)).status).toBe(403);
  });
});
