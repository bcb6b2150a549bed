import type { DcGroup, DcUser, Space, SpacePermission } from '../../world/types.ts';

/**
 * Confluence Data Center representations (`/rest/api`). Users are `Person`s typed `known` with username and userKey;
 * links are absolute for `self` and relative to `_links.base` elsewhere.
 */

export interface DcLinks {
  base: string;
  context: string;
}

export function dcPerson(user: DcUser, links: DcLinks): Record<string, unknown> {
  return {
    type: 'known',
    username: user.name,
    userKey: user.key,
    profilePicture: {
      path: `${links.context}/images/icons/profilepics/default.svg`,
      width: 48,
      height: 48,
      isDefault: true,
    },
    displayName: user.displayName,
    _links: { self: `${links.base}/rest/api/user?key=${user.key}` },
    _expandable: { status: '' },
  };
}

/** `user/current` without credentials: the anonymous Person, with 200. */
export function dcAnonymousPerson(links: DcLinks): Record<string, unknown> {
  return {
    type: 'anonymous',
    profilePicture: {
      path: `${links.context}/images/icons/profilepics/anonymous.svg`,
      width: 48,
      height: 48,
      isDefault: true,
    },
    displayName: 'Anonymous',
    _links: { self: `${links.base}/rest/api/user/anonymous` },
  };
}

export function dcGroup(group: DcGroup, links: DcLinks): Record<string, unknown> {
  return {
    type: 'group',
    name: group.name,
    _links: { self: `${links.base}/rest/api/group/${encodeURIComponent(group.name)}` },
  };
}

/** Data Center has only global and personal spaces; Cloud's knowledge-base type shows up as global there. */
export function dcSpaceType(space: Space): 'global' | 'personal' {
  return space.type === 'personal' ? 'personal' : 'global';
}

export function dcSpace(space: Space, links: DcLinks): Record<string, unknown> {
  const key = encodeURIComponent(space.key);
  return {
    // Why a number: Data Center space ids are longs on the wire, where Cloud v2 sends strings.
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: dcSpaceType(space),
    status: space.status,
    _expandable: {
      settings: `/rest/api/space/${key}/settings`,
      metadata: '',
      operations: '',
      lookAndFeel: `/rest/api/settings/lookandfeel?spaceKey=${key}`,
      identifiers: '',
      permissions: '',
      icon: '',
      description: '',
      theme: `/rest/api/space/${key}/theme`,
      history: '',
      homepage: `/rest/api/content/${space.homepageId}`,
    },
    _links: {
      webui: `/display/${key}`,
      collection: '/rest/api/space',
      base: links.base,
      context: links.context,
      self: `${links.base}/rest/api/space/${key}`,
    },
  };
}

/**
 * One entry of `GET /rest/api/space/{key}/permissions`: the subject is the Person or Group itself (both implement
 * Confluence's `Subject`), or the anonymous Person for an anonymous grant.
 */
export function dcSpacePermission(
  permission: SpacePermission,
  space: Space,
  users: readonly DcUser[],
  groups: readonly DcGroup[],
  links: DcLinks,
): Record<string, unknown> | undefined {
  const principal = permission.principal;
  let subject: Record<string, unknown>;
  switch (principal.type) {
    case 'user': {
      const user = users[principal.idx];
      if (!user) return undefined;
      subject = dcPerson(user, links);
      break;
    }
    case 'group': {
      const group = groups.find((g) => g.name === principal.groupId);
      if (!group) return undefined;
      subject = dcGroup(group, links);
      break;
    }
    case 'anonymous':
      subject = dcAnonymousPerson(links);
      break;
  }
  return {
    subject,
    operation: { operationKey: permission.operation.key, targetType: permission.operation.target },
    spaceKey: space.key,
    spaceId: Number(space.id),
  };
}
