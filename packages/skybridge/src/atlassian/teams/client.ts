import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttp } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type { Team } from './schemas.ts';
import { teamMembersPageSchema, teamsPageSchema } from './schemas.ts';

/**
 * A small typed API over one `AtlassianHttp` for the Teams public API. The http's base URL is the Teams base:
 * `https://api.atlassian.com/public/teams` or a site's `https://acme.atlassian.net/gateway/api/public/teams`; auth
 * is Basic email:API-token (or an org API key as Bearer on api.atlassian.com).
 */

export interface TeamsOptions {
  /** Default 50, at most 300. */
  size?: number;
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** Limits the list to one site's teams ("[Deprecated]" when empty; will become mandatory). */
  siteId?: string;
}

export interface TeamsPage {
  teams: Team[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  cursor: string | undefined;
}

export interface TeamsApi {
  /** `GET /v1/org/{orgId}/teams`: one page of the org's teams (deleted teams are not listed). */
  teams(orgId: string, options?: TeamsOptions): Promise<Result<TeamsPage, AtlassianError>>;
}

export function createTeamsApi(http: AtlassianHttp): TeamsApi {
  return {
    async teams(orgId, options = {}) {
      const result = await http.get(pathOf`/v1/org/${orgId}/teams`, {
        schema: teamsPageSchema,
        query: { size: options.size, cursor: options.cursor, siteId: options.siteId },
      });
      if (!result.ok) return result;
      return ok({ teams: result.value.entities, cursor: result.value.cursor ?? undefined });
    },
  };
}

export interface TeamMembersPage {
  accountIds: string[];
  /** Pass as `after` for the next page; absent on the last page. */
  cursor: string | undefined;
}

/**
 * `POST /v1/org/{orgId}/teams/{teamId}/members` with `{first, after}`: one page of a team's members. `first` default
 * 50, the API's maximum. A POST that only reads, so it is retried like a GET.
 */
export function fetchTeamMembers(
  http: AtlassianHttp,
  orgId: string,
  teamId: string,
  options: { first?: number; after?: string; signal?: AbortSignal } = {},
): Promise<Result<TeamMembersPage, AtlassianError>> {
  return http
    .post(
      pathOf`/v1/org/${orgId}/teams/${teamId}/members`,
      { first: options.first ?? 50, ...(options.after ? { after: options.after } : {}) },
      { schema: teamMembersPageSchema, idempotent: true, ...(options.signal ? { signal: options.signal } : {}) },
    )
    .then((result) => {
      if (!result.ok) return result;
      const { results, pageInfo } = result.value;
      return ok({
        accountIds: results.map((r) => r.accountId),
        cursor: pageInfo.hasNextPage ? (pageInfo.endCursor ?? undefined) : undefined,
      });
    });
}
