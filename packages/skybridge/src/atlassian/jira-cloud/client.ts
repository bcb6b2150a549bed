import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import type {
  JiraCloudPermissions,
  JiraCloudProjectPage,
  JiraCloudServerInfo,
  JiraCloudUser,
  TenantInfo,
} from './schemas.ts';
import { permissionsSchema, projectPageSchema, serverInfoSchema, tenantInfoSchema, userSchema } from './schemas.ts';

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
