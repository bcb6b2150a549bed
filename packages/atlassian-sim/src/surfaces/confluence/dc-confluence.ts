import type { SimState } from '../../state.ts';
import type { Principal } from '../../behaviour/tokens.ts';
import type { DcInstance, DcUser } from '../../world/types.ts';
import { dcPath } from '../../site-directory.ts';
import { ANONYMOUS_VIEWER, groupsOfUser, type SpaceViewer } from './space-access.ts';

/** The group whose members are Confluence administrators (and so see every space), as on a stock install. */
export const DC_ADMIN_GROUP = 'confluence-administrators';
/** The group that holds the product licence. */
export const DC_USERS_GROUP = 'confluence-users';

/**
 * One Confluence Data Center instance as its routes see it. Data Center identifies users by username and user key,
 * never by accountId. The world is read through `state` on every call.
 */
export interface DcConfluence {
  state: SimState;
  instanceIdx: number;
  instance(): DcInstance;
  /** `_links.base`: the instance URL including its context path. */
  base: string;
  /** `_links.context`: the context path alone, e.g. `/confluence`. */
  context: string;
  userIdxOf(principal: Principal | undefined): number | undefined;
  userOf(principal: Principal | undefined): DcUser | undefined;
  /** System administrator or member of confluence-administrators. */
  isAdmin(userIdx: number | undefined): boolean;
  viewer(principal: Principal | undefined): SpaceViewer;
}

export function createDcConfluence(state: SimState, instanceIdx: number): DcConfluence {
  const instance = (): DcInstance => {
    const found = state.world.dcInstances[instanceIdx];
    if (!found) throw new Error(`no DC instance ${instanceIdx}`);
    return found;
  };
  const { name, contextPath } = instance();
  const userIdxOf = (principal: Principal | undefined): number | undefined =>
    principal?.kind === 'dc-user' && principal.instanceIdx === instanceIdx ? principal.userIdx : undefined;
  const isAdmin = (userIdx: number | undefined): boolean => {
    if (userIdx === undefined) return false;
    if (instance().users[userIdx]?.admin) return true;
    return instance().groups.some((g) => g.name === DC_ADMIN_GROUP && g.members.includes(userIdx));
  };
  return {
    state,
    instanceIdx,
    instance,
    base: `${state.baseUrl}${dcPath(name, contextPath)}`,
    context: contextPath,
    userIdxOf,
    userOf: (principal) => {
      const idx = userIdxOf(principal);
      return idx === undefined ? undefined : instance().users[idx];
    },
    isAdmin,
    viewer: (principal) => {
      const idx = userIdxOf(principal);
      if (idx === undefined) return ANONYMOUS_VIEWER;
      return { userIdx: idx, groups: groupsOfUser(instance().groups, idx, (g) => g.name), admin: isAdmin(idx) };
    },
  };
}
