import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { ZodType } from 'zod';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type {
  ConfluenceDcPerson,
  ConfluenceDcServerInformation,
  ConfluenceDcSpace,
  ConfluenceDcSpacePermission,
  ConfluenceDcUser,
} from './schemas.ts';
import {
  currentUserSchema,
  groupPageSchema,
  personPageSchema,
  serverInformationSchema,
  spacePageSchema,
  spacePermissionListSchema,
} from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for Confluence Data Center REST. The http's base URL is the instance
 * with its context path (`https://wiki.corp/confluence`); auth is a personal access token as Bearer. Create the
 * http with `rateLimitScope: 'client'`: Data Center limits per user, not per endpoint.
 */

export interface SpacesOptions {
  /** Default 25. */
  limit?: number;
  /** Default 0. */
  start?: number;
}

export interface SpacesPage {
  results: ConfluenceDcSpace[];
  /** Pass as `start` for the next page; absent on the last page. */
  nextStart: number | undefined;
}

export interface ConfluenceDcApi {
  /** `GET /rest/api/server-information`: version and build. */
  serverInformation(): Promise<Result<ConfluenceDcServerInformation, AtlassianError>>;
  /** `GET /rest/api/user/current`: the user the token acts as. */
  currentUser(): Promise<Result<ConfluenceDcUser, AtlassianError>>;
  /** `GET /rest/api/space`: one page of the spaces the user can see. */
  spaces(options?: SpacesOptions): Promise<Result<SpacesPage, AtlassianError>>;
}

export function createConfluenceDcApi(http: AtlassianHttp): ConfluenceDcApi {
  return {
    serverInformation: () => http.get('/rest/api/server-information', { schema: serverInformationSchema }),
    currentUser: () => http.get('/rest/api/user/current', { schema: currentUserSchema }),
    async spaces(options = {}) {
      const start = options.start ?? 0;
      const page = await http.get('/rest/api/space', {
        schema: spacePageSchema,
        query: { start: options.start, limit: options.limit },
      });
      if (!page.ok) return page;
      const { results, _links } = page.value;
      // Why not follow `_links.next`: it is relative to `_links.base` (`/rest/api/space?…`), so joining it to the
      // origin would drop the context path. The next page simply starts after this one.
      return ok({ results, nextStart: _links?.next ? (page.value.start ?? start) + results.length : undefined });
    },
  };
}

export interface DcPageOptions {
  /** Default 200. */
  limit?: number;
  /** Default 0. */
  start?: number;
  signal?: AbortSignal;
}

export interface DcOffsetPage<T> {
  results: T[];
  /** The `start` of the next page; absent on the last page. */
  nextStart: number | undefined;
}

/** The Confluence DC listings the access sync walks. */
export interface ConfluenceDcDirectoryApi {
  /** `GET /rest/api/user/list`. */
  users(options?: DcPageOptions): Promise<Result<DcOffsetPage<ConfluenceDcPerson>, AtlassianError>>;
  /** `GET /rest/api/group`. */
  groups(options?: DcPageOptions): Promise<Result<DcOffsetPage<{ name: string }>, AtlassianError>>;
  /** `GET /rest/api/group/{name}/member`. */
  groupMembers(
    groupName: string,
    options?: DcPageOptions,
  ): Promise<Result<DcOffsetPage<ConfluenceDcPerson>, AtlassianError>>;
  /** `GET /rest/api/space/{key}/permissions`: a bare array, not paged (needs space admin). */
  spacePermissions(
    spaceKey: string,
    options?: { signal?: AbortSignal },
  ): Promise<Result<ConfluenceDcSpacePermission[], AtlassianError>>;
}

export function createConfluenceDcDirectoryApi(http: AtlassianHttp): ConfluenceDcDirectoryApi {
  const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  const list = async <T>(
    path: string,
    schema: ZodType<{ results: T[]; start?: number | undefined; _links?: { next?: string | undefined } | undefined }>,
    options: DcPageOptions,
  ): Promise<Result<DcOffsetPage<T>, AtlassianError>> => {
    const start = options.start ?? 0;
    const page = await http.get(path, {
      schema,
      query: { start, limit: options.limit ?? 200 },
      ...sig(options.signal),
    });
    if (!page.ok) return page;
    const { results, _links } = page.value;
    // Why not follow `_links.next`: relative to `_links.base`, it would drop the context path (see `spaces`).
    return ok({ results, nextStart: _links?.next ? (page.value.start ?? start) + results.length : undefined });
  };
  return {
    users: (options = {}) => list('/rest/api/user/list', personPageSchema, options),
    groups: (options = {}) => list('/rest/api/group', groupPageSchema, options),
    groupMembers: (groupName, options = {}) =>
      list(pathOf`/rest/api/group/${groupName}/member`, personPageSchema, options),
    spacePermissions: (spaceKey, options = {}) =>
      http.get(pathOf`/rest/api/space/${spaceKey}/permissions`, {
        schema: spacePermissionListSchema,
        ...sig(options.signal),
      }),
  };
}
