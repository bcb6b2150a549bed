import { describe, expect, it } from 'vitest';
import { adf, createIssueTestClient, get, type IssueTestClient } from './issues/issue-test-client.ts';

const V3 = '/rest/api/3';
const V2 = '/rest/api/2';

function projects(client: IssueTestClient) {
  const jira = client.sim.state.world.cloudSites[0]?.jira;
  if (!jira) throw new Error('no site');
  const open = jira.projects.find((p) => !p.restricted);
  const restricted = jira.projects.find((p) => p.restricted);
  if (!open || !restricted) throw new Error('the small preset has open and restricted projects');
  return { jira, open, restricted };
}

/** An active, non-admin account of site 0 that is neither an actor of `projectKey` nor in one of its actor groups. */
function outsider(client: IssueTestClient, projectKey: string): string {
  const world = client.sim.state.world;
  const org = world.orgs[0];
  const project = world.cloudSites[0]?.jira.projects.find((p) => p.key === projectKey);
  if (!org || !project) throw new Error('no org');
  const actorGroups = new Set(project.roles.flatMap((r) => r.actorGroups));
  const actors = new Set(project.roles.flatMap((r) => r.actorUsers));
  const idx = org.users.findIndex(
    (u, i) =>
      i !== org.adminIdx &&
      u.status === 'active' &&
      u.accountType === 'atlassian' &&
      u.siteAccess.includes(0) &&
      !actors.has(i) &&
      !org.groups.some((g) => (g.grantsSiteAdmin || actorGroups.has(g.id)) && g.members.includes(i)),
  );
  const email = org.users[idx]?.email;
  if (!email) throw new Error('no outsider in the preset');
  return email;
}

const taskFields = (projectKey: string, extra: Record<string, unknown> = {}) => ({
  project: { key: projectKey },
  issuetype: { id: '10001' },
  summary: 'Write the simulator',
  ...extra,
});

describe('latency', () => {
  it('applies a request when it arrives and answers once the latency has passed since then', async () => {
    const client = createIssueTestClient({ faults: { latencyMs: 400 } });
    const { open, jira } = projects(client);
    const before = jira.issues.length;
    const started = performance.now();
    const created = client.call('POST', `${V3}/issue`, { body: { fields: taskFields(open.key) } });
    // The answer is on its way; the issue already exists (a client that gave up now would still have created it).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(jira.issues.length).toBe(before + 1);
    expect((await created).status).toBe(201);
    // Timers may fire a millisecond early on some platforms; the answer never comes much before the latency.
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
  });
});

