import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import type { ConfluenceDcServerInformation, ConfluenceDcSpace, ConfluenceDcUser } from './schemas.ts';
import { currentUserSchema, serverInformationSchema, spacePageSchema } from './schemas.ts';

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
