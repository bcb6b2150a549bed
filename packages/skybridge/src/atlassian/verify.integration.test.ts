import { inspect } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSimulator } from '../../../atlassian-sim/src/simulator.ts';
import type { ConnectionKind } from '../domain/connection-kinds.ts';
import { createManualClock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import type { AtlassianError } from './atlassian-error.ts';
import { createGuardedFetch } from './guarded-fetch.ts';
import type { FetchLike } from './guarded-fetch.ts';
import { createAtlassianHttp } from './http-client.ts';
import { JIRA_VERIFY_PERMISSIONS } from './jira-cloud/verify.ts';
import { createRetryPolicy } from './retry-policy.ts';
import { verifyTarget } from './verify.ts';
import type { HttpFactory, VerifyReport, VerifyTarget } from './verify-target.ts';

/**
 * `verifyTarget` against the in-process simulator, for every kind. Time is a manual clock shared by the simulator's
 * rate limiter and the client's retry sleeps; no test waits for real time.
 *
 * Every secret a test uses is registered, and every result, error and console line is kept: after all tests, none of
 * them may contain a secret (or the Basic header built from one).
 */

const secrets = new Set<string>();
const seen: unknown[] = [];
const consoleLines: string[] = [];

const secret = (value: string) => {
  secrets.add(value);
  return { reveal: () => value };
};

beforeEach(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  const everything = [
    ...seen.map((v) => JSON.stringify(v)),
    ...seen.map((v) => inspect(v, { depth: 12, showHidden: true })),
    ...consoleLines,
  ].join('\n');
  // The check must have had something to look at.
  expect(secrets.size).toBeGreaterThan(5);
  expect(seen.length).toBeGreaterThan(20);
  // A boolean, so that a failure does not print the secret it found.
  for (const value of secrets) {
    expect(everything.includes(value), 'a secret appears in a result, an error or console output').toBe(false);
    expect(everything.includes(value.slice(-12)), 'the end of a secret appears somewhere').toBe(false);
  }
});

