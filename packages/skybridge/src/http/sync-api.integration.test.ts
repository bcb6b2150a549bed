import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';
import { createHttpApp } from './create-http-app.ts';
import { serveHttp } from './serve.ts';

/**
 * The sync API over a real hub against atlassian-sim: a sync asked for over HTTP runs as a job, its runs page with
 * the cursor, diff / access / holders / export agree with the run's counts, schedules are set and cleared, roles
 * and the error shape hold, and no response ever carries the connection's secret.
 */

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

interface JsonlRecord {
  kind: 'resource' | 'entitlement' | 'grant';
  resource?: { id: string; type: string; externalId: string; attributes: Record<string, unknown> };
  entitlement?: { id: string };
  grant?: { entitlementId: string; principalId: string; via: string[] };
}

type Run = { id: string; status: string; counts: Record<string, number> };

for (const dialect of testDialects()) {
  describe(`sync API over a real hub on ${dialect}`, () => {
    let h: HubHarness;
    let app: ReturnType<typeof createHttpApp>;
    let admin: string;
    let viewer: string;
    let pat: string;
    const responses: string[] = [];

    const call = async (token: string | undefined, method: string, path: string, body?: unknown): Promise<Reply> => {
      const res = await app.request(`/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      responses.push(JSON.stringify([...res.headers.entries()]), text);
      const isJson = res.headers.get('content-type')?.startsWith('application/json') ?? false;
      return {
        status: res.status,
        headers: res.headers,
        text,
        json: isJson && text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    };
    const fieldsOf = (reply: Reply) =>
      ((reply.json['error'] as { fields?: Array<{ field: string }> }).fields ?? []).map((f) => f.field);
    const errorCode = (reply: Reply) => (reply.json['error'] as { code: string }).code;

    /** Every page of a list, walked with `limit` and the cursor. */
    const walk = async (path: string, limit: number) => {
      const items: Array<Record<string, unknown>> = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const query = `${sep}limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const page = await call(viewer, 'GET', path + query);
        expect(page.status, page.text).toBe(200);
        const got = page.json['items'] as Array<Record<string, unknown>>;
        expect(got.length).toBeLessThanOrEqual(limit);
        items.push(...got);
        cursor = page.json['nextCursor'] as string | undefined;
        pages++;
      } while (cursor !== undefined && pages < 10_000);
      return { items, pages };
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
      const dc = h.sim.describe().sites.find((s) => s.name === 'jira-dc-1')!;
      pat = (dc.credentials as { pat: string }).pat;
      const added = await call(admin, 'POST', '/connections', {
        kind: 'jira-dc',
        name: 'dc',
        url: dc.baseUrl,
        secret: pat,
      });
      expect(added.status, added.text).toBe(201);
    });
    afterAll(async () => {
      await h?.close();
    });

    let newest: Run;
    let older: Run;

    it('queues a sync over HTTP as a job that a worker runs; asking again while it waits returns the same job', async () => {
      expect((await call(undefined, 'POST', '/connections/dc/sync')).status).toBe(401);
      const refused = await call(viewer, 'POST', '/connections/dc/sync');
      expect([refused.status, errorCode(refused)]).toEqual([403, 'forbidden']);

      for (let round = 0; round < 2; round++) {
        const asked = await call(admin, 'POST', '/connections/dc/sync');
        expect(asked.status, asked.text).toBe(202);
        const job = asked.json['job'] as { id: string; status: string; actor: string };
        expect(asked.json['created']).toBe(true);
        expect(job).toMatchObject({ status: 'queued', actor: 'token:operator' });
        expect(asked.headers.get('location')).toBe(`/api/v1/sync-jobs/${job.id}`);
        const again = await call(admin, 'POST', '/connections/dc/sync');
        expect([again.status, again.json['created'], (again.json['job'] as { id: string }).id]).toEqual([
          202,
          false,
          job.id,
        ]);

        const finished = await h.hub.jobs.runJob(job.id);
        expect(finished?.status).toBe('succeeded');
        const shown = await call(viewer, 'GET', `/sync-jobs/${job.id}`);
        expect(shown.json['job']).toMatchObject({ id: job.id, status: 'succeeded', attempts: 1 });
        expect(shown.json['job']).not.toHaveProperty('actor');
        expect((shown.json['job'] as { finishedAt: string }).finishedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
        const jobs = await call(viewer, 'GET', '/connections/dc/sync-jobs?limit=1');
        expect((jobs.json['items'] as Array<{ id: string }>).map((j) => j.id)).toEqual([job.id]);
      }
    });

    it('pages the runs one at a time with the cursor, newest first', async () => {
      const { items, pages } = await walk('/connections/dc/runs', 1);
      expect(pages).toBe(2);
      const runs = items as unknown as Run[];
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
      expect(new Set(runs.map((r) => r.id)).size).toBe(2);
      [newest, older] = runs as [Run, Run];
      const one = await call(viewer, 'GET', `/runs/${newest.id}`);
      expect(one.json['run']).toMatchObject({ id: newest.id, trigger: 'manual', counts: newest.counts });
      expect(newest.counts['user']).toBeGreaterThan(0);
      expect(one.json['run']).not.toHaveProperty('checkpoint');
    });

    it('diffs the two runs, and refuses to accept a run that is not suspicious', async () => {
      const diff = await call(viewer, 'GET', `/runs/${older.id}/diff/${newest.id}`);
      expect(diff.status, diff.text).toBe(200);
      expect(diff.json).toMatchObject({
        summary: { grantsAdded: 0, grantsRemoved: 0, accountsCreated: 0, accountsDeactivated: 0, accountsRemoved: 0 },
        complete: true,
        grantsAdded: [],
      });
      const accept = await call(admin, 'POST', `/runs/${newest.id}/accept`);
      expect([accept.status, errorCode(accept)]).toEqual([409, 'invalid_state']);
      expect((await call(viewer, 'POST', `/runs/${newest.id}/accept`)).status).toBe(403);
    });

    it('exports both formats with as many records as the run counted, and access queries that agree with them', async () => {
      const jsonl = await call(viewer, 'GET', '/export?format=jsonl&connection=dc');
      expect(jsonl.status).toBe(200);
      expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const records = jsonl.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as JsonlRecord);
      const counts = newest.counts;
      const resources = Object.entries(counts)
        .filter(([key]) => !['entitlements', 'grants', 'effectiveGrants'].includes(key))
        .reduce((sum, [, n]) => sum + n, 0);
      const grants = (counts['grants'] ?? 0) + (counts['effectiveGrants'] ?? 0);
      expect(records.filter((r) => r.kind === 'resource')).toHaveLength(resources);
      expect(records.filter((r) => r.kind === 'entitlement')).toHaveLength(counts['entitlements'] ?? -1);
      expect(records.filter((r) => r.kind === 'grant')).toHaveLength(grants);

      const csv = await call(viewer, 'GET', '/export?format=csv');
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const rows = csv.text.split('\r\n').filter((line) => line.length > 0);
      expect(rows[0]).toMatch(/^connection_id,principal_id,/);
      expect(rows.length - 1).toBe(grants);

      // A user who holds something through a group: their access, and the holders of what they hold.
      const grantRecords = records.flatMap((r) => (r.grant ? [r.grant] : []));
      const users = new Map(
        records.flatMap((r) => (r.resource?.type === 'user' ? [[r.resource.id, r.resource] as const] : [])),
      );
      const held = grantRecords.find((g) => g.via.length > 0 && users.has(g.principalId)) ?? grantRecords[0]!;
      const user = users.get(held.principalId)!;
      const email = typeof user.attributes['email'] === 'string' ? user.attributes['email'] : user.externalId;
      const access = await walk(`/access/users/${encodeURIComponent(email)}`, 5);
      expect(access.items.length).toBe(grantRecords.filter((g) => g.principalId === user.id).length);
      expect(access.items.every((e) => (e['principal'] as { id: string }).id === user.id)).toBe(true);

      const holders = await walk(`/access/holders/${encodeURIComponent(held.entitlementId)}`, 1);
      expect(holders.items.length).toBe(grantRecords.filter((g) => g.entitlementId === held.entitlementId).length);
      expect(holders.pages).toBeGreaterThanOrEqual(holders.items.length);
      expect(holders.items.some((e) => (e['principal'] as { id: string }).id === user.id)).toBe(true);
    });

    it('streams the export through a real server on 127.0.0.1', async () => {
      const server = await serveHttp(app);
      try {
        const res = await fetch(`${server.url}/api/v1/export?format=csv&connection=dc`, {
          headers: { authorization: `Bearer ${viewer}` },
        });
        expect(res.status).toBe(200);
        const text = await res.text();
        responses.push(text);
        expect(text.split('\r\n').filter((l) => l.length > 0).length - 1).toBe(
          (newest.counts['grants'] ?? 0) + (newest.counts['effectiveGrants'] ?? 0),
        );
      } finally {
        await server.close();
      }
    });

    it('sets, reads and clears a schedule; admin-only to change; errors name the field', async () => {
      expect((await call(viewer, 'GET', '/connections/dc/sync-schedule')).json).toEqual({ schedule: null });
      const refused = await call(viewer, 'PUT', '/connections/dc/sync-schedule', { every: '6h' });
      expect(refused.status).toBe(403);
      expect((await call(undefined, 'PUT', '/connections/dc/sync-schedule', { every: '6h' })).status).toBe(401);

      const set = await call(admin, 'PUT', '/connections/dc/sync-schedule', { every: '6h' });
      expect(set.status, set.text).toBe(200);
      expect(set.json['schedule']).toMatchObject({
        every: '6h',
        intervalMs: 21_600_000,
        nextRunAt: '2026-11-22T16:00:00.000Z',
        enabled: true,
      });
      const cron = await call(admin, 'PUT', '/connections/dc/sync-schedule', { cron: '0 3 * * *' });
      expect(cron.json['schedule']).toMatchObject({ cron: '0 3 * * *', nextRunAt: '2026-11-23T03:00:00.000Z' });
      expect((await call(viewer, 'GET', '/connections/dc/sync-schedule')).json['schedule']).toMatchObject({
        cron: '0 3 * * *',
      });

      for (const [body, field] of [
        [{ every: '10s' }, 'every'],
        [{ cron: '0 25 * * *' }, 'cron'],
        [{ cron: '0 0 31 2 *' }, 'cron'],
        [{}, 'body'],
      ] as const) {
        const bad = await call(admin, 'PUT', '/connections/dc/sync-schedule', body);
        expect([bad.status, fieldsOf(bad)], JSON.stringify(body)).toEqual([400, [field]]);
      }

      expect((await call(viewer, 'DELETE', '/connections/dc/sync-schedule')).status).toBe(403);
      const cleared = await call(admin, 'DELETE', '/connections/dc/sync-schedule');
      expect([cleared.status, cleared.json]).toEqual([200, { schedule: null }]);
      expect((await call(viewer, 'GET', '/connections/dc/sync-schedule')).json).toEqual({ schedule: null });
    });

    it('answers unknown things with 404, bad input with 400 naming the field, and no token with 401', async () => {
      for (const [method, path] of [
        ['POST', '/connections/nope/sync'],
        ['GET', '/connections/nope/sync-jobs'],
        ['GET', '/connections/nope/runs'],
        ['GET', '/connections/nope/sync-schedule'],
        ['GET', '/sync-jobs/nope'],
        ['GET', '/runs/nope'],
        ['POST', '/runs/nope/accept'],
        ['GET', `/runs/nope/diff/${newest.id}`],
        ['GET', '/export?connection=nope'],
      ] as const) {
        const res = await call(admin, method, path);
        expect([res.status, errorCode(res)], `${method} ${path}`).toEqual([404, 'not_found']);
      }
      for (const [path, field] of [
        ['/connections/dc/runs?cursor=not-a-cursor', 'cursor'],
        ['/connections/dc/runs?limit=0', 'limit'],
        ['/access/users/someone@example.com?cursor=not-a-cursor', 'cursor'],
        ['/access/holders/x?cursor=not-a-cursor', 'cursor'],
        ['/connections/dc/sync-jobs?limit=9999', 'limit'],
        ['/export?format=xlsx', 'format'],
        [`/runs/${older.id}/diff/${newest.id}?limit=abc`, 'limit'],
      ] as const) {
        const res = await call(viewer, 'GET', path);
        expect([res.status, fieldsOf(res)], path).toEqual([400, [field]]);
      }
      for (const path of [
        '/connections/dc/runs',
        `/runs/${newest.id}`,
        '/export',
        '/access/users/x',
        '/connections/dc/sync-jobs',
      ]) {
        const res = await call(undefined, 'GET', path);
        expect([res.status, errorCode(res)], path).toEqual([401, 'unauthenticated']);
      }
    });

    it('never puts the connection secret in a response or the log', () => {
      expect(responses.length).toBeGreaterThan(50);
      const all = responses.join('\n');
      expect(all).not.toContain(pat);
      expect(h.logs()).not.toContain(pat);
    });
  });
}
