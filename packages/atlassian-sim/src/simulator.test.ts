import { describe, expect, it } from 'vitest';
import { createSimulator } from './simulator.ts';

const ORIGIN = 'http://sim.local';

function basic(email: string, token: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
}

function setup(options: Parameters<typeof createSimulator>[0] = {}) {
  const sim = createSimulator(options);
  const info = sim.describe();
  const org = info.orgs[0];
  const jira = info.sites.find((s) => s.deployment === 'cloud' && s.product === 'jira');
  const dc = info.sites.find((s) => s.deployment === 'dc' && s.product === 'jira');
  if (!org || !jira || !dc || !('pat' in dc.credentials)) throw new Error('small preset lacks a site');
  return { sim, org, jira, dc, pat: dc.credentials.pat, auth: basic(org.email, org.apiToken) };
}

async function control(sim: ReturnType<typeof createSimulator>, path: string, body?: unknown) {
  const res = await sim.fetch(
    `${ORIGIN}/_sim/${path}`,
    body === undefined
      ? {}
      : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the world', () => {
  it('is identical for the same seed and different for another', () => {
    const a = createSimulator({ seed: 5 }).describe();
    const b = createSimulator({ seed: 5 }).describe();
    const c = createSimulator({ seed: 6 }).describe();
    expect(a).toEqual(b);
    expect(c.orgs[0]?.apiKey).not.toEqual(a.orgs[0]?.apiKey);
  });

  it('reports stats that match the generated world', async () => {
    const { sim } = setup();
    const { body } = await control(sim, 'stats');
    const orgs = body['orgs'] as Array<Record<string, number>>;
    expect(orgs[0]).toMatchObject({ users: 60, groups: 8, memberships: 150 });
    expect(orgs[0]?.['teams']).toBeGreaterThan(0);
  });
});

