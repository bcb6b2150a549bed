import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';
import { createHttpApp } from './create-http-app.ts';

/**
 * The HTTP API over a real hub against atlassian-sim: roles, the one error shape, and that no response (body or
 * header) ever carries a secret that went in.
 */
for (const dialect of testDialects()) {
  describe(`HTTP API over a real hub on ${dialect}`, () => {
    let h: HubHarness;
    let app: ReturnType<typeof createHttpApp>;
    let owner: string;
    let viewer: string;
    const responses: string[] = [];

    const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
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
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      app = createHttpApp(h.hub);
      const first = await h.hub.apiTokens.ensureOwner('test');
      if (!first.created) throw new Error('expected a first start');
      owner = first.token;
      const created = await h.hub.apiTokens.create('test', { name: 'auditor', role: 'viewer' });
      if (!created.ok) throw new Error('could not create a viewer token');
      viewer = created.value.token;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('adds, lists, verifies, rotates and deletes over HTTP with roles enforced and no secret in any response', async () => {
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      const dc = info.sites.find((s) => s.name === 'jira-dc-1')!;
      const pat = (dc.credentials as { pat: string }).pat;

      expect((await call(undefined, 'GET', '/connections')).status).toBe(401);
      expect(
        (await call(viewer, 'POST', '/connections', { kind: 'jira-dc', name: 'dc', url: dc.baseUrl, secret: pat }))
          .status,
      ).toBe(403);

      const added = await call(owner, 'POST', '/connections', {
        kind: 'jira-dc',
        name: 'dc',
        url: dc.baseUrl,
        secret: pat,
      });
      expect(added.status).toBe(201);
      const cloud = await call(owner, 'POST', '/connections', {
        kind: 'jira-cloud',
        name: 'cloud',
        url: info.sites[0]!.baseUrl,
        email: org.email,
        secret: org.apiToken,
      });
      expect(cloud.status).toBe(201);

      const listed = await call(viewer, 'GET', '/connections');
      expect(listed.status).toBe(200);
      expect((listed.json['items'] as unknown[]).length).toBe(2);

      const bad = await call(owner, 'POST', '/connections', {
        kind: 'jira-cloud',
        name: 'x',
        url: 'ftp://nope',
        email: 'a@b.example',
        secret: 'ATATT3xFfGF0-secret-that-must-not-echo',
      });
      expect(bad.status).toBe(400);
      expect((bad.json['error'] as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toContain('url');

      const refused = await call(owner, 'POST', '/connections/cloud/rotate', {
        secret: 'ATATT3xFfGF0-wrong-token-value',
      });
      expect(refused.status).toBe(422);

      const verified = await call(owner, 'POST', '/connections/dc/verify');
      expect(verified.status).toBe(200);

      expect((await call(viewer, 'DELETE', '/connections/dc')).status).toBe(403);
      expect((await call(owner, 'DELETE', '/connections/dc')).status).toBe(200);
      expect((await call(owner, 'GET', '/connections/dc')).status).toBe(404);

      const all = responses.join('\n');
      for (const secret of [
        pat,
        org.apiToken,
        org.apiKey,
        'ATATT3xFfGF0-secret-that-must-not-echo',
        'ATATT3xFfGF0-wrong-token-value',
      ]) {
        expect(all).not.toContain(secret);
      }
      expect(h.logs()).not.toContain(pat);
      expect(h.logs()).not.toContain(org.apiToken);
    });
  });
}
