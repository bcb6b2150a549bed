import type { Router, RouteContext } from '../route.ts';
import { INVALID_JSON } from '../route.ts';
import type { Org } from '../../world/types.ts';
import { adminError } from './admin-errors.ts';
import { decodeCursor, encodeCursor, pageOf } from './cursor-token.ts';
import { resolveOrg } from './org-access.ts';
import { orgIndex } from './org-index.ts';
import { createFieldReader, isRecord, type FieldReader } from './request-fields.ts';
import { invalidRequest } from './v2-paging.ts';

/**
 * The deprecated v1 searches (`POST /v1/orgs/{orgId}/users/search` and `/groups/search`), in the Jul 2026 spec and
 * removed from the Aug 2026 one. Why they differ from `GET /v1/orgs/{orgId}/users`: camelCase fields, and
 * `links.next` is a bare cursor TOKEN (`"MDNlZWRm…"`), not a URL; Atlassian's ticket AX-241 complains about both.
 */

const V1_SEARCH_DEFAULT_LIMIT = 100;

/** A `{contains, eq[]}` text filter (`EmailDomains`, `NamesOrNicknames`, `GroupNames`). */
interface TextFilter {
  contains?: string;
  eq?: string[];
}

function readTextFilter(r: FieldReader, source: Record<string, unknown>, name: string): TextFilter | undefined {
  const value = source[name];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    r.problems.push(`${name} must be an object with contains and/or eq`);
    return undefined;
  }
  const inner = createFieldReader(value);
  const filter: TextFilter = {};
  const contains = inner.string('contains');
  const eq = inner.stringList('eq', { max: 100, unique: true });
  if (contains !== undefined) filter.contains = contains.toLowerCase();
  if (eq !== undefined) filter.eq = eq.map((e) => e.toLowerCase());
  r.problems.push(...inner.problems.map((p) => `${name}.${p}`));
  return filter;
}

function textMatches(filter: TextFilter | undefined, ...candidates: string[]): boolean {
  if (!filter) return true;
  const values = candidates.map((c) => c.toLowerCase());
  if (filter.contains !== undefined && !values.some((v) => v.includes(filter.contains ?? ''))) return false;
  if (filter.eq && !values.some((v) => filter.eq?.includes(v))) return false;
  return true;
}

async function readBody(ctx: RouteContext): Promise<Record<string, unknown> | Response> {
  const body = await ctx.body();
  if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
    return invalidRequest(['the request body must be a JSON object']);
  return body ?? {};
}

function searchPage<T>(all: readonly T[], scope: string, cursor: string | undefined, limit: number) {
  let offset = 0;
  if (cursor !== undefined && cursor !== '') {
    const decoded = decodeCursor(scope, cursor);
    if (decoded === undefined) return adminError('ADMIN-400-1', `The cursor '${cursor}' is not valid.`);
    offset = decoded;
  }
  const page = pageOf(all, offset, limit);
  const links: Record<string, string> = { self: encodeCursor(scope, page.offset) };
  if (page.prevOffset !== undefined) links['prev'] = encodeCursor(scope, page.prevOffset);
  if (page.nextOffset !== undefined) links['next'] = encodeCursor(scope, page.nextOffset);
  return { items: page.items, links };
}

