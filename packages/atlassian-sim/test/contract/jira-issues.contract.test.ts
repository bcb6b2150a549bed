// Contract test for the Jira issue machinery: Jira Cloud (spec 'jira-cloud', the committed platform spec) and Jira
// Data Center (spec 'jira-dc'). Every response, success and error, is validated against the spec after the known
// defects in spec-defects.ts. The cloud spec only lists `/rest/api/3`; v2 responses share its schemas (rich text
// aside, which the schemas leave untyped), so they are validated against the v3 operation of the same path.
import { expect, it } from 'vitest';
import { createSimulator } from '../../src/simulator.ts';
import { describeWithSpec, fetchContract } from './contract-harness.ts';
import { loadSpec, type ContractResponse, type SpecLookup } from './spec-validator.ts';

type Sim = ReturnType<typeof createSimulator>;
type Call = (method: string, path: string, body?: unknown, auth?: string | null) => Promise<ContractResponse>;

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

/** Like the harness's, but each check also asserts the expected status. */
function describeWithStatus(
  lookup: SpecLookup,
  name: string,
  body: (check: (r: ContractResponse, expectedStatus: number) => void) => void,
) {
  describeWithSpec(lookup, name, (validate) => {
    body((response, expectedStatus) => {
      expect(response.status, `${response.method} ${response.path}: ${JSON.stringify(response.body)}`).toBe(
        expectedStatus,
      );
      // v2 cloud paths are checked against the v3 operation (the spec has no /rest/api/2 keys).
      const path = lookup.id === 'jira-cloud' ? response.path.replace('/rest/api/2/', '/rest/api/3/') : response.path;
      validate({ ...response, path });
    });
  });
}

function caller(sim: Sim, siteBase: string, defaultAuth: string): Call {
  return (method, path, body, auth) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const credential = auth === undefined ? defaultAuth : auth;
    if (credential !== null) headers['authorization'] = credential;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetchContract(sim, `${siteBase}${path}`, path, init);
  };
}

