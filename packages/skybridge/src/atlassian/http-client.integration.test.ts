import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSimulator } from '../../../atlassian-sim/src/simulator.ts';
import { createManualClock } from '../domain/clock.ts';
import type { components } from './generated/jira-cloud.ts';
import { createGuardedFetch } from './guarded-fetch.ts';
import { createAtlassianHttp } from './http-client.ts';
import type { AtlassianAuth, AtlassianHttpOptions, RequestOutcome } from './http-client.ts';
import { createPacer } from './pacer.ts';
import { createRetryPolicy } from './retry-policy.ts';

type User = components['schemas']['User'];
type ServerInformation = components['schemas']['ServerInformation'];

const secret = (value: string) => ({ reveal: () => value });

/**
 * The simulator in-process, with time under the test's control: the simulator's rate limiter, the client's clock
 * and its retry sleeps all read one manual clock, and a "sleep" only moves that clock.
 */
function setup(
  o: {
    site?: 'cloud' | 'dc' | 'gateway';
    /** Pace through a pacer on the same clock. */
    paced?: boolean;
    /** Runs after each retry wait has moved the clock. */
    afterSleep?: (waits: number) => Promise<void>;
    overrides?: Partial<AtlassianHttpOptions>;
  } = {},
) {
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const sim = createSimulator({ now: () => clock.now().getTime() });
  const described = sim.describe();
  const org = described.orgs[0];
  if (!org) throw new Error('the simulator has no org');
  const cloudSite = described.sites.find((s) => s.deployment === 'cloud' && s.product === 'jira');
  const dcSite = described.sites.find((s) => s.deployment === 'dc' && s.product === 'jira');
  if (!cloudSite || !dcSite || !('pat' in dcSite.credentials))
    throw new Error('the simulator lacks a cloud or DC Jira site');
  const cloudId = sim.state.world.cloudSites[0]?.cloudId ?? '';
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
    await o.afterSleep?.(sleeps.length);
  };
  const outcomes: RequestOutcome[] = [];
  const guardedFetch = createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] });
  const site = o.site ?? 'cloud';
  const auth: AtlassianAuth =
    site === 'dc'
      ? { type: 'bearer', token: secret(dcSite.credentials.pat) }
      : { type: 'basic', email: org.email, token: secret(org.apiToken) };
  const baseUrl =
    site === 'dc' ? dcSite.baseUrl : site === 'gateway' ? `${described.url}/ex/jira/${cloudId}` : cloudSite.baseUrl;
  const http = createAtlassianHttp({
    baseUrl,
    auth,
    guardedFetch,
    clock,
    sleep,
    retryPolicy: createRetryPolicy({ random: () => 0.5 }),
    onOutcome: (outcome) => outcomes.push(outcome),
    ...(o.paced ? { pacer: createPacer({ clock, sleep }) } : {}),
    ...o.overrides,
  });
  const control = async (path: string, body: unknown) => {
    const res = await sim.fetch(`${described.url}/_sim${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.ok).toBe(true);
  };
  return { sim, http, clock, sleep, sleeps, outcomes, control, org, guardedFetch };
}

describe('createAtlassianHttp against the simulator', () => {
  it('reads /myself on a cloud site with basic auth, typed from the official spec', async () => {
    const { http, org, outcomes } = setup();
    const me = await http.get<User>('/rest/api/3/myself');
    expect(me.ok).toBe(true);
    if (!me.ok) return;
    expect(me.value.emailAddress).toBe(org.email);
    expect(typeof me.value.accountId).toBe('string');
    expect(outcomes).toEqual([
      {
        ok: true,
        status: 200,
        method: 'GET',
        route: '/s/acme/rest/api/3/myself',
        requests: 1,
        retries: 0,
        rateLimited: 0,
      },
    ]);
  });

  it('joins paths under a Data Center context path and sends the PAT as Bearer', async () => {
    const { http } = setup({ site: 'dc' });
    const me = await http.get<{ name: string }>('rest/api/2/myself');
    expect(me).toMatchObject({ ok: true, value: { name: 'admin' } });
    const info = await http.get<{ deploymentType?: string }>('/rest/api/2/serverInfo');
    expect(info.ok).toBe(true);
  });

  it('joins paths under the gateway /ex/jira/{cloudId}', async () => {
    const { http, org } = setup({ site: 'gateway' });
    const me = await http.get<User>('/rest/api/3/myself');
    expect(me).toMatchObject({ ok: true, value: { emailAddress: org.email } });
  });

  it('validates the fields we depend on with a zod schema, naming the field on mismatch', async () => {
    const { http } = setup();
    const good = await http.get('/rest/api/3/myself', { schema: z.object({ accountId: z.string() }).loose() });
    expect(good.ok).toBe(true);
    const bad = await http.get('/rest/api/3/serverInfo', { schema: z.object({ accountId: z.string() }).strict() });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('bad_response');
    expect(bad.error.detail).toContain("field 'accountId'");
  });

  it('maps an expired token to unauthorized (401), without the token in the error', async () => {
    const { http, control, org, outcomes } = setup();
    await control('/tokens/expire', { token: org.apiToken });
    const me = await http.get<User>('/rest/api/3/myself');
    expect(me.ok).toBe(false);
    if (me.ok) return;
    expect(me.error.code).toBe('unauthorized');
    expect(me.error.status).toBe(401);
    expect(me.error.detail).toBe('Client must be authenticated to access this resource.');
    expect(me.error.actionableMessage()).toContain('id.atlassian.com');
    expect(JSON.stringify(me.error)).not.toContain(org.apiToken);
    expect(me.error.message).not.toContain(org.apiToken);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, code: 'unauthorized', status: 401, requests: 1, retries: 0 });
  });

  it('treats a 200 served as anonymous (expired token on serverInfo) as authenticated_failed, unless allowed', async () => {
    const { http, control, org } = setup();
    expect((await http.get<ServerInformation>('/rest/api/3/serverInfo')).ok).toBe(true);
    await control('/tokens/expire', { token: org.apiToken });
    const info = await http.get<ServerInformation>('/rest/api/3/serverInfo');
    expect(info).toMatchObject({ ok: false, error: { code: 'authenticated_failed', status: 200 } });
    if (!info.ok) expect(info.error.actionableMessage()).toContain('AUTHENTICATED_FAILED');
    const anonymous = await http.get<ServerInformation>('/rest/api/3/serverInfo', { allowAnonymous: true });
    expect(anonymous).toMatchObject({ ok: true, value: { deploymentType: 'Cloud' } });
  });

  it('waits out a 429 for at least Retry-After, then succeeds', async () => {
    const { http, control, sleeps, outcomes } = setup();
    await control('/scenario', { rateLimit: { cloudRps: 2 } });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await http.get<User>('/rest/api/3/myself'));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(outcomes.map((o) => [o.requests, o.retries, o.rateLimited])).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [2, 1, 1],
    ]);
    // Retry-After: 1 from the simulator is a minimum; the jittered wait sits at or above it.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
  });

  it('with a pacer, slows down before the limit instead of hitting 429', async () => {
    const { http, control, outcomes, sleeps } = setup({ paced: true });
    await control('/scenario', { rateLimit: { cloudRps: 2 } });
    for (let i = 0; i < 4; i++) expect((await http.get<User>('/rest/api/3/myself')).ok).toBe(true);
    expect(outcomes.map((o) => [o.requests, o.rateLimited])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    // The pacer waited instead: Remaining fell under 20% of the limit after the first request.
    expect(sleeps.length).toBeGreaterThan(0);
  });

  it('retries a GET through 503s and succeeds when the fault clears', async () => {
    const env = setup({
      // The outage ends during the second wait.
      afterSleep: async (waits) => {
        if (waits === 2) await env.control('/scenario', { faultRate: 0 });
      },
    });
    await env.control('/scenario', { faultRate: 1, faultKinds: ['503'] });
    const me = await env.http.get<User>('/rest/api/3/myself');
    expect(me.ok).toBe(true);
    expect(env.outcomes.at(-1)).toMatchObject({ ok: true, requests: 3, retries: 2 });
  });

  it('gives up on a GET after the retry budget with server_error', async () => {
    const { http, control, outcomes, sleeps } = setup();
    await control('/scenario', { faultRate: 1, faultKinds: ['500'] });
    const me = await http.get<User>('/rest/api/3/myself');
    expect(me).toMatchObject({ ok: false, error: { code: 'server_error', status: 500 } });
    expect(outcomes.at(-1)).toMatchObject({ requests: 5, retries: 4 });
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never retries a non-idempotent POST on 503: the write may have happened', async () => {
    const { http, control, outcomes, sleeps } = setup();
    await control('/scenario', { faultRate: 1, faultKinds: ['503'] });
    const created = await http.post('/rest/api/3/issue', { fields: { summary: 'once only' } });
    expect(created).toMatchObject({ ok: false, error: { code: 'server_error', status: 503 } });
    expect(outcomes.at(-1)).toMatchObject({ requests: 1, retries: 0 });
    expect(sleeps).toEqual([]);
    if (!created.ok) expect(created.error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });

  it('does retry a POST marked idempotent (a search) on 503', async () => {
    const { http, control, outcomes } = setup();
    await control('/scenario', { faultRate: 1, faultKinds: ['503'] });
    await http.post('/rest/api/3/search/jql', { jql: 'project = X' }, { idempotent: true });
    expect(outcomes.at(-1)).toMatchObject({ requests: 5, retries: 4 });
  });

  it('maps a dropped connection to connect and retries it for a GET', async () => {
    const { http, control, outcomes } = setup();
    await control('/scenario', { faultRate: 1, faultKinds: ['reset'] });
    const me = await http.get<User>('/rest/api/3/myself');
    expect(me).toMatchObject({ ok: false, error: { code: 'connect' } });
    expect(outcomes.at(-1)).toMatchObject({ requests: 5, retries: 4 });
  });

  it('maps an unknown route to not_found with the ErrorCollection message', async () => {
    const { http } = setup();
    const missing = await http.get('/rest/api/3/no-such-thing');
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', status: 404 } });
    if (!missing.ok) expect(missing.error.detail).toContain('null for uri');
  });
});
