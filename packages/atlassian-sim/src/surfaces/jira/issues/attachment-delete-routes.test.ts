import { describe, expect, it } from 'vitest';
import { createIssueTestClient, get, type IssueTestClient } from './issue-test-client.ts';
import { MAX_ATTACHMENT_BYTES } from './attachment-routes.ts';

const V3 = '/rest/api/3';
const DC = '/dc/jira-dc-1/jira/rest/api/2';

function openProjectKey(client: IssueTestClient): string {
  const project = client.sim.state.world.cloudSites[0]?.jira.projects.find((p) => !p.restricted);
  if (!project) throw new Error('no open project');
  return project.key;
}

async function createTask(client: IssueTestClient, api = V3, auth = client.admin): Promise<string> {
  const projectKey =
    api === DC ? (client.sim.state.world.dcInstances[0]?.jira.projects[0]?.key ?? '') : openProjectKey(client);
  const res = await client.call('POST', `${api}/issue`, {
    auth,
    body: { fields: { project: { key: projectKey }, issuetype: { id: '10001' }, summary: 'Attach here' } },
  });
  expect(res.status).toBe(201);
  return String(get(res.body, 'key'));
}

/** A multipart upload straight through the simulator's fetch (the test client only speaks JSON). */
async function upload(
  client: IssueTestClient,
  path: string,
  files: { name: string; body: string | Uint8Array<ArrayBuffer>; type?: string }[],
  options: { auth?: string; xsrf?: boolean } = {},
) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([f.body], f.type ? { type: f.type } : {}), f.name);
  const headers: Record<string, string> = { authorization: options.auth ?? client.admin };
  if (options.xsrf !== false) headers['x-atlassian-token'] = 'no-check';
  const url = path.startsWith('/dc/') ? `http://sim.local${path}` : `http://sim.local/s/acme${path}`;
  const res = await client.sim.fetch(url, { method: 'POST', headers, body: form });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text };
}

describe('POST issue/{key}/attachments', () => {
  it('stores every file part, answers with Attachment beans, and serves the bytes back', async () => {
    const client = createIssueTestClient();
    const key = await createTask(client);
    const res = await upload(client, `${V3}/issue/${key}/attachments`, [
      { name: 'finding.txt', body: 'a long description', type: 'text/plain' },
      { name: 'raw.bin', body: new Uint8Array([1, 2, 3]) },
    ]);
    expect(res.status).toBe(200);
    const beans = JSON.parse(res.text) as Record<string, unknown>[];
    expect(beans.map((b) => [b['filename'], b['size'], b['mimeType']])).toEqual([
      ['finding.txt', 18, 'text/plain'],
      ['raw.bin', 3, 'application/octet-stream'],
    ]);
    const content = await client.sim.fetch(String(beans[0]?.['content']), { headers: { authorization: client.admin } });
    expect(await content.text()).toBe('a long description');
    const issue = await client.call('GET', `${V3}/issue/${key}?fields=attachment`);
    expect((get(issue.body, 'fields', 'attachment') as unknown[]).length).toBe(2);
    const listed = await client.call('GET', `/_sim/issues?project=${key.split('-')[0] ?? ''}`, {
      auth: null,
    });
    const mine = (get(listed.body, 'issues') as Record<string, unknown>[]).find(
      (i) => i['key'] === key && String(i['site']).startsWith('acme'),
    );
    expect(mine?.['attachments']).toEqual([
      { id: expect.any(String), filename: 'finding.txt', mimeType: 'text/plain', size: 18 },
      { id: expect.any(String), filename: 'raw.bin', mimeType: 'application/octet-stream', size: 3 },
    ]);
  });

  it('blocks an upload without X-Atlassian-Token: no-check with a bare-text 403, storing nothing', async () => {
    const client = createIssueTestClient();
    const key = await createTask(client);
    const res = await upload(client, `${V3}/issue/${key}/attachments`, [{ name: 'a.txt', body: 'x' }], {
      xsrf: false,
    });
    expect(res).toMatchObject({ status: 403, text: 'XSRF check failed' });
    expect(res.contentType).toContain('text/plain');
    const issue = await client.call('GET', `${V3}/issue/${key}?fields=attachment`);
    expect(get(issue.body, 'fields', 'attachment')).toEqual([]);
  });

  it('refuses a request without a file part, and a file over the size limit (413 cloud, 404 Data Center)', async () => {
    const client = createIssueTestClient();
    const key = await createTask(client);
    const empty = await client.sim.fetch(`http://sim.local/s/acme${V3}/issue/${key}/attachments`, {
      method: 'POST',
      headers: { authorization: client.admin, 'x-atlassian-token': 'no-check' },
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    expect((await upload(client, `${V3}/issue/${key}/attachments`, [{ name: 'big.bin', body: big }])).status).toBe(413);
    const dcKey = await createTask(client, DC, client.dcAdmin);
    const dc = await upload(client, `${DC}/issue/${dcKey}/attachments`, [{ name: 'big.bin', body: big }], {
      auth: client.dcAdmin,
    });
    expect(dc.status).toBe(404);
    expect(JSON.parse(dc.text)).toMatchObject({ errorMessages: [expect.stringContaining('too large')] });
  });
});

describe('DELETE issue/{key}', () => {
  it('deletes an issue, refuses one with subtasks unless deleteSubtasks=true, and then both are gone', async () => {
    const client = createIssueTestClient();
    const parent = await createTask(client);
    const sub = await client.call('POST', `${V3}/issue`, {
      body: {
        fields: {
          project: { key: openProjectKey(client) },
          issuetype: { id: '10005' },
          summary: 'Child',
          parent: { key: parent },
        },
      },
    });
    expect(sub.status).toBe(201);
    const refused = await client.call('DELETE', `${V3}/issue/${parent}`);
    expect(refused.status).toBe(400);
    expect((await client.call('DELETE', `${V3}/issue/${parent}?deleteSubtasks=true`)).status).toBe(204);
    expect((await client.call('GET', `${V3}/issue/${parent}`)).status).toBe(404);
    expect((await client.call('GET', `${V3}/issue/${String(get(sub.body, 'key'))}`)).status).toBe(404);
  });

  it('answers 403 to a user who may browse but not delete', async () => {
    const client = createIssueTestClient();
    const key = await createTask(client);
    const org = client.sim.state.world.orgs[0];
    const adminGroups = new Set(org?.groups.filter((g) => g.grantsSiteAdmin).flatMap((g) => g.members));
    const plain = org?.users.find(
      (u, i) =>
        i !== org.adminIdx &&
        u.status === 'active' &&
        u.accountType === 'atlassian' &&
        u.siteAccess.includes(0) &&
        !adminGroups.has(i),
    );
    if (!plain?.email) throw new Error('no plain user in the preset');
    const auth = await client.tokenFor(plain.email);
    expect((await client.call('GET', `${V3}/issue/${key}`, { auth })).status).toBe(200);
    const res = await client.call('DELETE', `${V3}/issue/${key}`, { auth });
    expect(res.status).toBe(403);
    expect((await client.call('GET', `${V3}/issue/${key}`)).status).toBe(200);
  });
});
