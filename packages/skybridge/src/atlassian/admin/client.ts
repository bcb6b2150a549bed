import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type { AdminDirectory, AdminOrg, AdminOrgUser } from './schemas.ts';
import { directoriesPageSchema, orgResponseSchema, orgUsersPageSchema } from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for the Atlassian Admin (Organizations) API. The http's base URL is
 * the Admin API base (`https://api.atlassian.com/admin`); auth is the org API key as Bearer.
 */

export interface OrgUsersPage {
  users: AdminOrgUser[];
  /** `meta.total`, when the API gives it. */
  total: number | undefined;
  /** Pass as `cursor` for the next page; absent on the last page. */
  cursor: string | undefined;
}

export interface DirectoriesPage {
  directories: AdminDirectory[];
  cursor: string | undefined;
}

export interface AdminApi {
  /** `GET /v1/orgs/{orgId}`. 404 (`ADMIN-404-2`) both for an unknown org and for one the key does not belong to. */
  org(orgId: string): Promise<Result<AdminOrg, AtlassianError>>;
  /** `GET /v1/orgs/{orgId}/users`: one page (the API fixes its size) of the org's managed accounts. */
  orgUsers(orgId: string, options?: { cursor?: string }): Promise<Result<OrgUsersPage, AtlassianError>>;
  /** `GET /v2/orgs/{orgId}/directories`. `limit` default 20, at most 100. */
  directories(
    orgId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Result<DirectoriesPage, AtlassianError>>;
}

/**
 * The cursor of a v1 next link. Why not follow the link: it is a full URL built by Atlassian's gateway, and the
 * cursor sent to our own base is the same request without trusting the link's host and path.
 */
function cursorOf(next: string | undefined): string | undefined {
  if (!next) return undefined;
  return URL.parse(next, 'https://admin.invalid')?.searchParams.get('cursor') ?? undefined;
}

export function createAdminApi(http: AtlassianHttp): AdminApi {
  return {
    async org(orgId) {
      const result = await http.get(pathOf`/v1/orgs/${orgId}`, { schema: orgResponseSchema });
      return result.ok ? ok(result.value.data) : result;
    },
    async orgUsers(orgId, options = {}) {
      const result = await http.get(pathOf`/v1/orgs/${orgId}/users`, {
        schema: orgUsersPageSchema,
        query: { cursor: options.cursor },
      });
      if (!result.ok) return result;
      const { data, links, meta } = result.value;
      return ok({ users: data, total: meta?.total, cursor: cursorOf(links?.next) });
    },
    async directories(orgId, options = {}) {
      const result = await http.get(pathOf`/v2/orgs/${orgId}/directories`, {
        schema: directoriesPageSchema,
        query: { limit: options.limit, cursor: options.cursor },
      });
      if (!result.ok) return result;
      const { data, links } = result.value;
      return ok({ directories: data, cursor: links?.next ?? undefined });
    },
  };
}
