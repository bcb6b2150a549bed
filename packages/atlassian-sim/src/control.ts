import { Hono, type Context } from 'hono';
import type { SimState } from './state.ts';
import { createRandom } from './random.ts';
import { FAULT_KINDS, type FaultKind } from './behaviour/faults.ts';
import { issueToken, type Principal } from './behaviour/tokens.ts';
import { listSites } from './site-directory.ts';
import { statusCategoryName } from './world/jira-status.ts';

/**
 * The control API under `/_sim`: what tests, the demo and the benchmarks use to inspect and steer the simulator.
 * It is not part of any Atlassian API and needs no credentials.
 */

export function computeStats(state: SimState) {
  const { world } = state;
  return {
    orgs: world.orgs.map((org) => {
      const liveTeams = org.teams.filter((t) => !t.deleted);
      return {
        id: org.id,
        users: org.users.length,
        groups: org.groups.length,
        memberships: org.groups.reduce((sum, g) => sum + g.members.length, 0),
        teams: liveTeams.length,
        teamMembers: liveTeams.reduce((sum, t) => sum + t.members.length, 0),
      };
    }),
    sites: listSites(state).map((entry) => {
      if (entry.deployment === 'cloud') {
        const site = world.cloudSites[entry.index];
        const org = site ? world.orgs[site.orgIdx] : undefined;
        const users = org ? org.users.filter((u) => u.siteAccess.includes(entry.index)).length : 0;
        const groups = org?.groups.length ?? 0;
        if (entry.product === 'jira') {
          return {
            name: entry.name,
            users,
            groups,
            projects: site?.jira.projects.length ?? 0,
            issues: site?.jira.issues.length ?? 0,
          };
        }
        return {
          name: entry.name,
          users,
          groups,
          projects: 0,
          spaces: site?.confluence.spaces.length ?? 0,
          pages: site?.confluence.pages.length ?? 0,
          issues: 0,
        };
      }
      const instance = world.dcInstances[entry.index];
      return {
        name: entry.name,
        users: instance?.users.length ?? 0,
        groups: instance?.groups.length ?? 0,
        memberships: instance?.groups.reduce((sum, g) => sum + g.members.length, 0) ?? 0,
        projects: instance?.jira.projects.length ?? 0,
        spaces: instance?.spaces.length ?? 0,
        issues: instance?.jira.issues.length ?? 0,
        apps: instance?.apps.length ?? 0,
        appLinks: instance?.appLinks.length ?? 0,
      };
    }),
  };
}

interface TokenRequest {
  /** Org id (cloud token or admin key) or DC instance / site name. */
  org?: string;
  site?: string;
  /** accountId or email (cloud), username (DC). Absent with `kind: 'org-key'`. */
  user?: string;
  kind?: 'cloud' | 'org-key' | 'dc';
  /** ISO date-time or epoch ms. */
  expiresAt?: string | number;
  expiresInSeconds?: number;
}

function badRequest(message: string): Response {
  return Response.json({ error: message }, { status: 400 });
}

function resolvePrincipal(state: SimState, body: TokenRequest): Principal | string {
  const { world } = state;
  const siteEntry = body.site ? listSites(state).find((s) => s.name === body.site) : undefined;
  if (body.site && !siteEntry) return `unknown site '${body.site}'`;
  if (siteEntry?.deployment === 'dc' || body.kind === 'dc') {
    if (!siteEntry) return 'site is required for a Data Center token';
    const instance = world.dcInstances[siteEntry.index];
    const userIdx = instance?.users.findIndex((u) => u.name === body.user || u.emailAddress === body.user) ?? -1;
    if (userIdx < 0) return `unknown user '${body.user ?? ''}' on ${siteEntry.name}`;
    return { kind: 'dc-user', instanceIdx: siteEntry.index, userIdx };
  }
  const orgIdx = siteEntry
    ? (world.cloudSites[siteEntry.index]?.orgIdx ?? 0)
    : body.org
      ? world.orgs.findIndex((o) => o.id === body.org)
      : 0;
  if (orgIdx < 0) return `unknown org '${body.org ?? ''}'`;
  if (body.kind === 'org-key') return { kind: 'org-key', orgIdx };
  const org = world.orgs[orgIdx];
  const needle = (body.user ?? '').toLowerCase();
  const userIdx = org?.users.findIndex((u) => u.accountId === body.user || u.email?.toLowerCase() === needle) ?? -1;
  if (userIdx < 0) return `unknown user '${body.user ?? ''}'`;
  return { kind: 'cloud-user', orgIdx, userIdx };
}

