import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import { createAtlassianHttp } from '../http-client.ts';
import { createConfluenceDcApi } from './client.ts';

describe('createConfluenceDcApi against the simulator', () => {
  it('reads server information and pages through spaces by start, keeping the context path', async () => {
    const sim = createSimulator({ now: () => 0 });
    const site = sim.describe().sites.find((s) => s.product === 'confluence' && s.deployment === 'dc');
    const instance = sim.state.world.dcInstances.find((d) => d.product === 'confluence');
    if (!site || !instance || !('pat' in site.credentials)) throw new Error('the simulator lacks a Confluence DC site');
    const { pat } = site.credentials;
    const api = createConfluenceDcApi(
      createAtlassianHttp({
        baseUrl: site.baseUrl,
        auth: { type: 'bearer', token: { reveal: () => pat } },
        guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
        clock: createManualClock(0),
        rateLimitScope: 'client',
      }),
    );
    expect(await api.serverInformation()).toMatchObject({
      ok: true,
      value: { version: instance.version, buildNumber: instance.buildNumber },
    });
    expect(await api.currentUser()).toMatchObject({ ok: true, value: { type: 'known' } });
    const keys: string[] = [];
    let page = await api.spaces({ limit: 2 });
    for (let i = 0; page.ok && i < 20; i++) {
      keys.push(...page.value.results.map((s) => s.key));
      if (page.value.nextStart === undefined) break;
      page = await api.spaces({ limit: 2, start: page.value.nextStart });
    }
    expect(page.ok).toBe(true);
    expect(keys.length).toBeGreaterThan(2);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(instance.spaces.map((s) => s.key).sort());
  });
});
