import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import { createAtlassianHttp } from '../http-client.ts';
import { createJiraDcApi } from './client.ts';

describe('createJiraDcApi against the simulator', () => {
  it('reads serverInfo, myself and the bare project array under the context path', async () => {
    const sim = createSimulator({ now: () => 0 });
    const site = sim.describe().sites.find((s) => s.product === 'jira' && s.deployment === 'dc');
    const instance = sim.state.world.dcInstances.find((d) => d.product === 'jira');
    if (!site || !instance || !('pat' in site.credentials)) throw new Error('the simulator lacks a Jira DC site');
    const { pat } = site.credentials;
    const api = createJiraDcApi(
      createAtlassianHttp({
        baseUrl: site.baseUrl,
        auth: { type: 'bearer', token: { reveal: () => pat } },
        guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
        clock: createManualClock(0),
        rateLimitScope: 'client',
      }),
    );
    const info = await api.serverInfo();
    expect(info).toMatchObject({ ok: true, value: { version: instance.version } });
    expect(await api.myself()).toMatchObject({ ok: true, value: { name: expect.any(String) } });
    const projects = await api.projects();
    expect(projects.ok).toBe(true);
    if (projects.ok) {
      const visible = instance.jira.projects.filter((p) => !p.archived).map((p) => p.key);
      expect(projects.value.map((p) => p.key).sort()).toEqual(visible.sort());
    }
  });
});
