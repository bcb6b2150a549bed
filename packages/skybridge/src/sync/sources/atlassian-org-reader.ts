import type { SyncCheckpoint } from '../../domain/access-model.ts';
import type { AdminApi, AdminDirectoryApi } from '../../atlassian/admin/client.ts';
import { DIRECTORY_USER_EXPANDS } from '../../atlassian/admin/client.ts';
import type { AdminDirectoryUser } from '../../atlassian/admin/schemas.ts';
import type { TeamsApi } from '../../atlassian/teams/client.ts';
import { fetchTeamMembers } from '../../atlassian/teams/client.ts';
import type { AtlassianHttp } from '../../atlassian/http-client.ts';
import { ok } from '../../domain/result.ts';
import { containerStream, membershipStreams } from './group-streams.ts';
import { READ_CONCURRENCY, unwrap, walkList } from './page-walk.ts';
import { createRecordBuilder } from './source-ids.ts';
import type { SourcePage, SourceReader } from './source-reader.ts';

/**
 * `atlassian-org`: the organization's directory through the Admin API v2 and its teams through the Teams API.
 *
 * Why memberships, product access and platform roles come from the user search with `expand`: the Admin API has no
 * "members of a group" list, only the user search filtered by `groupIds`, which costs at least one request per group
 * (200 groups: 200+ requests); `expand: ['groups', 'productAccess', 'platformRoles']` returns them with each page of
 * 100 users (2,000 users: 20 requests), and spares the per-user `…/role-assignments` calls entirely.
 *
 * Why the `apps` stream: v2 directories list people only; app accounts are listed by v1 `GET /v1/orgs/{id}/users`
 * alone (which has no filter, so it reads every account and keeps the apps).
 *
 * The org itself is a `workspace` resource with its platform ARI as external id (the model has no `org` type);
 * platform roles are its `role:<roleId>` entitlements.
 */

/** Platform roles the Admin API reports in `platformRoles` (`MultiDirectoryUser.platformRoles` in the spec). */
export const PLATFORM_ROLES = [
  'atlassian/org-admin',
  'atlassian/site-admin',
  'atlassian/user-access-admin',
  'atlassian/ai-access',
] as const;

/**
 * In the order the engine starts them (four at a time). The two account lists come first: each is a cursor chain
 * of one page per round trip (500 pages on a 50,000-account org), so they set the sync's length, and every stream
 * started ahead of them made the whole sync that much longer.
 */
export const ATLASSIAN_ORG_STREAMS = ['apps', 'users', 'org', 'workspaces', 'groups', 'teams', 'team-members'] as const;

export interface AtlassianOrgReaderOptions {
  connectionId: string;
  orgId: string;
  admin: AdminApi & AdminDirectoryApi;
  teams: TeamsApi;
  /** The Teams API http, for the members call. */
  teamsHttp: AtlassianHttp;
  /** Users per search page. Default 100 (the v2 maximum). */
  pageSize?: number;
  /** Teams per listing page. Default 300 (the Teams API maximum). */
  teamsPageSize?: number;
}

