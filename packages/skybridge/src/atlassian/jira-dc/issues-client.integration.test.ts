import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import type { FetchLike } from '../guarded-fetch.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import type { RequestOutcome } from '../http-client.ts';
import type { IssueInput, JiraIssuesApi } from '../jira-issues.ts';
import { createRetryPolicy } from '../retry-policy.ts';
import { createJiraDcIssuesApi } from './issues-client.ts';

/** As the cloud test: one manual clock, and a transport that can lose an answer after the simulator processed it. */
function setup() {
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const sim = createSimulator({ now: () => clock.now().getTime() });
  const site = sim.describe().sites.find((s) => s.product === 'jira' && s.deployment === 'dc');
  const instance = sim.state.world.dcInstances.find((d) => d.product === 'jira');
  const project = instance?.jira.projects.find((p) => !p.archived);
  if (!site || !instance || !project || !('pat' in site.credentials)) throw new Error('no Jira DC in the simulator');
  const { pat } = site.credentials;
  const jira = instance.jira;
  const outcomes: RequestOutcome[] = [];
  const drop: { pattern: RegExp | undefined } = { pattern: undefined };
  const fetch: FetchLike = async (input, init) => {
    const response = await sim.fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (drop.pattern?.test(`${init?.method ?? 'GET'} ${url}`))
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    return response;
  };
  const api = createJiraDcIssuesApi({
    baseUrl: site.baseUrl,
    auth: { type: 'bearer', token: { reveal: () => pat } },
    guardedFetch: createGuardedFetch({ fetch, allowedHosts: ['sim.local'] }),
    clock,
    sleep: async (ms) => {
      clock.advance(ms);
      await Promise.resolve();
    },
    retryPolicy: createRetryPolicy({ random: () => 0.5 }),
    rateLimitScope: 'client',
    onOutcome: (o) => outcomes.push(o),
  });
  const control = async (path: string, body: unknown) => {
    const res = await sim.fetch(`${sim.describe().url}/_sim${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.ok).toBe(true);
  };
  const issuesWithSummary = (summary: string) => jira.issues.filter((i) => i.fields['summary'] === summary);
  return { api, jira, project, outcomes, drop, control, issuesWithSummary };
}

const task = (projectKey: string, summary: string, extra: Record<string, unknown> = {}): IssueInput => ({
  fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary, ...extra },
});

async function created(api: JiraIssuesApi, input: IssueInput): Promise<string> {
  const result = await api.createIssue(input);
  if (!result.ok) throw new Error(`create failed: ${result.error.message}`);
  return result.value.key;
}

describe('createJiraDcIssuesApi against the simulator', () => {
  it('reads createmeta from values pages, with the required Severity select on Bug', async () => {
    const { api, project } = setup();
    const types = await api.createMetaIssueTypes(project.key);
    if (!types.ok) throw new Error(types.error.message);
    const bug = types.value.find((t) => t.name === 'Bug');
    expect(bug).toMatchObject({ subtask: false });
    const fields = await api.createMetaFields(project.key, bug?.id ?? '');
    if (!fields.ok) throw new Error(fields.error.message);
    const severity = fields.value.find((f) => f.fieldId === 'customfield_10050');
    expect(severity).toMatchObject({ required: true, schema: { type: 'option' } });
    expect(severity?.allowedValues?.map((v) => v.value)).toEqual(['Critical', 'Major', 'Minor']);
  });

  it('creates with a wiki description and properties, comments in wiki markup, finds it by property and label', async () => {
    const { api, project, jira } = setup();
    const key = await created(api, {
      ...task(project.key, 'DC finding', { labels: ['skybridge'], description: api.richText('use *not* bold') }),
      properties: { skybridge: { findingId: 'dc-1' } },
    });
    const issue = await api.getIssue(key, { fields: ['description'], properties: ['skybridge'] });
    expect(issue).toMatchObject({
      ok: true,
      value: { fields: { description: 'use \\*not\\* bold' }, properties: { skybridge: { findingId: 'dc-1' } } },
    });
    expect(await api.addComment(key, 'a [link] {code}')).toMatchObject({ ok: true });
    expect(jira.issues.find((i) => i.key === key)?.comments[0]?.body).toBe('a \\[link\\] \\{code\\}');
    const found = await api.searchByJql({ jql: `issue.property[skybridge].findingId = "dc-1"` });
    expect(found.ok && found.value.issues.map((i) => i.key)).toEqual([key]);
    const labelled = await api.searchByJql({ jql: `project = ${project.key} AND labels = skybridge` });
    expect(labelled.ok && labelled.value.issues.map((i) => i.key)).toEqual([key]);
  });

  it('pages a search by startAt through the cursor', async () => {
    const { api, project, jira } = setup();
    const keys: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await api.searchByJql({
        jql: `project = ${project.key}`,
        maxResults: 3,
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) throw new Error(page.error.message);
      keys.push(...page.value.issues.map((issue) => issue.key));
      cursor = page.value.next;
      if (!cursor) break;
    }
    expect(keys.sort()).toEqual(
      jira.issues
        .filter((i) => i.projectId === project.id)
        .map((i) => i.key)
        .sort(),
    );
  });

  it('bulk create reports a partial failure per element', async () => {
    const { api, project } = setup();
    const result = await api.bulkCreate([
      task(project.key, 'Bulk DC'),
      { fields: { project: { key: project.key }, issuetype: { name: 'Task' } } },
    ]);
    expect(result).toMatchObject({
      ok: true,
      value: {
        created: [{ key: expect.any(String) }],
        failed: [{ index: 1, errors: { summary: expect.any(String) } }],
      },
    });
  });

  it('transitions through the workflow, sets properties, attaches, deletes', async () => {
    const { api, project, jira } = setup();
    const key = await created(api, task(project.key, 'DC flow'));
    const transitions = await api.getTransitions(key);
    if (!transitions.ok) throw new Error(transitions.error.message);
    const done = transitions.value.find((t) => t.to?.name === 'Done');
    expect(await api.doTransition(key, done?.id ?? '')).toEqual({ ok: true, value: undefined });
    expect(jira.issues.find((i) => i.key === key)?.fields['resolution']).toMatchObject({ name: 'Done' });
    expect(await api.setIssueProperty(key, 'skybridge', { rev: 3 })).toEqual({ ok: true, value: undefined });
    expect(await api.getIssueProperty(key, 'skybridge')).toEqual({ ok: true, value: { rev: 3 } });
    const added = await api.addAttachment(key, { filename: 'finding.txt', content: 'details' });
    expect(added).toMatchObject({ ok: true, value: [{ filename: 'finding.txt', size: 7 }] });
    expect(await api.deleteIssue(key)).toEqual({ ok: true, value: undefined });
    expect(await api.getIssue(key)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('retries a create refused with 429 by the per-user bucket, and creates it once', async () => {
    const { api, project, control, outcomes, issuesWithSummary } = setup();
    await control('/scenario', { rateLimit: { dcMax: 1, dcFillRate: 1 } });
    await created(api, task(project.key, 'DC first'));
    expect((await api.createIssue(task(project.key, 'DC second'))).ok).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ requests: 2, retries: 1, rateLimited: 1 });
    expect(issuesWithSummary('DC second')).toHaveLength(1);
  });

  it('never retries a create whose answer was lost', async () => {
    const { api, project, drop, outcomes, issuesWithSummary } = setup();
    drop.pattern = /^POST .*\/rest\/api\/2\/issue$/;
    expect(await api.createIssue(task(project.key, 'DC lost'))).toMatchObject({
      ok: false,
      error: { code: 'connect' },
    });
    expect(outcomes.at(-1)).toMatchObject({ requests: 1, retries: 0 });
    expect(issuesWithSummary('DC lost')).toHaveLength(1);
  });
});
