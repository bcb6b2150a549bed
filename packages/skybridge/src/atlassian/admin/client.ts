import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type { ZodType } from 'zod';
import type {
  AdminDirectory,
  AdminDirectoryGroup,
  AdminDirectoryUser,
  AdminOrg,
  AdminOrgUser,
  AdminWorkspace,
} from './schemas.ts';
import {
  directoriesPageSchema,
  directoryGroupsPageSchema,
  directoryUsersPageSchema,
  orgResponseSchema,
  orgUsersPageSchema,
  workspacesPageSchema,
} from './schemas.ts';

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

/** One page of a v2 list: its items and the cursor of the next page (absent on the last). */
export interface CursorPage<T> {
  items: T[];
  cursor: string | undefined;
}

/** `expand` values of the v2 user search that the sync asks for. */
export const DIRECTORY_USER_EXPANDS = ['groups', 'productAccess', 'platformRoles'] as const;
export type DirectoryUserExpand = (typeof DIRECTORY_USER_EXPANDS)[number];

export interface DirectorySearchOptions {
  /** Default 100 (the v2 maximum; the API's own default is 20). */
  limit?: number;
  cursor?: string;
  signal?: AbortSignal;
}

/** The Admin v2 directory listings the access sync walks. */
export interface AdminDirectoryApi {
  /** `POST /v2/orgs/{orgId}/directories/-/users/search`: people in every directory (apps are not listed). */
  searchUsers(
    orgId: string,
    options?: DirectorySearchOptions & { expand?: readonly DirectoryUserExpand[] },
  ): Promise<Result<CursorPage<AdminDirectoryUser>, AtlassianError>>;
  /** `POST /v2/orgs/{orgId}/directories/-/groups/search`. */
  searchGroups(
    orgId: string,
    options?: DirectorySearchOptions,
  ): Promise<Result<CursorPage<AdminDirectoryGroup>, AtlassianError>>;
  /** `POST /v2/orgs/{orgId}/workspaces`: one entry per product per site. `limit` default 100 (the API allows 1000). */
  workspaces(
    orgId: string,
    options?: DirectorySearchOptions,
  ): Promise<Result<CursorPage<AdminWorkspace>, AtlassianError>>;
}

export function createAdminDirectoryApi(http: AtlassianHttp): AdminDirectoryApi {
  // Why `idempotent`: these POSTs are searches, safe to retry on a 5xx like a GET.
  const search = async <T>(
    path: string,
    schema: ZodType<{ data: T[]; links?: { next?: string | null | undefined } | undefined }>,
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<Result<CursorPage<T>, AtlassianError>> => {
    const result = await http.post(path, body, { schema, idempotent: true, ...(signal ? { signal } : {}) });
    if (!result.ok) return result;
    return ok({ items: result.value.data, cursor: result.value.links?.next ?? undefined });
  };
  return {
    searchUsers: (orgId, options = {}) =>
      search(
        pathOf`/v2/orgs/${orgId}/directories/-/users/search`,
        directoryUsersPageSchema,
        { limit: options.limit ?? 100, cursor: options.cursor, expand: options.expand },
        options.signal,
      ),
    searchGroups: (orgId, options = {}) =>
      search(
        pathOf`/v2/orgs/${orgId}/directories/-/groups/search`,
        directoryGroupsPageSchema,
        { limit: options.limit ?? 100, cursor: options.cursor },
        options.signal,
      ),
    workspaces: (orgId, options = {}) =>
      search(
        pathOf`/v2/orgs/${orgId}/workspaces`,
        workspacesPageSchema,
        { limit: options.limit ?? 100, cursor: options.cursor },
        options.signal,
      ),
  };
}
