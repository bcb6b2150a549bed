import type { SimState } from '../../state.ts';
import { cloudJiraPath } from '../../site-directory.ts';
import { cloudBasicAuth, createRouter, retryHeaders } from '../route.ts';
import { jiraCloudUnauthorized, jiraError } from '../errors.ts';
import { cloudUserBean, type JiraSite } from './jira-site.ts';
import { registerJiraIdentityRoutes } from './identity-routes.ts';
import { registerJiraIssueRoutes } from './issue-routes.ts';

/** Builds the JiraSite view of cloud site `siteIdx`: users are the org's accounts with access to the site. */
export function createCloudJiraSite(state: SimState, siteIdx: number, baseUrl: string): JiraSite {
  const site = state.world.cloudSites[siteIdx];
  if (!site) throw new Error(`no cloud site ${siteIdx}`);
  const org = state.world.orgs[site.orgIdx];
  if (!org) throw new Error(`no org ${site.orgIdx}`);
  const byAccountId = new Map<string, number>();
  const refs: string[] = [];
  for (const [i, user] of org.users.entries()) {
    if (!user.siteAccess.includes(siteIdx)) continue;
    byAccountId.set(user.accountId, i);
    refs.push(user.accountId);
  }
  let groupIndex: Map<number, Set<string>> | undefined;
  const groupsByUser = (): Map<number, Set<string>> => {
    if (groupIndex) return groupIndex;
    groupIndex = new Map();
    for (const group of org.groups) {
      for (const m of group.members) {
        let set = groupIndex.get(m);
        if (!set) groupIndex.set(m, (set = new Set()));
        set.add(group.id);
      }
    }
    return groupIndex;
  };
  const adminGroupIds = new Set(org.groups.filter((g) => g.grantsSiteAdmin).map((g) => g.id));
  return {
    deployment: 'cloud',
    baseUrl,
    data: site.jira,
    principalUserRef: (principal) => {
      if (principal?.kind !== 'cloud-user' || principal.orgIdx !== site.orgIdx) return undefined;
      return org.users[principal.userIdx]?.accountId;
    },
    isAdmin: (ref) => {
      const idx = ref === undefined ? undefined : byAccountId.get(ref);
      if (idx === undefined) return false;
      for (const g of groupsByUser().get(idx) ?? []) if (adminGroupIds.has(g)) return true;
      return false;
    },
    groupsOf: (ref) => {
      const idx = byAccountId.get(ref);
      return idx === undefined ? new Set() : (groupsByUser().get(idx) ?? new Set());
    },
    userBean: (ref) => {
      const idx = byAccountId.get(ref);
      const user = idx === undefined ? undefined : org.users[idx];
      return user ? cloudUserBean(state, baseUrl, user) : undefined;
    },
    userRefs: () => refs,
  };
}

/** Jira Cloud platform REST (`/rest/api/3`, and `/rest/api/2` where Atlassian serves both) for one site. */
export function createJiraCloudApp(state: SimState, siteIdx: number) {
  const site = state.world.cloudSites[siteIdx];
  if (!site) throw new Error(`no cloud site ${siteIdx}`);
  const baseUrl = `${state.baseUrl}${cloudJiraPath(site.host)}`;
  const router = createRouter({
    state,
    family: 'jira-cloud',
    authenticate: cloudBasicAuth(state, site.orgIdx),
    unauthorized: () => jiraCloudUnauthorized(),
    tooManyRequests: (_ctx, decision) =>
      jiraError(429, ['Rate limit exceeded.'], {}, retryHeaders(decision, 'jira-burst-based')),
    anonymousBrowse: site.anonymousAccess,
  });
  const jira = createCloudJiraSite(state, siteIdx, baseUrl);

  // The cloudId lookup used to build gateway URLs for scoped tokens: always anonymous.
  router.get('/_edge/tenant_info', (ctx) => ctx.json(200, { cloudId: site.cloudId }), { access: 'public' });

  for (const version of [3, 2] as const) {
    registerJiraIdentityRoutes(router, state, jira, version);
    registerJiraIssueRoutes(router, state, jira, version);
  }
  return router.app;
}
