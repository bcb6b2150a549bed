import type { Project, ProjectRole } from '../../../world/types.ts';
import type { JiraDirectory } from './jira-directory.ts';

/** The two actor kinds Jira reports; project roles here hold users and groups, never other roles. */
export const ROLE_ACTOR_TYPES = ['atlassian-user-role-actor', 'atlassian-group-role-actor'] as const;
export type RoleActorType = (typeof ROLE_ACTOR_TYPES)[number];

/** Role actor ids are per (project, role, actor) in Jira; derive stable ones from the positions. */
function actorId(project: Project, role: ProjectRole, n: number): number {
  return Number(project.id) * 100 + (role.id % 100) * 10 + n;
}

/**
 * A project role with its actors, sorted by display name as the spec says. Cloud user actors carry
 * `actorUser.accountId` and no name (GDPR: usernames are gone); DC user actors carry the username in `name`. Group
 * actors carry `actorGroup.{name, groupId, displayName}` on cloud, and just the group name on DC.
 */
export function projectRoleBean(
  dir: JiraDirectory,
  project: Project,
  role: ProjectRole,
  version: 2 | 3,
  excludeInactiveUsers: boolean,
): Record<string, unknown> {
  const cloud = dir.deployment === 'cloud';
  const actors: { sortKey: string; bean: Record<string, unknown> }[] = [];
  let n = 0;
  for (const idx of role.actorUsers) {
    const user = dir.users[idx];
    n++;
    if (!user || (excludeInactiveUsers && !user.active)) continue;
    const avatarUrl = `${dir.jira.baseUrl}/secure/useravatar?size=xsmall&ownerId=${encodeURIComponent(user.ref)}`;
    const bean: Record<string, unknown> = cloud
      ? {
          id: actorId(project, role, n),
          displayName: user.displayName,
          type: 'atlassian-user-role-actor',
          actorUser: { accountId: user.ref },
          avatarUrl,
        }
      : {
          id: actorId(project, role, n),
          displayName: user.displayName,
          type: 'atlassian-user-role-actor',
          name: user.ref,
          avatarUrl,
        };
    actors.push({ sortKey: user.displayName.toLowerCase(), bean });
  }
  for (const groupId of role.actorGroups) {
    const group = dir.groupById(groupId);
    n++;
    if (!group) continue;
    const bean: Record<string, unknown> = {
      id: actorId(project, role, n),
      displayName: group.name,
      type: 'atlassian-group-role-actor',
      name: group.name,
    };
    if (cloud) bean['actorGroup'] = { name: group.name, groupId: group.id, displayName: group.name };
    actors.push({ sortKey: group.name.toLowerCase(), bean });
  }
  actors.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const bean: Record<string, unknown> = {
    self: `${dir.jira.baseUrl}/rest/api/${version}/project/${project.id}/role/${role.id}`,
    name: role.name,
    id: role.id,
    description: role.description,
    actors: actors.map((a) => a.bean),
  };
  return bean;
}
