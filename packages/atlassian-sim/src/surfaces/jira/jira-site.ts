import type { SimState } from '../../state.ts';
import type { Principal } from '../../behaviour/tokens.ts';
import type { DcUser, JiraData, OrgUser } from '../../world/types.ts';

/**
 * One Jira, cloud or Data Center, seen through the same lens so the issue machinery is written once. The
 * differences that matter on the wire are explicit here: the REST version, how users are identified (accountId
 * versus name/key) and the description format (ADF versus wiki markup).
 */
export interface JiraSite {
  deployment: 'cloud' | 'dc';
  /** Absolute base URL of the site, e.g. `http://127.0.0.1:4010/s/acme` or `.../dc/jira-dc-1/jira`. */
  baseUrl: string;
  data: JiraData;
  /** Whether a principal may act on this site at all. */
  principalUserRef(principal: Principal | undefined): string | undefined;
  /** Whether the user (by ref: accountId on cloud, username on DC) is a Jira administrator. */
  isAdmin(userRef: string | undefined): boolean;
  /** Group references (ids on cloud, names on DC) the user belongs to. */
  groupsOf(userRef: string): Set<string>;
  /** The user bean as Jira serializes it (cloud: accountId shape; DC: name/key shape). */
  userBean(userRef: string): Record<string, unknown> | undefined;
  /** Every user ref of the site in listing order. */
  userRefs(): string[];
}

export function cloudUserBean(
  state: SimState,
  baseUrl: string,
  user: OrgUser,
  restVersion: 2 | 3 = 3,
): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    self: `${baseUrl}/rest/api/${restVersion}/user?accountId=${user.accountId}`,
    accountId: user.accountId,
    accountType: user.accountType,
    avatarUrls: avatarUrls(user.accountId),
    displayName: user.name,
    // Deleted (closed) accounts are still listed by users/search, but inactive.
    active: user.status === 'active',
    timeZone: user.timeZone,
    locale: user.locale,
  };
  if (user.email && user.accountType === 'atlassian') bean['emailAddress'] = user.email;
  void state;
  return bean;
}

export function dcUserBean(baseUrl: string, user: DcUser): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/2/user?username=${encodeURIComponent(user.name)}`,
    key: user.key,
    name: user.name,
    emailAddress: user.emailAddress,
    avatarUrls: avatarUrls(user.key),
    displayName: user.displayName,
    active: user.active,
    deleted: false,
    timeZone: user.timeZone,
    locale: user.locale,
  };
}

function avatarUrls(seed: string): Record<string, string> {
  const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${seed}/48`;
  return {
    '48x48': base,
    '24x24': base.replace('/48', '/24'),
    '16x16': base.replace('/48', '/16'),
    '32x32': base.replace('/48', '/32'),
  };
}
