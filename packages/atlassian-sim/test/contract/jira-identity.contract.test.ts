// Contract test for the Jira identity and metadata routes, cloud (spec 'jira-cloud', committed) and Data Center
// (spec 'jira-dc', from ATLASSIAN_SPECS_DIR): every response, success and error, is validated against Atlassian's
// spec after the known defects in spec-defects.ts. The DC admin extras (UPM, application links, licence) are in no
// spec; src/surfaces/jira/dc-admin-routes.test.ts covers them.
import { expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { describeWithSpec, fetchContract } from './contract-harness.ts';
import { loadSpec, type ContractResponse } from './spec-validator.ts';

type Sim = ReturnType<typeof createSimulator>;

function call(sim: Sim, siteBase: string, path: string, headers: Record<string, string>): Promise<ContractResponse> {
  return fetchContract(sim, `${siteBase}${path}`, path, { headers });
}

async function token(sim: Sim, body: Record<string, string>): Promise<string> {
  const res = await sim.fetch(`${sim.state.baseUrl}/_sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { token: string }).token;
}

const basic = (email: string, apiToken: string) => ({
  authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`,
});

describeWithSpec(loadSpec('jira-cloud'), 'Jira Cloud identity contract', (validate) => {
  const sim = createSimulator({ preset: 'small', rateLimits: { enabled: false } });
  const org = sim.describe().orgs[0];
  const world = sim.state.world;
  const site = world.cloudSites[0];
  const worldOrg = world.orgs[0];
  if (!org || !site || !worldOrg) throw new Error('no org');
  const siteBase = `${sim.state.baseUrl}/s/${site.host}`;
  const admin = basic(org.email, org.apiToken);
  const get = (path: string, headers: Record<string, string> = admin) => call(sim, siteBase, path, headers);
  const project =
    site.jira.projects.find((p) => p.roles.some((r) => r.actorGroups.length > 0)) ?? site.jira.projects[0];
  const user = worldOrg.users.find((u) => u.status === 'active' && u.siteAccess.includes(0) && u.email && !u.orgAdmin);
  const group = worldOrg.groups[3];
  if (!project || !user || !group) throw new Error('no data');

  it('validates successful responses for every route, each rest version', async () => {
    for (const v of [3, 2]) {
      for (const path of [
        `/rest/api/${v}/project/search?maxResults=2`,
        `/rest/api/${v}/project/search?expand=description,lead,issueTypes,insight,permissions&orderBy=-issueCount`,
        `/rest/api/${v}/project/search?query=${project.key}`,
        `/rest/api/${v}/project`,
        `/rest/api/${v}/project/${project.key}`,
        `/rest/api/${v}/project/${project.id}?expand=description,lead`,
        `/rest/api/${v}/project/${project.key}/role`,
        ...project.roles.map((r) => `/rest/api/${v}/project/${project.key}/role/${r.id}`),
        `/rest/api/${v}/user/search?query=${encodeURIComponent(user.name.slice(0, 3))}`,
        `/rest/api/${v}/user/search?accountId=${user.accountId}`,
        `/rest/api/${v}/user?accountId=${user.accountId}`,
        `/rest/api/${v}/user?accountId=${user.accountId}&expand=groups,applicationRoles`,
        `/rest/api/${v}/users/search?maxResults=5`,
        `/rest/api/${v}/group/bulk?maxResults=3`,
        `/rest/api/${v}/group/bulk?groupName=site-admins&accessType=site-admin`,
        `/rest/api/${v}/group/member?groupId=${group.id}&maxResults=2`,
        `/rest/api/${v}/group/member?groupname=${group.name}&includeInactiveUsers=true`,
        `/rest/api/${v}/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER,USER_PICKER`,
        `/rest/api/${v}/mypermissions?permissions=CREATE_ISSUES&projectKey=${project.key}`,
      ]) {
        const response = await get(path);
        expect(response.status, path).toBe(200);
        // The committed spec is v3 only; Jira serves the same shapes under /rest/api/2, so v2 is checked against it.
        validate({ ...response, path: response.path.replace('/rest/api/2/', '/rest/api/3/') });
      }
    }
  });

  it('validates error responses: 400, 401, 403 and 404', async () => {
    const plain = basic(user.email ?? '', await token(sim, { user: user.accountId }));
    const cases: Array<[string, number, Record<string, string>]> = [
      ['/rest/api/3/project/search?orderBy=colour', 400, admin],
      ['/rest/api/3/project/search?query=zzzz-no-match', 404, admin],
      ['/rest/api/3/project/NOPE', 404, admin],
      ['/rest/api/3/project/NOPE/role', 404, admin],
      [`/rest/api/3/project/${project.key}/role/99999`, 404, admin],
      ['/rest/api/3/user/search', 400, admin],
      ['/rest/api/3/user', 400, admin],
      ['/rest/api/3/user?accountId=nobody', 404, admin],
      ['/rest/api/3/group/member', 400, admin],
      [`/rest/api/3/group/member?groupId=${group.id}`, 403, plain],
      ['/rest/api/3/group/member?groupId=00000000-0000-0000-0000-000000000000', 404, admin],
      ['/rest/api/3/mypermissions', 400, admin],
      ['/rest/api/3/mypermissions?permissions=FLY', 400, admin],
      ['/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=NOPE', 404, admin],
    ];
    for (const [path, status, headers] of cases) {
      const response = await get(path, headers);
      expect(response.status, path).toBe(status);
      validate(response);
    }
    const unauthenticated = await call(
      sim,
      `${sim.state.baseUrl}/s/${world.cloudSites[1]?.host ?? site.host}`,
      '/rest/api/3/group/bulk',
      {},
    );
    expect(unauthenticated.status).toBe(401);
    validate(unauthenticated);
  });
});

describeWithSpec(loadSpec('jira-dc'), 'Jira DC identity contract', (validate) => {
  const sim = createSimulator({ preset: 'small', rateLimits: { enabled: false } });
  const entry = sim.describe().sites.find((s) => s.name === 'jira-dc-1');
  const instance = sim.state.world.dcInstances.find((d) => d.name === 'jira-dc-1');
  if (!entry || !('pat' in entry.credentials) || !instance) throw new Error('no DC instance');
  const siteBase = `${sim.state.baseUrl}/dc/${instance.name}${instance.contextPath}`;
  const admin = { authorization: `Bearer ${entry.credentials.pat}` };
  const get = (path: string, headers: Record<string, string> = admin) => call(sim, siteBase, path, headers);
  const project = instance.jira.projects[0];
  const user = instance.users[3];
  if (!project || !user) throw new Error('no data');

  it('validates successful responses', async () => {
    for (const path of [
      '/rest/api/2/project',
      `/rest/api/2/project/${project.key}`,
      `/rest/api/2/project/${project.key}/role`,
      ...project.roles.map((r) => `/rest/api/2/project/${project.key}/role/${r.id}`),
      '/rest/api/2/user/search?username=.&maxResults=5',
      `/rest/api/2/user?username=${user.name}`,
      `/rest/api/2/user?key=${user.key}&expand=groups`,
      '/rest/api/2/group/member?groupname=jira-software-users&maxResults=3',
      '/rest/api/2/groups/picker?query=jira',
      '/rest/api/2/mypermissions',
      `/rest/api/2/mypermissions?projectKey=${project.key}`,
      '/rest/api/2/applicationrole',
      '/rest/api/2/cluster/nodes',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      validate(response);
    }
  });

  it('validates error responses', async () => {
    const plainUser = instance.users.find(
      (u, i) =>
        u.active &&
        !u.admin &&
        !instance.groups.some((g) => g.name.endsWith('-administrators') && g.members.includes(i)),
    );
    const plain = { authorization: `Bearer ${await token(sim, { site: instance.name, user: plainUser?.name ?? '' })}` };
    const cases: Array<[string, number, Record<string, string>]> = [
      ['/rest/api/2/project/NOPE', 404, admin],
      [`/rest/api/2/project/${project.key}/role/99999`, 404, admin],
      ['/rest/api/2/user/search', 400, admin],
      ['/rest/api/2/user?username=ghost', 404, admin],
      ['/rest/api/2/group/member?groupname=jira-software-users', 403, plain],
      ['/rest/api/2/group/member?groupname=nope', 404, admin],
      ['/rest/api/2/mypermissions?projectKey=NOPE', 404, admin],
      ['/rest/api/2/applicationrole', 403, plain],
      ['/rest/api/2/cluster/nodes', 401, plain],
      ['/rest/api/2/project', 401, {}],
    ];
    for (const [path, status, headers] of cases) {
      const response = await get(path, headers);
      expect(response.status, path).toBe(status);
      validate(response);
    }
  });
});