export function createControlApp(state: SimState): Hono {
  const app = new Hono();
  const tokenRandom = createRandom(`issued-${state.world.seed}`);

  app.get('/stats', (c) => c.json(computeStats(state)));

  app.post('/tokens', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as TokenRequest | undefined;
    if (!body || typeof body !== 'object') return badRequest('body must be a JSON object');
    const principal = resolvePrincipal(state, body);
    if (typeof principal === 'string') return badRequest(principal);
    let expiresAt: number | undefined;
    if (body.expiresInSeconds !== undefined) expiresAt = state.now() + body.expiresInSeconds * 1000;
    else if (body.expiresAt !== undefined)
      expiresAt = typeof body.expiresAt === 'number' ? body.expiresAt : Date.parse(body.expiresAt);
    if (expiresAt !== undefined && Number.isNaN(expiresAt)) return badRequest('expiresAt is not a date');
    const token = issueToken(tokenRandom, principal.kind);
    state.tokens.add(token, principal, expiresAt);
    const org = principal.kind === 'dc-user' ? undefined : state.world.orgs[principal.orgIdx];
    const user = principal.kind === 'cloud-user' ? org?.users[principal.userIdx] : undefined;
    const dcUser =
      principal.kind === 'dc-user'
        ? state.world.dcInstances[principal.instanceIdx]?.users[principal.userIdx]
        : undefined;
    return c.json(
      {
        token,
        kind: principal.kind,
        ...(user ? { email: user.email, accountId: user.accountId } : {}),
        ...(dcUser ? { username: dcUser.name } : {}),
        expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
      },
      201,
    );
  });

  const tokenAction = (action: 'revoke' | 'expire') => async (c: Context) => {
    const body = (await c.req.json().catch(() => undefined)) as { token?: unknown } | undefined;
    if (typeof body?.token !== 'string') return badRequest('token is required');
    const done = action === 'revoke' ? state.tokens.revoke(body.token) : state.tokens.expire(body.token);
    return done
      ? c.json({ token: `••••${body.token.slice(-4)}`, [action === 'revoke' ? 'revoked' : 'expired']: true })
      : c.json({ error: 'unknown token' }, 404);
  };
  app.post('/tokens/revoke', tokenAction('revoke'));
  app.post('/tokens/expire', tokenAction('expire'));

  app.get('/scenario', (c) => c.json({ faults: state.faults, rateLimits: state.rateLimits }));
  app.post('/scenario', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return badRequest('body must be a JSON object');
    const num = (key: string, min: number, max: number): number | undefined | string => {
      const v = body[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
        return `${key} must be a number from ${min} to ${max}`;
      return v;
    };
    const latency = num('latencyMs', 0, 60_000);
    const jitter = num('jitterMs', 0, 60_000);
    const rate = num('faultRate', 0, 1);
    for (const v of [latency, jitter, rate]) if (typeof v === 'string') return badRequest(v);
    if (typeof latency === 'number') state.faults.latencyMs = latency;
    if (typeof jitter === 'number') state.faults.jitterMs = jitter;
    if (typeof rate === 'number') state.faults.faultRate = rate;
    if (body['faultKinds'] !== undefined) {
      const kinds = body['faultKinds'];
      if (!Array.isArray(kinds) || !kinds.every((k): k is FaultKind => (FAULT_KINDS as readonly unknown[]).includes(k)))
        return badRequest(`faultKinds must be a list of ${FAULT_KINDS.join(', ')}`);
      state.faults.faultKinds = kinds;
    }
    const limits = body['rateLimit'];
    if (limits === false || limits === 'off') state.rateLimits.enabled = false;
    else if (limits !== undefined) {
      if (typeof limits !== 'object' || limits === null) return badRequest('rateLimit must be false or an object');
      const l = limits as Record<string, unknown>;
      state.rateLimits.enabled = l['enabled'] !== false;
      for (const key of ['cloudRps', 'adminRps', 'dcMax', 'dcFillRate'] as const) {
        const v = l[key];
        if (v === undefined) continue;
        if (typeof v !== 'number' || v <= 0) return badRequest(`rateLimit.${key} must be a positive number`);
        state.rateLimits[key] = v;
      }
    }
    state.buckets.clear();
    return c.json({ faults: state.faults, rateLimits: state.rateLimits });
  });

  app.get('/requests', (c) => {
    const byRoute: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const [key, count] of state.requestCounts) {
      const lastSpace = key.lastIndexOf(' ');
      const route = key.slice(0, lastSpace);
      const status = key.slice(lastSpace + 1);
      (byRoute[route] ??= {})[status] = count;
      total += count;
    }
    return c.json({ total, byRoute });
  });

  app.get('/issues', (c) => {
    const siteName = c.req.query('site');
    const projectKey = c.req.query('project');
    const entries = listSites(state).filter((s) => s.product === 'jira' && (!siteName || s.name === siteName));
    if (siteName && entries.length === 0) return c.json({ error: `unknown Jira site '${siteName}'` }, 404);
    const issues = entries.flatMap((entry) => {
      const jira =
        entry.deployment === 'cloud'
          ? state.world.cloudSites[entry.index]?.jira
          : state.world.dcInstances[entry.index]?.jira;
      if (!jira) return [];
      const projects = new Map(jira.projects.map((p) => [p.id, p]));
      const statuses = new Map(jira.statuses.map((s) => [s.id, s]));
      return jira.issues
        .filter((i) => !projectKey || projects.get(i.projectId)?.key === projectKey)
        .map((i) => {
          const status = statuses.get(i.statusId);
          return {
            site: entry.name,
            id: i.id,
            key: i.key,
            project: projects.get(i.projectId)?.key,
            issueTypeId: i.issueTypeId,
            status: status?.name,
            statusCategory: status ? statusCategoryName(status.category) : undefined,
            labels: Array.isArray(i.fields['labels']) ? i.fields['labels'] : [],
            fields: i.fields,
            properties: Object.fromEntries(i.properties),
            comments: i.comments.length,
            attachments: i.attachments.map((a) => ({
              id: a.id,
              filename: a.filename,
              mimeType: a.mimeType,
              size: a.content.byteLength,
            })),
            created: i.created,
            updated: i.updated,
          };
        });
    });
    return c.json({ total: issues.length, issues });
  });

  app.post('/reset', async (c) => {
    await state.reset();
    return c.json({ reset: true });
  });

  app.notFound((c) => c.json({ error: `unknown control route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  return app;
}
