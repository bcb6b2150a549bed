import type { SyncCheckpoint } from '../../domain/access-model.ts';
import { err, ok } from '../../domain/result.ts';
import { AtlassianError } from '../../atlassian/atlassian-error.ts';
import type { JiraDcApi, JiraDcDirectoryApi } from '../../atlassian/jira-dc/client.ts';
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
 * `jira-dc`: users, groups and members, projects, project roles with their actors, and application roles (licences,
 * granted through groups). Data Center names users by `name` (the username) everywhere: role actors, group members
 * and search results all carry it, while the user `key` only appears in some of them, so the username is the
 * external id. Groups are known by name.
 */

export const JIRA_DC_STREAMS = [
  'users',
  'groups',
  'group-members',
  'projects',
  'project-roles',
  'application-roles',
] as const;

export interface JiraDcReaderOptions {
  connectionId: string;
  jira: JiraDcApi & JiraDcDirectoryApi;
  /** Users per `user/search` page. Default 1000, the API's maximum. */
  usersPageSize?: number;
}

export function createJiraDcReader(options: JiraDcReaderOptions): SourceReader {
  const { jira } = options;
  const b = createRecordBuilder(options.connectionId);
  const usersPageSize = options.usersPageSize ?? 1000;

  // Why one page: the group picker is DC's only group enumeration and it does not page. Its `total` tells whether
  // `maxResults` cut the list; a cut list is refused rather than synced as if it were complete.
  const groupsPage: FetchPage<{ name: string }> = async (_cursor, signal) => {
    const page = await jira.groups({ signal });
    if (!page.ok) return page;
    if (page.value.groups.length < page.value.total) {
      return err(
        new AtlassianError('bad_response', {
          detail: `the group picker listed ${page.value.groups.length} of ${page.value.total} groups`,
        }),
      );
    }
    return ok({ items: page.value.groups, next: undefined });
  };
  const groups = membershipStreams({
    b,
    containers: groupsPage,
    id: (g) => g.name,
    name: (g) => g.name,
    members: async (groupName, cursor, signal) => {
      const startAt = offsetOf(cursor);
      const page = await jira.groupMembers(groupName, { startAt, signal });
      return page.ok
        ? ok({
            items: page.value.values,
            next: nextPageBeanOffset(page.value, startAt),
            following: pageBeanFollowing(page.value, startAt),
          })
        : page;
    },
    memberId: (u) => u.name,
  });
  const projectsPage: FetchPage<{ id: string; key: string; name: string }> = async () => {
    const projects = await jira.projects();
    return projects.ok ? ok({ items: projects.value, next: undefined }) : projects;
  };

  return {
    streams: () => [...JIRA_DC_STREAMS],
    read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage> {
      switch (stream) {
        case 'users':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (cursor, sig) => {
              const startAt = offsetOf(cursor);
              const page = await jira.users({ startAt, maxResults: usersPageSize, signal: sig });
              return page.ok
                ? ok({ items: page.value, next: nextOffset(startAt, page.value.length, usersPageSize) })
                : page;
            },
            toRecords: (users) =>
              users.map((u) =>
                b.resource('user', u.name, u.displayName, {
                  key: u.key,
                  email: u.emailAddress,
                  active: u.active,
                  status: u.active === false ? 'inactive' : 'active',
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
              if (!actor.name) return undefined;
              if (actor.type === 'atlassian-user-role-actor') return b.id('user', actor.name);
              if (actor.type === 'atlassian-group-role-actor') return b.id('group', actor.name);
              return undefined;
            }),
            toRecords: (_projectId, records) => records,
          });
        case 'application-roles':
          return walkList({
            phase: stream,
            from,
            signal,
            concurrency: READ_CONCURRENCY,
            fetch: async (_cursor, sig) => {
              const roles = await jira.applicationRoles({ signal: sig });
              return roles.ok ? ok({ items: roles.value, next: undefined }) : roles;
            },
            toRecords: (roles) =>
              roles.flatMap((r) => {
                const role = b.id('application_role', r.key);
                return [
                  b.resource('application_role', r.key, r.name, { seats: r.numberOfSeats, userCount: r.userCount }),
                  b.entitlement(role, `licence:${r.key}`, `${r.name} licence`),
                  ...r.groups.map((g) => b.grant(role, `licence:${r.key}`, b.id('group', g))),
                ];
              }),
          });
        default:
          throw new TypeError(`jira-dc has no stream ${stream}`);
      }
    },
  };
}
