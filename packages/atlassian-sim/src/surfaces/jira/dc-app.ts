import type { SimState } from '../../state.ts';
import { dcPath } from '../../site-directory.ts';
import { bearerAuth, createRouter } from '../route.ts';
import { jiraError } from '../errors.ts';
import { dcUserBean, type JiraSite } from './jira-site.ts';
import { registerJiraIdentityRoutes } from './identity-routes.ts';
import { registerJiraIssueRoutes } from './issue-routes.ts';
import { registerJiraDcAdminRoutes } from './dc-admin-routes.ts';

export function createDcJiraSite(state: SimState, instanceIdx: number, baseUrl: string): JiraSite {
  const instance = state.world.dcInstances[instanceIdx];
  if (!instance) throw new Error(`no DC instance ${instanceIdx}`);
  const byName = new Map(instance.users.map((u, i) => [u.name, i]));
  const adminGroups = new Set(instance.groups.filter((g) => g.name.endsWith('-administrators')).map((g) => g.name));
  let groupIndex: Map<number, Set<string>> | undefined;
  const groupsByUser = (): Map<number, Set<string>> => {
    if (groupIndex) return groupIndex;
    groupIndex = new Map();
    for (const group of instance.groups) {
      for (const m of group.members) {
        let set = groupIndex.get(m);
        if (!set) groupIndex.set(m, (set = new Set()));
        set.add(group.name);
      }
    }
    return groupIndex;
  };
  return {
    deployment: 'dc',
    baseUrl,
    data: instance.jira,
    principalUserRef: (principal) =>
      principal?.kind === 'dc-user' && principal.instanceIdx === instanceIdx
        ? instance.users[principal.userIdx]?.name
        : undefined,
    isAdmin: (ref) => {
      const idx = ref === undefined ? undefined : byName.get(ref);
      if (idx === undefined) return false;
      if (instance.users[idx]?.admin) return true;
      for (const g of groupsByUser().get(idx) ?? []) if (adminGroups.has(g)) return true;
      return false;
    },
    groupsOf: (ref) => {
      const idx = byName.get(ref);
      return idx === undefined ? new Set() : (groupsByUser().get(idx) ?? new Set());
    },
    userBean: (ref) => {
      const idx = byName.get(ref);
      const user = idx === undefined ? undefined : instance.users[idx];
      return user ? dcUserBean(baseUrl, user) : undefined;
    },
    userRefs: () => instance.users.map((u) => u.name),
  };
}

/** Jira Data Center REST (`/rest/api/2`, UPM, application links) under its context path. */
export function createJiraDcApp(state: SimState, instanceIdx: number) {
  const instance = state.world.dcInstances[instanceIdx];
  if (!instance) throw new Error(`no DC instance ${instanceIdx}`);
  const baseUrl = `${state.baseUrl}${dcPath(instance.name, instance.contextPath)}`;
  const router = createRouter({
    state,
    family: 'jira-dc',
    authenticate: bearerAuth(state, (p) => p.kind === 'dc-user' && p.instanceIdx === instanceIdx),
    // Jira DC answers bad credentials with 401 and an ErrorCollection.
    unauthorized: () =>
      jiraError(
        401,
        ['You are not authenticated. Authentication required to perform this operation.'],
        {},
        { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED', 'www-authenticate': 'Bearer realm="Jira"' },
      ),
    tooManyRequests: () => jiraError(429, ['Rate limit exceeded.']),
  });
  const jira = createDcJiraSite(state, instanceIdx, baseUrl);
  registerJiraIdentityRoutes(router, state, jira, 2);
  registerJiraIssueRoutes(router, state, jira, 2);
  registerJiraDcAdminRoutes(router, state, instanceIdx, baseUrl);
  return router.app;
}
