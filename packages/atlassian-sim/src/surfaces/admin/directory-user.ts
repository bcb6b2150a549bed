import type { SimState } from '../../state.ts';
import type { Org, OrgUser } from '../../world/types.ts';
import { orgIndex } from './org-index.ts';
import { pictureOf } from './org-user-v1.ts';
import { productGrants } from './product-access.ts';

/** `expand` values of the v2 user search (`MultiDirectoryUserSearchRequest.expand` in the spec). */
export const USER_EXPANDS = ['platformRoles', 'counts.resources', 'productAccess', 'groups'] as const;
export type UserExpand = (typeof USER_EXPANDS)[number];

export const USER_STATUSES = ['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion'] as const;
export type DirectoryUserStatus = (typeof USER_STATUSES)[number];

export const MEMBERSHIP_STATUSES = ['active', 'suspended', 'no_membership'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const PLATFORM_ROLES = [
  'atlassian/org-admin',
  'atlassian/site-admin',
  'atlassian/user-access-admin',
  'atlassian/ai-access',
] as const;

/**
 * Whether an account is listed by the v2 directory APIs. Why apps are not: directories hold people (the spec's
 * `MultiDirectoryUser.accountType` enum is `atlassian` only); app accounts only show in v1 `GET …/users`.
 */
export function inDirectory(user: OrgUser): boolean {
  return user.accountType === 'atlassian';
}

/** The user's status in the directory: deactivated accounts stay listed; closed ones await deletion. */
export function directoryStatus(user: OrgUser): DirectoryUserStatus {
  return user.status === 'active' ? 'active' : user.status === 'inactive' ? 'deactivated' : 'for_deletion';
}

export function membershipStatus(user: OrgUser): MembershipStatus {
  return user.status === 'closed' ? 'no_membership' : 'active';
}

/** MFA is not in the world model; a stable function of the account keeps filters and listings consistent. */
export function mfaEnabled(userIdx: number): boolean {
  return userIdx % 4 !== 3;
}

export function platformRoles(org: Org, userIdx: number): string[] {
  const roles = new Set<string>();
  for (const a of orgIndex(org).rolesByUser.get(userIdx) ?? []) if (a.role === 'atlassian/org-admin') roles.add(a.role);
  for (const g of orgIndex(org).groupsByUser.get(userIdx) ?? [])
    if (org.groups[g]?.grantsSiteAdmin) roles.add('atlassian/site-admin');
  return [...roles];
}

/** Distinct resources (org, site products) the user holds a role on: `counts.resources`. */
export function resourceCount(org: Org, userIdx: number): number {
  return new Set((orgIndex(org).rolesByUser.get(userIdx) ?? []).map((a) => a.resource)).size;
}

/** `MultiDirectoryUser` (camelCase, unlike v1), with the expansions the request asked for. */
export function directoryUser(
  state: SimState,
  base: string,
  org: Org,
  userIdx: number,
  expand: ReadonlySet<UserExpand>,
): Record<string, unknown> {
  const user = org.users[userIdx];
  if (!user) throw new Error(`no user ${userIdx}`);
  const body: Record<string, unknown> = {
    accountId: user.accountId,
    accountType: user.accountType,
    accountStatus: user.status,
    status: directoryStatus(user),
    membershipStatus: membershipStatus(user),
    name: user.name,
    nickname: user.nickname,
    picture: pictureOf(user),
    avatar: pictureOf(user),
    addedToOrg: user.addedToOrg,
    claimStatus: 'managed',
    managementSource: 'invited',
    mfaEnabled: mfaEnabled(userIdx),
    timeZone: user.timeZone,
  };
  if (user.email) {
    body['email'] = user.email;
    body['emailVerified'] = true;
  }
  if (user.jobTitle) body['jobTitle'] = user.jobTitle;
  if (user.department) body['department'] = user.department;
  if (expand.has('platformRoles')) body['platformRoles'] = platformRoles(org, userIdx);
  if (expand.has('productAccess')) {
    body['productAccess'] = productGrants(state, org, userIdx).map((g) => {
      const access: Record<string, unknown> = { id: g.resource, key: g.key };
      if (user.lastActive) access['lastActiveTimestamp'] = user.lastActive;
      return access;
    });
  }
  if (expand.has('groups')) {
    body['groups'] = (orgIndex(org).groupsByUser.get(userIdx) ?? []).map((g) => ({
      id: org.groups[g]?.id,
      name: org.groups[g]?.name ?? null,
    }));
  }
  if (expand.has('counts.resources')) body['counts'] = { resources: resourceCount(org, userIdx) };
  body['links'] = { self: `${base}/v2/orgs/${org.id}/directories/${user.directoryId}/users/${user.accountId}` };
  return body;
}
