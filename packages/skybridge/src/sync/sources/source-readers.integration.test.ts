import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../../atlassian-sim/src/simulator.ts';
import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import type { ConnectionKind } from '../../domain/connection-kinds.ts';
import { createManualClock } from '../../domain/clock.ts';
import { createGuardedFetch } from '../../atlassian/guarded-fetch.ts';
import { createAtlassianHttp } from '../../atlassian/http-client.ts';
import type { RequestOutcome } from '../../atlassian/http-client.ts';
import { createRetryPolicy } from '../../atlassian/retry-policy.ts';
import type { HttpFactory } from '../../atlassian/verify-target.ts';
import { createSourceReader } from './create-source-reader.ts';
import type { SourceReaderOptions } from './create-source-reader.ts';
import type { SourcePage, SourceReader } from './source-reader.ts';

/**
 * Every reader against the in-process simulator: counts equal `GET /_sim/stats`, a read resumed from any page's
 * checkpoint continues exactly where it stopped, and 5xx faults are retried away. Time is a manual clock shared by
 * the simulator and the client's retry sleeps, so no test waits for real time.
 */

type Preset = 'small' | 'medium';

interface SiteStats {
  name: string;
  users: number;
  groups: number;
  memberships?: number;
  projects: number;
  spaces?: number;
}
interface Stats {
  orgs: Array<{ users: number; groups: number; memberships: number; teams: number; teamMembers: number }>;
  sites: SiteStats[];
}

const CONNECTION = 'conn-1';

function setup(preset: Preset) {
  const clock = createManualClock('2026-11-22T10:00:00Z');
  const sim = createSimulator({ preset, now: () => clock.now().getTime() });
  const described = sim.describe();
  const org = described.orgs[0];
  if (!org) throw new Error('the simulator has no org');
  const outcomes: RequestOutcome[] = [];
  const secrets: string[] = [org.apiKey, org.apiToken];
  const http: HttpFactory = (options) =>
    createAtlassianHttp({
      guardedFetch: createGuardedFetch({ fetch: sim.fetch, allowedHosts: ['sim.local'] }),
      clock,
      sleep: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
      retryPolicy: createRetryPolicy({ random: () => 0.5 }),
      ...options,
      onOutcome: (o) => outcomes.push(o),
    });
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await sim.fetch(
      `${described.url}/_sim${path}`,
      body === undefined
        ? {}
        : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    );
    expect(res.ok).toBe(true);
    return res.json();
  };
  const site = (product: 'jira' | 'confluence', deployment: 'cloud' | 'dc') => {
    const found = described.sites.find((s) => s.product === product && s.deployment === deployment);
    if (!found) throw new Error(`no ${deployment} ${product}`);
    return found;
  };
  const secret = (value: string) => {
    secrets.push(value);
    return { reveal: () => value };
  };
  const dcPat = (product: 'jira' | 'confluence') => {
    const credentials = site(product, 'dc').credentials;
    if (!('pat' in credentials)) throw new Error('a DC site without a PAT');
    return credentials.pat;
  };
  const optionsFor = (kind: ConnectionKind): SourceReaderOptions => {
    const common = { connectionId: CONNECTION, http, authMode: 'direct' as const };
    switch (kind) {
      case 'jira-cloud':
        return { ...common, url: site('jira', 'cloud').baseUrl, email: org.email, secret: secret(org.apiToken) };
      case 'confluence-cloud':
        return { ...common, url: site('confluence', 'cloud').baseUrl, email: org.email, secret: secret(org.apiToken) };
      case 'jira-dc':
        return { ...common, url: site('jira', 'dc').baseUrl, secret: secret(dcPat('jira')) };
      case 'confluence-dc':
        return { ...common, url: site('confluence', 'dc').baseUrl, secret: secret(dcPat('confluence')) };
      case 'atlassian-org':
        return {
          ...common,
          url: org.adminBaseUrl,
          orgId: org.id,
          teamsUrl: org.teamsBaseUrl,
          secret: secret(org.apiKey),
        };
    }
  };
  const reader = (kind: ConnectionKind): SourceReader => {
    const created = createSourceReader(kind, optionsFor(kind));
    if (!created.ok) throw new Error(created.error.message);
    return created.value;
  };
  return {
    sim,
    site,
    control,
    reader,
    optionsFor,
    outcomes,
    secrets,
    stats: () => control('/stats') as Promise<Stats>,
  };
}

