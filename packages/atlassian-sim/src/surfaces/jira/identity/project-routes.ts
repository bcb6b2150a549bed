import type { SimState } from '../../../state.ts';
import type { Project } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import { intParam, type RouteContext, type Router } from '../../route.ts';
import type { JiraSite } from '../jira-site.ts';
import type { JiraDirectory } from './jira-directory.ts';
import { offsetPage } from './offset-page.ts';
import { canAdministerProject, canBrowseProject, findProject, projectNotFoundMessage } from './project-access.ts';
import { parseExpand, projectBean, projectInsights, type ProjectBeanOptions } from './project-beans.ts';
import { projectRoleBean } from './project-role-bean.ts';
import {
  hasCriteria,
  matchesProjectFilter,
  parseProjectFilter,
  parseProjectOrder,
  sortProjects,
} from './project-search.ts';

/**
 * Projects and project roles: `project/search` (cloud), `project` (bare array), `project/{key}`, and its roles.
 * Everything is permission-aware: a project the caller cannot browse is missing from lists and answers 404.
 * The project endpoints "can be accessed anonymously" (spec): on a site with anonymous browse an anonymous caller
 * (or one whose credential failed) sees the unrestricted projects; elsewhere they get the usual 401.
 */
export function registerProjectRoutes(
  router: Router,
  state: SimState,
  jira: JiraSite,
  version: 2 | 3,
  directory: () => JiraDirectory,
): void {
  const api = `/rest/api/${version}`;
  const anonymous = { access: 'anonymous-if-site-allows' } as const;
  const caller = (ctx: RouteContext) => jira.principalUserRef(ctx.principal);

  const visibleProjects = (dir: JiraDirectory, ref: string | undefined): Project[] =>
    jira.data.projects.filter((p) => canBrowseProject(dir, ref, p));

  /** Resolves `{projectIdOrKey}` for the caller, or answers 404 with Jira's text. */
  const projectFor = (ctx: RouteContext, dir: JiraDirectory): Project | Response => {
    const idOrKey = ctx.params['projectIdOrKey'] ?? '';
    const project = findProject(jira.data.projects, idOrKey);
    if (!project || !canBrowseProject(dir, caller(ctx), project))
      return jiraError(404, [projectNotFoundMessage(idOrKey)]);
    return project;
  };

  const beanOptions = (dir: JiraDirectory, ctx: RouteContext, full: boolean): ProjectBeanOptions => {
    const expand = parseExpand(ctx.query.get('expand'));
    return { version, expand, full, ...(expand.has('insight') ? { insights: projectInsights(jira.data) } : {}) };
  };

  if (jira.deployment === 'cloud') {
    router.get(
      `${api}/project/search`,
      (ctx) => {
        const dir = directory();
        const ref = caller(ctx);
        const order = parseProjectOrder(ctx.query.get('orderBy'));
        if (!order)
          return jiraError(400, [`The value '${ctx.query.get('orderBy') ?? ''}' is not a valid value for orderBy.`]);
        const filter = parseProjectFilter(ctx.query);
        const startAt = intParam(ctx.query, 'startAt', 0);
        // maxResults over 100 is silently clamped to 100 (spec: "will default to 100").
        const maxResults = intParam(ctx.query, 'maxResults', 50, 100);
        const insights = projectInsights(jira.data);
        const matching = visibleProjects(dir, ref).filter((p) => matchesProjectFilter(p, filter));
        // Spec: 404 "Returned if no projects matching the search criteria are found" (only with criteria given).
        if (matching.length === 0 && hasCriteria(filter))
          return jiraError(404, ['No projects matching the search criteria were found.']);
        const leadName = (p: Project) => dir.users[p.leadIdx]?.displayName ?? '';
        sortProjects(matching, order, { insights, leadName });
        const options = { ...beanOptions(dir, ctx, false), insights };
        const page = offsetPage(matching, startAt, maxResults, `${jira.baseUrl}${api}/project/search`, ctx.query);
        return ctx.json(200, {
          ...page,
          values: page.values.map((p) =>
            projectBean(dir, p, { ...options, canEdit: canAdministerProject(dir, ref, p) }),
          ),
        });
      },
      anonymous,
    );
  }

  // A bare array, not paged (DC's only project list; deprecated on cloud but still served).
  router.get(
    `${api}/project`,
    (ctx) => {
      const dir = directory();
      const options = beanOptions(dir, ctx, false);
      const projects = visibleProjects(dir, caller(ctx)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return ctx.json(
        200,
        projects.map((p) => projectBean(dir, p, options)),
      );
    },
    anonymous,
  );

  router.get(
    `${api}/project/:projectIdOrKey`,
    (ctx) => {
      const dir = directory();
      const project = projectFor(ctx, dir);
      if (project instanceof Response) return project;
      return ctx.json(
        200,
        projectBean(dir, project, {
          ...beanOptions(dir, ctx, true),
          canEdit: canAdministerProject(dir, caller(ctx), project),
        }),
      );
    },
    anonymous,
  );

  /**
   * Cloud shows a project's roles only to project administrators ("Administer Projects for any project on the site,
   * or Administer Jira"); others get 404 as if the project were missing. DC shows them to anyone who can browse it.
   */
  const mayReadRoles = (
    dir: JiraDirectory,
    ref: string | undefined,
    project: Project,
    anyProject: boolean,
  ): boolean => {
    if (jira.deployment === 'dc') return true;
    if (anyProject) return jira.data.projects.some((p) => canAdministerProject(dir, ref, p));
    return canAdministerProject(dir, ref, project);
  };

  router.get(
    `${api}/project/:projectIdOrKey/role`,
    (ctx) => {
      const dir = directory();
      const project = projectFor(ctx, dir);
      if (project instanceof Response) return project;
      if (!mayReadRoles(dir, caller(ctx), project, true))
        return jiraError(404, [projectNotFoundMessage(ctx.params['projectIdOrKey'] ?? '')]);
      return ctx.json(
        200,
        Object.fromEntries(
          project.roles.map((r) => [r.name, `${jira.baseUrl}${api}/project/${project.id}/role/${r.id}`]),
        ),
      );
    },
    anonymous,
  );

  router.get(
    `${api}/project/:projectIdOrKey/role/:id`,
    (ctx) => {
      const dir = directory();
      const project = projectFor(ctx, dir);
      if (project instanceof Response) return project;
      if (!mayReadRoles(dir, caller(ctx), project, false))
        return jiraError(404, [projectNotFoundMessage(ctx.params['projectIdOrKey'] ?? '')]);
      const role = project.roles.find((r) => String(r.id) === ctx.params['id']);
      // Jira's text for an unknown role id, which it resolves to a null role before looking up actors.
      if (!role) return jiraError(404, ['Can not retrieve a role actor for a null project role.']);
      const exclude = ctx.query.get('excludeInactiveUsers') === 'true';
      return ctx.json(200, projectRoleBean(dir, project, role, version, exclude));
    },
    anonymous,
  );
}
