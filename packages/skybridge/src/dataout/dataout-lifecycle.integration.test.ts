import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * The lifecycle cases beyond the happy path, on Jira Cloud: a refused item in a bulk create fails alone, an
 * over-long description is shortened and attached in full, the `comment` and `new` policies, and a refused
 * credential that turns the connection `needs_reauthorization` and the instance `failing`.
 */
interface SimIssue {
  key: string;
  status: string;
  labels: string[];
  comments: number;
  attachments: Array<{ filename: string; size: number }>;
  fields: Record<string, unknown>;
}

for (const dialect of testDialects()) {
  describe(`data-out lifecycle on ${dialect}`, () => {
    let h: HubHarness;
    let projectKey: string;
    let token: string;
    const issues = async (label: string): Promise<SimIssue[]> => {
      const body = (await h.control(`issues?site=acme-jira&project=${projectKey}`)).body as { issues: SimIssue[] };
      return body.issues.filter((i) => i.labels.includes(label));
    };
    const addInstance = async (name: string, extra: Record<string, unknown> = {}) => {
      const added = await h.hub.dataout.addInstance('test', {
        connection: 'jira',
        name,
        project: projectKey,
        issueType: 'Bug',
        mapping: { customfield_10050: 'finding.properties.severityOption' },
        templates: { labels: name },
        ...extra,
      });
      if (!added.ok) throw new Error(added.error.message);
      return added.value.instance.id;
    };
    const push = async (instance: string, id: string, findings: unknown[]) => {
      const pushed = await h.hub.dataout.push('test', instance, findings);
      if (!pushed.ok) throw new Error(pushed.error.message);
      return h.hub.jobs.runTagged(`instance:${id}`, pushed.value.jobIds);
    };
    const finding = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      title: `Finding ${id}`,
      severity: 'high',
      status: 'open',
      properties: { severityOption: 'Major' },
      ...extra,
    });

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      token = org.apiToken;
      const site = info.sites.find((s) => s.name === 'acme-jira')!;
      const added = await h.hub.connections.add('test', {
        kind: 'jira-cloud',
        name: 'jira',
        url: site.baseUrl,
        email: org.email,
        secret: org.apiToken,
      });
      if (!added.ok) throw new Error(added.error.message);
      projectKey = h.sim.state.world.cloudSites[0]!.jira.projects.find((p) => !p.restricted && !p.archived)!.key;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('fails only the items that cannot be made (by us or by Jira) in a bulk create, and creates the rest', async () => {
      const id = await addInstance('bulk', {
        templates: { labels: 'bulk', priority: '{{ finding.properties.priority | default: "Medium" }}' },
      });
      await push('bulk', id, [
        finding('a'),
        // Refused before any call: the option is not among the field's allowed values.
        finding('b', { properties: { severityOption: 'Not an option' } }),
        // Refused by Jira, for this element only: no such priority.
        finding('c', { properties: { severityOption: 'Major', priority: 'Urgentest' } }),
        finding('d'),
      ]);
      expect(await issues('bulk')).toHaveLength(2);
      const tickets = await h.hub.dataout.tickets('bulk');
      const byFinding = new Map((tickets.ok ? tickets.value.items : []).map((t) => [t.findingId, t]));
      expect(byFinding.get('a')?.state).toBe('created');
      expect(byFinding.get('d')?.state).toBe('created');
      expect(byFinding.get('b')).toMatchObject({ state: 'failed', lastErrorClass: 'render' });
      expect(byFinding.get('b')?.lastError).toMatch(/Severity/);
      expect(byFinding.get('c')).toMatchObject({ state: 'failed', lastErrorClass: 'rejected' });
      expect(byFinding.get('c')?.lastError).toMatch(/priority/i);
    });

    it('shortens an over-long description and attaches the whole text', async () => {
      const id = await addInstance('long');
      const description = 'x'.repeat(40_000);
      await push('long', id, [finding('long-1', { description })]);
      const [issue] = await issues('long');
      expect(issue?.attachments).toEqual([expect.objectContaining({ filename: 'finding-description.txt' })]);
      expect(issue!.attachments[0]!.size).toBeGreaterThanOrEqual(40_000);
      expect(JSON.stringify(issue?.fields['description']).length).toBeLessThanOrEqual(32_767 + 100);
    });

    it('comments on a changed finding under the comment policy, and opens a new ticket on reopen under `new`', async () => {
      const id = await addInstance('policies', { onChange: 'comment', reopenPolicy: 'new' });
      await push('policies', id, [finding('p-1')]);
      await push('policies', id, [finding('p-1', { title: 'Finding p-1, now worse', severity: 'critical' })]);
      const [first] = await issues('policies');
      expect(first?.comments).toBe(1);
      expect(first?.fields['summary']).toBe('[HIGH] Finding p-1');
      await push('policies', id, [finding('p-1', { status: 'resolved' })]);
      expect((await issues('policies')).map((i) => i.status)).toEqual(['Done']);
      await push('policies', id, [finding('p-1')]);
      const after = await issues('policies');
      expect(after.map((i) => i.status).sort()).toEqual(['Done', 'To Do']);
      const tickets = await h.hub.dataout.tickets('policies');
      expect(tickets.ok && tickets.value.items[0]?.previousIssueKeys).toEqual([first?.key]);
    });

    it('a refused credential makes the connection need reauthorization and the instance failing', async () => {
      const id = await addInstance('auth');
      await h.control('tokens/revoke', { token });
      const jobs = await push('auth', id, [finding('z-1')]);
      expect(jobs.map((j) => j.status)).toEqual(['failed']);
      expect(jobs[0]?.attempts).toBe(1);
      const connection = await h.hub.connections.get('jira');
      expect(connection.ok && connection.value.connection.status).toBe('needs_reauthorization');
      const instance = await h.hub.dataout.getInstance('auth');
      expect(instance.ok && instance.value).toMatchObject({ health: 'failing' });
      expect(instance.ok && instance.value.lastError).toMatch(/credential|401|unauthori/i);
    });
  });
}
