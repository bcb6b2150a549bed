import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * An instance's webhook secret: shown once, sealed at rest, checked in constant time with a timestamp, and re-sealed
 * by `keys rotate` like every connection secret.
 */
for (const dialect of testDialects()) {
  describe(`webhook secrets on ${dialect}`, () => {
    let h: HubHarness;
    let secret: string;
    let instanceId: string;
    const sign = (body: string, timestamp: string, key = secret) =>
      `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
    const sealedKeyId = async () => {
      const row = await h.db
        .selectFrom('dataout_instances')
        .select('webhook_secret')
        .where('id', '=', instanceId)
        .executeTakeFirstOrThrow();
      return String(row.webhook_secret).split(':')[1];
    };

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      const info = h.sim.describe();
      const org = info.orgs[0]!;
      const site = info.sites.find((s) => s.name === 'acme-jira')!;
      const added = await h.hub.connections.add('test', {
        kind: 'jira-cloud',
        name: 'jira',
        url: site.baseUrl,
        email: org.email,
        secret: org.apiToken,
      });
      if (!added.ok) throw new Error(added.error.message);
      const project = h.sim.state.world.cloudSites[0]!.jira.projects.find((p) => !p.restricted && !p.archived)!;
      const instance = await h.hub.dataout.addInstance('test', {
        connection: 'jira',
        name: 'hooks',
        project: project.key,
        issueType: 'Task',
      });
      if (!instance.ok) throw new Error(instance.error.message);
      secret = instance.value.webhookSecret;
      instanceId = instance.value.instance.id;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('accepts a delivery signed with the secret and a fresh timestamp, and nothing else', async () => {
      const body = '[{"id":"a","title":"t","severity":"low"}]';
      const now = String(Math.floor(h.clock.now().getTime() / 1000));
      const verify = (signature: string | undefined, timestamp: string | undefined, text = body) =>
        h.hub.dataout.verifyWebhook('hooks', { signature, timestamp, body: text });
      expect((await verify(sign(body, now), now)).ok).toBe(true);
      expect((await verify(sign(body, now), now, `${body} `)).ok, 'body changed').toBe(false);
      expect((await verify(sign(body, now, 'wrong'), now)).ok, 'wrong secret').toBe(false);
      const stale = String(Number(now) - 600);
      expect((await verify(sign(body, stale), stale)).ok, 'stale timestamp').toBe(false);
      expect((await verify(undefined, now)).ok).toBe(false);
      expect((await verify('sha256=zz', now)).ok).toBe(false);
      const refused = await verify(sign(body, now, 'wrong'), now);
      expect(JSON.stringify(refused)).not.toContain(secret);
    });

    it('is re-sealed under the new key by key rotation and still verifies', async () => {
      const before = await sealedKeyId();
      const rotated = await h.hub.connections.rotateKeys('test');
      expect(rotated.ok && rotated.value.failed).toBe(0);
      expect(await sealedKeyId()).not.toBe(before);
      const body = '{}';
      const now = String(Math.floor(h.clock.now().getTime() / 1000));
      expect(
        (await h.hub.dataout.verifyWebhook('hooks', { signature: sign(body, now), timestamp: now, body })).ok,
      ).toBe(true);
      expect(h.logs()).not.toContain(secret);
    });
  });
}
