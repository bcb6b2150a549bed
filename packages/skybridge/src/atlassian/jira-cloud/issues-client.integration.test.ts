import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../../domain/clock.ts';
import type { FetchLike } from '../guarded-fetch.ts';
import { createGuardedFetch } from '../guarded-fetch.ts';
import type { RequestOutcome } from '../http-client.ts';
import type { IssueInput, JiraIssuesApi } from '../jira-issues.ts';
import { createRetryPolicy } from '../retry-policy.ts';
import { createJiraCloudIssuesApi } from './issues-client.ts';

/**
 * The cloud issues client against the in-process simulator, with one manual clock for the simulator's limits, the
 * client and its retry sleeps (a sleep only moves the clock). `dropAfterServing` makes the transport lose the answer
 * of matching requests AFTER the simulator has processed them: a reset on a create that did happen.
 */
function setup() {
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const sim = createSimulator({ now: () => clock.now().getTime() });
  const described = sim.describe();
  const org = described.orgs[0];
  const site = described.sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
  const jira = sim.state.world.cloudSites[0]?.jira;
  const project = jira?.projects.find((p) => !p.restricted && !p.archived);
  if (!org || !site || !jira || !project) throw new Error('the simulator lacks a cloud Jira site');
  const outcomes: RequestOutcome[] = [];
  const sleeps: number[] = [];
  const drop: { pattern: RegExp | undefined } = { pattern: undefined };
  const fetch: FetchLike = async (input, init) => {
    const response = await sim.fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (drop.pattern?.test(`${init?.method ?? 'GET'} ${url}`))
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    return response;
  };
  const api = createJiraCloudIssuesApi({
    baseUrl: site.baseUrl,
    auth: { type: 'basic', email: org.email, token: { reveal: () => org.apiToken } },
    guardedFetch: createGuardedFetch({ fetch, allowedHosts: ['sim.local'] }),
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      await Promise.resolve();
    },
    retryPolicy: createRetryPolicy({ random: () => 0.5 }),
    onOutcome: (o) => outcomes.push(o),
  });
  const control = async (path: string, body: unknown) => {
    const res = await sim.fetch(`${described.url}/_sim${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.ok).toBe(true);
  };
  const issuesWithSummary = (summary: string) => jira.issues.filter((i) => i.fields['summary'] === summary);
  return { api, sim, jira, project, outcomes, sleeps, drop, control, issuesWithSummary };
}

const task = (projectKey: string, summary: string, extra: Record<string, unknown> = {}): IssueInput => ({
  fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary, ...extra },
});

async function created(api: JiraIssuesApi, input: IssueInput): Promise<string> {
  const result = await api.createIssue(input);
  if (!result.ok) throw new Error(`create failed: ${result.error.message}`);
  return result.value.key;
}

describe('createJiraCloudIssuesApi against the simulator', () => {
  it('reads createmeta: issue types, required fields, a required custom field and allowed values', async () => {
    const { api, project } = setup();
    const types = await api.createMetaIssueTypes(project.key);
    expect(types.ok).toBe(true);
    if (!types.ok) return;
    expect(types.value.map((t) => t.name)).toEqual(expect.arrayContaining(['Task', 'Bug', 'Story', 'Subtask']));
    expect(types.value.find((t) => t.name === 'Subtask')?.subtask).toBe(true);
    const bug = types.value.find((t) => t.name === 'Bug');
    const fields = await api.createMetaFields(project.key, bug?.id ?? '');
    expect(fields.ok).toBe(true);
    if (!fields.ok) return;
    const byId = new Map(fields.value.map((f) => [f.fieldId, f]));
    expect(byId.get('summary')).toMatchObject({ required: true, hasDefaultValue: false, schema: { type: 'string' } });
    expect(byId.get('priority')).toMatchObject({ required: true, hasDefaultValue: true });
    expect(byId.get('priority')?.allowedValues?.map((v) => v.name)).toContain('Highest');
    expect(byId.get('customfield_10050')).toEqual({
      fieldId: 'customfield_10050',
      key: 'customfield_10050',
      name: 'Severity',
      required: true,
      hasDefaultValue: false,
      schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
      allowedValues: [
        { id: '10100', value: 'Critical' },
        { id: '10101', value: 'Major' },
        { id: '10102', value: 'Minor' },
      ],
    });
    expect(byId.get('labels')?.schema).toEqual({ type: 'array', items: 'string', system: 'labels' });
  });

  it('a hidden or unknown project is bad_request carrying Jira’s message', async () => {
    const { api } = setup();
    const result = await api.createMetaIssueTypes('NOPE');
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', status: 400 } });
    if (!result.ok) expect(result.error.detail).toContain("No project could be found with key 'NOPE'");
  });

  it('creates with properties and ADF text, reads them back, and finds the issue by property and by label', async () => {
    const { api, project } = setup();
    const key = await created(api, {
      ...task(project.key, 'Finding 1', { labels: ['skybridge'], description: api.richText('Line one\nLine two') }),
      properties: { skybridge: { findingId: 'f-1', rev: 1 } },
    });
    const issue = await api.getIssue(key, { fields: ['summary', 'description', 'labels'], properties: ['skybridge'] });
    expect(issue).toMatchObject({
      ok: true,
      value: {
        key,
        fields: {
          summary: 'Finding 1',
          labels: ['skybridge'],
          description: {
            type: 'doc',
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'Line one' },
                  { type: 'hardBreak' },
                  { type: 'text', text: 'Line two' },
                ],
              },
            ],
          },
        },
        properties: { skybridge: { findingId: 'f-1', rev: 1 } },
      },
    });
    const byProperty = await api.searchByJql({
      jql: `project = ${project.key} AND issue.property[skybridge].findingId = "f-1"`,
      properties: ['skybridge'],
    });
    expect(byProperty).toMatchObject({ ok: true, value: { issues: [{ key, properties: { skybridge: { rev: 1 } } }] } });
    if (byProperty.ok) expect(byProperty.value.next).toBeUndefined();
    const byLabel = await api.searchByJql({ jql: `project = ${project.key} AND labels = skybridge` });
    expect(byLabel.ok && byLabel.value.issues.map((i) => i.key)).toEqual([key]);
  });

  it('pages a search with the nextPageToken cursor to the last page', async () => {
    const { api, project, jira } = setup();
    const keys: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await api.searchByJql({
        jql: `project = ${project.key} ORDER BY key`,
        maxResults: 2,
        ...(cursor ? { cursor } : {}),
      });
      if (!page.ok) throw new Error(page.error.message);
      keys.push(...page.value.issues.map((issue) => issue.key));
      cursor = page.value.next;
      if (!cursor) break;
    }
    const expected = jira.issues.filter((i) => i.projectId === project.id).map((i) => i.key);
    expect(keys.sort()).toEqual(expected.sort());
    expect(keys.length).toBeGreaterThan(2);
  });

  it('an unbounded query is a bad_request with Jira’s message', async () => {
    const { api } = setup();
    const result = await api.searchByJql({ jql: 'ORDER BY created' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', status: 400 } });
    if (!result.ok) expect(result.error.detail).toContain('Unbounded JQL');
  });

  it('bulk create returns per-element errors as data: partial (201) and total (400) failures', async () => {
    const { api, project, issuesWithSummary } = setup();
    const bugWithoutSeverity: IssueInput = {
      fields: { project: { key: project.key }, issuetype: { name: 'Bug' }, summary: 'Bulk bug', priority: { id: '2' } },
    };
    const partial = await api.bulkCreate([task(project.key, 'Bulk ok'), bugWithoutSeverity]);
    expect(partial).toMatchObject({
      ok: true,
      value: {
        created: [{ key: expect.stringMatching(new RegExp(`^${project.key}-\\d+$`)) }],
        failed: [{ index: 1, status: 400, errors: { customfield_10050: expect.stringContaining('Severity') } }],
      },
    });
    const total = await api.bulkCreate([bugWithoutSeverity, { fields: { project: { key: project.key } } }]);
    expect(total).toMatchObject({ ok: true, value: { created: [] } });
    if (total.ok) {
      expect(total.value.failed.map((f) => f.index)).toEqual([0, 1]);
      expect(total.value.failed[1]?.errors).toMatchObject({ issuetype: 'Specify an issue type' });
    }
    expect(issuesWithSummary('Bulk ok')).toHaveLength(1);
    expect(issuesWithSummary('Bulk bug')).toHaveLength(0);
    await expect(api.bulkCreate([])).rejects.toThrow(RangeError);
  });

  it('edits, comments in ADF, and walks the workflow To Do → In Progress → Done → reopened', async () => {
    const { api, project, jira } = setup();
    const key = await created(api, task(project.key, 'Workflow'));
    expect(
      await api.editIssue(key, { fields: { summary: 'Workflow edited' }, update: { labels: [{ add: 'x' }] } }),
    ).toEqual({ ok: true, value: undefined });
    const comment = await api.addComment(key, 'Seen again\n\nStill there');
    expect(comment).toMatchObject({ ok: true, value: { id: expect.any(String) } });
    const stored = jira.issues.find((i) => i.key === key);
    expect(stored?.fields['summary']).toBe('Workflow edited');
    expect(stored?.comments[0]?.body).toMatchObject({
      type: 'doc',
      content: [{ type: 'paragraph' }, { type: 'paragraph' }],
    });

    const status = async () => {
      const issue = await api.getIssue(key, { fields: ['status', 'resolution'] });
      if (!issue.ok) throw new Error(issue.error.message);
      return [(issue.value.fields['status'] as { name: string }).name, issue.value.fields['resolution'] !== null];
    };
    const go = async (name: string) => {
      const transitions = await api.getTransitions(key);
      if (!transitions.ok) throw new Error(transitions.error.message);
      const transition = transitions.value.find((t) => t.to?.name === name);
      if (!transition) throw new Error(`no transition to ${name}`);
      expect(await api.doTransition(key, transition.id)).toEqual({ ok: true, value: undefined });
    };
    expect(await status()).toEqual(['To Do', false]);
    await go('In Progress');
    await go('Done');
    expect(await status()).toEqual(['Done', true]);
    await go('To Do');
    expect(await status()).toEqual(['To Do', false]);
    const bad = await api.doTransition(key, '999');
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('sets and reads an issue property; a missing one is not_found', async () => {
    const { api, project } = setup();
    const key = await created(api, task(project.key, 'Props'));
    expect(await api.setIssueProperty(key, 'skybridge', { findingId: 'f-9' })).toEqual({ ok: true, value: undefined });
    expect(await api.setIssueProperty(key, 'skybridge', { findingId: 'f-9', rev: 2 })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await api.getIssueProperty(key, 'skybridge')).toEqual({ ok: true, value: { findingId: 'f-9', rev: 2 } });
    expect(await api.getIssueProperty(key, 'other')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('attaches an over-long description as a text file and deletes the issue', async () => {
    const { api, project, jira } = setup();
    const key = await created(api, task(project.key, 'Long one'));
    const text = 'x'.repeat(40_000);
    const added = await api.addAttachment(key, { filename: 'description.txt', content: text });
    expect(added).toEqual({
      ok: true,
      value: [
        { id: expect.any(String), filename: 'description.txt', size: 40_000, mimeType: 'text/plain;charset=utf-8' },
      ],
    });
    const stored = jira.issues.find((i) => i.key === key)?.attachments[0];
    expect(new TextDecoder().decode(stored?.content)).toBe(text);
    const missing = await api.addAttachment('NOPE-1', { filename: 'a.txt', content: 'a' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect(await api.deleteIssue(key)).toEqual({ ok: true, value: undefined });
    expect(await api.getIssue(key)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('retries a create refused with 429 (nothing was created) and creates it exactly once', async () => {
    const { api, project, control, outcomes, sleeps, issuesWithSummary } = setup();
    await control('/scenario', { rateLimit: { cloudRps: 1 } });
    await created(api, task(project.key, 'First'));
    const second = await api.createIssue(task(project.key, 'Second'));
    expect(second.ok).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ method: 'POST', requests: 2, retries: 1, rateLimited: 1, ok: true });
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(issuesWithSummary('Second')).toHaveLength(1);
  });

  it('never retries a create whose answer was lost: it may have been created (and here it was)', async () => {
    const { api, project, drop, outcomes, sleeps, issuesWithSummary } = setup();
    drop.pattern = /^POST .*\/rest\/api\/3\/issue$/;
    const result = await api.createIssue(task(project.key, 'Lost answer'));
    expect(result).toMatchObject({ ok: false, error: { code: 'connect' } });
    expect(outcomes.at(-1)).toMatchObject({ requests: 1, retries: 0 });
    expect(sleeps).toEqual([]);
    expect(issuesWithSummary('Lost answer')).toHaveLength(1);
    // The same loss on a read is retried: the rule is about the method, not the failure.
    drop.pattern = /^GET .*\/rest\/api\/3\/issue\//;
    const key = issuesWithSummary('Lost answer')[0]?.key ?? '';
    expect(await api.getIssue(key)).toMatchObject({ ok: false, error: { code: 'connect' } });
    expect(outcomes.at(-1)).toMatchObject({ requests: 5, retries: 4 });
  });

  it('never retries an attachment upload whose answer was lost', async () => {
    const { api, project, drop, outcomes, jira } = setup();
    const key = await created(api, task(project.key, 'Upload'));
    drop.pattern = /\/attachments$/;
    expect(await api.addAttachment(key, { filename: 'a.txt', content: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'connect' },
    });
    expect(outcomes.at(-1)).toMatchObject({ requests: 1, retries: 0 });
    expect(jira.issues.find((i) => i.key === key)?.attachments).toHaveLength(1);
  });
});