/** Every page of a stream, from `from` to 'done' (or `limit` pages). */
async function pagesOf(reader: SourceReader, stream: string, from?: SyncCheckpoint, limit = Infinity) {
  const pages: SourcePage[] = [];
  for await (const page of reader.read(stream, from, new AbortController().signal)) {
    pages.push(page);
    if (pages.length >= limit) break;
  }
  return pages;
}

async function readAll(reader: SourceReader): Promise<Map<string, SourcePage[]>> {
  const streams = reader.streams();
  // Concurrently, as the engine may: streams are independent.
  const all = await Promise.all(streams.map((s) => pagesOf(reader, s)));
  return new Map(streams.map((s, i) => [s, all[i] ?? []]));
}

const recordsOf = (pages: readonly SourcePage[]) => pages.flatMap((p) => p.records);
const resources = (records: readonly AccessRecord[], type: string) =>
  new Set(records.flatMap((r) => (r.kind === 'resource' && r.resource.type === type ? [r.resource.id] : [])));
const grantsTo = (records: readonly AccessRecord[], resourcePrefix: string, slug: string) =>
  records.filter(
    (r) =>
      r.kind === 'grant' &&
      r.grant.entitlementId.startsWith(`${CONNECTION}:${resourcePrefix}:`) &&
      r.grant.entitlementId.endsWith(`:${slug}`),
  );
const sorted = (records: readonly AccessRecord[]) => records.map((r) => JSON.stringify(r)).sort();

function expectEveryStreamDone(pagesByStream: Map<string, SourcePage[]>) {
  for (const [stream, pages] of pagesByStream) {
    expect(pages.length, stream).toBeGreaterThan(0);
    expect(pages.at(-1)?.checkpoint, stream).toBe('done');
    expect(
      pages.slice(0, -1).every((p) => p.checkpoint !== 'done'),
      stream,
    ).toBe(true);
  }
}

