import type { Project } from '../../../world/types.ts';
import type { JiraDirectory } from './jira-directory.ts';

/** The role whose actors hold *Administer Projects* (Jira's default permission scheme grants it to Administrators). */
export const PROJECT_ADMIN_ROLE_NAME = 'Administrators';

/** Whether `ref` is named in the role directly or through one of its groups. */
export function isRoleActor(dir: JiraDirectory, ref: string, role: Project['roles'][number]): boolean {
  const idx = dir.indexOf(ref);
  if (idx !== undefined && role.actorUsers.includes(idx)) return true;
  if (role.actorGroups.length === 0) return false;
  const groups = dir.jira.groupsOf(ref);
  return role.actorGroups.some((g) => groups.has(g));
}

/**
 * *Browse Projects*: administrators see every project; a project that is not restricted is open to every user of
 * the site (and to anonymous callers when the site allows anonymous browse); a restricted one only to its role
 * actors, users or members of actor groups. Projects a caller cannot browse do not exist for them: they are left out
 * of lists and answer 404, as Jira never reveals a project's existence with a 403.
 */
export function canBrowseProject(dir: JiraDirectory, ref: string | undefined, project: Project): boolean {
  if (project.archived) return ref !== undefined && dir.jira.isAdmin(ref);
  if (ref === undefined) return dir.anonymousBrowse && !project.restricted;
  if (dir.jira.isAdmin(ref)) return true;
  if (!project.restricted) return true;
  return project.roles.some((role) => isRoleActor(dir, ref, role));
}

/** *Administer Projects*: Jira administrators and the project's Administrators role. */
export function canAdministerProject(dir: JiraDirectory, ref: string | undefined, project: Project): boolean {
  if (ref === undefined) return false;
  if (dir.jira.isAdmin(ref)) return true;
  return project.roles.some((role) => role.name === PROJECT_ADMIN_ROLE_NAME && isRoleActor(dir, ref, role));
}

/** Finds a project by id or key; the spec documents `projectIdOrKey` as case sensitive. */
export function findProject(projects: readonly Project[], idOrKey: string): Project | undefined {
  if (/^\d+$/.test(idOrKey)) return projects.find((p) => p.id === idOrKey);
  return projects.find((p) => p.key === idOrKey);
}

/** Jira's 404 text names the id or the key it was given. */
export function projectNotFoundMessage(idOrKey: string): string {
  return /^\d+$/.test(idOrKey)
    ? `No project could be found with id '${idOrKey}'.`
    : `No project could be found with key '${idOrKey}'.`;
}
