import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import { ok } from '../../domain/result.ts';
import type { ConfluenceCloudApi, ConfluenceCloudDirectoryApi } from '../../atlassian/confluence-cloud/client.ts';
import type { ConfluenceCloudSpacePermission } from '../../atlassian/confluence-cloud/schemas.ts';
import { membershipStreams } from './group-streams.ts';
import type { FetchPage } from './page-walk.ts';
import { READ_CONCURRENCY, nextStartPage, offsetOf, walkList, walkNested } from './page-walk.ts';
import type { RecordBuilder } from './source-ids.ts';
import { createRecordBuilder } from './source-ids.ts';
import type { SourcePage, SourceReader } from './source-reader.ts';

/**
 * `confluence-cloud`: spaces (v2) and their permissions (v2, as `permission:<op>:<target>` entitlements on the
 * space), groups and their members (v1: v2 has no directory endpoints). Confluence Cloud has no user list, so users
 * are the principals found in group member listings (a user in several groups is yielded once per group; the store
 * keeps one by id). Users that only appear in space permissions get grants but no resource of their own.
 */

export const CONFLUENCE_CLOUD_STREAMS = ['users', 'spaces', 'groups', 'group-members', 'space-permissions'] as const;

export interface ConfluenceCloudReaderOptions {
  connectionId: string;
  confluence: ConfluenceCloudApi & ConfluenceCloudDirectoryApi;
}

/** Permission records of one page: each entitlement once per page, then the grants. */
export function spacePermissionRecords(
  b: RecordBuilder,
  space: string,
  permissions: ReadonlyArray<{ op: string; target: string; principal: string | undefined }>,
): AccessRecord[] {
  const slugs = new Map<string, string>();
  const grants: AccessRecord[] = [];
  for (const p of permissions) {
    const slug = `permission:${p.op}:${p.target}`;
    slugs.set(slug, `${p.op} ${p.target}`);
    if (p.principal) grants.push(b.grant(space, slug, p.principal));
  }
  return [...[...slugs].map(([slug, name]) => b.entitlement(space, slug, name)), ...grants];
}

export function createConfluenceCloudReader(options: ConfluenceCloudReaderOptions): SourceReader {
  const { confluence } = options;
  const b = createRecordBuilder(options.connectionId);

  const spacesPage: FetchPage<{
    id: string;
    key: string;
    name: string;
    type?: string | undefined;
    status?: string | undefined;
  }> = async (cursor) => {
    // 250 is v2's cap.
    const page = await confluence.spaces({ limit: 250, ...(cursor ? { cursor } : {}) });
    return page.ok ? ok({ items: page.value.results, next: page.value.cursor }) : page;
  };
  const groups = membershipStreams({
    b,
    containers: async (cursor, signal) => {
      return nextStartPage(await confluence.groups({ start: offsetOf(cursor), signal }));
    },
    id: (g) => g.id,
    name: (g) => g.name,
    attributes: (g) => ({ name: g.name }),
    members: async (groupId, cursor, signal) => {
      return nextStartPage(await confluence.groupMembers(groupId, { start: offsetOf(cursor), signal }));
    },
    memberId: (u) => u.accountId,
    memberRecords: (u) => [
      b.resource('user', u.accountId, u.displayName, { email: u.email, accountType: u.accountType }),
    ],
  });
  const principalOf = (p: ConfluenceCloudSpacePermission): string | undefined =>
    p.principal.type === 'user'
      ? b.id('user', p.principal.id)
      : p.principal.type === 'group'
        ? b.id('group', p.principal.id)
        : undefined;

  return {
    streams: () => [...CONFLUENCE_CLOUD_STREAMS],
    read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage> {
      switch (stream) {
        case 'users':
          // The people directory (CQL user search): every account with site access, including those in no group,
          // which the group member lists would miss.
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor) => nextStartPage(await confluence.users({ start: offsetOf(cursor), signal })),
            toRecords: (users) =>
              users.map((u) =>
                b.resource('user', u.accountId, u.displayName, { email: u.email, accountType: u.accountType }),
              ),
          });
        case 'spaces':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: spacesPage,
            toRecords: (spaces) =>
              spaces.map((s) => b.resource('space', s.id, s.name, { key: s.key, type: s.type, status: s.status })),
          });
        case 'groups':
          return groups.containers(stream, from, signal);
        case 'group-members':
          return groups.members(stream, from, signal);
        case 'space-permissions':
          return walkNested({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            parents: spacesPage,
            parentId: (s) => s.id,
            children: async (spaceId, cursor, sig) => {
              const page = await confluence.spacePermissions(spaceId, { ...(cursor ? { cursor } : {}), signal: sig });
              return page.ok ? ok({ items: page.value.results, next: page.value.cursor }) : page;
            },
            toRecords: (spaceId, permissions) =>
              spacePermissionRecords(
                b,
                b.id('space', spaceId),
                permissions.map((p) => ({
                  op: p.operation.key,
                  target: p.operation.targetType,
                  principal: principalOf(p),
                })),
              ),
          });
        default:
          throw new TypeError(`confluence-cloud has no stream ${stream}`);
      }
    },
  };
}