describe('authentication', () => {
  it('accepts the org admin credentials on the cloud site and refuses a wrong token with 401', async () => {
    const { sim, jira, org, auth } = setup();
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status).toBe(200);
    const bad = await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: basic(org.email, 'nope') });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
  });

  it('refuses the right token with another account email', async () => {
    const { sim, jira, org } = setup();
    const res = await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, {
      headers: basic('someone@else.example', org.apiToken),
    });
    expect(res.status).toBe(401);
  });

  it('serves an expired token as anonymous with 200 on anonymous-capable endpoints, 401 elsewhere', async () => {
    const { sim, jira, org } = setup();
    const issued = await control(sim, 'tokens', { user: org.email });
    expect(issued.status).toBe(201);
    const token = issued.body['token'] as string;
    const headers = basic(org.email, token);
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers })).status).toBe(200);
    expect((await control(sim, 'tokens/expire', { token })).status).toBe(200);
    const info = await sim.fetch(`${jira.baseUrl}/rest/api/3/serverInfo`, { headers });
    expect(info.status).toBe(200);
    expect(info.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers })).status).toBe(401);
  });

  it('honours an expiry given at creation against the clock', async () => {
    let now = Date.UTC(2026, 10, 1);
    const { sim, jira, org } = setup({ now: () => now });
    const issued = await control(sim, 'tokens', { user: org.email, expiresInSeconds: 60 });
    const headers = basic(org.email, issued.body['token'] as string);
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers })).status).toBe(200);
    now += 61_000;
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers })).status).toBe(401);
  });

  it('revokes tokens', async () => {
    const { sim, jira, org, auth } = setup();
    expect((await control(sim, 'tokens/revoke', { token: org.apiToken })).status).toBe(200);
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status).toBe(401);
  });

  it('takes a Data Center PAT only as a Bearer token', async () => {
    const { sim, dc, pat } = setup();
    expect(
      (await sim.fetch(`${dc.baseUrl}/rest/api/2/myself`, { headers: { authorization: `Bearer ${pat}` } })).status,
    ).toBe(200);
    expect((await sim.fetch(`${dc.baseUrl}/rest/api/2/myself`, { headers: basic('admin', pat) })).status).toBe(401);
  });

  it('rejects control requests for unknown users with a message naming them', async () => {
    const { sim } = setup();
    const res = await control(sim, 'tokens', { user: 'ghost@nowhere.example' });
    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toContain('ghost@nowhere.example');
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After, X-RateLimit-* and RateLimit-Reason once the burst is spent', async () => {
    const now = Date.UTC(2026, 10, 1);
    const { sim, jira, auth } = setup({ now: () => now, rateLimits: { cloudRps: 5 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.headers.get('retry-after')).toBe('1');
    expect(last?.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(last?.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    // Another endpoint has its own bucket.
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/serverInfo`, { headers: auth })).status).toBe(200);
  });

  it('flags X-RateLimit-NearLimit under 20% of the burst left', async () => {
    const { sim, jira, auth } = setup({ now: () => 0, rateLimits: { cloudRps: 10 } });
    const near: Array<string | null> = [];
    for (let i = 0; i < 10; i++)
      near.push(
        (await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).headers.get('x-ratelimit-nearlimit'),
      );
    expect(near.slice(0, 8).every((v) => v === null)).toBe(true);
    expect(near.slice(8)).toEqual(['true', 'true']);
  });

  it('sends Data Center token-bucket headers on every response, with Retry-After: 0 while tokens remain', async () => {
    const { sim, dc, pat } = setup({ now: () => 0 });
    const res = await sim.fetch(`${dc.baseUrl}/rest/api/2/myself`, { headers: { authorization: `Bearer ${pat}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('retry-after')).toBe('0');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(res.headers.get('x-ratelimit-fillrate')).toBe('20');
    expect(res.headers.get('x-ratelimit-interval-seconds')).toBe('1');
  });

  it('turns off through the control API', async () => {
    const { sim, jira, auth } = setup({ now: () => 0, rateLimits: { cloudRps: 1 } });
    expect((await control(sim, 'scenario', { rateLimit: false })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status).toBe(200);
  });
});

describe('faults', () => {
  it('injects the same faults for the same seed', async () => {
    const run = async () => {
      const { sim, jira, auth } = setup({
        seed: 3,
        rateLimits: { enabled: false },
        faults: { faultRate: 0.3, faultKinds: ['500', '503'] },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status);
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(await run()).toEqual(first);
  });

  it('gives 503 with a Retry-After', async () => {
    const { sim, jira, auth } = setup({
      rateLimits: { enabled: false },
      faults: { faultRate: 1, faultKinds: ['503'] },
    });
    const res = await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('drops the connection on a reset fault', async () => {
    const { sim, jira, auth } = setup({
      rateLimits: { enabled: false },
      faults: { faultRate: 1, faultKinds: ['reset'] },
    });
    await expect(sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).rejects.toThrow(/reset/);
  });

  it('validates scenario changes and names the bad field', async () => {
    const { sim } = setup();
    const res = await control(sim, 'scenario', { faultRate: 3 });
    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toContain('faultRate');
  });
});

describe('control API', () => {
  it('counts requests by route and status', async () => {
    const { sim, jira, auth } = setup();
    await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth });
    await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`);
    const { body } = await control(sim, 'requests');
    const byRoute = body['byRoute'] as Record<string, Record<string, number>>;
    expect(byRoute['GET /s/acme/rest/api/3/myself']).toEqual({ '200': 1, '401': 1 });
  });

  it('resets tokens and counts to the seeded state', async () => {
    const { sim, jira, org, auth } = setup();
    await control(sim, 'tokens/revoke', { token: org.apiToken });
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status).toBe(401);
    expect((await control(sim, 'reset', {})).status).toBe(200);
    expect((await sim.fetch(`${jira.baseUrl}/rest/api/3/myself`, { headers: auth })).status).toBe(200);
    const { body } = await control(sim, 'requests');
    expect(body['total']).toBe(1);
  });

  it('answers unknown routes with 404', async () => {
    const { sim, auth } = setup();
    expect((await sim.fetch(`${ORIGIN}/s/acme/rest/api/3/no-such-thing`, { headers: auth })).status).toBe(404);
    expect((await sim.fetch(`${ORIGIN}/nowhere`)).status).toBe(404);
  });
});
