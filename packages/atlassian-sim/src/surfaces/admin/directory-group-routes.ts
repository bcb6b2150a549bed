import type { Router, RouteContext } from '../route.ts';
import { INVALID_JSON } from '../route.ts';
import type { Org, OrgGroup } from '../../world/types.ts';
import { adminError } from './admin-errors.ts';
import { inDirectory } from './directory-user.ts';
import {
  GROUP_EXPANDS,
  GROUP_QUERY_LISTS,
  directoryGroup,
  readGroupSearch,
  searchGroups,
  type GroupSearch,
} from './group-search.ts';
import { adminBase, type OrgScope } from './org-access.ts';
import { resolveDirectory, serveDirectorySearch } from './directory-scope.ts';
import { invalidateOrgIndex, orgIndex } from './org-index.ts';
import { isRecord, querySource } from './request-fields.ts';
import { invalidRequest } from './v2-paging.ts';

function serveGroupSearch(ctx: RouteContext, search: GroupSearch): Response {
  return serveDirectorySearch(
    ctx,
    'groups',
    search,
    (org, directoryId) => searchGroups(org, directoryId, search),
    (base, org, g) => {
      const group = org.groups[g];
      return group ? [directoryGroup(base, org, group, search.expand)] : [];
    },
  );
}

/** The org, directory and group named in the path, or the 404 Atlassian answers. */
function resolveGroup(ctx: RouteContext): (OrgScope & { group: OrgGroup; groupIdx: number }) | Response {
  const scope = resolveDirectory(ctx);
  if (scope instanceof Response) return scope;
  const { directoryId } = scope;
  const groupId = ctx.params['groupId'] ?? '';
  const groupIdx = orgIndex(scope.org).groupById.get(groupId) ?? -1;
  const group = scope.org.groups[groupIdx];
  if (!group || (directoryId !== '-' && group.directoryId !== directoryId))
    return adminError('ADMIN-404-10', `Group ${groupId} was not found.`);
  return { ...scope, group, groupIdx };
}

function resolveMember(org: Org, accountId: string): number | Response {
  const userIdx = orgIndex(org).userByAccountId.get(accountId);
  const user = userIdx === undefined ? undefined : org.users[userIdx];
  if (userIdx === undefined || !user || !inDirectory(user))
    return adminError('ADMIN-404-8', `User ${accountId} was not found.`);
  return userIdx;
}

export function registerDirectoryGroupRoutes(router: Router): void {
  router.post('/v2/orgs/:orgId/directories/:directoryId/groups/search', async (ctx) => {
    const body = await ctx.body();
    if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
      return invalidRequest(['the request body must be a JSON object']);
    const search = readGroupSearch(body ?? {});
    return Array.isArray(search) ? invalidRequest(search) : serveGroupSearch(ctx, search);
  });

  // Deprecated like GET …/users. `counts` is an object parameter; both its deepObject and dotted spellings are read.
  router.get('/v2/orgs/:orgId/directories/:directoryId/groups', (ctx) => {
    const source = querySource(ctx.query, { lists: GROUP_QUERY_LISTS, integers: ['limit'] });
    const expand: string[] = [];
    const flag = (name: string) =>
      ctx.query.get(`counts[${name}]`) ?? ctx.query.get(`counts.${name}`) ?? ctx.query.get(name);
    if (flag('includeUsers') === 'true') expand.push('counts.users');
    if (flag('includeResources') === 'true') expand.push('counts.resources');
    for (const key of Object.keys(source))
      if (key.startsWith('counts') || key.startsWith('include') || key === 'sortBy') delete source[key];
    if (expand.length > 0) source['expand'] = expand.filter((e) => (GROUP_EXPANDS as readonly string[]).includes(e));
    const search = readGroupSearch(source);
    return Array.isArray(search) ? invalidRequest(search) : serveGroupSearch(ctx, search);
  });

  router.get('/v2/orgs/:orgId/directories/:directoryId/groups/:groupId', (ctx) => {
    const found = resolveGroup(ctx);
    if (found instanceof Response) return found;
    return ctx.json(200, { data: directoryGroup(adminBase(ctx), found.org, found.group, new Set(GROUP_EXPANDS)) });
  });

  /*
   * Memberships: the spec has no endpoint that lists a group's members. It offers adding (POST …/memberships,
   * body {accountId}) and removing (DELETE …/memberships/{accountId}); members are listed with the user search and
   * `groupIds`. Both writes are idempotent, answering 204 with no body.
   */
  router.post('/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships', async (ctx) => {
    const found = resolveGroup(ctx);
    if (found instanceof Response) return found;
    const body = await ctx.body();
    const accountId = isRecord(body) ? body['accountId'] : undefined;
    if (typeof accountId !== 'string' || accountId === '') return invalidRequest(['accountId is required']);
    const userIdx = resolveMember(found.org, accountId);
    if (userIdx instanceof Response) return userIdx;
    if (!found.group.members.includes(userIdx)) {
      // Member arrays stay sorted, as the generator builds them.
      const at = found.group.members.findIndex((m) => m > userIdx);
      found.group.members.splice(at < 0 ? found.group.members.length : at, 0, userIdx);
      invalidateOrgIndex(found.org);
    }
    return ctx.json(204, '');
  });

  router.delete('/v2/orgs/:orgId/directories/:directoryId/groups/:groupId/memberships/:accountId', (ctx) => {
    const found = resolveGroup(ctx);
    if (found instanceof Response) return found;
    const userIdx = resolveMember(found.org, ctx.params['accountId'] ?? '');
    if (userIdx instanceof Response) return userIdx;
    const at = found.group.members.indexOf(userIdx);
    if (at >= 0) {
      found.group.members.splice(at, 1);
      invalidateOrgIndex(found.org);
    }
    return ctx.json(204, '');
  });
}