describe('POST issue', () => {
  it('creates an issue with 201 CreatedIssue, stores properties, and counts it in /_sim/stats', async () => {
    const client = createIssueTestClient();
    const { open, jira } = projects(client);
    const before = jira.issues.length;
    const res = await client.call('POST', `${V3}/issue`, {
      body: {
        fields: taskFields(open.key, { labels: ['sim', 'tests'], description: adf('Hello') }),
        properties: [{ key: 'skybridge', value: { origin: 'test' } }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      key: `${open.key}-${open.nextIssueNumber - 1}`,
      self: `http://sim.local/s/acme${V3}/issue/${String(get(res.body, 'id'))}`,
    });
    const stats = await client.call('GET', '/_sim/stats', { auth: null });
    expect(get(stats.body, 'sites', 0, 'issues')).toBe(before + 1);
    const prop = await client.call('GET', `${V3}/issue/${String(get(res.body, 'key'))}/properties/skybridge`);
    expect(prop.body).toEqual({ key: 'skybridge', value: { origin: 'test' } });
  });

  it('names every missing required field without a default, including a required custom field on Bug', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const res = await client.call('POST', `${V3}/issue`, {
      body: { fields: { project: { key: open.key }, issuetype: { name: 'Bug' } } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: [],
      errors: {
        summary: 'You must specify a summary of the issue.',
        customfield_10050: 'Severity is required.',
      },
    });
  });

  it('gives a required priority left out the scheme default, as createmeta announces', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const res = await client.call('POST', `${V3}/issue`, {
      body: {
        fields: {
          project: { key: open.key },
          issuetype: { name: 'Bug' },
          summary: 'No priority given',
          customfield_10050: { value: 'Major' },
        },
      },
    });
    expect(res.status).toBe(201);
    const key = (res.body as { key: string }).key;
    const issue = await client.call('GET', `${V3}/issue/${key}?fields=priority`);
    expect((issue.body as { fields: { priority: { name: string } } }).fields.priority.name).toBe('Medium');
  });

  it('accepts a Bug once priority and the Severity option are given', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const res = await client.call('POST', `${V3}/issue`, {
      body: {
        fields: {
          project: { id: open.id },
          issuetype: { id: '10002' },
          summary: 'Crash',
          priority: { name: 'High' },
          customfield_10050: { value: 'Major' },
        },
      },
    });
    expect(res.status).toBe(201);
    const issue = await client.call(
      'GET',
      `${V3}/issue/${String(get(res.body, 'key'))}?fields=priority,customfield_10050`,
    );
    expect(get(issue.body, 'fields', 'priority', 'name')).toBe('High');
    expect(get(issue.body, 'fields', 'customfield_10050', 'value')).toBe('Major');
  });

  it('wants ADF for description on v3 and a string on v2', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const v3 = await client.call('POST', `${V3}/issue`, {
      body: { fields: taskFields(open.key, { description: 'plain text' }) },
    });
    expect(v3.status).toBe(400);
    expect(get(v3.body, 'errors', 'description')).toBe(
      'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
    );
    const v2bad = await client.call('POST', `${V2}/issue`, {
      body: { fields: taskFields(open.key, { description: adf('x') }) },
    });
    expect(get(v2bad.body, 'errors', 'description')).toBe('Operation value must be a string');
    const v2 = await client.call('POST', `${V2}/issue`, {
      body: { fields: taskFields(open.key, { description: 'h1. wiki *markup*' }) },
    });
    expect(v2.status).toBe(201);
    // The same issue read through v3 shows the text as a document.
    const read = await client.call('GET', `${V3}/issue/${String(get(v2.body, 'key'))}?fields=description`);
    expect(get(read.body, 'fields', 'description')).toEqual(adf('h1. wiki *markup*'));
  });

  it('refuses labels with spaces, unknown fields and projects the caller cannot see', async () => {
    const client = createIssueTestClient();
    const { open, restricted } = projects(client);
    const labels = await client.call('POST', `${V3}/issue`, {
      body: { fields: taskFields(open.key, { labels: ['two words'], customfield_99999: 1 }) },
    });
    expect(labels.body).toEqual({
      errorMessages: [],
      errors: {
        labels: "The label 'two words' contains spaces which is invalid.",
        customfield_99999: "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    const auth = await client.tokenFor(outsider(client, restricted.key));
    const hidden = await client.call('POST', `${V3}/issue`, { body: { fields: taskFields(restricted.key) }, auth });
    expect(hidden.status).toBe(400);
    expect(get(hidden.body, 'errors', 'project')).toBe('Specify a valid project ID or key');
  });

  it('runs a transition given in the create body and reports it beside the issue', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const res = await client.call('POST', `${V3}/issue`, {
      body: { fields: taskFields(open.key), transition: { id: '21' } },
    });
    expect(get(res.body, 'transition')).toEqual({ status: 200, errorCollection: { errorMessages: [], errors: {} } });
    const issue = await client.call('GET', `${V3}/issue/${String(get(res.body, 'key'))}?fields=status`);
    expect(get(issue.body, 'fields', 'status', 'name')).toBe('In Progress');
  });
});

describe('POST issue/bulk', () => {
  it('answers 201 with errors[] on a partial failure and 400 on a total failure', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const partial = await client.call('POST', `${V3}/issue/bulk`, {
      body: {
        issueUpdates: [
          { fields: taskFields(open.key) },
          { fields: { project: { key: open.key }, issuetype: { id: '999' }, summary: 'x' } },
        ],
      },
    });
    expect(partial.status).toBe(201);
    expect(get(partial.body, 'issues', 'length')).toBe(1);
    expect(get(partial.body, 'errors')).toEqual([
      {
        status: 400,
        failedElementNumber: 1,
        elementErrors: { errorMessages: [], errors: { issuetype: 'The issue type selected is invalid.' } },
      },
    ]);
    const total = await client.call('POST', `${V3}/issue/bulk`, { body: { issueUpdates: [{ fields: {} }] } });
    expect(total.status).toBe(400);
    expect(get(total.body, 'issues')).toEqual([]);
    expect(get(total.body, 'errors', 0, 'failedElementNumber')).toBe(0);
  });

  it('refuses more than 50 issues', async () => {
    const client = createIssueTestClient();
    const { open, jira } = projects(client);
    const before = jira.issues.length;
    const res = await client.call('POST', `${V3}/issue/bulk`, {
      body: { issueUpdates: Array.from({ length: 51 }, () => ({ fields: taskFields(open.key) })) },
    });
    expect(res.status).toBe(400);
    expect(jira.issues.length).toBe(before);
  });
});