async function expectCounts(env: ReturnType<typeof setup>, kind: ConnectionKind) {
  const stats = await env.stats();
  const pagesByStream = await readAll(env.reader(kind));
  expectEveryStreamDone(pagesByStream);
  const records = [...pagesByStream.values()].flatMap(recordsOf);
  const siteStats = (product: 'jira' | 'confluence', deployment: 'cloud' | 'dc') => {
    const found = stats.sites.find((s) => s.name === env.site(product, deployment).name);
    if (!found) throw new Error('no site stats');
    return found;
  };
  const orgStats = stats.orgs[0];
  if (!orgStats) throw new Error('no org stats');
  switch (kind) {
    case 'atlassian-org':
      expect(resources(records, 'user').size).toBe(orgStats.users);
      expect(resources(records, 'group').size).toBe(orgStats.groups);
      expect(grantsTo(records, 'group', 'member').length).toBe(orgStats.memberships);
      expect(resources(records, 'team').size).toBe(orgStats.teams);
      expect(grantsTo(records, 'team', 'member').length).toBe(orgStats.teamMembers);
      expect(grantsTo(records, 'workspace', 'access:jira-software').length).toBeGreaterThan(0);
      expect(
        records.some((r) => r.kind === 'grant' && r.grant.entitlementId.endsWith(':role:atlassian/org-admin')),
      ).toBe(true);
      break;
    case 'jira-cloud': {
      const s = siteStats('jira', 'cloud');
      expect(resources(records, 'user').size).toBe(s.users);
      expect(resources(records, 'group').size).toBe(s.groups);
      expect(resources(records, 'project').size).toBe(s.projects);
      expect(grantsTo(records, 'group', 'member').length).toBe(orgStats.memberships);
      expect(grantsTo(records, 'project', 'role:Administrators').length).toBeGreaterThan(0);
      break;
    }
    case 'confluence-cloud': {
      const s = siteStats('confluence', 'cloud');
      expect(resources(records, 'group').size).toBe(s.groups);
      expect(resources(records, 'space').size).toBe(s.spaces);
      expect(grantsTo(records, 'group', 'member').length).toBe(orgStats.memberships);
      expect(resources(records, 'user').size).toBe(s.users);
      expect(grantsTo(records, 'space', 'permission:read:space').length).toBeGreaterThan(0);
      break;
    }
    case 'jira-dc': {
      const s = siteStats('jira', 'dc');
      expect(resources(records, 'user').size).toBe(s.users);
      expect(resources(records, 'group').size).toBe(s.groups);
      expect(grantsTo(records, 'group', 'member').length).toBe(s.memberships);
      expect(resources(records, 'project').size).toBe(s.projects);
      expect(grantsTo(records, 'project', 'role:Administrators').length).toBeGreaterThan(0);
      expect(grantsTo(records, 'application_role', 'licence:jira-software').length).toBeGreaterThan(0);
      break;
    }
    case 'confluence-dc': {
      const s = siteStats('confluence', 'dc');
      expect(resources(records, 'user').size).toBe(s.users);
      expect(resources(records, 'group').size).toBe(s.groups);
      expect(grantsTo(records, 'group', 'member').length).toBe(s.memberships);
      expect(resources(records, 'space').size).toBe(s.spaces);
      expect(grantsTo(records, 'space', 'permission:read:space').length).toBeGreaterThan(0);
      break;
    }
  }
  // No record carries a secret.
  const text = JSON.stringify(records);
  for (const value of env.secrets) expect(text.includes(value), 'a secret appears in a record').toBe(false);
  return pagesByStream;
}

const KINDS: ConnectionKind[] = ['atlassian-org', 'jira-cloud', 'confluence-cloud', 'jira-dc', 'confluence-dc'];

describe.each(['small', 'medium'] as const)('source readers on the %s preset', (preset) => {
  it.each(KINDS)('%s: every stream reads to done and the counts equal /_sim/stats', async (kind) => {
    const env = setup(preset);
    // Rate limits are the pacer's business (tested there); here they would only add retries.
    await env.control('/scenario', { rateLimit: false });
    await expectCounts(env, kind);
    expect(env.outcomes.every((o) => o.ok)).toBe(true);
  });
});

describe('resuming from a checkpoint', () => {
  it.each(KINDS)(
    '%s: stopping after any page and resuming with a fresh reader gives the straight read',
    async (kind) => {
      const env = setup('small');
      await env.control('/scenario', { rateLimit: false });
      let resumedSomewhere = 0;
      for (const stream of env.reader(kind).streams()) {
        const straight = await pagesOf(env.reader(kind), stream);
        for (let k = 1; k < straight.length; k++) {
          const head = await pagesOf(env.reader(kind), stream, undefined, k);
          const checkpoint = head.at(-1)?.checkpoint;
          if (checkpoint === undefined || checkpoint === 'done') throw new Error(`page ${k} of ${stream} ended it`);
          // Through JSON, as the store keeps it.
          const stored = JSON.parse(JSON.stringify(checkpoint)) as SyncCheckpoint;
          const tail = await pagesOf(env.reader(kind), stream, stored);
          expect(tail.at(-1)?.checkpoint).toBe('done');
          expect(sorted([...recordsOf(head), ...recordsOf(tail)]), `${stream} resumed after page ${k}`).toEqual(
            sorted(recordsOf(straight)),
          );
          resumedSomewhere++;
        }
      }
      // The test must have resumed somewhere: every kind has a stream of several pages (a nested one at least).
      expect(resumedSomewhere).toBeGreaterThan(2);
    },
  );

  it('medium: group members resumed in the middle of a group that spans pages', async () => {
    const env = setup('medium');
    await env.control('/scenario', { rateLimit: false });
    const straight = await pagesOf(env.reader('jira-dc'), 'group-members');
    const k = straight.findIndex((p) => p.checkpoint !== 'done' && p.checkpoint.cursor !== undefined) + 1;
    expect(k).toBeGreaterThan(0);
    const head = await pagesOf(env.reader('jira-dc'), 'group-members', undefined, k);
    const checkpoint = head.at(-1)?.checkpoint;
    if (!checkpoint || checkpoint === 'done') throw new Error('no checkpoint');
    expect(checkpoint.cursor).toBeDefined();
    const tail = await pagesOf(env.reader('jira-dc'), 'group-members', checkpoint);
    expect(sorted([...recordsOf(head), ...recordsOf(tail)])).toEqual(sorted(recordsOf(straight)));
  });

  it('a checkpoint of another stream is refused', async () => {
    const env = setup('small');
    await expect(pagesOf(env.reader('jira-cloud'), 'users', { phase: 'groups' })).rejects.toThrow(/phase/);
  });
});