function setup(o: { advanceClockOnSleep?: boolean } = {}) {
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const sim = createSimulator({ now: () => clock.now().getTime() });
  const described = sim.describe();
  const org = described.orgs[0];
  const site = (product: 'jira' | 'confluence', deployment: 'cloud' | 'dc') => {
    const found = described.sites.find((s) => s.product === product && s.deployment === deployment);
    if (!found) throw new Error(`the simulator has no ${deployment} ${product}`);
    return found;
  };
  const pat = (product: 'jira' | 'confluence') => {
    const credentials = site(product, 'dc').credentials;
    if (!('pat' in credentials)) throw new Error('a DC site without a PAT');
    return credentials.pat;
  };
  if (!org) throw new Error('the simulator has no org');
  const cloudId = sim.state.world.cloudSites[0]?.cloudId ?? '';
  const urls: string[] = [];
  const recordingFetch: FetchLike = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return sim.fetch(input, init);
  };
  const sleeps: number[] = [];
  const http: HttpFactory = (options) =>
    createAtlassianHttp({
      guardedFetch: createGuardedFetch({ fetch: recordingFetch, allowedHosts: ['sim.local'] }),
      clock,
      sleep: (ms) => {
        sleeps.push(ms);
        if (o.advanceClockOnSleep ?? true) clock.advance(ms);
        return Promise.resolve();
      },
      retryPolicy: createRetryPolicy({ random: () => 0.5 }),
      ...options,
    });
  const control = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await sim.fetch(`${described.url}/_sim${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.ok).toBe(true);
    return (await res.json()) as T;
  };
  /** A fresh cloud API token for another user of the org. */
  const tokenFor = async (user: string) => (await control<{ token: string }>('/tokens', { user })).token;

  const targets = {
    jiraCloud: (over: Partial<VerifyTarget> = {}): VerifyTarget => ({
      kind: 'jira-cloud',
      url: site('jira', 'cloud').baseUrl,
      email: org.email,
      authMode: 'direct',
      secret: secret(org.apiToken),
      ...over,
    }),
    confluenceCloud: (over: Partial<VerifyTarget> = {}): VerifyTarget => ({
      kind: 'confluence-cloud',
      url: site('confluence', 'cloud').baseUrl,
      email: org.email,
      authMode: 'direct',
      secret: secret(org.apiToken),
      ...over,
    }),
    jiraDc: (over: Partial<VerifyTarget> = {}): VerifyTarget => ({
      kind: 'jira-dc',
      url: site('jira', 'dc').baseUrl,
      authMode: 'direct',
      secret: secret(pat('jira')),
      ...over,
    }),
    confluenceDc: (over: Partial<VerifyTarget> = {}): VerifyTarget => ({
      kind: 'confluence-dc',
      url: site('confluence', 'dc').baseUrl,
      authMode: 'direct',
      secret: secret(pat('confluence')),
      ...over,
    }),
    org: (over: Partial<VerifyTarget> = {}): VerifyTarget => ({
      kind: 'atlassian-org',
      url: org.adminBaseUrl,
      orgId: org.id,
      authMode: 'direct',
      secret: secret(org.apiKey),
      ...over,
    }),
  };

  const verify = async (target: VerifyTarget): Promise<Result<VerifyReport, AtlassianError>> => {
    const result = await verifyTarget(target, { http });
    seen.push(result);
    if (!result.ok) seen.push(result.error.message, result.error.actionableMessage());
    return result;
  };
  return { sim, described, org, site, cloudId, urls, sleeps, control, tokenFor, targets, verify };
}

/** The report of a verify that must succeed. */
function report(result: Result<VerifyReport, AtlassianError>): VerifyReport {
  if (!result.ok) throw new Error(`verify failed: ${result.error.message}`);
  return result.value;
}

/** The error of a verify that must fail. */
function failure(result: Result<VerifyReport, AtlassianError>): AtlassianError {
  if (result.ok) throw new Error(`verify succeeded: ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('verifyTarget: each kind verifies and shows its sample', () => {
  it('jira-cloud (direct): site id, Cloud, the account, up to 10 projects and permissions on each', async () => {
    const env = setup();
    const r = report(await env.verify(env.targets.jiraCloud()));
    expect(r.kind).toBe('jira-cloud');
    expect(r.siteId).toBe(env.cloudId);
    expect(r.product).toMatchObject({ name: 'Jira', deploymentType: 'Cloud', version: '1001.0.0-SNAPSHOT' });
    expect(r.account).toMatchObject({ email: env.org.email, active: true });
    expect(r.account?.id).toMatch(/\S/);
    const projects = env.sim.state.world.cloudSites[0]?.jira.projects.filter((p) => !p.archived) ?? [];
    expect(r.sample.type).toBe('project');
    expect(r.sample.items.length).toBe(Math.min(10, projects.length));
    expect(r.sample.items.map((i) => i.key).sort()).toEqual(projects.map((p) => p.key).sort());
    // The org admin is a site admin: every permission on every sampled project.
    for (const item of r.sample.items) expect(r.permissions?.[item.key ?? '']).toEqual([...JIRA_VERIFY_PERMISSIONS]);
    expect(r.warnings).toEqual([]);
    // tenant_info, serverInfo, myself, project/search, and mypermissions per project.
    expect(r.requests).toBe(4 + r.sample.items.length);
  });

  it('jira-cloud (gateway): tenant_info on the site, every API call under /ex/jira/{cloudId}', async () => {
    const env = setup();
    const r = report(await env.verify(env.targets.jiraCloud({ authMode: 'gateway', gatewayUrl: env.described.url })));
    expect(r.siteId).toBe(env.cloudId);
    expect(r.sample.items.length).toBeGreaterThan(0);
    const siteUrl = env.site('jira', 'cloud').baseUrl;
    const gateway = `${env.described.url}/ex/jira/${env.cloudId}/`;
    expect(env.urls[0]).toBe(`${siteUrl}/_edge/tenant_info`);
    expect(env.urls.slice(1).length).toBe(r.requests - 1);
    for (const url of env.urls.slice(1)) expect(url.startsWith(gateway)).toBe(true);
    expect(env.urls).toContain(`${gateway}rest/api/3/myself`);
  });

  it('confluence-cloud: the site URL and the /wiki URL verify the same way', async () => {
    const env = setup();
    const wiki = env.site('confluence', 'cloud').baseUrl;
    const fromWiki = report(await env.verify(env.targets.confluenceCloud({ url: wiki })));
    const fromSite = report(await env.verify(env.targets.confluenceCloud({ url: wiki.replace(/\/wiki$/, '/') })));
    expect(fromSite).toEqual(fromWiki);
    expect(fromWiki.siteId).toBe(env.cloudId);
    expect(fromWiki.product).toEqual({ name: 'Confluence', deploymentType: 'Cloud' });
    expect(fromWiki.account).toMatchObject({ email: env.org.email });
    const spaces = env.sim.state.world.cloudSites[0]?.confluence.spaces ?? [];
    expect(fromWiki.sample.type).toBe('space');
    expect(fromWiki.sample.items.length).toBe(Math.min(10, spaces.length));
    expect(fromWiki.sample.items[0]).toMatchObject({ id: expect.any(String), key: expect.any(String) });
    expect(fromWiki.requests).toBe(3);
  });

  it('confluence-cloud (gateway): the API under /ex/confluence/{cloudId}/wiki', async () => {
    const env = setup();
    const r = report(
      await env.verify(env.targets.confluenceCloud({ authMode: 'gateway', gatewayUrl: env.described.url })),
    );
    expect(r.sample.items.length).toBeGreaterThan(0);
    expect(env.urls).toContain(`${env.described.url}/ex/confluence/${env.cloudId}/wiki/rest/api/user/current`);
  });

  it('jira-dc: Server or DataCenter, the PAT user, the projects', async () => {
    const env = setup();
    const r = report(await env.verify(env.targets.jiraDc()));
    expect(r.product.name).toBe('Jira');
    expect(['Server', 'DataCenter']).toContain(r.product.deploymentType);
    expect(r.product.version).toMatch(/^\d+\.\d+/);
    expect(r.account?.displayName).toMatch(/\S/);
    const projects = env.sim.state.world.dcInstances[0]?.jira.projects ?? [];
    expect(r.sample.type).toBe('project');
    expect(r.sample.items.length).toBe(Math.min(10, projects.filter((p) => !p.archived).length));
    expect(r.siteId).toBeUndefined();
    expect(r.requests).toBe(3);
  });

  it('confluence-dc: version and build, the PAT user, the spaces', async () => {
    const env = setup();
    const r = report(await env.verify(env.targets.confluenceDc()));
    expect(r.product).toMatchObject({ name: 'Confluence', version: expect.stringMatching(/^\d+\./) });
    expect(typeof r.product.buildNumber).toBe('number');
    expect(r.account?.id).toMatch(/\S/);
    expect(r.sample.type).toBe('space');
    expect(r.sample.items.length).toBeGreaterThan(0);
    expect(r.requests).toBe(3);
  });

  it('atlassian-org: the org, a sample of its users and their total', async () => {
    const env = setup();
    const r = report(await env.verify(env.targets.org()));
    const users = env.sim.state.world.orgs[0]?.users ?? [];
    expect(r.product).toEqual({ name: 'Atlassian Admin' });
    expect(r.account).toBeUndefined();
    expect(r.org).toEqual({ id: env.org.id, name: env.org.name, users: users.length });
    expect(r.sample.type).toBe('user');
    expect(r.sample.items).toHaveLength(Math.min(10, users.length));
    expect(r.sample.items[0]).toEqual({ id: users[0]?.accountId, name: users[0]?.name });
    expect(r.teams).toBeUndefined();
    expect(r.requests).toBe(2);
  });

  it('atlassian-org with a Teams account: the Teams API answers through the site gateway', async () => {
    const env = setup();
    const r = report(
      await env.verify(
        env.targets.org({
          teamsUrl: `${env.site('jira', 'cloud').baseUrl}/gateway/api/public/teams`,
          teamsEmail: env.org.email,
          teamsSecret: secret(env.org.apiToken),
        }),
      ),
    );
    expect(r.teams).toEqual({ ok: true, sampled: 1 });
    expect(r.warnings).toEqual([]);
    expect(r.requests).toBe(3);
  });

  it('atlassian-org: a failing Teams check is reported, and does not fail the verify', async () => {
    const env = setup();
    const r = report(
      await env.verify(
        env.targets.org({
          teamsUrl: env.org.teamsBaseUrl,
          teamsEmail: env.org.email,
          teamsSecret: secret('ATATT-not-a-real-teams-token-0000'),
        }),
      ),
    );
    expect(r.org?.name).toBe(env.org.name);
    expect(r.teams).toMatchObject({ ok: false, error: expect.stringContaining('refused the credential') });
    expect(r.warnings).toEqual([expect.stringContaining('Teams API check failed (unauthorized)')]);
  });
});

describe('verifyTarget: wrong product, specific and actionable', () => {
  const cases: Array<{
    name: string;
    make: (env: ReturnType<typeof setup>) => VerifyTarget;
    kind: ConnectionKind;
    says: string;
  }> = [
    {
      name: 'a Jira Data Center URL given as jira-cloud',
      make: (env) => env.targets.jiraCloud({ url: env.site('jira', 'dc').baseUrl }),
      kind: 'jira-dc',
      says: 'use kind jira-dc',
    },
    {
      name: 'a Jira Cloud URL given as jira-dc',
      make: (env) => env.targets.jiraDc({ url: env.site('jira', 'cloud').baseUrl }),
      kind: 'jira-cloud',
      says: 'use kind jira-cloud',
    },
    {
      name: 'a Confluence Data Center URL given as jira-dc',
      make: (env) => env.targets.jiraDc({ url: env.site('confluence', 'dc').baseUrl }),
      kind: 'confluence-dc',
      says: 'use kind confluence-dc',
    },
    {
      name: 'a Jira Data Center URL given as confluence-dc',
      make: (env) => env.targets.confluenceDc({ url: env.site('jira', 'dc').baseUrl }),
      kind: 'jira-dc',
      says: 'use kind jira-dc',
    },
    {
      name: 'a Jira Data Center URL given as confluence-cloud',
      make: (env) => env.targets.confluenceCloud({ url: env.site('jira', 'dc').baseUrl }),
      kind: 'jira-dc',
      says: 'use kind jira-dc',
    },
    {
      name: 'a Confluence Cloud URL given as jira-cloud',
      make: (env) => env.targets.jiraCloud({ url: env.site('confluence', 'cloud').baseUrl }),
      kind: 'confluence-cloud',
      says: 'give the site URL without /wiki',
    },
    {
      name: 'a Confluence Cloud URL given as confluence-dc',
      make: (env) => env.targets.confluenceDc({ url: env.site('confluence', 'cloud').baseUrl }),
      kind: 'confluence-cloud',
      says: 'use kind confluence-cloud',
    },
  ];

  it.each(cases)('$name → wrong_product naming $kind', async ({ make, kind, says }) => {
    const env = setup();
    const error = failure(await env.verify(make(env)));
    expect(error.code).toBe('wrong_product');
    expect(error.detail).toContain(`use kind ${kind}`);
    expect(error.detail).toContain(says);
    // The message is whole, not cut at the detail length limit.
    expect(error.detail?.endsWith('…')).toBe(false);
    expect(error.actionableMessage()).toContain('Check the URL and the connection kind');
  });

  it('a URL that is no Atlassian product stays a plain not_found', async () => {
    const env = setup();
    const error = failure(await env.verify(env.targets.jiraDc({ url: `${env.described.url}/nothing-here` })));
    expect(error.code).toBe('not_found');
  });
});

describe('verifyTarget: credentials that do not work', () => {
  it('a wrong API token is unauthorized, with a message that says what to do', async () => {
    const env = setup();
    const error = failure(await env.verify(env.targets.jiraCloud({ secret: secret('ATATT3xWrongToken0000000000') })));
    expect(error.code).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.actionableMessage()).toContain('id.atlassian.com');
    expect(error.actionableMessage()).toContain('rotate the connection');
  });

  it.each([
    [
      'confluence-cloud',
      (env: ReturnType<typeof setup>) => env.targets.confluenceCloud({ secret: secret('ATATT3xWrong1111111111') }),
    ],
    ['jira-dc', (env: ReturnType<typeof setup>) => env.targets.jiraDc({ secret: secret('not-a-real-pat-2222222222') })],
    [
      'confluence-dc',
      (env: ReturnType<typeof setup>) => env.targets.confluenceDc({ secret: secret('not-a-real-pat-3333333333') }),
    ],
    [
      'atlassian-org',
      (env: ReturnType<typeof setup>) => env.targets.org({ secret: secret('ATCTT3xWrongKey4444444444') }),
    ],
  ])('a wrong %s secret is unauthorized', async (_kind, make) => {
    const env = setup();
    const error = failure(await env.verify(make(env)));
    expect(error.code).toBe('unauthorized');
    expect(error.actionableMessage()).toMatch(/token|key/);
  });

  it('an expired API token fails the verify as unauthorized or authenticated_failed', async () => {
    const env = setup();
    const token = await env.tokenFor(env.org.email);
    const target = env.targets.jiraCloud({ secret: secret(token) });
    expect((await env.verify(target)).ok).toBe(true);
    await env.control('/tokens/expire', { token });
    const error = failure(await env.verify(target));
    expect(['unauthorized', 'authenticated_failed']).toContain(error.code);
    expect(error.actionableMessage()).toContain('rotate the connection');
  });

  it('an expired token on Confluence Cloud fails the verify too', async () => {
    const env = setup();
    const token = await env.tokenFor(env.org.email);
    await env.control('/tokens/expire', { token });
    const error = failure(await env.verify(env.targets.confluenceCloud({ secret: secret(token) })));
    expect(['unauthorized', 'authenticated_failed']).toContain(error.code);
  });

  it('a wrong org id is not_found, saying the id is wrong or the key belongs elsewhere', async () => {
    const env = setup();
    const error = failure(await env.verify(env.targets.org({ orgId: 'a0b1c2d3-0000-4000-8000-000000000000' })));
    expect(error.code).toBe('not_found');
    expect(error.status).toBe(404);
    expect(error.detail).toContain('the org id is wrong');
    expect(error.detail).toContain('another organization');
    expect(error.detail?.endsWith('…')).toBe(false);
  });

  it('users who are not admins see no more than the admin, some fewer, and lack Administer Projects', async () => {
    const env = setup();
    const admin = report(await env.verify(env.targets.jiraCloud()));
    const adminKeys = new Set(admin.sample.items.map((i) => i.key));
    const orgModel = env.sim.state.world.orgs[0];
    const others = (orgModel?.users ?? [])
      .filter((u, i) => i !== orgModel?.adminIdx && u.status === 'active' && u.email && u.siteAccess.includes(0))
      .slice(0, 8);
    expect(others.length).toBeGreaterThan(3);
    const seenCounts: number[] = [];
    for (const other of others) {
      const email = other.email ?? '';
      const token = await env.tokenFor(email);
      const user = report(await env.verify(env.targets.jiraCloud({ email, secret: secret(token) })));
      expect(user.account?.email).toBe(email);
      for (const item of user.sample.items) expect(adminKeys.has(item.key)).toBe(true);
      expect(Object.values(user.permissions ?? {}).some((held) => !held.includes('ADMINISTER_PROJECTS'))).toBe(true);
      seenCounts.push(user.sample.items.length);
    }
    // Restricted projects are visible to their role members only.
    expect(Math.min(...seenCounts)).toBeLessThan(admin.sample.items.length);
  });
});

describe('verifyTarget: rate limits', () => {
  it('a 429 is waited out and retried to success, and the report counts every request', async () => {
    const env = setup();
    await env.control('/scenario', { rateLimit: { cloudRps: 1 } });
    const r = report(await env.verify(env.targets.jiraCloud()));
    const calls = 4 + r.sample.items.length;
    // Each mypermissions after the first hits the 1-per-second bucket once, then succeeds after the wait.
    expect(r.requests).toBeGreaterThan(calls);
    expect(env.sleeps.length).toBe(r.requests - calls);
    for (const wait of env.sleeps) expect(wait).toBeGreaterThanOrEqual(1_000);
  });

  it('when the limit never lifts, the verify fails as rate_limited with when to retry', async () => {
    // Sleeping does not move the clock, so the simulator's bucket never refills.
    const env = setup({ advanceClockOnSleep: false });
    await env.control('/scenario', { rateLimit: { cloudRps: 1 } });
    const error = failure(await env.verify(env.targets.jiraCloud()));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(error.actionableMessage()).toMatch(/Retry after \d+ s/);
  });
});
