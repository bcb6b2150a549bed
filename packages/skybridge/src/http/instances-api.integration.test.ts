import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';
import { createHttpApp } from './create-http-app.ts';

/**
 * The data-out API over a real hub against atlassian-sim: an instance added over HTTP (refused first for an unmapped
 * required field), findings pushed with a token and through the signed webhook, their ticket jobs run, tickets and
 * jobs listed, a job replayed, stop refusing findings, dry and live tests, delete; and neither the webhook secret
 * nor the connection's token in any response or log line.
 */

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

interface SimIssue {
  key: string;
  labels: string[];
  status: string;
}

const finding = (n: number, status: 'open' | 'resolved' = 'open') => ({
  id: `vuln-${n}`,
  title: `Outdated TLS on host-${n}`,
  severity: n % 2 === 0 ? 'high' : 'medium',
  status,
  resource: `host-${n}.acme.example`,
});

for (const dialect of testDialects()) {
  describe(`data-out API over a real hub on ${dialect}`, () => {
    let h: HubHarness;
    let app: ReturnType<typeof createHttpApp>;
    let admin: string;
    let viewer: string;
    let apiToken: string;
    let projectKey: string;
    let instanceId: string;
    let webhookSecret: string;
    const responses: string[] = [];

    const call = async (
      token: string | undefined,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Reply> => {
      const res = await app.request(`/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      responses.push(JSON.stringify([...res.headers.entries()]), text);
      return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Reply['json']) : {} };
    };
    const errorOf = (reply: Reply) =>
      reply.json['error'] as { code: string; message: string; fields?: Array<{ field: string }> };
    /** Signs `body` now (the hub's clock), or `skewSeconds` away from now, as a producer does. */
    const signed = (secret: string, body: string, skewSeconds = 0) => {
      const timestamp = Math.floor(h.clock.now().getTime() / 1000) + skewSeconds;
      const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
      return { 'X-Skybridge-Signature': `sha256=${hex}`, 'X-Skybridge-Timestamp': String(timestamp) };
    };
    const deliver = (body: string, headers: Record<string, string>) =>
      call(undefined, 'POST', '/webhooks/instances/bugs/findings', body, headers);
    const runJobs = async (jobIds: readonly string[]) => {
      const jobs = await h.hub.jobs.runTagged(`instance:${instanceId}`, jobIds);
      expect(jobs.map((j) => j.status)).toEqual(jobs.map(() => 'succeeded'));
      return jobs;
    };
    const simIssues = async () => {
      const body = (await h.control(`issues?site=acme-jira&project=${projectKey}`)).body as { issues: SimIssue[] };
      return body.issues;
    };

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      app = createHttpApp(h.hub);
      const owner = await h.hub.apiTokens.ensureOwner('test');
      if (!owner.created) throw new Error('expected a first start');
      const adminToken = await h.hub.apiTokens.create('test', { name: 'operator', role: 'admin' });
      const viewerToken = await h.hub.apiTokens.create('test', { name: 'auditor', role: 'viewer' });
      if (!adminToken.ok || !viewerToken.ok) throw new Error('could not create tokens');
      admin = adminToken.value.token;
      viewer = viewerToken.value.token;
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      apiToken = org.apiToken;
      const site = info.sites.find((s) => s.name === 'acme-jira')!;
      const added = await call(admin, 'POST', '/connections', {
        kind: 'jira-cloud',
        name: 'jira',
        url: site.baseUrl,
        email: org.email,
        secret: apiToken,
      });
      expect(added.status, added.text).toBe(201);
      projectKey = h.sim.state.world.cloudSites[0]!.jira.projects.find((p) => !p.restricted && !p.archived)!.key;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('refuses an instance with an unmapped required field, naming it, then adds one with its secret shown once', async () => {
      const input = { connection: 'jira', name: 'bugs', project: projectKey, issueType: 'Bug' };
      const missing = await call(admin, 'POST', '/instances', input);
      expect(missing.status, missing.text).toBe(400);
      expect(errorOf(missing).code).toBe('invalid_input');
      expect(errorOf(missing).fields?.map((f) => f.field)).toEqual(['mapping.customfield_10050']);
      expect((await call(viewer, 'POST', '/instances', input)).status).toBe(403);

      const created = await call(admin, 'POST', '/instances', {
        ...input,
        mapping: { customfield_10050: '{% if finding.severity == "high" %}Critical{% else %}Major{% endif %}' },
      });
      expect(created.status, created.text).toBe(201);
      const instance = created.json['instance'] as { id: string; status: string; connectionName: string };
      instanceId = instance.id;
      webhookSecret = created.json['webhookSecret'] as string;
      expect(webhookSecret.length).toBeGreaterThanOrEqual(32);
      expect(instance).toMatchObject({ status: 'active', connectionName: 'jira' });
      expect(created.headers.get('location')).toBe(`/api/v1/instances/${instanceId}`);

      const again = await call(admin, 'POST', '/instances', { ...input, mapping: { customfield_10050: 'Major' } });
      expect([again.status, errorOf(again).code]).toEqual([409, 'conflict']);
      const list = await call(viewer, 'GET', '/instances?limit=10');
      expect(list.status).toBe(200);
      expect((list.json['items'] as Array<{ name: string }>).map((i) => i.name)).toEqual(['bugs']);
      const shown = await call(viewer, 'GET', '/instances/bugs');
      expect(shown.json['instance']).toMatchObject({ id: instanceId, project: { key: projectKey } });
    });

    it('makes tickets from findings pushed with a token and through the signed webhook', async () => {
      const pushed = await call(admin, 'POST', '/instances/bugs/findings', [finding(1), finding(2), { id: 'bad' }]);
      expect(pushed.status, pushed.text).toBe(202);
      expect(pushed.json).toMatchObject({ accepted: 2, rejected: 1 });
      const outcomes = pushed.json['outcomes'] as Array<{ result: string; problems?: string[] }>;
      expect(outcomes.map((o) => o.result)).toEqual(['queued', 'queued', 'rejected']);
      expect(outcomes[2]?.problems?.join(' ')).toMatch(/\[2\]\.title.*\[2\]\.severity/);
      const ids = `${finding(1).id},${finding(2).id}`;
      const waiting = await call(viewer, 'GET', `/instances/bugs/outcomes?findingIds=${ids}`);
      expect(waiting.json['items']).toEqual([
        expect.objectContaining({ state: 'pending', inStep: false }),
        expect.objectContaining({ state: 'pending', inStep: false }),
      ]);
      await runJobs(pushed.json['jobIds'] as string[]);
      const settled = await call(viewer, 'GET', `/instances/bugs/outcomes?findingIds=${ids}`);
      expect(settled.json['items']).toEqual([
        expect.objectContaining({ state: 'created', inStep: true, issueKey: expect.any(String) as string }),
        expect.objectContaining({ state: 'created', inStep: true, issueKey: expect.any(String) as string }),
      ]);

      const body = JSON.stringify([finding(3), finding(4)]);
      const good = await deliver(body, signed(webhookSecret, body));
      expect(good.status, good.text).toBe(202);
      expect(good.json).toMatchObject({ accepted: 2, rejected: 0 });
      const badSignature = await deliver(body, signed('not-the-secret', body));
      expect([badSignature.status, errorOf(badSignature).code]).toEqual([401, 'unauthenticated']);
      const tampered = await deliver(body.replace('vuln-3', 'vuln-9'), signed(webhookSecret, body));
      expect(tampered.status).toBe(401);
      const stale = await deliver(body, signed(webhookSecret, body, -301));
      expect([stale.status, errorOf(stale).message]).toEqual([401, errorOf(badSignature).message]);
      const unknown = await call(
        undefined,
        'POST',
        '/webhooks/instances/nope/findings',
        body,
        signed(webhookSecret, body),
      );
      expect(unknown.status).toBe(401);
      await runJobs(good.json['jobIds'] as string[]);

      const issues = (await simIssues()).filter((i) => i.labels.includes('skybridge'));
      expect(issues).toHaveLength(4);
      const tickets = await call(viewer, 'GET', '/instances/bugs/tickets?limit=3');
      expect(tickets.status, tickets.text).toBe(200);
      const page = tickets.json['items'] as Array<{ state: string; issueKey?: string; inStep: boolean }>;
      expect(page).toHaveLength(3);
      const rest = await call(
        viewer,
        'GET',
        `/instances/bugs/tickets?limit=3&cursor=${encodeURIComponent(tickets.json['nextCursor'] as string)}`,
      );
      const all = [...page, ...(rest.json['items'] as typeof page)];
      expect(rest.json['nextCursor']).toBeUndefined();
      expect(all.map((t) => [t.state, t.inStep])).toEqual(all.map(() => ['created', true]));
      expect(new Set(all.map((t) => t.issueKey))).toEqual(new Set(issues.map((i) => i.key)));
      const bad = await call(viewer, 'GET', '/instances/bugs/tickets?cursor=nonsense');
      expect([bad.status, errorOf(bad).fields?.[0]?.field]).toEqual([400, 'cursor']);
    });

    it('lists the ticket jobs and replays one', async () => {
      const jobs = await call(viewer, 'GET', '/instances/bugs/jobs?limit=50');
      expect(jobs.status, jobs.text).toBe(200);
      const items = jobs.json['items'] as Array<{ id: string; kind: string; status: string; attempts: number }>;
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((j) => j.status === 'succeeded' && j.attempts >= 1)).toBe(true);
      expect(new Set(items.map((j) => j.kind)).has('create')).toBe(true);
      const one = await call(viewer, 'GET', '/instances/bugs/jobs?limit=1');
      expect(one.json['items']).toHaveLength(1);

      const target = items[0]!;
      expect((await call(viewer, 'POST', `/jobs/${target.id}/replay`)).status).toBe(403);
      const replayed = await call(admin, 'POST', `/jobs/${target.id}/replay`);
      expect(replayed.status, replayed.text).toBe(202);
      const job = replayed.json['job'] as { id: string; status: string; kind: string };
      expect(job).toMatchObject({ status: 'queued', kind: target.kind });
      expect(job.id).not.toBe(target.id);
      await runJobs([job.id]);
      expect((await simIssues()).filter((i) => i.labels.includes('skybridge'))).toHaveLength(4);
      expect((await call(admin, 'POST', '/jobs/nope/replay')).status).toBe(404);
    });

    it('refuses findings while stopped (409 instance_stopped), takes them again once started', async () => {
      const stopped = await call(admin, 'POST', '/instances/bugs/stop');
      expect([stopped.status, (stopped.json['instance'] as { status: string }).status]).toEqual([200, 'stopped']);
      const refused = await call(admin, 'POST', '/instances/bugs/findings', finding(5));
      expect([refused.status, errorOf(refused).code]).toEqual([409, 'instance_stopped']);
      const body = JSON.stringify(finding(5));
      const hooked = await deliver(body, signed(webhookSecret, body));
      expect([hooked.status, errorOf(hooked).code]).toEqual([409, 'instance_stopped']);
      const started = await call(admin, 'POST', '/instances/bugs/start');
      expect((started.json['instance'] as { status: string }).status).toBe('active');
      const resolved = await call(admin, 'POST', '/instances/bugs/findings?source=default', finding(1, 'resolved'));
      expect(resolved.status, resolved.text).toBe(202);
      await runJobs(resolved.json['jobIds'] as string[]);
      const statuses = (await simIssues()).filter((i) => i.labels.includes('skybridge')).map((i) => i.status);
      expect(statuses.filter((s) => s === 'Done')).toHaveLength(1);
    });

    it('tests dry (a viewer; nothing written) and live (an admin; the ticket is removed)', async () => {
      const before = (await simIssues()).length;
      const dry = await call(viewer, 'POST', '/instances/bugs/test');
      expect(dry.status, dry.text).toBe(200);
      expect(dry.json).toMatchObject({ live: false, fields: { labels: ['skybridge-test'] } });
      expect((await simIssues()).length).toBe(before);
      const refused = await call(viewer, 'POST', '/instances/bugs/test', { live: true });
      expect([refused.status, errorOf(refused).code]).toEqual([403, 'forbidden']);
      const live = await call(admin, 'POST', '/instances/bugs/test', { live: true });
      expect(live.status, live.text).toBe(200);
      expect(live.json).toMatchObject({ live: true, cleanup: 'deleted' });
      expect(live.json['issueKey']).toMatch(new RegExp(`^${projectKey}-\\d+$`));
      expect((await simIssues()).length).toBe(before);
    });

    it('deletes the instance (Jira untouched), after which it is 404 everywhere', async () => {
      const before = (await simIssues()).length;
      const deleted = await call(admin, 'DELETE', '/instances/bugs');
      expect(deleted.status, deleted.text).toBe(200);
      expect(deleted.json['deleted']).toMatchObject({ id: instanceId, name: 'bugs' });
      expect((await call(viewer, 'GET', '/instances/bugs')).status).toBe(404);
      expect((await call(admin, 'POST', '/instances/bugs/findings', finding(1))).status).toBe(404);
      expect((await simIssues()).length).toBe(before);
    });

    it('never shows the webhook secret (but once) or the connection token in a response or a log line', () => {
      const everything = responses.join('\n');
      expect(everything.split(webhookSecret)).toHaveLength(2);
      expect(everything).not.toContain(apiToken);
      const logs = h.logs();
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).toContain('http request');
      expect(logs).not.toContain(webhookSecret);
      expect(logs).not.toContain(apiToken);
    });
  });
}
