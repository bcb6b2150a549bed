import type { Project } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { JiraSite } from '../jira-site.ts';
import type { JiraDirectory } from './jira-directory.ts';
import { PERMISSIONS, permissionByKey, permissionsBean, type PermissionDefinition } from './permissions.ts';
import { canBrowseProject, findProject, projectNotFoundMessage } from './project-access.ts';

/**
 * GET mypermissions: which permissions the caller has, globally or in a project or issue context. Jira Cloud
 * requires the `permissions` list (since 2019 a call without it answers 400); Data Center returns every
 * permission when it is absent.
 */
export function registerPermissionRoutes(
  router: Router,
  jira: JiraSite,
  version: 2 | 3,
  directory: () => JiraDirectory,
): void {
  router.get(
    `/rest/api/${version}/mypermissions`,
    (ctx) => {
      const dir = directory();
      const ref = jira.principalUserRef(ctx.principal);
      const raw = ctx.query.get('permissions');
      let wanted: readonly PermissionDefinition[];
      if (raw === null || raw.trim() === '') {
        if (jira.deployment === 'cloud') return jiraError(400, ["The 'permissions' query parameter is required."]);
        wanted = PERMISSIONS;
      } else {
        const list: PermissionDefinition[] = [];
        for (const key of raw
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k !== '')) {
          const d = permissionByKey(key);
          if (!d) return jiraError(400, [`Invalid permission key: ${key}`]);
          list.push(d);
        }
        wanted = list;
      }

      // Context: an issue (by id or key) wins over a project (by id or key); none means "in any project".
      let projects: readonly Project[] = jira.data.projects;
      const issueIdOrKey = ctx.query.get('issueId') ?? ctx.query.get('issueKey');
      const projectIdOrKey = ctx.query.get('projectId') ?? ctx.query.get('projectKey');
      if (issueIdOrKey !== null) {
        const issue = jira.data.issues.find((i) => i.id === issueIdOrKey || i.key === issueIdOrKey);
        const project = issue ? jira.data.projects.find((p) => p.id === issue.projectId) : undefined;
        if (!project || !canBrowseProject(dir, ref, project))
          return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
        projects = [project];
      } else if (projectIdOrKey !== null) {
        const project = findProject(jira.data.projects, projectIdOrKey);
        if (!project || !canBrowseProject(dir, ref, project))
          return jiraError(404, [projectNotFoundMessage(projectIdOrKey)]);
        projects = [project];
      }
      return ctx.json(200, permissionsBean(dir, ref, wanted, projects));
    },
    { access: 'anonymous-if-site-allows' },
  );
}
