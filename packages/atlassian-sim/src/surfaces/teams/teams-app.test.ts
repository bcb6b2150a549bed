import { describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator.ts';
import { MEMBERS_MAX_FIRST, TEAMS_MAX_SIZE } from './teams-app.ts';

const ORIGIN = 'http://sim.local';
// The tests walk deep into untyped response JSON; a missing field fails the assertion that reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function setup(options: Parameters<typeof createSimulator>[0] = {}) {
  const sim = createSimulator(options);
  const org = sim.describe().orgs[0];
  const site = sim.state.world.cloudSites[0];
  if (!org || !site) throw new Error('no org');
  const bearer = { authorization: `Bearer ${org.apiKey}` };
  const basic = { authorization: `Basic ${btoa(`${org.email}:${org.apiToken}`)}` };
  /** `via` picks api.atlassian.com (org key) or the site gateway (Basic email:token). */
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; via?: 'api' | 'site'; headers?: Record<string, string> } = {},
  ) => {
    const prefix = init.via === 'site' ? `/s/${site.host}/gateway/api/public/teams` : '/public/teams';
    const res = await sim.fetch(`${ORIGIN}${prefix}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.headers ?? (init.via === 'site' ? basic : bearer)) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return { sim, org, call };
}

async function orgStats(sim: Simulator): Promise<Json> {
  return ((await (await sim.fetch(`${ORIGIN}/_sim/stats`)).json()) as Json)['orgs'][0];
}

async function walkTeams(
  call: ReturnType<typeof setup>['call'],
  orgId: string,
  size: number,
  via: 'api' | 'site' = 'api',
): Promise<Json[]> {
  const teams: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(`/v1/org/${orgId}/teams?size=${size}${cursor ? `&cursor=${cursor}` : ''}`, { via });
    expect(page.status).toBe(200);
    expect(page.body['entities'].length).toBeLessThanOrEqual(size);
    expect(page.body).toHaveProperty('cursor');
    teams.push(...page.body['entities']);
    cursor = page.body['cursor'];
  } while (cursor !== null);
  return teams;
}

describe('Teams API pagination walks (medium preset)', () => {
  it('walks the teams with size 300 and with small pages: same teams, deleted one left out', async () => {
    const { sim, org, call } = setup({ preset: 'medium', rateLimits: { enabled: false } });
    const big = await walkTeams(call, org.id, TEAMS_MAX_SIZE);
    const small = await walkTeams(call, org.id, 7);
    const ids = big.map((t) => t['teamId']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(small.map((t) => t['teamId'])).toEqual(ids);
    expect(ids.length).toBe((await orgStats(sim))['teams']);
    const deleted = sim.state.world.orgs[0]?.teams.find((t) => t.deleted);
    expect(deleted).toBeDefined();
    expect(ids).not.toContain(deleted?.teamId);
  });

  it('walks every team’s members by pageInfo.endCursor; the total equals the stats', async () => {
    const { sim, org, call } = setup({ preset: 'medium', rateLimits: { enabled: false } });
    const teams = await walkTeams(call, org.id, TEAMS_MAX_SIZE);
    let total = 0;
    for (const team of teams) {
      const seen = new Set<string>();
      let after: string | null = null;
      let hasNextPage = true;
      while (hasNextPage) {
        // A small page, so that most teams need several and the cursor is exercised.
        const page = await call(`/v1/org/${org.id}/teams/${team['teamId']}/members`, {
          method: 'POST',
          body: { first: 3, after },
        });
        expect(page.status).toBe(200);
        for (const m of page.body['results']) {
          expect(seen.has(m['accountId'])).toBe(false);
          seen.add(m['accountId']);
        }
        hasNextPage = page.body['pageInfo']['hasNextPage'];
        after = page.body['pageInfo']['endCursor'];
      }
      total += seen.size;
    }
    expect(total).toBe((await orgStats(sim))['teamMembers']);
  });
});

describe('Teams API', () => {
  it('answers a deleted team with 410 Gone, and an unknown one with 404', async () => {
    const { sim, org, call } = setup();
    const teams = sim.state.world.orgs[0]?.teams ?? [];
    const deleted = teams[teams.length - 1];
    expect(deleted?.deleted).toBe(true);
    const gone = await call(`/v1/org/${org.id}/teams/${deleted?.teamId}`);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ code: 'TEAM_DELETED', message: expect.any(String) });
    expect(
      (await call(`/v1/org/${org.id}/teams/${deleted?.teamId}/members`, { method: 'POST', body: {} })).status,
    ).toBe(410);
    expect((await call(`/v1/org/${org.id}/teams/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const live = teams[0];
    const one = await call(`/v1/org/${org.id}/teams/${live?.teamId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ teamId: live?.teamId, organizationId: org.id, displayName: live?.displayName });
  });

  it('serves the same teams through the site gateway with Basic auth', async () => {
    const { org, call } = setup();
    expect(await walkTeams(call, org.id, 2, 'site')).toEqual(await walkTeams(call, org.id, 50, 'api'));
  });

  it('caps members.first at 50 and pages a team larger than that', async () => {
    const { sim, org, call } = setup({ preset: 'medium' });
    const team = sim.state.world.orgs[0]?.teams.find((t) => !t.deleted);
    if (!team) throw new Error('no team');
    // Make one team bigger than a page.
    team.members = Array.from({ length: 120 }, (_, i) => i);
    const first = await call(`/v1/org/${org.id}/teams/${team.teamId}/members`, {
      method: 'POST',
      body: { first: 500 },
    });
    expect(first.body['results']).toHaveLength(MEMBERS_MAX_FIRST);
    expect(first.body['pageInfo']['hasNextPage']).toBe(true);
    const defaults = await call(`/v1/org/${org.id}/teams/${team.teamId}/members`, { method: 'POST' });
    expect(defaults.body['results']).toEqual(first.body['results']);
  });

  it('refuses a bad cursor, a foreign siteId and another org with 4xx', async () => {
    const { org, call } = setup();
    expect((await call(`/v1/org/${org.id}/teams?cursor=nope`)).status).toBe(400);
    expect((await call(`/v1/org/${org.id}/teams?siteId=not-a-site`)).status).toBe(400);
    expect((await call(`/v1/org/00000000-0000-4000-8000-000000000000/teams`)).status).toBe(404);
  });

  it('answers a missing, wrong-scheme or revoked credential with a 401 ProxyError', async () => {
    const { sim, org, call } = setup();
    const none = await call(`/v1/org/${org.id}/teams`, { headers: {} });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 401, message: expect.any(String) });
    // The org key is not a Basic credential on the site gateway.
    expect(
      (await call(`/v1/org/${org.id}/teams`, { via: 'site', headers: { authorization: `Bearer ${org.apiKey}` } }))
        .status,
    ).toBe(401);
    await sim.fetch(`${ORIGIN}/_sim/tokens/revoke`, { method: 'POST', body: JSON.stringify({ token: org.apiToken }) });
    expect((await call(`/v1/org/${org.id}/teams`, { via: 'site' })).status).toBe(401);
    expect((await call(`/v1/org/${org.id}/teams`)).status).toBe(200);
  });
});
