import type { SyncCheckpoint } from '../../domain/access-model.ts';
import { ok } from '../../domain/result.ts';
import type { JiraCloudApi, JiraCloudDirectoryApi } from '../../atlassian/jira-cloud/client.ts';
import type { FetchPage } from './page-walk.ts';
import { membershipStreams } from './group-streams.ts';
import {
  READ_CONCURRENCY,
  nextOffset,
  nextPageBeanOffset,
  offsetOf,
  pageBeanFollowing,
  walkList,
  walkNested,
} from './page-walk.ts';
import { projectRoleChildren } from './project-roles.ts';
import { createRecordBuilder } from './source-ids.ts';
import type { SourcePage, SourceReader } from './source-reader.ts';

/**
 * `jira-cloud`: the site's users, groups and members, projects, and project roles with their actors (users and
 * groups, as `role:<name>` grants on the project). Users are keyed by accountId, groups by groupId.
 */

export const JIRA_CLOUD_STREAMS = ['users', 'groups', 'group-members', 'projects', 'project-roles'] as const;

export interface JiraCloudReaderOptions {
  connectionId: string;
  jira: JiraCloudApi & JiraCloudDirectoryApi;
  /** Users per `users/search` page. Default 1000, the API's maximum. */
  usersPageSize?: number;
}

export function createJiraCloudReader(options: JiraCloudReaderOptions): SourceReader {
  const { jira } = options;
  const b = createRecordBuilder(options.connectionId);
  const usersPageSize = options.usersPageSize ?? 1000;

  const groups = membershipStreams({
    b,
    containers: async (cursor, signal) => {
      const startAt = offsetOf(cursor);
      const page = await jira.groups({ startAt, signal });
      return page.ok
        ? ok({
            items: page.value.values,
            next: nextPageBeanOffset(page.value, startAt),
            following: pageBeanFollowing(page.value, startAt),
          })
        : page;
    },
    id: (g) => g.groupId,
    name: (g) => g.name,
    attributes: (g) => ({ name: g.name }),
    members: async (groupId, cursor, signal) => {
      const startAt = offsetOf(cursor);
      const page = await jira.groupMembers(groupId, { startAt, signal });
      // Members are an offset PageBean with a total: a big group's pages are fetched at once.
      return page.ok
        ? ok({
            items: page.value.values,
            next: nextPageBeanOffset(page.value, startAt),
            following: pageBeanFollowing(page.value, startAt),
          })
        : page;
    },
    memberId: (u) => u.accountId,
  });
  const projectsPage: FetchPage<{ id: string; key: string; name: string }> = async (cursor) => {
    const startAt = offsetOf(cursor);
    // 100 is the most project/search serves (larger values are clamped).
    const page = await jira.searchProjects({ startAt, maxResults: 100 });
    return page.ok
      ? ok({
          items: page.value.values,
          next: nextPageBeanOffset(page.value, startAt),
          following: pageBeanFollowing(page.value, startAt),
        })
      : page;
  };

  return {
    streams: () => [...JIRA_CLOUD_STREAMS],
    read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage> {
      switch (stream) {
        case 'users':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            // A bare array: the walk ends on a short page (API-NOTES §2.1).
            fetch: async (cursor, sig) => {
              const startAt = offsetOf(cursor);
              const page = await jira.users({ startAt, maxResults: usersPageSize, signal: sig });
              return page.ok
                ? ok({ items: page.value, next: nextOffset(startAt, page.value.length, usersPageSize) })
                : page;
            },
            toRecords: (users) =>
              users.map((u) =>
                b.resource('user', u.accountId, u.displayName, {
                  email: u.emailAddress,
                  active: u.active,
                  status: u.active === false ? 'inactive' : 'active',
                  accountType: u.accountType,
                }),
              ),
          });
        case 'groups':
          return groups.containers(stream, from, signal);
        case 'group-members':
          return groups.members(stream, from, signal);
        case 'projects':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: projectsPage,
            toRecords: (projects) => projects.map((p) => b.resource('project', p.id, p.name, { key: p.key })),
          });
        case 'project-roles':
          return walkNested({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            parents: projectsPage,
            parentId: (p) => p.id,
            children: projectRoleChildren(b, jira, (actor) => {
              if (actor.actorUser) return b.id('user', actor.actorUser.accountId);
              if (actor.actorGroup?.groupId) return b.id('group', actor.actorGroup.groupId);
              return undefined;
            }),
            toRecords: (_projectId, records) => records,
          });
        default:
          throw new TypeError(`jira-cloud has no stream ${stream}`);
      }
    },
  };
}
