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
  // path of directory syncs and of the simulator's benchmark (5,000 pages of 100 users a second). Users never change
  // in the simulator, so every user's JSON is serialized once per site and REST version into one contiguous buffer
  // (`[u0,u1,...]`, with the offset where each starts), and a page is sent as three slices of it: no copying, no
  // per-request allocation for the garbage collector to chase.
  let directoryJson: { bytes: Buffer; offsets: Uint32Array } | undefined;
  const buildDirectoryJson = (d: JiraDirectory) => {
    const refs = jira.userRefs();
    const texts: string[] = [];
    const offsets = new Uint32Array(refs.length + 1);
    let at = 0;
    for (const [i, ref] of refs.entries()) {
      const idx = d.indexOf(ref);
      const text = `${JSON.stringify(idx === undefined ? jira.userBean(ref) : d.userBeanAt(idx, version))},`;
      offsets[i] = at;
      at += Buffer.byteLength(text);
      texts.push(text);
    }
    offsets[refs.length] = at;
    // One allocation for the whole directory, filled in place.
    const bytes = Buffer.allocUnsafe(at);
    for (const [i, text] of texts.entries()) bytes.write(text, offsets[i] ?? 0);
    return { bytes, offsets };
  };
  const OPEN = Buffer.from('[');
  const CLOSE = Buffer.from(']');
  const EMPTY = Buffer.from('[]');
  router.get(`${api}/users/search`, (ctx) => {
    const d = directory();
    if (!d.canBrowseUsers(jira.principalUserRef(ctx.principal)))
      return jiraError(403, ['Browse users and groups permission is required to view users.']);
    const startAt = intParam(ctx.query, 'startAt', 0);
    const maxResults = intParam(ctx.query, 'maxResults', 50, 1000);
    const all = (directoryJson ??= buildDirectoryJson(d));
    const count = all.offsets.length - 1;
    const end = Math.min(count, startAt + maxResults);
    if (startAt >= end) return ctx.jsonParts(200, [EMPTY]);
    // Each user's JSON ends with a comma; the last one of the page is left out.
    const from = all.offsets[startAt] ?? 0;
    const to = (all.offsets[end] ?? 0) - 1;
    return ctx.jsonParts(200, [OPEN, all.bytes.subarray(from, to), CLOSE]);
  });
}
