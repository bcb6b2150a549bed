import type { SimState } from '../../state.ts';
import type { Principal } from '../../behaviour/tokens.ts';
import type { CloudSite, Org, OrgUser } from '../../world/types.ts';
import { cloudConfluencePath } from '../../site-directory.ts';
import { ANONYMOUS_VIEWER, groupsOfUser, type SpaceViewer } from './space-access.ts';

/**
 * One Confluence Cloud site as its routes see it. Users and groups are the organization's; a user belongs to the
 * site when their `siteAccess` includes it. The world is read through `state` on every call, so a reset or a write
 * made by another surface is seen at once.
 */
export interface CloudConfluence {
  state: SimState;
  siteIdx: number;
  site(): CloudSite;
  org(): Org;
  /** `_links.base`: the site URL with its `/wiki` context path. */
  base: string;
  /** Secret for this site's v2 cursors. */
  cursorSecret: string;
  /** The authenticated caller's account, if any. */
  userOf(principal: Principal | undefined): OrgUser | undefined;
  viewer(principal: Principal | undefined): SpaceViewer;
}

export function createCloudConfluence(state: SimState, siteIdx: number): CloudConfluence {
  const site = (): CloudSite => {
    const found = state.world.cloudSites[siteIdx];
    if (!found) throw new Error(`no cloud site ${siteIdx}`);
    return found;
  };
  const org = (): Org => {
    const found = state.world.orgs[site().orgIdx];
    if (!found) throw new Error(`no org for cloud site ${siteIdx}`);
    return found;
  };
  const host = site().host;
  const userIdxOf = (principal: Principal | undefined): number | undefined =>
    principal?.kind === 'cloud-user' && principal.orgIdx === site().orgIdx ? principal.userIdx : undefined;
  return {
    state,
    siteIdx,
    site,
    org,
    base: `${state.baseUrl}${cloudConfluencePath(host)}`,
    cursorSecret: `confluence-cloud|${state.world.seed}|${host}`,
    userOf: (principal) => {
      const idx = userIdxOf(principal);
      return idx === undefined ? undefined : org().users[idx];
    },
    viewer: (principal) => {
      const idx = userIdxOf(principal);
      const user = idx === undefined ? undefined : org().users[idx];
      // An account without product access to this site sees nothing, whatever its groups say.
      if (idx === undefined || !user?.siteAccess.includes(siteIdx)) return ANONYMOUS_VIEWER;
      const groups = groupsOfUser(org().groups, idx, (g) => g.id);
      const admin = org().groups.some((g) => g.grantsSiteAdmin && groups.has(g.id));
      return { userIdx: idx, groups, admin };
    },
  };
}
