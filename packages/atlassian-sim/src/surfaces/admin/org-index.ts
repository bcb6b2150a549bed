import type { Org, RoleAssignment } from '../../world/types.ts';

/**
 * Lookups the Admin API needs per account and group, derived from the world's index arrays. Built lazily per org
 * and rebuilt after writes, so the `large` preset pays for them only when an Admin client asks.
 */
export interface OrgIndex {
  userByAccountId: Map<string, number>;
  groupById: Map<string, number>;
  /** Group indexes per user index. */
  groupsByUser: Map<number, number[]>;
  rolesByUser: Map<number, RoleAssignment[]>;
  /** Every account's index, in listing order: v1 `orgs/{id}/users` pages through it. */
  allUsers: number[];
  /**
   * Unfiltered v2 user searches per directory (`-` for all), filled on first use. Why kept: clients walk the whole
   * directory a page at a time, and rescanning 50,000 accounts for each of 500 pages made the simulator, not the
   * client, the slow side of a benchmark.
   */
  unfilteredSearches: Map<string, readonly number[]>;
}

interface CachedIndex {
  index: OrgIndex;
  fingerprint: string;
}

const cache = new WeakMap<Org, CachedIndex>();

/**
 * O(1) on purpose: it is checked on every lookup, inside loops over 50,000 users. Membership writes go through the
 * Admin routes, which call `invalidateOrgIndex`; a regenerated world brings new Org objects and so a new entry.
 */
function fingerprintOf(org: Org): string {
  return `${org.users.length}/${org.groups.length}/${org.roleAssignments.length}`;
}

function buildIndex(org: Org): OrgIndex {
  const userByAccountId = new Map<string, number>();
  for (const [i, user] of org.users.entries()) userByAccountId.set(user.accountId, i);
  const groupById = new Map<string, number>();
  const groupsByUser = new Map<number, number[]>();
  for (const [g, group] of org.groups.entries()) {
    groupById.set(group.id, g);
    for (const member of group.members) {
      const list = groupsByUser.get(member);
      if (list) list.push(g);
      else groupsByUser.set(member, [g]);
    }
  }
  const rolesByUser = new Map<number, RoleAssignment[]>();
  for (const assignment of org.roleAssignments) {
    const list = rolesByUser.get(assignment.userIdx);
    if (list) list.push(assignment);
    else rolesByUser.set(assignment.userIdx, [assignment]);
  }
  return {
    userByAccountId,
    groupById,
    groupsByUser,
    rolesByUser,
    allUsers: org.users.map((_, i) => i),
    unfilteredSearches: new Map(),
  };
}

export function orgIndex(org: Org): OrgIndex {
  const fingerprint = fingerprintOf(org);
  const cached = cache.get(org);
  if (cached?.fingerprint === fingerprint) return cached.index;
  const index = buildIndex(org);
  cache.set(org, { index, fingerprint });
  return index;
}

/** Called after every membership write, which the fingerprint does not see. */
export function invalidateOrgIndex(org: Org): void {
  cache.delete(org);
}
