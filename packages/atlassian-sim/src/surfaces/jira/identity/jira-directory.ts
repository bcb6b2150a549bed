import type { SimState } from '../../../state.ts';
import type { CloudSite, DcInstance, Org } from '../../../world/types.ts';
import { cloudUserBean, dcUserBean, type JiraSite } from '../jira-site.ts';

/** One user of the directory a Jira reads: an org account (cloud) or an instance user (DC). */
export interface DirectoryUser {
  /** accountId on cloud, username on DC: what `JiraSite` calls a user ref. */
  ref: string;
  /** DC only: the immutable user key (`JIRAUSER10101`). */
  key?: string;
  displayName: string;
  email: string | undefined;
  active: boolean;
  /** Whether the user can log in to this Jira at all (site product access on cloud; every DC user). */
  onSite: boolean;
}

/** A group as Jira sees it. On DC the name is the id: DC groups have no ids on the wire. */
export interface DirectoryGroup {
  id: string;
  name: string;
  /** Indexes into the directory's users. */
  members: number[];
  grantsAdmin: boolean;
}

/**
 * The user and group directory behind one Jira, resolved from the world by the identity of `jira.data`, so the
 * identity routes can map the world's member indexes (project role actors, group members) to user refs without
 * widening `JiraSite`.
 */
export interface JiraDirectory {
  jira: JiraSite;
  users: readonly DirectoryUser[];
  groups: readonly DirectoryGroup[];
  indexOf(ref: string): number | undefined;
  refAt(idx: number): string | undefined;
  groupById(id: string): DirectoryGroup | undefined;
  /** Jira group names are case-insensitive. */
  groupByName(name: string): DirectoryGroup | undefined;
  /** Serialized user bean for any directory user (also org users without site access, e.g. group members). */
  userBeanAt(idx: number, version: 2 | 3): Record<string, unknown> | undefined;
  /**
   * Jira's *Browse users and groups* global permission. Jira grants it by default to the product's default access
   * group (`jira-software-users-<site>` on cloud, `jira-software-users` on DC) and to administrators.
   */
  canBrowseUsers(ref: string | undefined): boolean;
  /** Whether the site lets anonymous callers browse (cloud only; DC instances here never do). */
  anonymousBrowse: boolean;
  /** Project lead / actor display for DC-style (`name`) or cloud-style (`accountId`) role actors. */
  deployment: 'cloud' | 'dc';
}

export function createJiraDirectory(state: SimState, jira: JiraSite): JiraDirectory {
  const site = state.world.cloudSites.find((s) => s.jira === jira.data);
  if (site) {
    const org = state.world.orgs[site.orgIdx];
    if (!org) throw new Error(`no org ${site.orgIdx}`);
    return cloudDirectory(state, jira, site, org);
  }
  const instance = state.world.dcInstances.find((d) => d.jira === jira.data);
  if (!instance) throw new Error(`no world entity behind ${jira.baseUrl}`);
  return dcDirectory(jira, instance);
}

function cloudDirectory(state: SimState, jira: JiraSite, site: CloudSite, org: Org): JiraDirectory {
  const siteIdx = state.world.cloudSites.indexOf(site);
  const users: DirectoryUser[] = org.users.map((u) => ({
    ref: u.accountId,
    displayName: u.name,
    email: u.email,
    active: u.status === 'active',
    onSite: u.siteAccess.includes(siteIdx),
  }));
  const groups: DirectoryGroup[] = org.groups.map((g) => ({
    id: g.id,
    name: g.name,
    members: g.members,
    grantsAdmin: g.grantsSiteAdmin,
  }));
  const browseGroup = groups.find((g) => g.name === `jira-software-users-${site.host}`)?.id;
  return finish(jira, users, groups, site.anonymousAccess, browseGroup, (idx, version) => {
    const user = org.users[idx];
    return user ? cloudUserBean(state, jira.baseUrl, user, version) : undefined;
  });
}

function dcDirectory(jira: JiraSite, instance: DcInstance): JiraDirectory {
  const users: DirectoryUser[] = instance.users.map((u) => ({
    ref: u.name,
    key: u.key,
    displayName: u.displayName,
    email: u.emailAddress,
    active: u.active,
    onSite: true,
  }));
  const groups: DirectoryGroup[] = instance.groups.map((g) => ({
    id: g.name,
    name: g.name,
    members: g.members,
    grantsAdmin: g.name.endsWith('-administrators'),
  }));
  return finish(jira, users, groups, false, 'jira-software-users', (idx) => {
    const user = instance.users[idx];
    return user ? dcUserBean(jira.baseUrl, user) : undefined;
  });
}

function finish(
  jira: JiraSite,
  users: DirectoryUser[],
  groups: DirectoryGroup[],
  anonymousBrowse: boolean,
  browseGroupId: string | undefined,
  userBeanAt: JiraDirectory['userBeanAt'],
): JiraDirectory {
  const byRef = new Map(users.map((u, i) => [u.ref, i]));
  const byId = new Map(groups.map((g) => [g.id, g]));
  const byName = new Map(groups.map((g) => [g.name.toLowerCase(), g]));
  return {
    jira,
    users,
    groups,
    indexOf: (ref) => byRef.get(ref),
    refAt: (idx) => users[idx]?.ref,
    groupById: (id) => byId.get(id),
    groupByName: (name) => byName.get(name.toLowerCase()),
    userBeanAt,
    canBrowseUsers: (ref) => {
      if (ref === undefined) return false;
      if (jira.isAdmin(ref)) return true;
      return browseGroupId !== undefined && jira.groupsOf(ref).has(browseGroupId);
    },
    anonymousBrowse,
    deployment: jira.deployment,
  };
}
