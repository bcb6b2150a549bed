import type { OrgGroup, OrgUser } from '../../world/types.ts';

/**
 * Confluence Cloud v1 (`/wiki/rest/api`) user and group representations. v1 users are identified by accountId only
 * (usernames and user keys were removed from Cloud for GDPR) and are typed `known`, `anonymous`, `unknown` or `user`.
 */

export function v1User(user: OrgUser, base: string): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    type: 'known',
    accountId: user.accountId,
    accountType: user.accountType,
  };
  // App accounts have no email; for people it is present (a profile-visibility setting can blank it on real sites).
  if (user.email !== undefined && user.accountType === 'atlassian') bean['email'] = user.email;
  Object.assign(bean, {
    publicName: user.nickname,
    profilePicture: { path: `/wiki/aa-avatar/${user.accountId}`, width: 48, height: 48, isDefault: false },
    displayName: user.name,
    isExternalCollaborator: false,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `${base}/rest/api/user?accountId=${encodeURIComponent(user.accountId)}` },
  });
  return bean;
}

/** What `user/current` answers to a caller without credentials: 200 with the anonymous user, not 401. */
export function v1AnonymousUser(base: string): Record<string, unknown> {
  return {
    type: 'anonymous',
    profilePicture: {
      path: '/wiki/s/-1/images/icons/profilepics/anonymous.svg',
      width: 48,
      height: 48,
      isDefault: true,
    },
    displayName: 'Anonymous',
    isExternalCollaborator: false,
    _expandable: { operations: '' },
    _links: { self: `${base}/rest/api/user/anonymous` },
  };
}

export function v1Group(group: OrgGroup, base: string): Record<string, unknown> {
  return {
    type: 'group',
    name: group.name,
    id: group.id,
    _links: { self: `${base}/rest/api/group/by-id?id=${group.id}` },
  };
}
