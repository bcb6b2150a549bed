import type { Space, SpacePermission } from '../../world/types.ts';

/**
 * Confluence's space permission check, shared by Cloud and Data Center. A space is visible when the caller (or one of
 * their groups, or anyone for an anonymous grant) holds `read` on it, or when the caller is a Confluence/site
 * administrator, who sees every space. Invisible spaces are not "forbidden": Confluence leaves them out of lists and
 * answers 404 on a direct get, so a caller cannot tell them from spaces that do not exist.
 */
export interface SpaceViewer {
  /** Index into the site's user list; undefined for an anonymous caller. */
  userIdx: number | undefined;
  /** Group references the caller belongs to: group ids on Cloud, group names on Data Center. */
  groups: ReadonlySet<string>;
  /** Site admin (Cloud) or member of confluence-administrators / system admin (Data Center). */
  admin: boolean;
}

export const ANONYMOUS_VIEWER: SpaceViewer = { userIdx: undefined, groups: new Set(), admin: false };

function grantsTo(permission: SpacePermission, viewer: SpaceViewer): boolean {
  const principal = permission.principal;
  switch (principal.type) {
    case 'user':
      return viewer.userIdx !== undefined && principal.idx === viewer.userIdx;
    case 'group':
      return viewer.groups.has(principal.groupId);
    case 'anonymous':
      return true;
  }
}

/** Whether the viewer holds `key` on the space itself (target `space`). */
export function hasSpacePermission(space: Space, viewer: SpaceViewer, key: 'read' | 'administer'): boolean {
  if (viewer.admin) return true;
  return space.permissions.some(
    (p) => p.operation.key === key && p.operation.target === 'space' && grantsTo(p, viewer),
  );
}

export function canReadSpace(space: Space, viewer: SpaceViewer): boolean {
  return hasSpacePermission(space, viewer, 'read');
}

/** Group references of one user, by scanning memberships (no cache, so writes elsewhere are seen at once). */
export function groupsOfUser<G extends { members: number[] }>(
  groups: readonly G[],
  userIdx: number,
  ref: (group: G) => string,
): Set<string> {
  const result = new Set<string>();
  for (const group of groups) if (group.members.includes(userIdx)) result.add(ref(group));
  return result;
}
