import type { SyncCheckpoint } from '../../domain/access-model.ts';
import { ok } from '../../domain/result.ts';
import type { ConfluenceDcApi, ConfluenceDcDirectoryApi } from '../../atlassian/confluence-dc/client.ts';
import { spacePermissionRecords } from './confluence-cloud-reader.ts';
import { membershipStreams } from './group-streams.ts';
import type { FetchPage } from './page-walk.ts';
import { READ_CONCURRENCY, nextStartPage, offsetOf, walkList, walkNested } from './page-walk.ts';
import { createRecordBuilder } from './source-ids.ts';
import type { SourcePage, SourceReader } from './source-reader.ts';

/**
 * `confluence-dc`: users, groups and members, spaces and space permissions (`permission:<op>:<target>` on the
 * space, granted to users and groups; anonymous grants are skipped). Users are keyed by username and groups by name,
 * as member lists and permission subjects name them.
 */

export const CONFLUENCE_DC_STREAMS = ['users', 'groups', 'group-members', 'spaces', 'space-permissions'] as const;

export interface ConfluenceDcReaderOptions {
  connectionId: string;
  confluence: ConfluenceDcApi & ConfluenceDcDirectoryApi;
}

export function createConfluenceDcReader(options: ConfluenceDcReaderOptions): SourceReader {
  const { confluence } = options;
  const b = createRecordBuilder(options.connectionId);

  const groups = membershipStreams({
    b,
    containers: async (cursor, signal) => {
      return nextStartPage(await confluence.groups({ start: offsetOf(cursor), signal }));
    },
    id: (g) => g.name,
    name: (g) => g.name,
    members: async (groupName, cursor, signal) => {
      return nextStartPage(await confluence.groupMembers(groupName, { start: offsetOf(cursor), signal }));
    },
    memberId: (u) => u.username,
  });
  const spacesPage: FetchPage<{ id: string; key: string; name: string; type?: string | undefined }> = async (
    cursor,
  ) => {
    return nextStartPage(await confluence.spaces({ start: offsetOf(cursor), limit: 500 }));
  };

  return {
    streams: () => [...CONFLUENCE_DC_STREAMS],
    read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage> {
      switch (stream) {
        case 'users':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor, sig) => {
              return nextStartPage(await confluence.users({ start: offsetOf(cursor), limit: 1000, signal: sig }));
            },
            toRecords: (users) => users.map((u) => b.resource('user', u.username, u.displayName, { key: u.userKey })),
          });
        case 'groups':
          return groups.containers(stream, from, signal);
        case 'group-members':
          return groups.members(stream, from, signal);
        case 'spaces':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: spacesPage,
            toRecords: (spaces) => spaces.map((s) => b.resource('space', s.key, s.name, { id: s.id, type: s.type })),
          });
        case 'space-permissions':
          return walkNested({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            parents: spacesPage,
            parentId: (s) => s.key,
            children: async (spaceKey, _cursor, sig) => {
              const list = await confluence.spacePermissions(spaceKey, { signal: sig });
              return list.ok ? ok({ items: list.value, next: undefined }) : list;
            },
            toRecords: (spaceKey, permissions) =>
              spacePermissionRecords(
                b,
                b.id('space', spaceKey),
                permissions.map((p) => ({
                  op: p.operation.operationKey,
                  target: p.operation.targetType,
                  principal:
                    p.subject.type === 'group' && p.subject.name
                      ? b.id('group', p.subject.name)
                      : p.subject.type !== 'group' && p.subject.username
                        ? b.id('user', p.subject.username)
                        : undefined,
                })),
              ),
          });
        default:
          throw new TypeError(`confluence-dc has no stream ${stream}`);
      }
    },
  };
}
