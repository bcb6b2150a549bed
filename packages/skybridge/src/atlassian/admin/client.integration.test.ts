import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import { createAtlassianHttp } from '../http-client.ts';
import { createAdminApi } from './client.ts';

function setup(o: { preset?: 'small' | 'medium' } = {}) {
  const sim = createSimulator({ now: () => 0, ...(o.preset ? { preset: o.preset } : {}) });
  const org = sim.describe().orgs[0];
  const world = sim.state.world.orgs[0];
  if (!org || !world) throw new Error('the simulator has no org');
  const api = createAdminApi(
    createAtlassianHttp({
      baseUrl: org.adminBaseUrl,
      auth: { type: 'bearer', token: { reveal: () => org.apiKey } },
      guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
      clock: createManualClock(0),
    }),
  );
  return { api, org, world };
}

describe('createAdminApi against the simulator', () => {
  it('reads the org and its directories', async () => {
    const { api, org, world } = setup();
    expect(await api.org(org.id)).toMatchObject({ ok: true, value: { id: org.id, attributes: { name: org.name } } });
    const directories = await api.directories(org.id);
    expect(directories.ok).toBe(true);
    if (directories.ok) expect(directories.value.directories).toHaveLength(world.directories.length);
  });

  it('pages through the managed accounts by cursor until every user is seen', async () => {
    const { api, org, world } = setup({ preset: 'medium' });
    const ids: string[] = [];
    let page = await api.orgUsers(org.id);
    for (let i = 0; page.ok && i < 100; i++) {
      ids.push(...page.value.users.map((u) => u.account_id));
      if (!page.value.cursor) break;
      page = await api.orgUsers(org.id, { cursor: page.value.cursor });
    }
    expect(page).toMatchObject({ ok: true, value: { total: world.users.length } });
    // More than one page, or the cursor was never exercised.
    expect(world.users.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(world.users.length);
  });

  it('an org the key does not belong to is not_found', async () => {
    const { api } = setup();
    expect(await api.org('00000000-0000-4000-8000-000000000000')).toMatchObject({
      ok: false,
      error: { code: 'not_found', status: 404 },
    });
  });
});
