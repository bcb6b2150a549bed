import type { SimState } from '../../state.ts';
import type { Org, OrgUser } from '../../world/types.ts';
import { PRODUCT_NAMES, productGrants } from './product-access.ts';

/** The avatar Atlassian serves for an account (the same host Jira's `avatarUrls` use). */
export function pictureOf(user: OrgUser): string {
  return `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${user.accountId}/128`;
}

/**
 * `User` of `GET /v1/orgs/{orgId}/users`. Why snake_case: the v1 managed-accounts API predates the camelCase v2
 * directory API and was never changed (Atlassian's own ticket AX-241 complains about it, API-NOTES §2.2).
 */
export function orgUserV1(state: SimState, org: Org, userIdx: number): Record<string, unknown> {
  const user = org.users[userIdx];
  if (!user) throw new Error(`no user ${userIdx}`);
  const grants = productGrants(state, org, userIdx);
  const body: Record<string, unknown> = {
    account_id: user.accountId,
    account_type: user.accountType,
    account_status: user.status,
    name: user.name,
    picture: pictureOf(user),
  };
  // App accounts have no email; Atlassian omits the property rather than sending null.
  if (user.email) body['email'] = user.email;
  body['access_billable'] = user.accountType === 'atlassian' && user.status === 'active' && grants.length > 0;
  if (user.lastActive) body['last_active'] = user.lastActive;
  body['product_access'] = grants.map((g) => {
    const product: Record<string, unknown> = { key: g.key, name: PRODUCT_NAMES[g.key], url: g.url };
    if (user.lastActive) product['last_active'] = user.lastActive;
    return product;
  });
  // The self link points at the account's profile in the user-management API, which lives beside the Admin API.
  body['links'] = { self: `${state.baseUrl}/users/${user.accountId}/manage/profile` };
  return body;
}
