import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * Data out end to end, on Jira Cloud and Data Center: a real hub (jobs included) against atlassian-sim. The same 20
 * findings pushed twice make 20 tickets; resolving them moves all 20 to Done; what the simulator holds says so.
 */
interface SimIssue {
  key: string;
  project: string;
  status: string;
  labels: string[];
  comments: number;
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
}

const findings = (status: 'open' | 'resolved', titleSuffix = '') =>
  Array.from({ length: 20 }, (_, i) => ({
    id: `vuln-${i}`,
    title: `Outdated TLS on host-${i}${titleSuffix}`,
    severity: i % 2 === 0 ? 'high' : 'medium',
    status,
    description: `Found *bold* {code}x{code} [link|http://evil] on host-${i}`,
    resource: `host-${i}.acme.example`,
    properties: { team: i % 3 === 0 ? 'platform' : 'web' },
  }));

for (const dialect of testDialects()) {
  for (const deployment of ['cloud', 'dc'] as const) {
    describe(`data out to Jira ${deployment} on ${dialect}`, () => {
      let h: HubHarness;
      let projectKey: string;
      let site: string;
      const simIssues = async (label?: string): Promise<SimIssue[]> => {
        const body = (await h.control(`issues?site=${site}&project=${projectKey}`)).body as { issues: SimIssue[] };
        return body.issues.filter((i) => label === undefined || i.labels.includes(label));
      };

      beforeAll(async () => {
        h = await createHubHarness({ dialect });
        const info = h.sim.describe();
        const org = info.orgs[0]!;
        site = deployment === 'cloud' ? 'acme-jira' : 'jira-dc-1';
        const s = info.sites.find((x) => x.name === site)!;
        const added = await h.hub.connections.add(
          'test',
          deployment === 'cloud'
            ? { kind: 'jira-cloud', name: 'jira', url: s.baseUrl, email: org.email, secret: org.apiToken }
            : { kind: 'jira-dc', name: 'jira', url: s.baseUrl, secret: (s.credentials as { pat: string }).pat },
        );
        if (!added.ok) throw new Error(added.error.message);
        const jira =
          deployment === 'cloud' ? h.sim.state.world.cloudSites[0]!.jira : h.sim.state.world.dcInstances[0]!.jira;
        projectKey = jira.projects.find((p) => !p.restricted && !p.archived)!.key;
        const wiki = info.sites.find((x) => x.name === 'acme-confluence')!;
        await h.hub.connections.add('test', {
          kind: 'confluence-cloud',
          name: 'wiki',
          url: wiki.baseUrl,
          email: org.email,
          secret: org.apiToken,
        });
      });
      afterAll(async () => {
        await h?.close();
      });

      it('refuses an instance whose required fields are not mapped, naming each, and a non-Jira connection', async () => {
        const missing = await h.hub.dataout.addInstance('test', {
          connection: 'jira',
          name: 'bugs',
          project: projectKey,
          issueType: 'Bug',
        });
        expect(!missing.ok && missing.error.code).toBe('invalid_input');
        expect(!missing.ok && missing.error.fields?.map((f) => f.field)).toEqual(['mapping.customfield_10050']);
        expect(!missing.ok && missing.error.message).toContain('Severity');

        const wrongKind = await h.hub.dataout.addInstance('test', {
          connection: 'wiki',
          name: 'bugs',
          project: projectKey,
          issueType: 'Bug',
        });
        expect(!wrongKind.ok && wrongKind.error.code).toBe('wrong_kind');
        const badType = await h.hub.dataout.addInstance('test', {
          connection: 'jira',
          name: 'bugs',
          project: projectKey,
          issueType: 'Nope',
        });
        expect(!badType.ok && badType.error.fields?.[0]?.field).toBe('issueType');
        const badTemplate = await h.hub.dataout.addInstance('test', {
          connection: 'jira',
          name: 'bugs',
          project: projectKey,
          issueType: 'Task',
          templates: { summary: '{% if %}' },
        });
        expect(!badTemplate.ok && badTemplate.error.fields?.[0]?.field).toBe('templates.summary');
        expect((await h.hub.dataout.listInstances()).ok && (await h.hub.dataout.listInstances())).toMatchObject({
          value: { items: [] },
        });
      });

      it('pushes 20 findings twice and gets 20 tickets; resolving them moves all 20 to Done', async () => {
        const added = await h.hub.dataout.addInstance('test', {
          connection: 'jira',
          name: 'bugs',
          project: projectKey,
          issueType: 'Bug',
          mapping: { customfield_10050: '{% if finding.severity == "high" %}Critical{% else %}Major{% endif %}' },
          templates: { labels: '{{ finding.properties.team }}' },
        });
        if (!added.ok) throw new Error(added.error.message);
        const instance = added.value.instance;

        for (let round = 0; round < 2; round++) {
          const pushed = await h.hub.dataout.push('test', 'bugs', findings('open'));
          expect(pushed.ok && pushed.value.accepted).toBe(20);
          const jobs = await h.hub.jobs.runTagged(`instance:${instance.id}`, pushed.ok ? pushed.value.jobIds : []);
          expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
          if (round === 1) expect(pushed.ok && pushed.value.outcomes.every((o) => o.result === 'unchanged')).toBe(true);
        }
        const created = await simIssues('skybridge');
        expect(created).toHaveLength(20);
        expect(new Set(created.map((i) => i.labels.find((l) => l.startsWith('skybridge-'))))).toHaveProperty(
          'size',
          20,
        );
        const first = created.find((i) => i.labels.includes('platform'))!;
        expect(first.properties['skybridge.dedup']).toMatchObject({ instance: instance.id, source: 'default' });
        // Finding text is text: wiki markup and links in a value do not become markup.
        const description = JSON.stringify(first.fields['description']);
        expect(description).toContain(deployment === 'cloud' ? '*bold*' : '\\\\*bold\\\\*');

        const resolved = await h.hub.dataout.push('test', 'bugs', findings('resolved'));
        const jobs = await h.hub.jobs.runTagged(`instance:${instance.id}`, resolved.ok ? resolved.value.jobIds : []);
        expect(jobs.map((j) => j.status)).toEqual(jobs.map(() => 'succeeded'));
        const done = await simIssues('skybridge');
        expect(done.map((i) => i.status)).toEqual(done.map(() => 'Done'));
        const outcomes = await h.hub.dataout.outcomes(
          'bugs',
          findings('open').map((f) => f.id),
        );
        expect(outcomes.ok && outcomes.value.every((o) => o.inStep && o.issueKey !== undefined)).toBe(true);
      });

      it('updates a changed finding, reopens a reopened one, and never creates twice', async () => {
        const changed = findings('open', ' (again)').slice(0, 3);
        const pushed = await h.hub.dataout.push('test', 'bugs', changed);
        const instance = await h.hub.dataout.getInstance('bugs');
        const tag = `instance:${instance.ok ? instance.value.id : ''}`;
        await h.hub.jobs.runTagged(tag, pushed.ok ? pushed.value.jobIds : []);
        const issues = await simIssues('skybridge');
        expect(issues).toHaveLength(20);
        const reopened = issues.filter((i) => String(i.fields['summary']).endsWith('(again)'));
        expect(reopened).toHaveLength(3);
        expect(reopened.map((i) => i.status)).toEqual(['To Do', 'To Do', 'To Do']);
      });

      it('adopts tickets by their label when the hub lost its records, instead of creating again', async () => {
        // A second instance with the same id space is not possible; simulate a lost database by deleting the
        // instance's ticket records only, keeping the instance.
        const instance = await h.hub.dataout.getInstance('bugs');
        const id = instance.ok ? instance.value.id : '';
        await h.db.deleteFrom('dataout_tickets').where('instance_id', '=', id).execute();
        const pushed = await h.hub.dataout.push('test', 'bugs', findings('open', ' (again)'));
        await h.hub.jobs.runTagged(`instance:${id}`, pushed.ok ? pushed.value.jobIds : []);
        expect(await simIssues('skybridge')).toHaveLength(20);
        const tickets = await h.hub.dataout.tickets('bugs', { limit: 100 });
        expect(tickets.ok && tickets.value.items.filter((t) => t.state === 'created')).toHaveLength(20);
      });

      it('refuses findings while stopped, names bad fields, and tests without writing', async () => {
        expect((await h.hub.dataout.setStatus('test', 'bugs', 'stopped')).ok).toBe(true);
        const refused = await h.hub.dataout.push('test', 'bugs', findings('open').slice(0, 1));
        expect(!refused.ok && refused.error.code).toBe('instance_stopped');
        expect((await h.hub.dataout.setStatus('test', 'bugs', 'active')).ok).toBe(true);

        const bad = await h.hub.dataout.push('test', 'bugs', [{ id: 'x', title: '', severity: 'urgent' }]);
        expect(bad.ok && bad.value.outcomes[0]).toMatchObject({ result: 'rejected' });
        expect(bad.ok && bad.value.outcomes[0]?.problems?.join(' ')).toMatch(/severity/);

        const before = (await simIssues()).length;
        const dry = await h.hub.dataout.testInstance('test', 'bugs', { live: false });
        expect(dry.ok && dry.value.fields['summary']).toMatch(/^\[Skybridge test\]/);
        expect((await simIssues()).length).toBe(before);
        const live = await h.hub.dataout.testInstance('test', 'bugs', { live: true });
        expect(live.ok && live.value.cleanup).toBe('deleted');
        expect((await simIssues()).length).toBe(before);
      });
    });
  }
}