describe('GET / PUT issue', () => {
  it('filters fields, includes requested properties and hides issues of restricted projects with 404', async () => {
    const client = createIssueTestClient();
    const { restricted, jira } = projects(client);
    const issue = jira.issues.find((i) => i.projectId === restricted.id);
    if (!issue) throw new Error('seeded issue');
    issue.properties.set('flag', true);
    const asAdmin = await client.call('GET', `${V3}/issue/${issue.key}?fields=summary,status&properties=flag`);
    expect(asAdmin.status).toBe(200);
    expect(Object.keys(get(asAdmin.body, 'fields') as object)).toEqual(['summary', 'status']);
    expect(get(asAdmin.body, 'properties')).toEqual({ flag: true });
    expect(get(asAdmin.body, 'fields', 'status', 'statusCategory', 'key')).toBeTypeOf('string');
    const auth = await client.tokenFor(outsider(client, restricted.key));
    const hidden = await client.call('GET', `${V3}/issue/${issue.key}`, { auth });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({
      errorMessages: ['Issue does not exist or you do not have permission to see it.'],
      errors: {},
    });
  });

  it('lets any user of the site read an open project, and answers 404 for unknown keys', async () => {
    const client = createIssueTestClient();
    const { open, jira } = projects(client);
    const issue = jira.issues.find((i) => i.projectId === open.id);
    const auth = await client.tokenFor(outsider(client, open.key));
    expect((await client.call('GET', `${V3}/issue/${issue?.key ?? ''}`, { auth })).status).toBe(200);
    expect((await client.call('GET', `${V3}/issue/NOPE-1`)).status).toBe(404);
  });

  it('edits fields and applies labels add/remove operations with 204', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const created = await client.call('POST', `${V3}/issue`, {
      body: { fields: taskFields(open.key, { labels: ['old', 'keep'] }) },
    });
    const key = String(get(created.body, 'key'));
    const edit = await client.call('PUT', `${V3}/issue/${key}`, {
      body: { fields: { summary: 'Renamed' }, update: { labels: [{ add: 'new' }, { remove: 'old' }] } },
    });
    expect(edit.status).toBe(204);
    expect(edit.body).toBeUndefined();
    const read = await client.call('GET', `${V3}/issue/${key}?fields=summary,labels`);
    expect(get(read.body, 'fields')).toEqual({ summary: 'Renamed', labels: ['keep', 'new'] });
    const bad = await client.call('PUT', `${V3}/issue/${key}`, { body: { fields: { summary: '' } } });
    expect(bad.body).toEqual({ errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } });
  });
});

