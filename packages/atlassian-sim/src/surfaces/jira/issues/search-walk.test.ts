import { describe, expect, it } from 'vitest';
import { createIssueTestClient, get } from './issue-test-client.ts';

const V3 = '/rest/api/3';

describe('create, search, transition round trip', () => {
  it('creates 20 issues, walks search/jql to the end via nextPageToken, moves them to Done, and /_sim/issues shows it', async () => {
    let now = Date.UTC(2026, 10, 3, 9);
    const client = createIssueTestClient({ now: () => now });
    const project = client.sim.state.world.cloudSites[0]?.jira.projects.find((p) => !p.restricted);
    if (!project) throw new Error('open project');

    const created: string[] = [];
    for (let i = 0; i < 20; i++) {
      now += 1_000;
      const res = await client.call('POST', `${V3}/issue`, {
        body: {
          fields: {
            project: { key: project.key },
            issuetype: { id: '10001' },
            summary: `Round trip ${i}`,
            labels: ['roundtrip'],
          },
        },
      });
      expect(res.status).toBe(201);
      created.push(String(get(res.body, 'key')));
    }

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body: Record<string, unknown> = {
        jql: `project = ${project.key} AND labels = roundtrip ORDER BY key ASC`,
        maxResults: 7,
        fields: ['summary', 'status'],
      };
      if (token !== undefined) body['nextPageToken'] = token;
      const page = await client.call('POST', `${V3}/search/jql`, { body });
      expect(page.status).toBe(200);
      pages++;
      const issues = get(page.body, 'issues') as { key: string }[];
      seen.push(...issues.map((i) => i.key));
      token = get(page.body, 'nextPageToken') as string | undefined;
      expect(get(page.body, 'isLast')).toBe(token === undefined);
      // An issue created mid-walk must not shift later pages.
      if (pages === 1) {
        const extra = await client.call('POST', `${V3}/issue`, {
          body: {
            fields: {
              project: { key: project.key },
              issuetype: { id: '10001' },
              summary: 'Late',
              labels: ['roundtrip'],
            },
          },
        });
        expect(extra.status).toBe(201);
      }
    } while (token !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);

    for (const key of seen) {
      const transitions = await client.call('GET', `${V3}/issue/${key}/transitions`);
      const done = (get(transitions.body, 'transitions') as { id: string; name: string }[]).find(
        (t) => t.name === 'Done',
      );
      expect(done).toBeDefined();
      const res = await client.call('POST', `${V3}/issue/${key}/transitions`, {
        body: { transition: { id: done?.id } },
      });
      expect(res.status).toBe(204);
    }

    const sim = await client.call('GET', `/_sim/issues?site=acme-jira&project=${project.key}`, { auth: null });
    const byKey = new Map(
      (get(sim.body, 'issues') as { key: string; status: string; statusCategory: string }[]).map((i) => [i.key, i]),
    );
    for (const key of created) {
      expect(byKey.get(key)?.status).toBe('Done');
      expect(byKey.get(key)?.statusCategory).toBe('Done');
    }
    const doneSearch = await client.call(
      'GET',
      `${V3}/search/jql?jql=${encodeURIComponent(`labels = roundtrip AND statusCategory = Done`)}&maxResults=100`,
    );
    expect((get(doneSearch.body, 'issues') as unknown[]).length).toBe(20);
  });
});
