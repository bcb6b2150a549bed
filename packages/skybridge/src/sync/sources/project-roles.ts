import type { AccessRecord } from '../../domain/access-model.ts';
import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../../atlassian/atlassian-error.ts';
import type { JiraProjectRole } from '../../atlassian/jira-cloud/schemas.ts';
import type { ListPage } from './page-walk.ts';
import type { RecordBuilder } from './source-ids.ts';

/** The project-role calls, the same on Jira Cloud (`/rest/api/3`) and Data Center (`/rest/api/2`). */
export interface ProjectRoleCalls {
  projectRoles(
    projectIdOrKey: string,
    options?: { signal?: AbortSignal },
  ): Promise<Result<Array<{ id: string; name: string }>, AtlassianError>>;
  projectRole(
    projectIdOrKey: string,
    roleId: string,
    options?: { signal?: AbortSignal },
  ): Promise<Result<JiraProjectRole, AtlassianError>>;
}

export type RoleActor = NonNullable<JiraProjectRole['actors']>[number];

/** Roles still to read for one project, carried in the child cursor: a handful per project, so it stays small. */
function parseRoles(cursor: string): Array<{ id: string; name: string }> {
  const parsed: unknown = JSON.parse(cursor);
  if (!Array.isArray(parsed)) throw new TypeError('a project-roles cursor must be a list');
  return parsed.flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const { id, name } = r as Record<string, unknown>;
    return typeof id === 'string' && typeof name === 'string' ? [{ id, name }] : [];
  });
}

/**
 * The children of one project for `walkNested`: the first "page" is the project's role list (yielding the
 * `role:<name>` entitlements on the project), each following one is a role's actors (yielding their grants). A user
 * or group actor becomes a grant to `principalOf(actor)`; actors it cannot place are skipped.
 */
export function projectRoleChildren(
  b: RecordBuilder,
  api: ProjectRoleCalls,
  principalOf: (actor: RoleActor) => string | undefined,
): (
  projectId: string,
  cursor: string | undefined,
  signal: AbortSignal,
) => Promise<Result<ListPage<AccessRecord>, AtlassianError>> {
  return async (projectId, cursor, signal) => {
    const project = b.id('project', projectId);
    if (cursor === undefined) {
      const roles = await api.projectRoles(projectId, { signal });
      if (!roles.ok) return roles;
      // Every role's cursor is known from the list, so the roles' actors may be fetched at once.
      const cursors = roles.value.map((_, i) => JSON.stringify(roles.value.slice(i)));
      return ok({
        items: roles.value.map((r) => b.entitlement(project, `role:${r.name}`, `${r.name} (role)`)),
        next: cursors[0],
        following: cursors,
      });
    }
    const [role, ...rest] = parseRoles(cursor);
    if (!role) return ok({ items: [], next: undefined });
    const found = await api.projectRole(projectId, role.id, { signal });
    if (!found.ok) return found;
    const items = (found.value.actors ?? []).flatMap((actor) => {
      const principal = principalOf(actor);
      return principal ? [b.grant(project, `role:${role.name}`, principal)] : [];
    });
    return ok({ items, next: rest.length > 0 ? JSON.stringify(rest) : undefined });
  };
}
