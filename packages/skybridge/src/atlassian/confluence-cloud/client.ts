import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type {
  ConfluenceCloudSpace,
  ConfluenceCloudSpacePermission,
  ConfluenceCloudUser,
  ConfluenceCloudV1User,
} from './schemas.ts';
import {
  currentUserSchema,
  groupMemberPageSchema,
  userSearchPageSchema,
  groupPageSchema,
  spacePageSchema,
  spacePermissionPageSchema,
} from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for Confluence Cloud. The http's base URL is the Confluence base WITH
 * `/wiki`: `https://acme.atlassian.net/wiki`, or `https://api.atlassian.com/ex/confluence/{cloudId}/wiki` through the
 * gateway. Paths below are relative to it.
 */

export interface SpacesOptions {
  /** Default 25; Confluence clamps it to 250. */
  limit?: number;
  /** The `cursor` of the previous page. Default: the first page. */
  cursor?: string;
}

export interface SpacesPage {
  results: ConfluenceCloudSpace[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  cursor: string | undefined;
}

export interface ConfluenceCloudApi {
  /** `GET /wiki/rest/api/user/current` (v1): the account the credential acts as. */
  currentUser(): Promise<Result<ConfluenceCloudUser, AtlassianError>>;
  /** `GET /wiki/api/v2/spaces`: one page of the spaces the account can see. */
  spaces(options?: SpacesOptions): Promise<Result<SpacesPage, AtlassianError>>;
}

/**
 * The cursor of a v2 next link. Why not follow the link itself: it is relative to the site root (`/wiki/api/v2/…`),
 * so through the gateway, whose base is `/ex/confluence/{cloudId}/wiki`, following it would leave the gateway
 * prefix behind. The cursor alone, sent to our own base, works under both.
 */
function cursorOf(next: string | undefined): string | undefined {
  if (!next) return undefined;
  return URL.parse(next, 'https://confluence.invalid')?.searchParams.get('cursor') ?? undefined;
}

export function createConfluenceCloudApi(http: AtlassianHttp): ConfluenceCloudApi {
  return {
    currentUser: () => http.get('/rest/api/user/current', { schema: currentUserSchema }),
    async spaces(options = {}) {
      const page = await http.getPage('/api/v2/spaces', {
        schema: spacePageSchema,
        query: { limit: options.limit, cursor: options.cursor },
      });
      if (!page.ok) return page;
      const { results, _links } = page.value.data;
      return ok({ results, cursor: cursorOf(_links?.next ?? page.value.next) });
    },
  };
}

/** One v1 page and the `start` of the next (absent on the last page). */
export interface OffsetPage<T> {
  results: T[];
  nextStart: number | undefined;
}

export interface V1PageOptions {
  /** Default 200, Confluence's fixed cap for these lists. */
  limit?: number;
  /** Default 0. */
  start?: number;
  signal?: AbortSignal;
}

/** The Confluence Cloud listings the access sync walks. Groups are v1 only: v2 has no directory endpoints. */
export interface ConfluenceCloudDirectoryApi {
  /** v1 `GET /wiki/rest/api/group`. */
  groups(options?: V1PageOptions): Promise<Result<OffsetPage<{ id: string; name: string }>, AtlassianError>>;
  /** v1 `GET /wiki/rest/api/group/member?groupId=`. */
  groupMembers(
    groupId: string,
    options?: V1PageOptions,
  ): Promise<Result<OffsetPage<ConfluenceCloudV1User>, AtlassianError>>;
  /** v1 `GET /wiki/rest/api/search/user?cql=type=user`: every account with access to the site. */
  users(options?: V1PageOptions): Promise<Result<OffsetPage<ConfluenceCloudV1User>, AtlassianError>>;
  /** v2 `GET /wiki/api/v2/spaces/{id}/permissions`. `limit` default 250 (the cap). */
  spacePermissions(
    spaceId: string,
    options?: { limit?: number; cursor?: string; signal?: AbortSignal },
  ): Promise<Result<{ results: ConfluenceCloudSpacePermission[]; cursor: string | undefined }, AtlassianError>>;
}

/**
 * A v1 page's next start. Why not follow `_links.next`: it is relative to `_links.base` and joining it would drop
 * the `/wiki` (or gateway) prefix; the next page simply starts after this one.
 */
export function nextStartOf(
  page: { start?: number | undefined; _links?: { next?: string | undefined } | undefined },
  start: number,
  count: number,
): number | undefined {
  return page._links?.next ? (page.start ?? start) + count : undefined;
}

export function createConfluenceCloudDirectoryApi(http: AtlassianHttp): ConfluenceCloudDirectoryApi {
  const sig = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    async groups(options = {}) {
      const start = options.start ?? 0;
      const page = await http.get('/rest/api/group', {
        schema: groupPageSchema,
        query: { start, limit: options.limit ?? 200 },
        ...sig(options.signal),
      });
      if (!page.ok) return page;
      return ok({ results: page.value.results, nextStart: nextStartOf(page.value, start, page.value.results.length) });
    },
    async groupMembers(groupId, options = {}) {
      const start = options.start ?? 0;
      const page = await http.get('/rest/api/group/member', {
        schema: groupMemberPageSchema,
        query: { groupId, start, limit: options.limit ?? 200 },
        ...sig(options.signal),
      });
      if (!page.ok) return page;
      return ok({ results: page.value.results, nextStart: nextStartOf(page.value, start, page.value.results.length) });
    },
    async users(options = {}) {
      const start = options.start ?? 0;
      const page = await http.get('/rest/api/search/user', {
        schema: userSearchPageSchema,
        query: { cql: 'type=user', start, limit: options.limit ?? 200 },
        ...sig(options.signal),
      });
      if (!page.ok) return page;
      const results = page.value.results.map((r) => r.user);
      return ok({ results, nextStart: nextStartOf(page.value, start, results.length) });
    },
    async spacePermissions(spaceId, options = {}) {
      const page = await http.getPage(pathOf`/api/v2/spaces/${spaceId}/permissions`, {
        schema: spacePermissionPageSchema,
        query: { limit: options.limit ?? 250, cursor: options.cursor },
        ...sig(options.signal),
      });
      if (!page.ok) return page;
      return ok({
        results: page.value.data.results,
        cursor: cursorOf(page.value.data._links?.next ?? page.value.next),
      });
    },
  };
}
