import type { RouteContext } from '../route.ts';
import type { Org } from '../../world/types.ts';
import { adminError } from './admin-errors.ts';

export interface OrgScope {
  org: Org;
  orgIdx: number;
}

/**
 * The org named in the path, if the caller's API key belongs to it. Atlassian answers `404 ADMIN-404-2` both for an
 * org that does not exist and for one the key has no access to (API-NOTES §4), so a key cannot probe for org ids.
 */
export function resolveOrg(ctx: RouteContext): OrgScope | Response {
  const orgId = ctx.params['orgId'] ?? '';
  const principal = ctx.principal;
  const orgIdx = principal?.kind === 'org-key' ? principal.orgIdx : -1;
  const org = ctx.state.world.orgs[orgIdx];
  if (!org || org.id !== orgId) return adminError('ADMIN-404-2', `Organization ${orgId} was not found.`);
  return { org, orgIdx };
}

/** The Admin API's base URL inside the simulator (stands in for https://api.atlassian.com/admin). */
export function adminBase(ctx: RouteContext): string {
  return `${ctx.state.baseUrl}/admin`;
}
