import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import type { ConfluenceCloudSpace, ConfluenceCloudUser } from './schemas.ts';
import { currentUserSchema, spacePageSchema } from './schemas.ts';

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