function searchUsersV1(ctx: RouteContext, org: Org, source: Record<string, unknown>): Response {
  const r = createFieldReader(source);
  const limit = r.integer('limit', 1, 10_000) ?? V1_SEARCH_DEFAULT_LIMIT;
  const cursor = r.string('cursor');
  const accountIds = r.stringList('accountIds', { max: 100, unique: true });
  const statuses = r.stringList('accountStatuses', { max: 2, allowed: ['ACTIVE', 'INACTIVE'], unique: true });
  const types = r.stringList('accountTypes', { max: 3, allowed: ['atlassian', 'customer', 'app'], unique: true });
  const expand = new Set(
    r.stringList('expand', {
      max: 5,
      allowed: ['NAME', 'EMAIL', 'EMAIL_VERIFIED', 'PRODUCT_LAST_ACCESS', 'GROUPS'],
      unique: true,
    }) ?? [],
  );
  const suspended = r.boolean('isSuspended');
  const emailDomains = readTextFilter(r, source, 'emailDomains');
  const emailUsernames = readTextFilter(r, source, 'emailUsernames');
  const names = readTextFilter(r, source, 'namesOrNicknames');
  if (r.problems.length > 0) return invalidRequest(r.problems);

  const index = orgIndex(org);
  const matches = org.users.flatMap((user, i) => {
    const [local = '', domain = ''] = (user.email ?? '').split('@');
    const ok =
      (!accountIds || accountIds.includes(user.accountId)) &&
      (!statuses || statuses.includes(user.status === 'active' ? 'ACTIVE' : 'INACTIVE')) &&
      (!types || types.includes(user.accountType)) &&
      // Nobody in the world is suspended from the org.
      suspended !== true &&
      (!emailDomains || (user.email !== undefined && textMatches(emailDomains, domain))) &&
      (!emailUsernames || (user.email !== undefined && textMatches(emailUsernames, local))) &&
      textMatches(names, user.name, user.nickname);
    return ok ? [i] : [];
  });
  const page = searchPage(matches, `v1-users-search|${org.id}`, cursor, limit);
  if (page instanceof Response) return page;
  return ctx.json(200, {
    data: page.items.map((i) => {
      const user = org.users[i];
      if (!user) return {};
      // Without `expand`, only the identity fields come back (Atlassian's own example shows exactly these three).
      const bean: Record<string, unknown> = {
        accountId: user.accountId,
        accountStatus: user.status,
        accountType: user.accountType,
      };
      if (expand.has('NAME')) Object.assign(bean, { name: user.name, nickname: user.nickname });
      if (expand.has('EMAIL') && user.email) bean['email'] = user.email;
      if (expand.has('EMAIL_VERIFIED') && user.email) bean['emailVerified'] = true;
      if (expand.has('GROUPS'))
        bean['groups'] = (index.groupsByUser.get(i) ?? []).map((g) => ({
          id: org.groups[g]?.id,
          name: org.groups[g]?.name,
        }));
      if (expand.has('PRODUCT_LAST_ACCESS') && user.lastActive) bean['productLastAccess'] = user.lastActive;
      return bean;
    }),
    links: page.links,
  });
}

function searchGroupsV1(ctx: RouteContext, org: Org, source: Record<string, unknown>): Response {
  const r = createFieldReader(source);
  const limit = r.integer('limit', 1, 1000) ?? V1_SEARCH_DEFAULT_LIMIT;
  const cursor = r.string('cursor');
  const groupIds = r.stringList('groupIds', { max: 100, unique: true });
  const expand = new Set(
    r.stringList('expand', {
      max: 4,
      allowed: ['USERS', 'META', 'ROLE_ASSIGNMENTS', 'MANAGEMENT_ACCESS'],
      unique: true,
    }) ?? [],
  );
  const names = readTextFilter(r, source, 'groupNames');
  if (r.problems.length > 0) return invalidRequest(r.problems);
  const matches = org.groups.filter((g) => (!groupIds || groupIds.includes(g.id)) && textMatches(names, g.name));
  const page = searchPage(matches, `v1-groups-search|${org.id}`, cursor, limit);
  if (page instanceof Response) return page;
  return ctx.json(200, {
    data: page.items.map((group) => {
      const bean: Record<string, unknown> = { id: group.id, name: group.name, description: group.description };
      // Groups in the world grant no roles directly.
      if (expand.has('ROLE_ASSIGNMENTS')) bean['roleAssignments'] = [];
      if (expand.has('MANAGEMENT_ACCESS'))
        bean['managementAccess'] = { readable: true, modifiable: true, deletable: !group.grantsSiteAdmin };
      if (expand.has('META')) bean['meta'] = { memberCount: group.members.length };
      return bean;
    }),
    links: page.links,
  });
}

export function registerV1SearchRoutes(router: Router): void {
  router.post('/v1/orgs/:orgId/users/search', async (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const body = await readBody(ctx);
    return body instanceof Response ? body : searchUsersV1(ctx, scope.org, body);
  });
  router.post('/v1/orgs/:orgId/groups/search', async (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const body = await readBody(ctx);
    return body instanceof Response ? body : searchGroupsV1(ctx, scope.org, body);
  });
}
