import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../db/test-dialects.ts';
import { createHubHarness, SIM_ORIGIN, type HubHarness } from '../test-support/hub-harness.ts';

/**
 * The connections feature end to end: a real hub (database, vault, guarded client) against atlassian-sim, on
 * SQLite and PostgreSQL.
 */
for (const dialect of testDialects()) {
  describe(`connections on ${dialect}`, () => {
    let h: HubHarness;
    let info: ReturnType<HubHarness['sim']['describe']>;
    const actor = 'test:suite';
    const secretsSeen: string[] = [];

    beforeAll(async () => {
      h = await createHubHarness({ dialect });
      info = h.sim.describe();
      const org = info.orgs[0]!;
      secretsSeen.push(
        org.apiKey,
        org.apiToken,
        ...info.sites.flatMap((s) => ('pat' in s.credentials ? [s.credentials.pat] : [s.credentials.apiToken])),
      );
    });
    afterAll(async () => {
      await h?.close();
    });

    const site = (name: string) => {
      const s = info.sites.find((x) => x.name === name);
      if (!s) throw new Error(`no site ${name}`);
      return s;
    };
    const cloudCreds = () => ({ email: info.orgs[0]!.email, secret: info.orgs[0]!.apiToken });

    it('adds and verifies a connection of every kind, each listing its sample', async () => {
      const org = info.orgs[0]!;
      const inputs = [
        { kind: 'jira-cloud' as const, name: 'acme jira', url: site('acme-jira').baseUrl, ...cloudCreds() },
        { kind: 'confluence-cloud' as const, name: 'acme wiki', url: site('acme-confluence').baseUrl, ...cloudCreds() },
        {
          kind: 'atlassian-org' as const,
          name: 'acme org',
          url: org.adminBaseUrl,
          orgId: org.id,
          secret: org.apiKey,
          teamsUrl: org.teamsBaseUrl,
        },
        {
          kind: 'jira-dc' as const,
          name: 'jira dc',
          url: site('jira-dc-1').baseUrl,
          secret: (site('jira-dc-1').credentials as { pat: string }).pat,
        },
        {
          kind: 'confluence-dc' as const,
          name: 'confluence dc',
          url: site('confluence-dc-1').baseUrl,
          secret: (site('confluence-dc-1').credentials as { pat: string }).pat,
        },
      ];
      for (const input of inputs) {
        const added = await h.hub.connections.add(actor, input);
        expect(added.ok, `${input.kind}: ${JSON.stringify(added.ok ? '' : added.error)}`).toBe(true);
        if (!added.ok) continue;
        expect(added.value.connection.status).toBe('connected');
        expect(added.value.report.sample.items.length).toBeGreaterThan(0);
        expect(added.value.connection.secretHint).toMatch(/^••••/);
        if (input.kind === 'atlassian-org') expect(added.value.report.teams).toEqual({ ok: true, sampled: 1 });
      }
      const listed = await h.hub.connections.list();
      expect(listed.ok && listed.value.items.map((c) => c.kind).sort()).toEqual([
        'atlassian-org',
        'confluence-cloud',
        'confluence-dc',
        'jira-cloud',
        'jira-dc',
      ]);
    });

    it('checks the Teams API with an account token through the site gateway', async () => {
      const org = info.orgs[0]!;
      const added = await h.hub.connections.add(actor, {
        kind: 'atlassian-org',
        name: 'acme org with teams account',
        url: org.adminBaseUrl,
        orgId: org.id,
        secret: org.apiKey,
        teamsUrl: `${site('acme-jira').baseUrl}/gateway/api/public/teams`,
        teamsEmail: org.email,
        teamsSecret: org.apiToken,
      });
      expect(added.ok && added.value.report.teams).toEqual({ ok: true, sampled: 1 });
      expect(added.ok && added.value.connection.hasTeamsSecret).toBe(true);
    });

    it('goes through the gateway for scoped tokens', async () => {
      const added = await h.hub.connections.add(actor, {
        kind: 'jira-cloud',
        name: 'acme via gateway',
        url: site('acme-jira').baseUrl,
        authMode: 'gateway',
        gatewayUrl: SIM_ORIGIN,
        ...cloudCreds(),
      });
      expect(added.ok, JSON.stringify(added.ok ? '' : added.error)).toBe(true);
      const calls = (await h.control('requests')).body['byRoute'] as Record<string, unknown>;
      expect(Object.keys(calls).some((route) => route.startsWith('GET /ex/jira/'))).toBe(true);
    });

    it('turns needs_reauthorization when the token is expired in Atlassian, and connected again after rotation', async () => {
      const issued = await h.control('tokens', { user: info.orgs[0]!.email });
      const token = issued.body['token'] as string;
      secretsSeen.push(token);
      const added = await h.hub.connections.add(actor, {
        kind: 'jira-cloud',
        name: 'expiring',
        url: site('acme-jira').baseUrl,
        email: info.orgs[0]!.email,
        secret: token,
      });
      expect(added.ok).toBe(true);
      await h.control('tokens/expire', { token });
      const verified = await h.hub.connections.verify(actor, 'expiring');
      expect(verified.ok && verified.value.connection.status).toBe('needs_reauthorization');
      expect(verified.ok && verified.value.error?.atlassian?.code).toMatch(/unauthorized|authenticated_failed/);

      const fresh = await h.control('tokens', { user: info.orgs[0]!.email });
      secretsSeen.push(fresh.body['token'] as string);
      const rotated = await h.hub.connections.rotate(actor, 'expiring', fresh.body['token'] as string);
      expect(rotated.ok && rotated.value.connection.status).toBe('connected');
      const details = await h.hub.connections.get('expiring');
      expect(details.ok && details.value.statusHistory.map((e) => e.toStatus)).toEqual([
        'connected',
        'needs_reauthorization',
        'connected',
      ]);
      expect(details.ok && details.value.audit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['connection.create', 'connection.verify', 'connection.rotate_secret']),
      );
    });

    it('turns needs_reauthorization when the token is revoked', async () => {
      const issued = await h.control('tokens', { user: info.orgs[0]!.email });
      const token = issued.body['token'] as string;
      secretsSeen.push(token);
      expect(
        (
          await h.hub.connections.add(actor, {
            kind: 'jira-cloud',
            name: 'revoked',
            url: site('acme-jira').baseUrl,
            email: info.orgs[0]!.email,
            secret: token,
          })
        ).ok,
      ).toBe(true);
      await h.control('tokens/revoke', { token });
      const verified = await h.hub.connections.verify(actor, 'revoked');
      expect(verified.ok && verified.value.connection.status).toBe('needs_reauthorization');
    });

    it('fails after repeated faults and recovers on a good verify', async () => {
      await h.hub.connections.add(actor, {
        kind: 'jira-dc',
        name: 'flaky dc',
        url: site('jira-dc-1').baseUrl,
        secret: (site('jira-dc-1').credentials as { pat: string }).pat,
      });
      await h.control('scenario', { faultRate: 1, faultKinds: ['500'] });
      const statuses: string[] = [];
      for (let i = 0; i < 3; i++) {
        const v = await h.hub.connections.verify(actor, 'flaky dc');
        statuses.push(v.ok ? v.value.connection.status : 'error');
      }
      await h.control('scenario', { faultRate: 0 });
      expect(statuses).toEqual(['connected', 'connected', 'failed']);
      const good = await h.hub.connections.verify(actor, 'flaky dc');
      expect(good.ok && good.value.connection.status).toBe('connected');
      expect(good.ok && good.value.connection.consecutiveFailures).toBe(0);
    });

    it('marks a connection past its recorded expiry needs_reauthorization without a failure, and warns before', async () => {
      const expiresAt = new Date(h.clock.now().getTime() + 10 * 86_400_000);
      const added = await h.hub.connections.add(actor, {
        kind: 'jira-cloud',
        name: 'dated',
        url: site('acme-jira').baseUrl,
        ...cloudCreds(),
        tokenExpiresAt: expiresAt,
      });
      expect(added.ok && added.value.connection.tokenExpiresInDays).toBe(10);
      const warned = await h.hub.connections.checkHealth(actor);
      expect(warned.warnings).toBeGreaterThanOrEqual(1);
      expect(h.logs()).toContain('connection token expires soon');
      h.clock.advance(11 * 86_400_000);
      await h.hub.connections.checkHealth(actor);
      const details = await h.hub.connections.get('dated');
      expect(details.ok && details.value.connection.status).toBe('needs_reauthorization');
      expect(details.ok && details.value.statusHistory.some((e) => e.reasonCode === 'token_expired')).toBe(true);
    });

    it('rejects bad input naming each field, and stores nothing', async () => {
      const before = await h.hub.connections.list();
      const cases: Array<[Parameters<HubHarness['hub']['connections']['add']>[1], string]> = [
        [{ kind: 'jira-server' as never, name: 'x', url: 'https://a.example', secret: 's' }, 'kind'],
        [{ kind: 'jira-cloud', name: 'x', url: 'not a url', email: 'a@b.example', secret: 's' }, 'url'],
        [{ kind: 'jira-cloud', name: 'x', url: 'https://10.1.2.3', email: 'a@b.example', secret: 's' }, 'url'],
        [{ kind: 'jira-cloud', name: 'x', url: 'https://a.example', secret: 's' }, 'email'],
        [
          { kind: 'jira-cloud', name: 'y'.repeat(101), url: 'https://a.example', email: 'a@b.example', secret: 's' },
          'name',
        ],
        [{ kind: 'atlassian-org', name: 'x', secret: 's' }, 'orgId'],
        [{ kind: 'jira-dc', name: 'x', url: 'https://a.example', secret: '' }, 'secret'],
      ];
      for (const [input, field] of cases) {
        const r = await h.hub.connections.add(actor, input);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('invalid_input');
        expect(r.error.fields?.map((f) => f.field)).toContain(field);
      }
      const dup = await h.hub.connections.add(actor, {
        kind: 'jira-cloud',
        name: 'acme jira',
        url: site('acme-jira').baseUrl,
        ...cloudCreds(),
      });
      expect(!dup.ok && dup.error.code).toBe('duplicate_name');
      const after = await h.hub.connections.list();
      expect(after.ok && after.value.items.length).toBe(before.ok ? before.value.items.length : -1);
    });

    it('refuses a wrong product at the URL and a wrong org id with actionable errors', async () => {
      const dcAsCloud = await h.hub.connections.add(actor, {
        kind: 'jira-cloud',
        name: 'oops',
        url: site('jira-dc-1').baseUrl,
        ...cloudCreds(),
      });
      expect(!dcAsCloud.ok && dcAsCloud.error.code).toBe('verification_failed');
      const org = info.orgs[0]!;
      const wrongOrg = await h.hub.connections.add(actor, {
        kind: 'atlassian-org',
        name: 'bad org',
        url: org.adminBaseUrl,
        orgId: '00000000-0000-4000-8000-000000000000',
        secret: org.apiKey,
      });
      expect(!wrongOrg.ok && wrongOrg.error.atlassian?.code).toBe('not_found');
    });

    it('keeps the old secret when a new one fails verification', async () => {
      const bad = await h.hub.connections.rotate(actor, 'acme jira', 'ATATT3xFfGF0-not-a-real-token');
      expect(!bad.ok && bad.error.code).toBe('verification_failed');
      const still = await h.hub.connections.verify(actor, 'acme jira');
      expect(still.ok && still.value.connection.status).toBe('connected');
    });

    it('edits without a secret keep the stored one', async () => {
      const edited = await h.hub.connections.edit(actor, 'acme wiki', { name: 'acme confluence' });
      expect(edited.ok && edited.value.connection.name).toBe('acme confluence');
      const verified = await h.hub.connections.verify(actor, 'acme confluence');
      expect(verified.ok && verified.value.connection.status).toBe('connected');
    });

    it('deletes a connection and records it in the audit log', async () => {
      const deps = await h.hub.connections.dependents('revoked');
      expect(deps.ok && deps.value).toEqual([]);
      const deleted = await h.hub.connections.delete(actor, 'revoked');
      expect(deleted.ok).toBe(true);
      expect((await h.hub.connections.get('revoked')).ok).toBe(false);
    });

    it('re-seals every secret under a new key and keeps working', async () => {
      const rotated = await h.hub.connections.rotateKeys(actor);
      expect(rotated.ok && rotated.value.failed).toBe(0);
      expect(rotated.ok && rotated.value.resealed).toBeGreaterThan(0);
      const v = await h.hub.connections.verify(actor, 'jira dc');
      expect(v.ok && v.value.connection.status).toBe('connected');
    });

    it('never lets a secret reach the database file, the logs or any result', async () => {
      const results = JSON.stringify([
        await h.hub.connections.list(),
        await h.hub.connections.get('acme jira'),
        await h.hub.connections.get('acme org'),
      ]);
      const logs = h.logs();
      let files = '';
      if (dialect === 'sqlite') {
        for (const f of await readdir(h.dataDir))
          if (f.startsWith('skybridge.db')) files += (await readFile(join(h.dataDir, f))).toString('latin1');
        expect(files.length).toBeGreaterThan(0);
      }
      for (const secret of secretsSeen) {
        expect(results).not.toContain(secret);
        expect(logs).not.toContain(secret);
        if (files) expect(files).not.toContain(secret);
      }
      expect(logs.length).toBeGreaterThan(0);
    });
  });
}
