// Contract test for Confluence Cloud (v2, spec 'confluence-cloud') and Confluence Data Center (spec 'confluence-dc'):
// every response the simulator gives on these routes, success and error, is validated against Atlassian's spec after
// the known defects in spec-defects.ts. Cloud v1 (`/wiki/rest/api/group`, `/user`) has no spec in the shared folder
// (the v2 spec only covers `/wiki/api/v2`), so it is exercised by src/surfaces/confluence/cloud-app.test.ts instead.
import { expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { describeWithSpec, fetchContract } from './contract-harness.ts';
import { loadSpec, type ContractResponse } from './spec-validator.ts';

type Sim = ReturnType<typeof createSimulator>;

function call(sim: Sim, siteBase: string, path: string, headers: Record<string, string>): Promise<ContractResponse> {
  return fetchContract(sim, `${siteBase}${path}`, path, { headers });
}

const basic = (email: string, token: string) => ({
  authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`,
});

describeWithSpec(loadSpec('confluence-cloud'), 'Confluence Cloud v2 contract', (validate) => {
  const sim = createSimulator({ preset: 'small' });
  const org = sim.describe().orgs[0];
  if (!org) throw new Error('no org');
  // Paths are validated relative to the site (`/wiki/api/v2/...`), the way Atlassian's spec servers put them.
  const siteBase = `${sim.state.baseUrl}/s/${sim.state.world.cloudSites[0]?.host ?? ''}`;
  const admin = basic(org.email, org.apiToken);
  const get = (path: string, headers: Record<string, string> = admin) => call(sim, siteBase, path, headers);

  it('lists and gets spaces, their permissions and pages', async () => {
    const spaces = await get('/wiki/api/v2/spaces?limit=2');
    expect(spaces.status).toBe(200);
    validate(spaces);
    const first = (spaces.body as { results: Array<{ id: string; homepageId: string }> }).results[0];
    if (!first) throw new Error('no space');
    for (const path of [
      '/wiki/api/v2/spaces?description-format=plain&include-icon=true&type=global&status=current&sort=-key',
      `/wiki/api/v2/spaces/${first.id}`,
      `/wiki/api/v2/spaces/${first.id}?description-format=view&include-icon=true`,
      `/wiki/api/v2/spaces/${first.id}/permissions`,
      `/wiki/api/v2/spaces/${first.id}/pages?body-format=storage`,
      '/wiki/api/v2/pages?limit=3&body-format=atlas_doc_format',
      `/wiki/api/v2/pages/${first.homepageId}`,
      `/wiki/api/v2/pages/${first.homepageId}?body-format=storage`,
      `/wiki/api/v2/pages/${Number(first.homepageId) + 1}?body-format=view`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      validate(res);
    }
  });

  it('answers errors in the v2 envelope', async () => {
    const errors: Array<[string, number, Record<string, string>?]> = [
      ['/wiki/api/v2/spaces/1', 404],
      ['/wiki/api/v2/pages/1', 404],
      ['/wiki/api/v2/spaces/1/pages', 404],
      ['/wiki/api/v2/spaces/1/permissions', 404],
      ['/wiki/api/v2/spaces?cursor=bm90LWEtY3Vyc29y', 400],
      ['/wiki/api/v2/spaces?type=wiki', 400],
      ['/wiki/api/v2/pages?sort=size', 400],
      ['/wiki/api/v2/spaces/abc', 400],
      ['/wiki/api/v2/spaces', 401, {}],
      ['/wiki/api/v2/pages', 401, basic(org.email, 'not-a-token')],
    ];
    for (const [path, status, headers] of errors) {
      const res = await get(path, headers ?? admin);
      expect(res.status, path).toBe(status);
      validate(res);
    }
  });
});

describeWithSpec(loadSpec('confluence-dc'), 'Confluence Data Center contract', (validate) => {
  const sim = createSimulator({ preset: 'small' });
  const site = sim.describe().sites.find((s) => s.deployment === 'dc' && s.product === 'confluence');
  if (!site || !('pat' in site.credentials)) throw new Error('no Confluence DC instance');
  const admin = { authorization: `Bearer ${site.credentials.pat}` };
  const get = (path: string, headers: Record<string, string> = admin) => call(sim, site.baseUrl, path, headers);

  it('serves instance, space, user and group resources', async () => {
    const instance = sim.state.world.dcInstances.find((i) => i.product === 'confluence');
    const space = instance?.spaces[0];
    const group = instance?.groups[1];
    const user = instance?.users[1];
    if (!space || !group || !user) throw new Error('thin world');
    for (const path of [
      '/rest/api/server-information',
      '/rest/api/instance-metrics',
      '/rest/api/space?limit=2',
      '/rest/api/space?type=global&status=current',
      `/rest/api/space/${space.key}`,
      `/rest/api/space/${space.key}/permissions`,
      '/rest/api/user/list?limit=3',
      `/rest/api/user?username=${user.name}`,
      `/rest/api/user?key=${user.key}`,
      '/rest/api/user/current',
      '/rest/api/group?limit=2',
      `/rest/api/group/${group.name}/member?limit=5`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      validate(res);
    }
    const anonymous = await get('/rest/api/user/current', {});
    expect(anonymous.status).toBe(200);
    validate(anonymous);
  });

  it('answers errors as RestError', async () => {
    const member = sim.state.world.dcInstances
      .find((i) => i.product === 'confluence')
      ?.users.find((u, idx) => idx > 0 && u.active);
    if (!member) throw new Error('no plain user');
    const issued = await sim.fetch(`${sim.state.baseUrl}/_sim/tokens`, {
      method: 'POST',
      body: JSON.stringify({ site: site.name, user: member.name }),
    });
    const plain = { authorization: `Bearer ${((await issued.json()) as { token: string }).token}` };
    const errors: Array<[string, number, Record<string, string>?]> = [
      ['/rest/api/space/NOPE', 404],
      ['/rest/api/user?username=nobody-here', 404],
      ['/rest/api/server-information', 401, { authorization: 'Bearer not-a-pat' }],
      ['/rest/api/space/NOPE/permissions', 401, {}],
      ['/rest/api/instance-metrics', 403, plain],
    ];
    for (const [path, status, headers] of errors) {
      const res = await get(path, headers ?? admin);
      expect(res.status, path).toBe(status);
      validate(res);
    }
  });
});