describe('issue properties', () => {
  it('creates with 201, updates with 200, lists keys, deletes, and refuses values over 32 KB', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const key = String(
      get((await client.call('POST', `${V3}/issue`, { body: { fields: taskFields(open.key) } })).body, 'key'),
    );
    const path = `${V3}/issue/${key}/properties/sync.state`;
    expect((await client.call('PUT', path, { body: { cursor: 1 } })).status).toBe(201);
    expect((await client.call('PUT', path, { body: [1, 2, 3] })).status).toBe(200);
    expect((await client.call('GET', path)).body).toEqual({ key: 'sync.state', value: [1, 2, 3] });
    expect((await client.call('GET', `${V3}/issue/${key}/properties`)).body).toEqual({
      keys: [{ self: `http://sim.local/s/acme${V3}/issue/${key}/properties/sync.state`, key: 'sync.state' }],
    });
    const big = await client.call('PUT', path, { body: { blob: 'x'.repeat(33_000) } });
    expect(big.status).toBe(400);
    expect((await client.call('DELETE', path)).status).toBe(204);
    expect((await client.call('GET', path)).status).toBe(404);
  });
});

describe('transitions', () => {
  it('lists transitions with their target status and category, and moves the issue with 204', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const key = String(
      get((await client.call('POST', `${V3}/issue`, { body: { fields: taskFields(open.key) } })).body, 'key'),
    );
    const list = await client.call('GET', `${V3}/issue/${key}/transitions`);
    const transitions = get(list.body, 'transitions') as Record<string, unknown>[];
    expect(transitions.map((t) => t['name'])).toEqual(['In Progress', 'Done']);
    expect(get(transitions[1], 'to', 'statusCategory', 'key')).toBe('done');
    const bad = await client.call('POST', `${V3}/issue/${key}/transitions`, { body: { transition: { id: '11' } } });
    expect(bad.body).toEqual({ errorMessages: ["Transition id '11' is not valid for this issue."], errors: {} });
    const done = await client.call('POST', `${V3}/issue/${key}/transitions`, {
      body: { transition: { id: '31' }, update: { comment: [{ add: { body: adf('Fixed it') } }] } },
    });
    expect(done.status).toBe(204);
    const read = await client.call('GET', `${V3}/issue/${key}?fields=status,resolution,comment`);
    expect(get(read.body, 'fields', 'status', 'name')).toBe('Done');
    expect(get(read.body, 'fields', 'resolution', 'name')).toBe('Done');
    expect(get(read.body, 'fields', 'comment', 'total')).toBe(1);
  });
});

describe('comments', () => {
  it('adds ADF comments on v3, string comments on v2, pages them and edits them', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const key = String(
      get((await client.call('POST', `${V3}/issue`, { body: { fields: taskFields(open.key) } })).body, 'key'),
    );
    const stringOnV3 = await client.call('POST', `${V3}/issue/${key}/comment`, { body: { body: 'plain' } });
    expect(stringOnV3.body).toEqual({
      errorMessages: [],
      errors: { comment: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' },
    });
    const first = await client.call('POST', `${V3}/issue/${key}/comment`, { body: { body: adf('First') } });
    expect(first.status).toBe(201);
    expect(get(first.body, 'author', 'accountId')).toBe(client.sim.state.world.orgs[0]?.users[0]?.accountId);
    const second = await client.call('POST', `${V2}/issue/${key}/comment`, { body: { body: 'Second' } });
    expect(get(second.body, 'body')).toBe('Second');
    const page = await client.call('GET', `${V3}/issue/${key}/comment?startAt=1&maxResults=1`);
    expect(get(page.body, 'total')).toBe(2);
    expect(get(page.body, 'comments', 0, 'body')).toEqual(adf('Second'));
    const edited = await client.call('PUT', `${V2}/issue/${key}/comment/${String(get(first.body, 'id'))}`, {
      body: { body: 'First, edited' },
    });
    expect(edited.status).toBe(200);
    expect(get(edited.body, 'body')).toBe('First, edited');
  });
});

