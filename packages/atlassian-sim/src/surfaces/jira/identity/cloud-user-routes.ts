import type { SimState } from '../../../state.ts';
import { jiraError } from '../../errors.ts';
import { intParam, type RouteContext, type Router } from '../../route.ts';
import type { JiraSite } from '../jira-site.ts';
import { groupMemberPage } from './group-members.ts';
import type { DirectoryGroup, JiraDirectory } from './jira-directory.ts';
import { offsetPage } from './offset-page.ts';
import { matchesUserQuery } from './user-match.ts';

/** user/search stops at the thousandth match (spec: "up to the thousandth user"). */
const USER_SEARCH_CAP = 1000;

/** Message of Jira Cloud's 403 on group/bulk (an example Atlassian wrote in the spec). */
export const BROWSE_GROUPS_FORBIDDEN = 'Browse users and groups permission is required to view groups.';
/** The text Jira answers admin-only operations with. */
export const ADMIN_REQUIRED = 'You are not authorized to perform this action. Administrator privileges are required.';

/** Cloud user and group lookups: user/search, user, group/bulk, group/member. Users are identified by accountId. */
export function registerCloudUserRoutes(
  router: Router,
  state: SimState,
  jira: JiraSite,
  version: 2 | 3,
  directory: () => JiraDirectory,
): void {
  void state;
  const api = `/rest/api/${version}`;
  const caller = (ctx: RouteContext) => jira.principalUserRef(ctx.principal);

  router.get(
    `${api}/user/search`,
    (ctx) => {
      const dir = directory();
      const query = ctx.query.get('query') ?? '';
      const accountId = ctx.query.get('accountId') ?? '';
      const property = ctx.query.get('property') ?? '';
      if (query === '' && accountId === '' && property === '')
        return jiraError(400, ["The query parameter 'query', 'accountId' or 'property' must be provided."]);
      if (query !== '' && accountId !== '')
        return jiraError(400, ["The 'query' and 'accountId' parameters cannot be used together."]);
      // Anonymous callers and users without Browse users and groups get an empty list, not an error (spec).
      if (!dir.canBrowseUsers(caller(ctx))) return ctx.json(200, '[]');
      const startAt = intParam(ctx.query, 'startAt', 0);
      const maxResults = intParam(ctx.query, 'maxResults', 50, USER_SEARCH_CAP);
      const matches: number[] = [];
      if (accountId !== '') {
        const idx = dir.indexOf(accountId);
        if (idx !== undefined && dir.users[idx]?.onSite) matches.push(idx);
      } else if (query !== '') {
        for (const [idx, user] of dir.users.entries()) {
          if (matches.length >= USER_SEARCH_CAP) break;
          // "Returns a list of active users that match the search string".
          if (user.onSite && user.active && matchesUserQuery(query, [user.displayName, user.email])) matches.push(idx);
        }
      }
      return ctx.json(
        200,
        matches.slice(startAt, startAt + maxResults).flatMap((idx) => dir.userBeanAt(idx, version) ?? []),
      );
    },
    { access: 'anonymous-if-site-allows' },
  );

  router.get(`${api}/user`, (ctx) => {
    const dir = directory();
    const accountId = ctx.query.get('accountId') ?? '';
    // Cloud dropped username/key lookups (GDPR); without accountId Jira answers 400 with this text.
    if (accountId === '') return jiraError(400, ["The 'accountId' query parameter needs to be provided"]);
    if (!dir.canBrowseUsers(caller(ctx)))
      return jiraError(403, ['Browse users and groups permission is required to view users.']);
    const idx = dir.indexOf(accountId);
    const bean = idx === undefined ? undefined : dir.userBeanAt(idx, version);
    if (idx === undefined || !bean)
      return jiraError(404, [`Specified user does not exist or you do not have required permissions`]);
    const expand = new Set((ctx.query.get('expand') ?? '').split(','));
    const groups = dir.groups.filter((g) => g.members.includes(idx));
    return ctx.json(200, {
      ...bean,
      groups: { size: groups.length, items: expand.has('groups') ? groups.map((g) => groupName(dir, g, version)) : [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  });

  let sortedGroups: DirectoryGroup[] | undefined;
  router.get(`${api}/group/bulk`, (ctx) => {
    const dir = directory();
    if (!dir.canBrowseUsers(caller(ctx))) return jiraError(403, [BROWSE_GROUPS_FORBIDDEN]);
    const accessType = ctx.query.get('accessType');
    if (accessType !== null && !['site-admin', 'admin', 'user'].includes(accessType))
      return jiraError(400, [`Invalid accessType '${accessType}'. Valid values: 'site-admin', 'admin', 'user'.`]);
    sortedGroups ??= [...dir.groups].sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
    );
    const ids = new Set(ctx.query.getAll('groupId'));
    const names = new Set(ctx.query.getAll('groupName').map((n) => n.toLowerCase()));
    const selected = sortedGroups.filter((g) => {
      if (ids.size > 0 || names.size > 0) {
        if (!ids.has(g.id) && !names.has(g.name.toLowerCase())) return false;
      }
      if (accessType === 'site-admin' || accessType === 'admin') return g.grantsAdmin;
      // Product access groups grant "user" access to the site's products.
      if (accessType === 'user') return /^(jira-software|confluence)-users-/.test(g.name);
      return true;
    });
    const startAt = intParam(ctx.query, 'startAt', 0);
    const maxResults = intParam(ctx.query, 'maxResults', 50, 1000) || 50;
    const page = offsetPage(selected, startAt, maxResults, `${jira.baseUrl}${api}/group/bulk`, ctx.query);
    return ctx.json(200, { ...page, values: page.values.map((g) => ({ name: g.name, groupId: g.id })) });
  });

  router.get(`${api}/group/member`, (ctx) => {
    const dir = directory();
    const groupId = ctx.query.get('groupId') ?? '';
    const groupname = ctx.query.get('groupname') ?? '';
    if (groupId === '' && groupname === '') return jiraError(400, ['You must specify a group name or a group id.']);
    if (groupId !== '' && groupname !== '')
      return jiraError(400, ['You must specify either a group name or a group id, not both.']);
    // Needs Administer Jira (spec: 403 "if the calling user does not have the Administer Jira global permission").
    if (!jira.isAdmin(caller(ctx))) return jiraError(403, [ADMIN_REQUIRED]);
    const group = groupId !== '' ? dir.groupById(groupId) : dir.groupByName(groupname);
    if (!group)
      return jiraError(404, [
        groupId !== '' ? `Group with groupId '${groupId}' does not exist.` : `Group '${groupname}' does not exist.`,
      ]);
    const startAt = intParam(ctx.query, 'startAt', 0);
    // maxResults must be between 1 and 50: larger values are clamped, 0 falls back to the default.
    const maxResults = intParam(ctx.query, 'maxResults', 50, 50) || 50;
    const page = groupMemberPage(dir, group, {
      includeInactive: ctx.query.get('includeInactiveUsers') === 'true',
      startAt,
      maxResults,
      version,
      base: `${jira.baseUrl}${api}/group/member`,
      query: ctx.query,
    });
    return ctx.json(200, page);
  });
}

function groupName(dir: JiraDirectory, g: DirectoryGroup, version: 2 | 3): Record<string, unknown> {
  return { name: g.name, groupId: g.id, self: `${dir.jira.baseUrl}/rest/api/${version}/group?groupId=${g.id}` };
}
