import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * Sync end to end: a real hub against atlassian-sim. Counts after a sync equal the simulator's own statistics, and a
 * run interrupted in the middle and run again ends with exactly the counts of an uninterrupted one.
 */
for (const dialect of testDialects()) {
  describe(`sync on ${dialect}`, () => {
    let h: HubHarness;
    let stats: { orgs: Array<Record<string, number>>; sites: Array<Record<string, number | string>> };

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      const site = (name: string) => info.sites.find((s) => s.name === name)!;
      const pat = (name: string) => (site(name).credentials as { pat: string }).pat;
      const inputs = [
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
      ];
      for (const input of inputs) {
        const added = await h.hub.connections.add('test', input);
        if (!added.ok) throw new Error(`${input.name}: ${added.error.message}`);
      }
      stats = (await h.control('stats')).body as typeof stats;
    });
    afterAll(async () => {
      await h?.close();
    });

    const siteStats = (name: string) => stats.sites.find((s) => s['name'] === name)!;

    it('syncs the organization: users, groups and teams equal the simulator’s counts', async () => {
      const run = await h.hub.sync.run('test', 'org');
      expect(run.ok, JSON.stringify(run.ok ? '' : run.error)).toBe(true);
      if (!run.ok) return;
      expect(run.value.status).toBe('succeeded');
      const org = stats.orgs[0]!;
      expect(run.value.counts['user']).toBe(org['users']);
      expect(run.value.counts['group']).toBe(org['groups']);
      expect(run.value.counts['team']).toBe(org['teams']);
      expect(run.value.requests).toBeGreaterThan(0);
    });

    it('syncs every other kind with the simulator’s counts', async () => {
      const jira = await h.hub.sync.run('test', 'jira');
      expect(jira.ok && jira.value.counts['user']).toBe(siteStats('acme-jira')['users']);
      expect(jira.ok && jira.value.counts['group']).toBe(siteStats('acme-jira')['groups']);
      expect(jira.ok && jira.value.counts['project']).toBe(siteStats('acme-jira')['projects']);
      const dc = await h.hub.sync.run('test', 'jira dc');
      expect(dc.ok && dc.value.counts['user']).toBe(siteStats('jira-dc-1')['users']);
      expect(dc.ok && dc.value.counts['project']).toBe(siteStats('jira-dc-1')['projects']);
      const wiki = await h.hub.sync.run('test', 'wiki');
      expect(wiki.ok && wiki.value.counts['space']).toBe(siteStats('acme-confluence')['spaces']);
      expect(wiki.ok && wiki.value.counts['user']).toBe(siteStats('acme-confluence')['users']);
      const wikiDc = await h.hub.sync.run('test', 'wiki dc');
      expect(wikiDc.ok && wikiDc.value.counts['user']).toBe(siteStats('confluence-dc-1')['users']);
      expect(wikiDc.ok && wikiDc.value.counts['space']).toBe(siteStats('confluence-dc-1')['spaces']);
    });

    it('resumes an interrupted run and ends with the same data as an uninterrupted one', async () => {
      const straight = await h.hub.sync.run('test', 'jira dc');
      expect(straight.ok).toBe(true);
      const controller = new AbortController();
      let pages = 0;
      const interrupted = await h.hub.sync.run('test', 'jira dc', {
        signal: controller.signal,
        onProgress: () => {
          if (++pages === 3) controller.abort();
        },
      });
      expect(!interrupted.ok && interrupted.error.code).toBe('interrupted');
      // The interrupted run is kept, with its checkpoints, and did not replace the snapshot.
      const runs = await h.hub.sync.runs('jira dc');
      const left = runs.ok ? runs.value.items[0] : undefined;
      expect(left?.status).toBe('running');
      const requestsBefore = Number((await h.control('requests')).body['total']);
      const resumed = await h.hub.sync.run('test', 'jira dc');
      expect(resumed.ok && resumed.value.id, 'the same run is resumed').toBe(left?.id);
      expect(resumed.ok && resumed.value.status).toBe('succeeded');
      expect(resumed.ok && resumed.value.counts).toEqual(straight.ok && straight.value.counts);
      // Resuming re-reads only what was not yet stored: fewer requests than the run from scratch made.
      const resumedRequests = Number((await h.control('requests')).body['total']) - requestsBefore;
      expect(resumedRequests).toBeLessThan(straight.ok ? straight.value.requests : 0);
    });

    it('still ends complete through 5xx faults', async () => {
      await h.control('scenario', { faultRate: 0.2, faultKinds: ['500', '503'] });
      const run = await h.hub.sync.run('test', 'jira');
      await h.control('scenario', { faultRate: 0 });
      expect(run.ok && run.value.status).toBe('succeeded');
      expect(run.ok && run.value.counts['user']).toBe(siteStats('acme-jira')['users']);
      expect(run.ok && run.value.retries).toBeGreaterThan(0);
    });

    it('answers who can reach what, diffs runs and exports the snapshot', async () => {
      const email = h.sim.describe().orgs[0]!.email;
      const access = await h.hub.sync.accessUser(email, { limit: 500 });
      expect(access.ok && access.value.items.length).toBeGreaterThan(0);
      const viaGroup = access.ok ? access.value.items.find((e) => e.via.length > 0) : undefined;
      expect(viaGroup, 'a project role held through a group shows the path').toBeDefined();
      const holders = await h.hub.sync.whoHas(viaGroup!.entitlement.id, { limit: 500 });
      expect(holders.ok && holders.value.items.some((e) => e.principal.id === viaGroup!.principal.id)).toBe(true);

      const runs = await h.hub.sync.runs('jira dc');
      const [newest, older] = runs.ok ? runs.value.items.filter((r) => r.status === 'succeeded') : [];
      const diff = await h.hub.sync.diff(older!.id, newest!.id);
      expect(diff.ok && diff.value.summary).toEqual({
        grantsAdded: 0,
        grantsRemoved: 0,
        accountsCreated: 0,
        accountsDeactivated: 0,
        accountsRemoved: 0,
      });
      expect(!(await h.hub.sync.diff('nope', newest!.id)).ok).toBe(true);

      let jsonl = '';
      const exported = await h.hub.sync.exportSnapshot('jira dc', 'jsonl', (chunk) => {
        jsonl += chunk;
      });
      const lines = jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string });
      expect(exported.ok && exported.value).toBe(lines.length);
      const counts = newest!.counts;
      expect(lines.filter((l) => l.kind === 'resource').length).toBe(
        Object.entries(counts)
          .filter(([k]) => !['entitlements', 'grants', 'effectiveGrants'].includes(k))
          .reduce((s, [, v]) => s + v, 0),
      );
    });

    it('names an unknown connection', async () => {
      const run = await h.hub.sync.run('test', 'nope');
      expect(!run.ok && run.error.code).toBe('not_found');
    });
  });
}