describe('per-issue write limit', () => {
  it('answers 429 jira-per-issue-on-write once an issue takes too many writes, and recovers after the window', async () => {
    let now = Date.UTC(2026, 10, 2);
    const client = createIssueTestClient({
      now: () => now,
      rateLimits: { perIssueShort: { limit: 3, windowMs: 2_000 } },
    });
    const { open } = projects(client);
    const key = String(
      get((await client.call('POST', `${V3}/issue`, { body: { fields: taskFields(open.key) } })).body, 'key'),
    );
    for (let i = 0; i < 3; i++)
      expect((await client.call('PUT', `${V3}/issue/${key}/properties/p${i}`, { body: i })).status).toBe(201);
    const limited = await client.call('POST', `${V3}/issue/${key}/comment`, { body: { body: adf('one too many') } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    now += 2_001;
    expect((await client.call('POST', `${V3}/issue/${key}/comment`, { body: { body: adf('later') } })).status).toBe(
      201,
    );
  });
});

describe('createmeta and issue types', () => {
  it('lists the project issue types and the Bug fields with required flags', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const types = await client.call('GET', `${V3}/issue/createmeta/${open.key}/issuetypes?maxResults=2`);
    expect(get(types.body, 'total')).toBe(open.issueTypeIds.length);
    expect(get(types.body, 'issueTypes', 'length')).toBe(2);
    const fields = await client.call('GET', `${V3}/issue/createmeta/${open.key}/issuetypes/10002`);
    const byId = new Map((get(fields.body, 'fields') as Record<string, unknown>[]).map((f) => [f['fieldId'], f]));
    expect(get(byId.get('customfield_10050'), 'required')).toBe(true);
    expect(get(byId.get('customfield_10050'), 'allowedValues', 1, 'value')).toBe('Major');
    expect(get(byId.get('priority'), 'required')).toBe(true);
    expect(get(byId.get('reporter'), 'hasDefaultValue')).toBe(true);
    expect(get(byId.get('assignee'), 'required')).toBe(false);
    const tooMany = await client.call('GET', `${V3}/issue/createmeta/${open.key}/issuetypes?maxResults=201`);
    expect(tooMany.body).toEqual({
      errorMessages: ["Parameter 'maxResults' must not exceed the limit '200'"],
      errors: {},
    });
  });

  it('serves createmeta anonymously (200 + AUTHENTICATED_FAILED) to a bad token on an anonymous-browse site only', async () => {
    const client = createIssueTestClient({ preset: 'medium' });
    const { open } = projects(client);
    const bad = 'Basic ' + btoa('nobody@example.com:expired');
    const acme = await client.call('GET', `${V3}/issue/createmeta/${open.key}/issuetypes`, { auth: bad });
    expect(acme.status).toBe(200);
    expect(acme.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    const globex = await client.sim.fetch(`http://sim.local/s/globex${V3}/issue/createmeta/${open.key}/issuetypes`, {
      headers: { authorization: bad },
    });
    expect(globex.status).toBe(401);
  });

  it('returns all issue types as a bare array', async () => {
    const client = createIssueTestClient();
    const res = await client.call('GET', `${V3}/issuetype`);
    expect(Array.isArray(res.body)).toBe(true);
    expect((res.body as { name: string }[]).map((t) => t.name)).toContain('Bug');
  });
});

describe('search', () => {
  it('search/jql returns only ids by default, refuses unbounded and invalid JQL, and the old search is gone', async () => {
    const client = createIssueTestClient();
    const { open } = projects(client);
    const res = await client.call('GET', `${V3}/search/jql?jql=${encodeURIComponent(`project = ${open.key}`)}`);
    expect(res.status).toBe(200);
    expect(get(res.body, 'isLast')).toBe(true);
    expect(get(res.body, 'nextPageToken')).toBeUndefined();
    expect(get(res.body, 'total')).toBeUndefined();
    expect(Object.keys(get(res.body, 'issues', 0) as object)).toEqual(['id']);
    const unbounded = await client.call('POST', `${V3}/search/jql`, { body: { jql: 'order by created DESC' } });
    expect(unbounded.body).toEqual({
      errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
      errors: {},
    });
    const invalid = await client.call('GET', `${V3}/search/jql?jql=${encodeURIComponent('nosuchfield = 1')}`);
    expect(invalid.status).toBe(400);
    expect((get(invalid.body, 'errorMessages') as string[]).length).toBeGreaterThan(0);
    const gone = await client.call('GET', `${V2}/search?jql=project=${open.key}`);
    expect(gone.status).toBe(410);
  });

  it('an expired token on an anonymous-browse site searches as anonymous and sees only open projects', async () => {
    const client = createIssueTestClient();
    const { restricted } = projects(client);
    const jql = encodeURIComponent(`project = ${restricted.key}`);
    const asAdmin = await client.call('GET', `${V3}/search/jql?jql=${jql}`);
    expect((get(asAdmin.body, 'issues') as unknown[]).length).toBeGreaterThan(0);
    const expired = await client.call('GET', `${V3}/search/jql?jql=${jql}`, {
      auth: 'Basic ' + btoa('x@example.com:expired'),
    });
    expect(expired.status).toBe(400);
    expect(get(expired.body, 'errorMessages', 0)).toBe(
      `The value '${restricted.key}' does not exist for the field 'project'.`,
    );
    expect(expired.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
  });

  it('clamps maxResults to 100 with fields and to 5000 for ids only', async () => {
    const client = createIssueTestClient({ preset: 'medium' });
    const jql = encodeURIComponent('created >= -3650d');
    const fields = await client.call('GET', `${V3}/search/jql?jql=${jql}&maxResults=1000&fields=summary`);
    expect((get(fields.body, 'issues') as unknown[]).length).toBe(100);
    const ids = await client.call('GET', `${V3}/search/jql?jql=${jql}&maxResults=1000`);
    expect((get(ids.body, 'issues') as unknown[]).length).toBeGreaterThan(100);
  });
});

describe('Jira Data Center', () => {
  const dc = '/dc/jira-dc-1/jira/rest/api/2';

  it('creates with a wiki-markup description and searches with offset paging and a total, unbounded allowed', async () => {
    const client = createIssueTestClient();
    const project = client.sim.state.world.dcInstances[0]?.jira.projects[0];
    if (!project) throw new Error('dc project');
    const created = await client.call('POST', `${dc}/issue`, {
      auth: client.dcAdmin,
      body: {
        fields: {
          project: { key: project.key },
          issuetype: { name: 'Task' },
          summary: 'On prem',
          description: '*bold*',
        },
      },
    });
    expect(created.status).toBe(201);
    expect(get(created.body, 'self')).toBe(`http://sim.local${dc}/issue/${String(get(created.body, 'id'))}`);
    const issue = await client.call(
      'GET',
      `${dc}/issue/${String(get(created.body, 'key'))}?fields=description,reporter`,
      { auth: client.dcAdmin },
    );
    expect(get(issue.body, 'fields', 'description')).toBe('*bold*');
    expect(get(issue.body, 'fields', 'reporter', 'name')).toBe('admin');
    const search = await client.call('GET', `${dc}/search?jql=&startAt=2&maxResults=3`, { auth: client.dcAdmin });
    expect(search.status).toBe(200);
    expect(get(search.body, 'startAt')).toBe(2);
    expect(get(search.body, 'total')).toBe(client.sim.state.world.dcInstances[0]?.jira.issues.length);
    expect((get(search.body, 'issues') as unknown[]).length).toBe(3);
  });

  it('pages createmeta as values with isLast', async () => {
    const client = createIssueTestClient();
    const project = client.sim.state.world.dcInstances[0]?.jira.projects[0];
    const res = await client.call('GET', `${dc}/issue/createmeta/${project?.key ?? ''}/issuetypes`, {
      auth: client.dcAdmin,
    });
    expect(get(res.body, 'isLast')).toBe(true);
    expect((get(res.body, 'values') as unknown[]).length).toBe(project?.issueTypeIds.length);
  });
});
