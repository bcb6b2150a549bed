import type { SimState } from '../../state.ts';
import { jiraError } from '../errors.ts';
import { intParam, type Router } from '../route.ts';
import type { JiraSite } from './jira-site.ts';
import { registerCloudUserRoutes } from './identity/cloud-user-routes.ts';
import { registerDcUserRoutes } from './identity/dc-user-routes.ts';
import { createJiraDirectory, type JiraDirectory } from './identity/jira-directory.ts';
import { registerPermissionRoutes } from './identity/permission-routes.ts';
import { registerProjectRoutes } from './identity/project-routes.ts';

/**
 * Who and what a Jira site has: serverInfo, myself, users, groups, projects, roles, permissions.
 * Registered for `/rest/api/3` and `/rest/api/2` on cloud and for `/rest/api/2` on Data Center.
 */
export function registerJiraIdentityRoutes(router: Router, state: SimState, jira: JiraSite, version: 2 | 3): void {
  const api = `/rest/api/${version}`;
  // Built on first use: the large preset's directory is not needed until someone asks for users or projects.
  let dir: JiraDirectory | undefined;
  const directory = (): JiraDirectory => (dir ??= createJiraDirectory(state, jira));

  // serverInfo is callable anonymously on both deployments (security `[basic, OAuth2, {}]`).
  router.get(
    `${api}/serverInfo`,
    (ctx) => {
      if (jira.deployment === 'cloud') {
        return ctx.json(200, {
          baseUrl: jira.baseUrl,
          version: '1001.0.0-SNAPSHOT',
          versionNumbers: [1001, 0, 0],
          deploymentType: 'Cloud',
          buildNumber: 100282,
          buildDate: '2026-10-28T02:14:26.000+0000',
          serverTime: new Date(state.now()).toISOString().replace('Z', '+0000'),
          scmInfo: '9d700605f1c8e3b0c1f8a1d5b63e3a1b0f6c2e4d',
          serverTitle: 'Jira',
          defaultLocale: { locale: 'en_US' },
          serverTimeZone: 'Etc/UTC',
        });
      }
      const instance = state.world.dcInstances.find((d) => jira.baseUrl.endsWith(`/dc/${d.name}${d.contextPath}`));
      const v = instance?.version ?? '10.3.12';
      // A single DC node reports deploymentType "Server" (API-NOTES §2.4); a cluster reports "DataCenter".
      return ctx.json(200, {
        baseUrl: jira.baseUrl,
        version: v,
        versionNumbers: v.split('.').map(Number),
        deploymentType: (instance?.nodeCount ?? 1) > 1 ? 'DataCenter' : 'Server',
        buildNumber: instance?.buildNumber ?? 10030012,
        buildDate: '2026-04-03T00:00:00.000+0000',
        databaseBuildNumber: instance?.buildNumber ?? 10030012,
        serverTime: new Date(state.now()).toISOString().replace('Z', '+0000'),
        scmInfo: '95508b3a4f1d0c6e2b7a9f3c1e5d8b2a6c4f0e1d',
        serverTitle: instance?.title ?? 'Jira',
      });
    },
    { access: 'anonymous' },
  );

  router.get(`${api}/myself`, (ctx) => {
    const ref = jira.principalUserRef(ctx.principal);
    const bean = ref === undefined ? undefined : jira.userBean(ref);
    if (!bean)
      return ctx.json(401, {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      });
    const groups = ref === undefined ? 0 : jira.groupsOf(ref).size;
    return ctx.json(200, {
      ...bean,
      groups: { size: groups, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  });

  registerProjectRoutes(router, state, jira, version, directory);
  registerPermissionRoutes(router, jira, version, directory);
  if (jira.deployment === 'dc') {
    registerDcUserRoutes(router, state, jira, directory);
    return;
  }
  registerCloudUserRoutes(router, state, jira, version, directory);

  // A bare array, paged by startAt/maxResults (max 1000): active, inactive and closed accounts alike. This is the hot
  // path of directory syncs and of the simulator's benchmark (5,000 pages of 100 users a second), so each user's JSON
  // is serialized once per site and REST version, kept as bytes by position, and a page is one concatenation.
  const beans: Array<Buffer | undefined> = [];
  const OPEN = Buffer.from('[');
  const COMMA = Buffer.from(',');
  const CLOSE = Buffer.from(']');
  router.get(`${api}/users/search`, (ctx) => {
    const d = directory();
    if (!d.canBrowseUsers(jira.principalUserRef(ctx.principal)))
      return jiraError(403, ['Browse users and groups permission is required to view users.']);
    const startAt = intParam(ctx.query, 'startAt', 0);
    const maxResults = intParam(ctx.query, 'maxResults', 50, 1000);
    const refs = jira.userRefs();
    const end = Math.min(refs.length, startAt + maxResults);
    const parts: Buffer[] = [OPEN];
    for (let i = startAt; i < end; i++) {
      let bean = beans[i];
      if (bean === undefined) {
        const ref = refs[i];
        if (ref === undefined) continue;
        const idx = d.indexOf(ref);
        bean = beans[i] = Buffer.from(
          JSON.stringify(idx === undefined ? jira.userBean(ref) : d.userBeanAt(idx, version)),
        );
      }
      if (parts.length > 1) parts.push(COMMA);
      parts.push(bean);
    }
    parts.push(CLOSE);
    return ctx.json(200, Buffer.concat(parts));
  });
}
