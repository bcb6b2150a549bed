import type { SimState } from '../../../state.ts';
import { jiraError } from '../../errors.ts';
import { intParam, type RouteContext, type Router } from '../../route.ts';
import type { JiraSite } from '../jira-site.ts';
import { ADMIN_REQUIRED } from './cloud-user-routes.ts';
import { groupMemberPage } from './group-members.ts';
import type { DirectoryGroup, JiraDirectory } from './jira-directory.ts';
import { matchesUserQuery } from './user-match.ts';

/** DC's groups/picker returns this many groups unless told otherwise (jira.ajax.autocomplete.limit). */
const GROUP_PICKER_DEFAULT = 20;

function byLowerName<T>(name: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = name(a).toLowerCase();
    const y = name(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Data Center user and group lookups (`/rest/api/2`): users by username/key, groups by name. */
export function registerDcUserRoutes(
  router: Router,
  state: SimState,
  jira: JiraSite,
  directory: () => JiraDirectory,
): void {
  void state;
  const api = '/rest/api/2';
  const caller = (ctx: RouteContext) => jira.principalUserRef(ctx.principal);
  let usersByName: number[] | undefined;

  // A bare array: callers page with startAt/maxResults and stop at a short page.
  router.get(`${api}/user/search`, (ctx) => {
    const dir = directory();
    const username = ctx.query.get('username') ?? '';
    if (username === '') return jiraError(400, ['The username query parameter was not provided']);
    const includeActive = ctx.query.get('includeActive') !== 'false';
    const includeInactive = ctx.query.get('includeInactive') === 'true';
    if (!includeActive && !includeInactive)
      return jiraError(400, ["At least one of 'includeActive' or 'includeInactive' parameters must be true"]);
    if (!dir.canBrowseUsers(caller(ctx))) return ctx.json(200, '[]');
    const startAt = intParam(ctx.query, 'startAt', 0);
    const maxResults = intParam(ctx.query, 'maxResults', 50, 1000);
    usersByName ??= dir.users.map((_, i) => i).sort(byLowerName((i) => dir.users[i]?.ref ?? ''));
    // `.` and `*` are the well-known "everyone" searches on DC.
    const everyone = username === '.' || username === '*';
    const matches = usersByName.filter((idx) => {
      const user = dir.users[idx];
      if (!user || (user.active ? !includeActive : !includeInactive)) return false;
      return everyone || matchesUserQuery(username, [user.ref, user.displayName, user.email]);
    });
    return ctx.json(
      200,
      matches.slice(startAt, startAt + maxResults).flatMap((idx) => dir.userBeanAt(idx, 2) ?? []),
    );
  });

  router.get(`${api}/user`, (ctx) => {
    const dir = directory();
    const username = ctx.query.get('username');
    const key = ctx.query.get('key');
    const idx =
      username !== null ? dir.indexOf(username) : key !== null ? dir.users.findIndex((u) => u.key === key) : -1;
    const bean = idx === undefined || idx < 0 ? undefined : dir.userBeanAt(idx, 2);
    if (idx === undefined || idx < 0 || !bean) {
      return jiraError(404, [
        username !== null
          ? `The user named '${username}' does not exist`
          : `The user with the key '${key ?? ''}' does not exist`,
      ]);
    }
    const expand = new Set((ctx.query.get('expand') ?? '').split(','));
    const groups = dir.groups.filter((g) => g.members.includes(idx)).sort(byLowerName((g) => g.name));
    return ctx.json(200, {
      ...bean,
      groups: {
        size: groups.length,
        items: expand.has('groups')
          ? groups.map((g) => ({
              name: g.name,
              self: `${jira.baseUrl}${api}/group?groupname=${encodeURIComponent(g.name)}`,
            }))
          : [],
      },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  });

  router.get(`${api}/group/member`, (ctx) => {
    const dir = directory();
    const groupname = ctx.query.get('groupname') ?? '';
    if (groupname === '') return jiraError(400, ['The group name must not be empty.']);
    if (!jira.isAdmin(caller(ctx))) return jiraError(403, [ADMIN_REQUIRED]);
    const group = dir.groupByName(groupname);
    if (!group) return jiraError(404, [`The group '${groupname}' does not exist.`]);
    const page = groupMemberPage(dir, group, {
      includeInactive: ctx.query.get('includeInactiveUsers') === 'true',
      startAt: intParam(ctx.query, 'startAt', 0),
      maxResults: intParam(ctx.query, 'maxResults', 50, 50) || 50,
      version: 2,
      base: `${jira.baseUrl}${api}/group/member`,
      query: ctx.query,
    });
    return ctx.json(200, page);
  });

  let sortedGroups: DirectoryGroup[] | undefined;
  // The way to enumerate groups on DC: a picker with a header, a total and an HTML-highlighted name per group.
  router.get(`${api}/groups/picker`, (ctx) => {
    const dir = directory();
    sortedGroups ??= [...dir.groups].sort(byLowerName((g) => g.name));
    const query = (ctx.query.get('query') ?? '').toLowerCase();
    const exclude = new Set(ctx.query.getAll('exclude').map((e) => e.toLowerCase()));
    const maxResults = intParam(ctx.query, 'maxResults', GROUP_PICKER_DEFAULT);
    const matching = sortedGroups.filter(
      (g) => !exclude.has(g.name.toLowerCase()) && g.name.toLowerCase().includes(query),
    );
    const shown = matching.slice(0, maxResults);
    return ctx.json(200, {
      header: `Showing ${shown.length} of ${matching.length} matching groups`,
      total: matching.length,
      groups: shown.map((g) => ({ name: g.name, html: highlight(g.name, query), labels: [] })),
    });
  });
}

function highlight(name: string, query: string): string {
  if (query === '') return escapeHtml(name);
  const at = name.toLowerCase().indexOf(query);
  if (at < 0) return escapeHtml(name);
  return `${escapeHtml(name.slice(0, at))}<b>${escapeHtml(name.slice(at, at + query.length))}</b>${escapeHtml(name.slice(at + query.length))}`;
}