describe('gateway auth mode', () => {
  it('jira-cloud reads through {gateway}/ex/jira/{cloudId} with the site cloud id', async () => {
    const env = setup('small');
    await env.control('/scenario', { rateLimit: false });
    const cloudId = env.sim.state.world.cloudSites[0]?.cloudId ?? '';
    const gateway = { authMode: 'gateway' as const, gatewayUrl: 'http://sim.local', cloudId };
    const created = createSourceReader('jira-cloud', { ...env.optionsFor('jira-cloud'), ...gateway });
    if (!created.ok) throw new Error(created.error.message);
    const pages = await pagesOf(created.value, 'projects');
    const stats = await env.stats();
    const projects = stats.sites.find((s) => s.name === env.site('jira', 'cloud').name)?.projects;
    expect(resources(recordsOf(pages), 'project').size).toBe(projects);
    expect(env.outcomes.length).toBeGreaterThan(0);
  });

  it('refuses a gateway-mode cloud connection without its cloud id, before sending anything', () => {
    const env = setup('small');
    const created = createSourceReader('jira-cloud', { ...env.optionsFor('jira-cloud'), authMode: 'gateway' });
    expect(created.ok).toBe(false);
    expect(created.ok ? undefined : created.error.code).toBe('bad_url');
    expect(env.outcomes).toEqual([]);
  });
});

describe('faults', () => {
  it.each(KINDS)('%s: with a fifth of requests failing with 500/503 the read still ends complete', async (kind) => {
    const env = setup('small');
    await env.control('/scenario', { rateLimit: false, faultRate: 0.2, faultKinds: ['500', '503'] });
    await expectCounts(env, kind);
    // The faults happened and were retried away.
    expect(env.outcomes.reduce((sum, o) => sum + o.retries, 0)).toBeGreaterThan(0);
  });

  it.each(KINDS)(
    '%s: with tight rate limits and faults, 429s are waited out and the read still ends complete',
    async (kind) => {
      // The Admin API limits per path, and the small org fits each list in one page: the medium one pages.
      const env = setup(kind === 'atlassian-org' ? 'medium' : 'small');
      await env.control('/scenario', {
        rateLimit: { cloudRps: 3, adminRps: 3, dcMax: 3, dcFillRate: 3 },
        faultRate: 0.1,
        faultKinds: ['500', '503'],
      });
      await expectCounts(env, kind);
      expect(env.outcomes.reduce((sum, o) => sum + o.rateLimited, 0)).toBeGreaterThan(0);
    },
  );

  it('a request that keeps failing ends the read with the AtlassianError', async () => {
    const env = setup('small');
    await env.control('/scenario', { rateLimit: false, faultRate: 1, faultKinds: ['500'] });
    await expect(pagesOf(env.reader('jira-cloud'), 'users')).rejects.toMatchObject({ code: 'server_error' });
  });
});
