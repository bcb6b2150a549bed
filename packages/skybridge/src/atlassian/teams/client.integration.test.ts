import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import { createAtlassianHttp } from '../http-client.ts';
import type { AtlassianAuth } from '../http-client.ts';
import { createTeamsApi } from './client.ts';

describe('createTeamsApi against the simulator', () => {
  it.each(['api key on api.atlassian.com', 'email and API token through the site gateway'] as const)(
    'pages through the teams by cursor (%s)',
    async (via) => {
      const sim = createSimulator({ now: () => 0 });
      const { orgs, sites } = sim.describe();
      const org = orgs[0];
      const world = sim.state.world.orgs[0];
      const site = sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
      if (!org || !world || !site) throw new Error('the simulator lacks an org or a cloud site');
      const [baseUrl, auth]: [string, AtlassianAuth] =
        via === 'api key on api.atlassian.com'
          ? [org.teamsBaseUrl, { type: 'bearer', token: { reveal: () => org.apiKey } }]
          : [
              `${site.baseUrl}/gateway/api/public/teams`,
              { type: 'basic', email: org.email, token: { reveal: () => org.apiToken } },
            ];
      const api = createTeamsApi(
        createAtlassianHttp({
          baseUrl,
          auth,
          guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
          clock: createManualClock(0),
        }),
      );
      const ids: string[] = [];
      let page = await api.teams(org.id, { size: 2 });
      for (let i = 0; page.ok && i < 50; i++) {
        ids.push(...page.value.teams.map((t) => t.teamId));
        if (!page.value.cursor) break;
        page = await api.teams(org.id, { size: 2, cursor: page.value.cursor });
      }
      expect(page.ok).toBe(true);
      const live = world.teams.filter((t) => !t.deleted).map((t) => t.teamId);
      expect(live.length).toBeGreaterThan(2);
      expect(ids.sort()).toEqual(live.sort());
    },
  );
});