/** A multipart upload of one text file, as `addAttachment` takes it (XSRF header included unless `xsrf` is false). */
function uploader(sim: Sim, siteBase: string, auth: string) {
  return (path: string, files: { name: string; text: string }[]) => {
    const form = new FormData();
    for (const f of files) form.append('file', new Blob([f.text], { type: 'text/plain' }), f.name);
    return fetchContract(sim, `${siteBase}${path}`, path, {
      method: 'POST',
      headers: { authorization: auth, 'x-atlassian-token': 'no-check' },
      body: form,
    });
  };
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

describeWithStatus(loadSpec('jira-cloud'), 'Jira Cloud issue contract', (check) => {
  const sim = createSimulator({ preset: 'small' });
  const org = sim.describe().orgs[0];
  if (!org) throw new Error('no org');
  const site = sim.state.world.cloudSites[0];
  const project = site?.jira.projects.find((p) => !p.restricted);
  if (!site || !project) throw new Error('no open project');
  const cloudAuth = `Basic ${btoa(`${org.email}:${org.apiToken}`)}`;
  const call = caller(sim, `${sim.state.baseUrl}/s/${site.host}`, cloudAuth);
  const upload = uploader(sim, `${sim.state.baseUrl}/s/${site.host}`, cloudAuth);
  const task = (api: string, extra: Record<string, unknown> = {}) => ({
    fields: { project: { key: project.key }, issuetype: { id: '10001' }, summary: `Contract ${api}`, ...extra },
  });

  for (const api of ['/rest/api/3', '/rest/api/2']) {
    const richText = (text: string) => (api.endsWith('3') ? adf(text) : text);

    it(`${api}: issue types and create metadata`, async () => {
      check(await call('GET', `${api}/issuetype`), 200);
      check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes`), 200);
      check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes?maxResults=500`), 400);
      check(await call('GET', `${api}/issue/createmeta/NOPE/issuetypes`), 400);
      check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes/10002`), 200);
      check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes/10003`), 200);
      check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes/10005`), 200);
    });

    it(`${api}: create, bulk create, read, edit`, async () => {
      const created = await call('POST', `${api}/issue`, {
        ...task(api, { description: richText('Body'), labels: ['a'] }),
        transition: { id: '21' },
      });
      check(created, 201);
      check(
        await call('POST', `${api}/issue`, { fields: { project: { key: project.key }, issuetype: { name: 'Bug' } } }),
        400,
      );
      check(
        await call('POST', `${api}/issue`, task(api, { description: api.endsWith('3') ? 'string' : adf('doc') })),
        400,
      );
      check(await call('POST', `${api}/issue/bulk`, { issueUpdates: [task(api), { fields: {} }] }), 201);
      check(await call('POST', `${api}/issue/bulk`, { issueUpdates: [{ fields: {} }] }), 400);
      check(
        await call('POST', `${api}/issue/bulk`, { issueUpdates: Array.from({ length: 51 }, () => task(api)) }),
        400,
      );
      const key = String(field(created.body, 'key'));
      check(await call('GET', `${api}/issue/${key}`), 200);
      check(
        await call(
          'GET',
          `${api}/issue/${key}?fields=summary,comment&expand=names,schema,transitions,renderedFields,changelog&properties=*all`,
        ),
        200,
      );
      check(await call('GET', `${api}/issue/NOPE-999`), 404);
      check(await call('GET', `${api}/issue/${key}`, undefined, null), 401);
      check(
        await call('PUT', `${api}/issue/${key}`, { fields: { summary: 'Edited' }, update: { labels: [{ add: 'b' }] } }),
        204,
      );
      check(await call('PUT', `${api}/issue/${key}`, { fields: { summary: '' } }), 400);
      check(await call('PUT', `${api}/issue/${key}?returnIssue=true`, { fields: { summary: 'Again' } }), 200);
    });

    it(`${api}: properties, transitions, comments`, async () => {
      const key = String(field((await call('POST', `${api}/issue`, task(api))).body, 'key'));
      check(await call('PUT', `${api}/issue/${key}/properties/contract`, { any: ['json'] }), 201);
      check(await call('PUT', `${api}/issue/${key}/properties/contract`, 42), 200);
      check(await call('PUT', `${api}/issue/${key}/properties/too.big`, 'x'.repeat(40_000)), 400);
      check(await call('GET', `${api}/issue/${key}/properties`), 200);
      check(await call('GET', `${api}/issue/${key}/properties/contract`), 200);
      check(await call('GET', `${api}/issue/${key}/properties/missing`), 404);
      check(await call('DELETE', `${api}/issue/${key}/properties/contract`), 204);
      check(await call('DELETE', `${api}/issue/${key}/properties/contract`), 404);

      check(await call('GET', `${api}/issue/${key}/transitions?expand=transitions.fields`), 200);
      check(await call('POST', `${api}/issue/${key}/transitions`, { transition: { id: '999' } }), 400);
      check(
        await call('POST', `${api}/issue/${key}/transitions`, {
          transition: { id: '31' },
          fields: { resolution: { name: 'Done' } },
        }),
        204,
      );
      check(await call('GET', `${api}/issue/NOPE-1/transitions`), 404);

      const comment = await call('POST', `${api}/issue/${key}/comment`, { body: richText('Hello') });
      check(comment, 201);
      check(await call('POST', `${api}/issue/${key}/comment`, { body: '' }), 400);
      check(await call('GET', `${api}/issue/${key}/comment`), 200);
      check(await call('GET', `${api}/issue/${key}/comment?orderBy=author`), 400);
      check(await call('GET', `${api}/issue/${key}/comment/${String(field(comment.body, 'id'))}`), 200);
      check(
        await call('PUT', `${api}/issue/${key}/comment/${String(field(comment.body, 'id'))}`, {
          body: richText('Edited'),
        }),
        200,
      );
      check(await call('PUT', `${api}/issue/${key}/comment/999999`, { body: richText('x') }), 404);
    });

    it(`${api}: attachments and delete`, async () => {
      const key = String(field((await call('POST', `${api}/issue`, task(api))).body, 'key'));
      const added = await upload(`${api}/issue/${key}/attachments`, [
        { name: 'a.txt', text: 'first' },
        { name: 'b.txt', text: 'second' },
      ]);
      check(added, 200);
      const id = String(field((added.body as unknown[])[0], 'id'));
      check(await call('GET', `${api}/attachment/${id}`), 200);
      check(await call('GET', `${api}/attachment/999999`), 404);
      check(await upload(`${api}/issue/NOPE-1/attachments`, [{ name: 'a.txt', text: 'x' }]), 404);
      check(
        await upload(
          `${api}/issue/${key}/attachments`,
          Array.from({ length: 61 }, (_, i) => ({ name: `${i}.txt`, text: 'x' })),
        ),
        413,
      );
      check(await call('GET', `${api}/issue/${key}?fields=attachment`), 200);

      const parent = String(field((await call('POST', `${api}/issue`, task(api))).body, 'key'));
      check(
        await call('POST', `${api}/issue`, {
          fields: { ...task(api).fields, issuetype: { id: '10005' }, parent: { key: parent } },
        }),
        201,
      );
      check(await call('DELETE', `${api}/issue/${parent}`), 400);
      check(await call('DELETE', `${api}/issue/${parent}?deleteSubtasks=true`), 204);
      check(await call('DELETE', `${api}/issue/${parent}`), 404);
      check(await call('DELETE', `${api}/issue/${key}`), 204);
    });

    it(`${api}: search`, async () => {
      const jql = encodeURIComponent(`project = ${project.key} ORDER BY key`);
      const first = await call(
        'GET',
        `${api}/search/jql?jql=${jql}&maxResults=2&fields=*all&expand=names,schema&properties=a`,
      );
      check(first, 200);
      check(
        await call('POST', `${api}/search/jql`, {
          jql: `project = ${project.key}`,
          maxResults: 2,
          nextPageToken: field(first.body, 'nextPageToken'),
          fields: ['summary'],
        }),
        200,
      );
      check(await call('GET', `${api}/search/jql?jql=${jql}`), 200);
      check(await call('GET', `${api}/search/jql?jql=${encodeURIComponent('order by key')}`), 400);
      check(await call('POST', `${api}/search/jql`, { jql: 'project = ' }), 400);
      check(
        await call('GET', `${api}/search/jql?jql=${jql}`, undefined, `Basic ${btoa('nobody@example.com:expired')}`),
        200,
      );
      check(await call('GET', `${api}/search?jql=${jql}`), 410);
      check(await call('POST', `${api}/search`, { jql: 'project = X' }), 410);
    });
  }
});

describeWithStatus(loadSpec('jira-dc'), 'Jira Data Center issue contract', (check) => {
  const sim = createSimulator({ preset: 'small' });
  const instance = sim.state.world.dcInstances.find((d) => d.product === 'jira');
  const dcSite = sim.describe().sites.find((s) => s.name === instance?.name);
  const project = instance?.jira.projects[0];
  if (!instance || !dcSite || !('pat' in dcSite.credentials) || !project) throw new Error('no Jira DC');
  const dcBase = `${sim.state.baseUrl}/dc/${instance.name}${instance.contextPath}`;
  const call = caller(sim, dcBase, `Bearer ${dcSite.credentials.pat}`);
  const upload = uploader(sim, dcBase, `Bearer ${dcSite.credentials.pat}`);
  const api = '/rest/api/2';
  const task = () => ({
    fields: {
      project: { key: project.key },
      issuetype: { id: '10001' },
      summary: 'Contract DC',
      description: 'wiki *text*',
    },
  });

  it('issue types, create metadata, create, read, edit', async () => {
    check(await call('GET', `${api}/issuetype`), 200);
    check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes`), 200);
    check(await call('GET', `${api}/issue/createmeta/${project.key}/issuetypes/10002`), 200);
    check(await call('GET', `${api}/issue/createmeta/NOPE/issuetypes`), 400);
    const created = await call('POST', `${api}/issue`, task());
    check(created, 201);
    check(await call('POST', `${api}/issue`, { fields: { project: { key: project.key } } }), 400);
    check(await call('POST', `${api}/issue/bulk`, { issueUpdates: [task(), { fields: {} }] }), 201);
    const key = String(field(created.body, 'key'));
    check(await call('GET', `${api}/issue/${key}?expand=names,schema,transitions`), 200);
    check(await call('GET', `${api}/issue/NOPE-1`), 404);
    check(await call('PUT', `${api}/issue/${key}`, { update: { labels: [{ add: 'dc' }] } }), 204);
    check(await call('PUT', `${api}/issue/${key}`, { fields: { nonsense: 1 } }), 400);
  });

  it('properties, transitions, comments, search', async () => {
    const key = String(field((await call('POST', `${api}/issue`, task())).body, 'key'));
    check(await call('PUT', `${api}/issue/${key}/properties/contract`, { nested: { value: 1 } }), 201);
    check(await call('GET', `${api}/issue/${key}/properties`), 200);
    check(await call('GET', `${api}/issue/${key}/properties/contract`), 200);
    check(await call('GET', `${api}/issue/${key}/properties/missing`), 404);
    check(await call('DELETE', `${api}/issue/${key}/properties/contract`), 204);
    check(await call('GET', `${api}/issue/${key}/transitions`), 200);
    check(await call('POST', `${api}/issue/${key}/transitions`, { transition: { id: '31' } }), 204);
    check(await call('POST', `${api}/issue/${key}/transitions`, { transition: { id: '31' } }), 400);
    const comment = await call('POST', `${api}/issue/${key}/comment`, { body: 'DC comment' });
    check(comment, 201);
    check(await call('POST', `${api}/issue/${key}/comment`, { body: { type: 'doc' } }), 400);
    check(await call('GET', `${api}/issue/${key}/comment`), 200);
    check(
      await call('PUT', `${api}/issue/${key}/comment/${String(field(comment.body, 'id'))}`, { body: 'edited' }),
      200,
    );
    check(await call('GET', `${api}/search?jql=&maxResults=5`), 200);
    check(
      await call('POST', `${api}/search`, {
        jql: `project = ${project.key}`,
        fields: ['summary', 'status'],
        expand: ['names'],
      }),
      200,
    );
    check(await call('GET', `${api}/search?jql=${encodeURIComponent('bogus ~~')}`), 400);
  });

  it('attachments and delete', async () => {
    const key = String(field((await call('POST', `${api}/issue`, task())).body, 'key'));
    const added = await upload(`${api}/issue/${key}/attachments`, [{ name: 'finding.txt', text: 'long text' }]);
    check(added, 200);
    check(await call('GET', `${api}/attachment/${String(field((added.body as unknown[])[0], 'id'))}`), 200);
    check(await upload(`${api}/issue/NOPE-1/attachments`, [{ name: 'a.txt', text: 'x' }]), 404);
    check(await call('GET', `${api}/issue/${key}?fields=attachment`), 200);
    check(await call('DELETE', `${api}/issue/${key}`), 204);
    check(await call('DELETE', `${api}/issue/${key}`), 404);
  });
});
