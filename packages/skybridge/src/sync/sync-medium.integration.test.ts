import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * Sync at the `medium` preset's size (thousands of users, hundreds of groups, many pages of everything): for each of
 * the five connection kinds the counts after a sync equal the simulator's own `GET /_sim/stats`. Jira Cloud, the
 * largest, is synced through 5xx faults and 429s at once and must still end complete; one run of it does for both
 * (a medium sync costs seconds, and the clean path is the faulty one minus its retries).
 */
for (const dialect of testDialects()) {
  describe(`medium-preset sync on ${dialect}`, () => {
    let h: HubHarness;
    let orgStats: Record<string, number>;
    let siteStats: (name: string) => Record<string, number>;

    beforeAll(async () => {
      h = await createHubHarness({ dialect, preset: 'medium', rateLimits: true });
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      const site = (name: string) => info.sites.find((s) => s.name === name)!;
      const pat = (name: string) => (site(name).credentials as { pat: string }).pat;
      for (const input of [
        {
          kind: 'jira-cloud' as const,
          name: 'jira',
          url: site('acme-jira').baseUrl,
          email: org.email,
          secret: org.apiToken,
        },
        {
          kind: 'confluence-cloud' as const,
          name: 'wiki',
          url: site('acme-confluence').baseUrl,
          email: org.email,
          secret: org.apiToken,
        },
        {
          kind: 'atlassian-org' as const,
          name: 'org',
          url: org.adminBaseUrl,
          orgId: org.id,
          secret: org.apiKey,
          teamsUrl: org.teamsBaseUrl,
        },
        { kind: 'jira-dc' as const, name: 'jira dc', url: site('jira-dc-1').baseUrl, secret: pat('jira-dc-1') },
        {
          kind: 'confluence-dc' as const,
          name: 'wiki dc',
          url: site('confluence-dc-1').baseUrl,
          secret: pat('confluence-dc-1'),
        },
      ]) {
        const added = await h.hub.connections.add('test', input);
        if (!added.ok) throw new Error(`${input.name}: ${added.error.message}`);
      }
      const stats = (await h.control('stats')).body as {
        orgs: Array<Record<string, number>>;
        sites: Array<Record<string, number | string>>;
      };
      orgStats = stats.orgs[0]!;
      siteStats = (name) => stats.sites.find((s) => s['name'] === name) as Record<string, number>;
    });
    afterAll(async () => {
      await h?.close();
    });

    async function syncOk(connection: string) {
      const run = await h.hub.sync.run('test', connection);
      if (!run.ok) throw new Error(`${connection}: ${run.error.message}`);
      expect(run.value.status).toBe('succeeded');
      return run.value;
    }

    it('syncs the organization: users, groups and teams', async () => {
      const { counts } = await syncOk('org');
      expect(counts).toMatchObject({ user: orgStats['users'], group: orgStats['groups'], team: orgStats['teams'] });
    });

    it('syncs Confluence Cloud: users (the people directory), groups and spaces', async () => {
      const stats = siteStats('acme-confluence');
      const { counts } = await syncOk('wiki');
      expect(counts).toMatchObject({ user: stats['users'], group: stats['groups'], space: stats['spaces'] });
    });

    it('syncs Jira Data Center: users, groups and projects', async () => {
      const stats = siteStats('jira-dc-1');
      const { counts } = await syncOk('jira dc');
      expect(counts).toMatchObject({ user: stats['users'], group: stats['groups'], project: stats['projects'] });
    });

    it('syncs Confluence Data Center: users, groups and spaces', async () => {
      const stats = siteStats('confluence-dc-1');
      const { counts } = await syncOk('wiki dc');
      expect(counts).toMatchObject({ user: stats['users'], group: stats['groups'], space: stats['spaces'] });
    });

    it('syncs Jira Cloud through 5xx faults and 429s and still ends complete', async () => {
      // 5% faults: a request fails all five of its attempts about once in three million, so the run is not flaky;
      // a burst limit of 5 per second per endpoint is far below what the hub would send unpaced.
      await h.control('scenario', {
        faultRate: 0.05,
        faultKinds: ['500', '502', '503'],
        rateLimit: { enabled: true, cloudRps: 5 },
      });
      const before = await simRequests();
      let run: Awaited<ReturnType<typeof syncOk>>;
      try {
        run = await syncOk('jira');
      } finally {
        await h.control('scenario', { faultRate: 0, rateLimit: false });
      }
      const stats = siteStats('acme-jira');
      expect(run.counts).toMatchObject({ user: stats['users'], group: stats['groups'], project: stats['projects'] });
      expect(run.retries).toBeGreaterThan(0);
      expect(run.rateLimited).toBeGreaterThan(0);
      // What the simulator saw agrees with what the run recorded: every request counted, every 429 and 5xx it sent
      // was retried (the run succeeded, so none was the last word).
      const after = await simRequests();
      const sent = (status: (s: number) => boolean) =>
        [...after.byStatus].filter(([s]) => status(s)).reduce((n, [s, c]) => n + c - (before.byStatus.get(s) ?? 0), 0);
      expect(after.total - before.total).toBe(run.requests);
      expect(sent((s) => s === 429)).toBe(run.rateLimited);
      expect(sent((s) => s === 429 || s >= 500)).toBe(run.retries);
      expect(sent((s) => s >= 500)).toBeGreaterThan(0);
    });

    /** The simulator's request counts: the total, and by HTTP status over every route. */
    async function simRequests() {
      const body = (await h.control('requests')).body as {
        total: number;
        byRoute: Record<string, Record<string, number>>;
      };
      const byStatus = new Map<number, number>();
      for (const statuses of Object.values(body.byRoute))
        for (const [status, count] of Object.entries(statuses))
          byStatus.set(Number(status), (byStatus.get(Number(status)) ?? 0) + count);
      return { total: body.total, byStatus };
    }
  });
}
