/** Role ids of the v2 Admin API (`RoleId` in the spec). */
export const ROLE_IDS = [
  'atlassian/user',
  'atlassian/admin',
  'atlassian/guest',
  'atlassian/customer',
  'atlassian/user-access-admin',
  'atlassian/contributor',
  'atlassian/basic',
  'atlassian/stakeholder',
  'atlassian/org-admin',
  'atlassian/site-admin',
  'atlassian/ai-access',
] as const;
export type RoleId = (typeof ROLE_IDS)[number];

/**
 * The world records roles per product (`jira/admin`, `confluence/user`); the v2 API names the role generically and
 * puts the product in `resourceOwner`/`resourceId` instead.
 */
export function roleIdOf(role: string): RoleId {
  if ((ROLE_IDS as readonly string[]).includes(role)) return role as RoleId;
  const suffix = role.slice(role.indexOf('/') + 1);
  return suffix === 'admin' ? 'atlassian/admin' : suffix === 'guest' ? 'atlassian/guest' : 'atlassian/user';
}

/** `jira`, `confluence` or `platform` (org-level roles) for a role assignment resource. */
export function resourceOwnerOf(resource: string): string {
  const match = /^ari:cloud:([a-z-]+)::/.exec(resource);
  return match?.[1] ?? 'platform';
}

/** The org-level resource ARI: the world stores org-wide roles with resource `org`. */
export function resourceIdOf(resource: string, orgId: string): string {
  return resource === 'org' ? `ari:cloud:platform::org/${orgId}` : resource;
}