export function createAtlassianOrgReader(options: AtlassianOrgReaderOptions): SourceReader {
  const { orgId, admin } = options;
  const b = createRecordBuilder(options.connectionId);
  const orgResource = b.id('workspace', `ari:cloud:platform::org/${orgId}`);
  const pageSize = options.pageSize ?? 100;
  const teamsPageSize = options.teamsPageSize ?? 300;
  const teams = membershipStreams({
    b,
    type: 'team',
    containers: async (cursor) => {
      const page = await options.teams.teams(orgId, { size: teamsPageSize, ...(cursor ? { cursor } : {}) });
      return page.ok ? ok({ items: page.value.teams, next: page.value.cursor }) : page;
    },
    id: (t) => t.teamId,
    name: (t) => t.displayName,
    attributes: (t) => ({ state: t.state, teamType: t.teamType }),
    members: async (teamId, cursor, signal) => {
      const page = await fetchTeamMembers(options.teamsHttp, orgId, teamId, {
        ...(cursor ? { after: cursor } : {}),
        signal,
      });
      return page.ok ? ok({ items: page.value.accountIds, next: page.value.cursor }) : page;
    },
    memberId: (accountId) => accountId,
  });

  const userRecords = (user: AdminDirectoryUser) => {
    const userId = b.id('user', user.accountId);
    const lastActive = (user.productAccess ?? [])
      .map((p) => p.lastActiveTimestamp)
      .filter((t) => t !== undefined)
      .sort()
      .at(-1);
    return [
      b.resource('user', user.accountId, user.name, {
        email: user.email,
        status: user.accountStatus,
        directoryStatus: user.status,
        accountType: user.accountType ?? 'atlassian',
        lastActive,
      }),
      ...(user.groups ?? []).map((g) => b.grant(b.id('group', g.id), 'member', userId)),
      ...(user.productAccess ?? []).map((p) => b.grant(b.id('workspace', p.id), `access:${p.key}`, userId)),
      ...(user.platformRoles ?? []).map((role) => b.grant(orgResource, `role:${role}`, userId)),
    ];
  };

  async function* org(): AsyncGenerator<SourcePage> {
    const found = unwrap(await admin.org(orgId));
    yield {
      records: [
        b.resource('workspace', `ari:cloud:platform::org/${orgId}`, found.attributes.name, { kind: 'org', orgId }),
        ...PLATFORM_ROLES.map((role) => b.entitlement(orgResource, `role:${role}`, role)),
      ],
      checkpoint: 'done',
    };
  }

  return {
    streams: () => [...ATLASSIAN_ORG_STREAMS],
    read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage> {
      switch (stream) {
        case 'org':
          return org();
        case 'workspaces':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor) => {
              const page = await admin.workspaces(orgId, { ...(cursor ? { cursor } : {}), signal });
              return page.ok ? ok({ items: page.value.items, next: page.value.cursor }) : page;
            },
            toRecords: (items) =>
              items.flatMap((w) => [
                b.resource('workspace', w.id, `${w.attributes.name} (${w.attributes.typeKey})`, {
                  kind: 'product',
                  product: w.attributes.typeKey,
                  hostUrl: w.attributes.hostUrl,
                }),
                b.entitlement(
                  b.id('workspace', w.id),
                  `access:${w.attributes.typeKey}`,
                  `${w.attributes.typeKey} access`,
                ),
              ]),
          });
        case 'groups':
          // Members come with the users stream (see above), so groups have no members stream of their own.
          return containerStream(
            {
              b,
              containers: async (cursor) => {
                const page = await admin.searchGroups(orgId, {
                  limit: pageSize,
                  ...(cursor ? { cursor } : {}),
                  signal,
                });
                return page.ok ? ok({ items: page.value.items, next: page.value.cursor }) : page;
              },
              id: (g) => g.id,
              name: (g) => g.name,
              attributes: (g) => ({ description: g.description ?? null, directoryId: g.directoryId }),
            },
            stream,
            from,
            signal,
          );
        case 'users':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor) => {
              const page = await admin.searchUsers(orgId, {
                limit: pageSize,
                expand: DIRECTORY_USER_EXPANDS,
                ...(cursor ? { cursor } : {}),
                signal,
              });
              return page.ok ? ok({ items: page.value.items, next: page.value.cursor }) : page;
            },
            toRecords: (items) => items.flatMap(userRecords),
          });
        case 'apps':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor) => {
              const page = await admin.orgUsers(orgId, cursor ? { cursor } : {});
              return page.ok ? ok({ items: page.value.users, next: page.value.cursor }) : page;
            },
            toRecords: (items) =>
              items
                .filter((u) => u.account_type === 'app')
                .map((u) =>
                  b.resource('user', u.account_id, u.name, {
                    email: u.email,
                    status: u.account_status,
                    accountType: 'app',
                  }),
                ),
          });
        case 'teams':
          return teams.containers(stream, from, signal);
        case 'team-members':
          return teams.members(stream, from, signal);
        default:
          throw new TypeError(`atlassian-org has no stream ${stream}`);
      }
    },
  };
}
