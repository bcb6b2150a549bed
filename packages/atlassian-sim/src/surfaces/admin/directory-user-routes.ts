import type { Router, RouteContext } from '../route.ts';
import { INVALID_JSON } from '../route.ts';
import { adminError } from './admin-errors.ts';
import { directoryUser, inDirectory, membershipStatus } from './directory-user.ts';
import { adminBase, type OrgScope } from './org-access.ts';
import { resolveDirectory, serveDirectorySearch } from './directory-scope.ts';
import type { OrgUser } from '../../world/types.ts';
import { orgIndex } from './org-index.ts';
import { createFieldReader, isRecord, querySource } from './request-fields.ts';
import { resourceIdOf, resourceOwnerOf, roleIdOf, ROLE_IDS } from './role-ids.ts';
import {
  readUserSearch,
  searchUsers,
  USER_QUERY_LISTS,
  V2_DEFAULT_LIMIT,
  V2_MAX_LIMIT,
  type UserSearch,
} from './user-search.ts';
import { invalidRequest, v2Links, v2Page } from './v2-paging.ts';

function serveUserSearch(ctx: RouteContext, search: UserSearch): Response {
  return serveDirectorySearch(
    ctx,
    'users',
    search,
    (org, directoryId) => searchUsers(org, directoryId, search),
    (base, org, i) => [directoryUser(ctx.state, base, org, i, search.expand)],
  );
}

/** The directory user in the path (`-` or their own directory), or 404 ADMIN-404-8. */
function resolveUser(ctx: RouteContext): (OrgScope & { userIdx: number; user: OrgUser }) | Response {
  const scope = resolveDirectory(ctx);
  if (scope instanceof Response) return scope;
  const { directoryId } = scope;
  const accountId = ctx.params['accountId'] ?? '';
  const userIdx = orgIndex(scope.org).userByAccountId.get(accountId) ?? -1;
  const user = scope.org.users[userIdx];
  if (!user || !inDirectory(user) || (directoryId !== '-' && user.directoryId !== directoryId)) {
    return adminError('ADMIN-404-8', `User ${accountId} was not found.`);
  }
  return { ...scope, userIdx, user };
}

export function registerDirectoryUserRoutes(router: Router): void {
  router.post('/v2/orgs/:orgId/directories/:directoryId/users/search', async (ctx) => {
    const body = await ctx.body();
    // The request body is optional in the spec: no body lists everyone.
    if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
      return invalidRequest(['the request body must be a JSON object']);
    const search = readUserSearch(body ?? {});
    return Array.isArray(search) ? invalidRequest(search) : serveUserSearch(ctx, search);
  });

  // Deprecated (Atlassian: "no longer work after June 30, 2027") but still served, with the same data as the search.
  router.get('/v2/orgs/:orgId/directories/:directoryId/users', (ctx) => {
    const source = querySource(ctx.query, { lists: USER_QUERY_LISTS, integers: ['limit'], booleans: ['mfaEnabled'] });
    // sortBy is an array of objects, which has no agreed query-string form; the listing order is kept instead.
    delete source['sortBy'];
    const search = readUserSearch(source);
    return Array.isArray(search) ? invalidRequest(search) : serveUserSearch(ctx, search);
  });

  router.get('/v2/orgs/:orgId/directories/:directoryId/users/:accountId', (ctx) => {
    const found = resolveUser(ctx);
    if (found instanceof Response) return found;
    const { org, userIdx } = found;
    // MultiDirectoryUserDetails: the profile with platform roles and counts, without groups, product access or links.
    const {
      groups: _groups,
      productAccess: _access,
      links: _links,
      ...details
    } = directoryUser(ctx.state, adminBase(ctx), org, userIdx, new Set(['platformRoles', 'counts.resources'] as const));
    return ctx.json(200, { data: details });
  });

  router.get('/v2/orgs/:orgId/directories/:directoryId/users/:accountId/role-assignments', (ctx) => {
    const found = resolveUser(ctx);
    if (found instanceof Response) return found;
    const { org, userIdx, user } = found;
    const accountId = user.accountId;
    const index = orgIndex(org);
    const r = createFieldReader(
      querySource(ctx.query, {
        lists: ['directoryIds', 'resourceOwners', 'resourceIds', 'roleIds'],
        integers: ['limit'],
      }),
    );
    const limit = r.integer('limit', 1, V2_MAX_LIMIT) ?? V2_DEFAULT_LIMIT;
    const cursor = r.string('cursor');
    const resourceOwners = r.stringList('resourceOwners', { max: 10 });
    const resourceIds = r.stringList('resourceIds', { max: 20 });
    const roleIds = r.stringList('roleIds', { max: 10, allowed: ROLE_IDS });
    const directoryIds = r.stringList('directoryIds', { max: 10 });
    if (r.problems.length > 0) return invalidRequest(r.problems);

    // One entry per resource, listing every role the user holds on it (the spec's MultiDirectoryUserRoleAssignment).
    const byResource = new Map<string, Set<string>>();
    for (const assignment of index.rolesByUser.get(userIdx) ?? []) {
      const resourceId = resourceIdOf(assignment.resource, org.id);
      const roles = byResource.get(resourceId) ?? new Set<string>();
      roles.add(roleIdOf(assignment.role));
      byResource.set(resourceId, roles);
    }
    const entries = [...byResource.entries()]
      .map(([resourceId, roles]) => ({ resourceId, resourceOwner: resourceOwnerOf(resourceId), roles: [...roles] }))
      .filter((e) => !resourceOwners || resourceOwners.includes(e.resourceOwner))
      .filter((e) => !resourceIds || resourceIds.includes(e.resourceId))
      .filter((e) => !roleIds || e.roles.some((role) => roleIds.includes(role)))
      .filter(() => !directoryIds || directoryIds.includes(user.directoryId));
    const cursorScope = `v2-role-assignments|${org.id}|${accountId}`;
    const page = v2Page(entries, cursorScope, cursor, limit);
    if (page instanceof Response) return page;
    return ctx.json(200, {
      data: page.items.map((e) => ({
        resourceId: e.resourceId,
        resourceOwner: e.resourceOwner,
        directoryId: user.directoryId,
        userDirectoryStatus: membershipStatus(user),
        roles: e.roles,
        roleAssignments: e.roles.map((role) => ({ role, roleAssignmentMethods: ['direct'] })),
      })),
      links: v2Links(cursorScope, page),
    });
  });
}
