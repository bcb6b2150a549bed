import type { Hono } from 'hono';
import type { SimState } from '../../state.ts';
import type { Org, Team } from '../../world/types.ts';
import { bearerAuth, cloudBasicAuth, createRouter, INVALID_JSON, intParam, type RouteContext } from '../route.ts';
import { adminProxyError } from '../errors.ts';
import { adminTooManyRequests } from '../admin/admin-errors.ts';
import { decodeCursor, encodeCursor, pageOf } from '../admin/cursor-token.ts';
import { teamBean } from './team-bean.ts';
import { teamsError } from './teams-errors.ts';

/** How the Teams API is reached: through a site's gateway (Basic email:token) or api.atlassian.com (org API key). */
export type TeamsVia = { kind: 'site'; siteIdx: number } | { kind: 'api' };

/** `size` of `GET …/teams`: default 50, at most 300 (Atlassian's documented bounds). */
export const TEAMS_DEFAULT_SIZE = 50;
export const TEAMS_MAX_SIZE = 300;
/** `first` of `POST …/members`: default and maximum 50, the same bound as the members add/remove bodies. */
export const MEMBERS_MAX_FIRST = 50;

function orgOf(ctx: RouteContext): Org | Response {
  const orgId = ctx.params['orgId'] ?? '';
  const principal = ctx.principal;
  const org = principal && principal.kind !== 'dc-user' ? ctx.state.world.orgs[principal.orgIdx] : undefined;
  // Another org's id answers like an unknown one, so a credential cannot probe for org ids.
  if (!org || org.id !== orgId) return teamsError('ORG_NOT_FOUND', `Organization ${orgId} was not found.`);
  return org;
}

/** The team in the path: 404 when it never existed, 410 Gone when it was deleted (API-NOTES §2.2). */
function teamOf(ctx: RouteContext, org: Org): Team | Response {
  const teamId = ctx.params['teamId'] ?? '';
  const team = org.teams.find((t) => t.teamId === teamId);
  if (!team) return teamsError('TEAM_NOT_FOUND', `Team ${teamId} was not found.`);
  if (team.deleted) return teamsError('TEAM_DELETED', `Team ${teamId} has been deleted.`);
  return team;
}

/** The Teams public API: teams (`entities` + `cursor`), members (POST, `pageInfo`), 410 for deleted teams. */
export function createTeamsApp(state: SimState, via: TeamsVia): Hono {
  const site = via.kind === 'site' ? state.world.cloudSites[via.siteIdx] : undefined;
  if (via.kind === 'site' && !site) throw new Error(`no cloud site ${via.kind === 'site' ? via.siteIdx : ''}`);
  const router = createRouter({
    state,
    family: 'teams',
    // Through a site, the gateway takes Basic email:API-token; on api.atlassian.com, the org API key as Bearer.
    authenticate: site ? cloudBasicAuth(state, site.orgIdx) : bearerAuth(state, (p) => p.kind === 'org-key'),
    // 401 and 429 come from Atlassian's gateway, in its ProxyError shape, before the Teams service is reached.
    unauthorized: () => adminProxyError(401, 'Unauthorized'),
    tooManyRequests: (_ctx, decision) => adminTooManyRequests(decision),
  });

  router.get('/v1/org/:orgId/teams', (ctx) => {
    const org = orgOf(ctx);
    if (org instanceof Response) return org;
    const siteId = ctx.query.get('siteId');
    // siteId is optional ("[Deprecated]" when omitted); when given it must be one of the org's sites.
    if (siteId && !state.world.cloudSites.some((s) => s.cloudId === siteId && state.world.orgs[s.orgIdx] === org)) {
      return teamsError('BAD_REQUEST', `Site ${siteId} does not belong to organization ${org.id}.`);
    }
    const size = Math.max(1, intParam(ctx.query, 'size', TEAMS_DEFAULT_SIZE, TEAMS_MAX_SIZE));
    const scope = `teams|${org.id}`;
    const cursor = ctx.query.get('cursor');
    const offset = cursor ? decodeCursor(scope, cursor) : 0;
    if (offset === undefined) return teamsError('BAD_REQUEST', `The cursor '${cursor ?? ''}' is not valid.`);
    // Deleted teams are not listed; they only answer 410 when addressed directly.
    const page = pageOf(
      org.teams.filter((t) => !t.deleted),
      offset,
      size,
    );
    return ctx.json(200, {
      entities: page.items.map((t) => teamBean(org, t)),
      // The last page says `cursor: null` rather than omitting it.
      cursor: page.nextOffset === undefined ? null : encodeCursor(scope, page.nextOffset),
    });
  });

  router.get('/v1/org/:orgId/teams/:teamId', (ctx) => {
    const org = orgOf(ctx);
    if (org instanceof Response) return org;
    const team = teamOf(ctx, org);
    if (team instanceof Response) return team;
    return ctx.json(200, teamBean(org, team));
  });

  // Members are fetched with POST and a GraphQL-style body ({first, after} -> pageInfo), unlike the team listing.
  router.post('/v1/org/:orgId/teams/:teamId/members', async (ctx) => {
    const org = orgOf(ctx);
    if (org instanceof Response) return org;
    const team = teamOf(ctx, org);
    if (team instanceof Response) return team;
    const body = await ctx.body();
    if (
      body === INVALID_JSON ||
      (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
    ) {
      return teamsError('BAD_REQUEST', 'The request body must be a JSON object.');
    }
    const fields = (body ?? {}) as Record<string, unknown>;
    const first = fields['first'] ?? MEMBERS_MAX_FIRST;
    const after = fields['after'] ?? null;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 1)
      return teamsError('BAD_REQUEST', 'first must be a positive integer.');
    if (after !== null && typeof after !== 'string') return teamsError('BAD_REQUEST', 'after must be a string.');
    const scope = `team-members|${team.teamId}`;
    const offset = after ? decodeCursor(scope, after) : 0;
    if (offset === undefined) return teamsError('BAD_REQUEST', `The cursor '${String(after)}' is not valid.`);
    // A larger `first` is served as the maximum page, not refused.
    const page = pageOf(team.members, offset, Math.min(first, MEMBERS_MAX_FIRST));
    const end = page.offset + page.items.length;
    return ctx.json(200, {
      results: page.items.flatMap((u) => {
        const user = org.users[u];
        return user ? [{ accountId: user.accountId }] : [];
      }),
      // endCursor points after the last result returned (null when the page is empty), as in GraphQL connections.
      pageInfo: {
        endCursor: page.items.length > 0 ? encodeCursor(scope, end) : null,
        hasNextPage: page.nextOffset !== undefined,
      },
    });
  });

  return router.app;
}
