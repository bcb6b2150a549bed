import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import { createAtlassianHttp } from '../http-client.ts';
import { createJiraCloudApi } from './client.ts';

function setup(base: 'site' | 'gateway' = 'site') {
  const sim = createSimulator({ now: () => 0 });
  const { orgs, sites, url } = sim.describe();
  const org = orgs[0];
  const site = sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
  const cloudSite = sim.state.world.cloudSites[0];
  if (!org || !site || !cloudSite) throw new Error('the simulator lacks a cloud Jira site');
  const http = createAtlassianHttp({
    baseUrl: base === 'site' ? site.baseUrl : `${url}/ex/jira/${cloudSite.cloudId}`,
    auth: { type: 'basic', email: org.email, token: { reveal: () => org.apiToken } },
    guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
    clock: createManualClock(0),
  });
  return { api: createJiraCloudApi(http), cloudSite, org };
}

describe('createJiraCloudApi against the simulator', () => {
  it.each(['site', 'gateway'] as const)('pages through project/search with next links (%s)', async (base) => {
    const { api, cloudSite } = setup(base);
    const keys: string[] = [];
    let page = await api.searchProjects({ maxResults: 2 });
    for (let i = 0; page.ok && i < 10; i++) {
      keys.push(...page.value.values.map((p) => p.key));
      if (!page.value.next) break;
      page = await api.searchProjects({ next: page.value.next });
    }
    expect(page.ok).toBe(true);
    const visible = cloudSite.jira.projects.filter((p) => !p.archived).map((p) => p.key);
    expect(keys.sort()).toEqual(visible.sort());
  });

  it('reads tenant_info, serverInfo, myself and mypermissions through their schemas', async () => {
    const { api, cloudSite, org } = setup();
    expect(await api.tenantInfo()).toEqual({ ok: true, value: { cloudId: cloudSite.cloudId } });
    expect(await api.serverInfo()).toMatchObject({ ok: true, value: { deploymentType: 'Cloud' } });
    expect(await api.myself()).toMatchObject({ ok: true, value: { emailAddress: org.email } });
    const key = cloudSite.jira.projects[0]?.key ?? '';
    const mine = await api.myPermissions({ projectKey: key, permissions: ['BROWSE_PROJECTS', 'CREATE_ISSUES'] });
    expect(mine).toMatchObject({
      ok: true,
      value: { permissions: { BROWSE_PROJECTS: { havePermission: true }, CREATE_ISSUES: { havePermission: true } } },
    });
  });

  it('an unknown permission key is a bad_request carrying Jira’s message', async () => {
    const { api, cloudSite } = setup();
    const key = cloudSite.jira.projects[0]?.key ?? '';
    const mine = await api.myPermissions({ projectKey: key, permissions: ['NOT_A_PERMISSION'] });
    expect(mine).toMatchObject({ ok: false, error: { code: 'bad_request', status: 400 } });
    if (!mine.ok) expect(mine.error.detail).toContain('NOT_A_PERMISSION');
  });
});
