import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type {
  JiraCloudGroupMemberPage,
  JiraCloudGroupPage,
  JiraProjectRole,
  JiraCloudPermissions,
  JiraCloudProjectPage,
  JiraCloudServerInfo,
  JiraCloudUser,
  TenantInfo,
} from './schemas.ts';
import {
  groupMemberPageSchema,
  groupPageSchema,
  permissionsSchema,
  projectPageSchema,
  projectRoleLinksSchema,
  projectRoleSchema,
  serverInfoSchema,
  tenantInfoSchema,
  userListSchema,
  userSchema,
} from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for the Jira Cloud platform REST API v3. The http's base URL is the
 * site (`https://acme.atlassian.net`) or the gateway (`https://api.atlassian.com/ex/jira/{cloudId}`); paths are the
 * same under both. Every call returns a `Result`; responses are checked against `schemas.ts`.
 */

/** Offset-page query of `project/search`. */
export interface ProjectSearchOptions {
  /** Default 50; Jira clamps anything above 100 to 100. */
  maxResults?: number;
  /** Default 0. */
  startAt?: number;
}

export interface MyPermissionsOptions {
  projectKey: string;
  /** Permission keys to check (Jira Cloud requires the list). */
  permissions: readonly string[];
}

/** A page plus the absolute URL of the next one, when there is one (pass it back as `next`). */
export interface ProjectPage extends JiraCloudProjectPage {
  next: string | undefined;
}

export interface JiraCloudApi {
  /**
   * `GET /_edge/tenant_info`: the site's cloudId. Anonymous, so it is called with `allowAnonymous`; it only exists on
   * the site itself, never on the gateway, so `http` must be a site client for this one.
   */
  tenantInfo(): Promise<Result<TenantInfo, AtlassianError>>;
  /** `GET /rest/api/3/serverInfo`. Anonymous-capable: a failed credential is served anonymously, not refused. */
  serverInfo(): Promise<Result<JiraCloudServerInfo, AtlassianError>>;
  /** `GET /rest/api/3/myself`: the account the credential acts as; 401 for a bad or expired token. */
  myself(): Promise<Result<JiraCloudUser, AtlassianError>>;
  /** `GET /rest/api/3/project/search`: one page of the projects the account can browse. */
  searchProjects(options?: ProjectSearchOptions & { next?: string }): Promise<Result<ProjectPage, AtlassianError>>;
  /** `GET /rest/api/3/mypermissions`: which of `permissions` the account holds in the project. */
  myPermissions(options: MyPermissionsOptions): Promise<Result<JiraCloudPermissions, AtlassianError>>;
}

/**
 * `GET /_edge/tenant_info` on a cloud site: `{cloudId}`. An edge endpoint of the site, not of Jira, so Confluence
 * Cloud uses it too (with a client on the site root, not on `/wiki`). Anonymous: called with `allowAnonymous`.
 */
export function fetchTenantInfo(siteHttp: AtlassianHttp): Promise<Result<TenantInfo, AtlassianError>> {
  return siteHttp.get('/_edge/tenant_info', { schema: tenantInfoSchema, allowAnonymous: true });
}

/** The Jira Cloud API over `http`. */
export function createJiraCloudApi(http: AtlassianHttp): JiraCloudApi {
  return {
    tenantInfo: () => fetchTenantInfo(http),
    serverInfo: () => http.get('/rest/api/3/serverInfo', { schema: serverInfoSchema, allowAnonymous: true }),
    myself: () => http.get('/rest/api/3/myself', { schema: userSchema }),
    async searchProjects(options = {}) {
      const page = options.next
        ? await http.getPage(options.next, { schema: projectPageSchema })
        : await http.getPage('/rest/api/3/project/search', {
            schema: projectPageSchema,
            query: { startAt: options.startAt, maxResults: options.maxResults },
          });
      if (!page.ok) return page;
      return ok({ ...page.value.data, next: page.value.next });
    },
    myPermissions: ({ projectKey, permissions }) =>
      http.get('/rest/api/3/mypermissions', {
        schema: permissionsSchema,
        query: { projectKey, permissions: permissions.join(',') },
      }),
  };
}

/** Offset paging of the Jira list calls. */
export interface OffsetOptions {
  startAt?: number;
  maxResults?: number;
  signal?: AbortSignal;
}

/** The Jira Cloud listings the access sync walks (identity, projects, project roles). */
export interface JiraCloudDirectoryApi {
  /** `GET /rest/api/3/users/search`: a bare array; the walk ends on a short page. `maxResults` default 1000 (max). */
  users(options?: OffsetOptions): Promise<Result<JiraCloudUser[], AtlassianError>>;
  /** `GET /rest/api/3/group/bulk`. `maxResults` default 1000 (what the API serves at most). */
  groups(options?: OffsetOptions): Promise<Result<JiraCloudGroupPage, AtlassianError>>;
  /** `GET /rest/api/3/group/member?groupId=&includeInactiveUsers=true`. `maxResults` default 50 (the API's cap). */
  groupMembers(groupId: string, options?: OffsetOptions): Promise<Result<JiraCloudGroupMemberPage, AtlassianError>>;
  /** `GET /rest/api/3/project/{idOrKey}/role`: role name → role id, read from each role's URL. */
  projectRoles(
    projectIdOrKey: string,
    options?: { signal?: AbortSignal },
  ): Promise<Result<Array<{ id: string; name: string }>, AtlassianError>>;
  /** `GET /rest/api/3/project/{idOrKey}/role/{id}`: the role with its actors. */
  projectRole(
    projectIdOrKey: string,
    roleId: string,
    options?: { signal?: AbortSignal },
  ): Promise<Result<JiraProjectRole, AtlassianError>>;
}

/** Role ids from `project/{key}/role`'s name → URL map (the id is the URL's last segment). */
export function roleIdsOf(links: Record<string, string>): Array<{ id: string; name: string }> {
  return Object.entries(links).flatMap(([name, url]) => {
    const id = /\/role\/(\d+)\/?$/.exec(url)?.[1];
    return id ? [{ id, name }] : [];
  });
}

/**
 * The project-role calls, on `/rest/api/3` (cloud) or `/rest/api/2` (Data Center, where the shapes are the same but
 * user actors carry `name` instead of `actorUser.accountId`).
 */
export function createJiraProjectRoleCalls(http: AtlassianHttp, api: '/rest/api/3' | '/rest/api/2') {
  const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    projectRoles: async (
      projectIdOrKey: string,
      options: { signal?: AbortSignal } = {},
    ): Promise<Result<Array<{ id: string; name: string }>, AtlassianError>> => {
      const result = await http.get(`${api}${pathOf`/project/${projectIdOrKey}/role`}`, {
        schema: projectRoleLinksSchema,
        ...sig(options.signal),
      });
      return result.ok ? ok(roleIdsOf(result.value)) : result;
    },
    projectRole: (
      projectIdOrKey: string,
      roleId: string,
      options: { signal?: AbortSignal } = {},
    ): Promise<Result<JiraProjectRole, AtlassianError>> =>
      http.get(`${api}${pathOf`/project/${projectIdOrKey}/role/${roleId}`}`, {
        schema: projectRoleSchema,
        ...sig(options.signal),
      }),
  };
}

export function createJiraCloudDirectoryApi(http: AtlassianHttp): JiraCloudDirectoryApi {
  const roles = createJiraProjectRoleCalls(http, '/rest/api/3');
  return {
    users: (options = {}) =>
      http.get('/rest/api/3/users/search', {
        schema: userListSchema,
        query: { startAt: options.startAt ?? 0, maxResults: options.maxResults ?? 1000 },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    groups: (options = {}) =>
      http.get('/rest/api/3/group/bulk', {
        schema: groupPageSchema,
        query: { startAt: options.startAt ?? 0, maxResults: options.maxResults ?? 1000 },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    groupMembers: (groupId, options = {}) =>
      http.get('/rest/api/3/group/member', {
        schema: groupMemberPageSchema,
        // Why includeInactiveUsers: the API hides deactivated members by default, and access reviews need them.
        query: {
          groupId,
          includeInactiveUsers: true,
          startAt: options.startAt ?? 0,
          maxResults: options.maxResults ?? 50,
        },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    projectRoles: roles.projectRoles,
    projectRole: roles.projectRole,
  };
}
