import type { Project } from '../../../world/types.ts';
import type { JiraDirectory } from './jira-directory.ts';
import { canAdministerProject, canBrowseProject } from './project-access.ts';

/**
 * How the simulated permission scheme grants each permission. Jira's default scheme, simplified:
 * - `admin`: Administer Jira (site admins on cloud, `*-administrators` and sysadmins on DC)
 * - `browse-users`: the *Browse users and groups* global permission
 * - `logged-in`: any logged-in user
 * - `project-admin`: Administer Projects (Jira admins and the project's Administrators role)
 * - `browse`: whoever can browse the project (Browse Projects and the usual issue permissions)
 */
export const GRANTS = ['admin', 'browse-users', 'logged-in', 'project-admin', 'browse'] as const;
export type Grant = (typeof GRANTS)[number];

export interface PermissionDefinition {
  /** Jira's numeric permission ids, as strings on the wire. */
  id: string;
  key: string;
  name: string;
  type: 'GLOBAL' | 'PROJECT';
  description: string;
  grant: Grant;
}

const p = (
  id: string,
  key: string,
  name: string,
  type: 'GLOBAL' | 'PROJECT',
  grant: Grant,
  description: string,
): PermissionDefinition => ({ id, key, name, type, description, grant });

export const PERMISSIONS: readonly PermissionDefinition[] = [
  p(
    '0',
    'ADMINISTER',
    'Administer Jira',
    'GLOBAL',
    'admin',
    'Create and administer projects, issue types, fields, workflows, and schemes for all projects. Users with this permission can perform most administration tasks, except: managing users, importing data, and editing system email settings.',
  ),
  p('44', 'SYSTEM_ADMIN', 'Administer Jira', 'GLOBAL', 'admin', 'Ability to perform all administration functions.'),
  p(
    '27',
    'USER_PICKER',
    'Browse users and groups',
    'GLOBAL',
    'browse-users',
    'View and select users or groups from the user picker, and share issues. Users with this permission can see the names of all users and groups on your site.',
  ),
  p(
    '22',
    'CREATE_SHARED_OBJECTS',
    'Share dashboards and filters',
    'GLOBAL',
    'logged-in',
    'Share dashboards and filters with other users.',
  ),
  p(
    '24',
    'MANAGE_GROUP_FILTER_SUBSCRIPTIONS',
    'Manage group filter subscriptions',
    'GLOBAL',
    'logged-in',
    'Create and delete group filter subscriptions.',
  ),
  p(
    '33',
    'BULK_CHANGE',
    'Make bulk changes',
    'GLOBAL',
    'logged-in',
    'Modify collections of issues at once. For example, resolve multiple issues in one step.',
  ),
  p(
    '23',
    'ADMINISTER_PROJECTS',
    'Administer Projects',
    'PROJECT',
    'project-admin',
    'Ability to administer a project in Jira.',
  ),
  p(
    '10',
    'BROWSE_PROJECTS',
    'Browse Projects',
    'PROJECT',
    'browse',
    'Ability to browse projects and the issues within them.',
  ),
  p(
    '45',
    'VIEW_READONLY_WORKFLOW',
    'View Read-Only Workflow',
    'PROJECT',
    'browse',
    'Users with this permission may view a read-only version of a workflow.',
  ),
  p('11', 'CREATE_ISSUES', 'Create Issues', 'PROJECT', 'browse', 'Ability to create issues.'),
  p('12', 'EDIT_ISSUES', 'Edit Issues', 'PROJECT', 'browse', 'Ability to edit issues.'),
  p('46', 'TRANSITION_ISSUES', 'Transition Issues', 'PROJECT', 'browse', 'Ability to transition issues.'),
  p('13', 'ASSIGN_ISSUES', 'Assign Issues', 'PROJECT', 'browse', 'Ability to assign issues to other people.'),
  p(
    '17',
    'ASSIGNABLE_USER',
    'Assignable User',
    'PROJECT',
    'browse',
    'Users with this permission may be assigned to issues.',
  ),
  p(
    '14',
    'RESOLVE_ISSUES',
    'Resolve Issues',
    'PROJECT',
    'browse',
    'Ability to resolve and reopen issues. This includes the ability to set a fix version.',
  ),
  p(
    '18',
    'CLOSE_ISSUES',
    'Close Issues',
    'PROJECT',
    'browse',
    'Ability to close issues. Often useful where your developers resolve issues, and a QA department closes them.',
  ),
  p(
    '30',
    'MODIFY_REPORTER',
    'Modify Reporter',
    'PROJECT',
    'browse',
    'Ability to modify the reporter when creating or editing an issue.',
  ),
  p('16', 'DELETE_ISSUES', 'Delete Issues', 'PROJECT', 'project-admin', 'Ability to delete issues.'),
  p(
    '21',
    'LINK_ISSUES',
    'Link Issues',
    'PROJECT',
    'browse',
    'Ability to link issues together and create linked issues. Only useful if issue linking is turned on.',
  ),
  p(
    '25',
    'MOVE_ISSUES',
    'Move Issues',
    'PROJECT',
    'browse',
    'Ability to move issues between projects or between workflows of the same project (if applicable). Note the user can only move issues to a project they have the create permission for.',
  ),
  p('28', 'SCHEDULE_ISSUES', 'Schedule Issues', 'PROJECT', 'browse', "Ability to view or edit an issue's due date."),
  p('15', 'ADD_COMMENTS', 'Add Comments', 'PROJECT', 'browse', 'Ability to comment on issues.'),
  p(
    '35',
    'EDIT_OWN_COMMENTS',
    'Edit Own Comments',
    'PROJECT',
    'browse',
    'Ability to edit own comments made on issues.',
  ),
  p(
    '34',
    'EDIT_ALL_COMMENTS',
    'Edit All Comments',
    'PROJECT',
    'project-admin',
    'Ability to edit all comments made on issues.',
  ),
  p(
    '37',
    'DELETE_OWN_COMMENTS',
    'Delete Own Comments',
    'PROJECT',
    'browse',
    'Ability to delete own comments made on issues.',
  ),
  p(
    '36',
    'DELETE_ALL_COMMENTS',
    'Delete All Comments',
    'PROJECT',
    'project-admin',
    'Ability to delete all comments made on issues.',
  ),
  p(
    '19',
    'CREATE_ATTACHMENTS',
    'Create Attachments',
    'PROJECT',
    'browse',
    'Users with this permission may create attachments.',
  ),
  p(
    '39',
    'DELETE_OWN_ATTACHMENTS',
    'Delete Own Attachments',
    'PROJECT',
    'browse',
    'Users with this permission may delete own attachments.',
  ),
  p(
    '38',
    'DELETE_ALL_ATTACHMENTS',
    'Delete All Attachments',
    'PROJECT',
    'project-admin',
    'Users with this permission may delete all attachments.',
  ),
  p(
    '31',
    'VIEW_VOTERS_AND_WATCHERS',
    'View Voters and Watchers',
    'PROJECT',
    'browse',
    'Ability to view the voters and watchers of an issue.',
  ),
  p(
    '32',
    'MANAGE_WATCHERS',
    'Manage Watchers',
    'PROJECT',
    'project-admin',
    'Ability to manage the watchers of an issue.',
  ),
  p(
    '20',
    'WORK_ON_ISSUES',
    'Work On Issues',
    'PROJECT',
    'browse',
    'Ability to log work done against an issue. Only useful if Time Tracking is turned on.',
  ),
  p(
    '40',
    'EDIT_OWN_WORKLOGS',
    'Edit Own Worklogs',
    'PROJECT',
    'browse',
    'Ability to edit own worklogs made on issues.',
  ),
  p(
    '41',
    'EDIT_ALL_WORKLOGS',
    'Edit All Worklogs',
    'PROJECT',
    'project-admin',
    'Ability to edit all worklogs made on issues.',
  ),
  p(
    '42',
    'DELETE_OWN_WORKLOGS',
    'Delete Own Worklogs',
    'PROJECT',
    'browse',
    'Ability to delete own worklogs made on issues.',
  ),
  p(
    '43',
    'DELETE_ALL_WORKLOGS',
    'Delete All Worklogs',
    'PROJECT',
    'project-admin',
    'Ability to delete all worklogs made on issues.',
  ),
  p(
    '26',
    'SET_ISSUE_SECURITY',
    'Set Issue Security',
    'PROJECT',
    'project-admin',
    'Ability to set the level of security on an issue so that only people in that security level can see the issue.',
  ),
  p(
    '29',
    'VIEW_DEV_TOOLS',
    'View Development Tools',
    'PROJECT',
    'browse',
    'Allows users in a software project to view development-related information on the issue, such as commits, reviews and build information.',
  ),
];

const BY_KEY = new Map(PERMISSIONS.map((d) => [d.key, d]));

export function permissionByKey(key: string): PermissionDefinition | undefined {
  return BY_KEY.get(key);
}

/**
 * Whether the caller holds `permission` in `projects` (one project for a project or issue context; every project
 * for the global context, where Jira reports a project permission held in any project).
 */
export function havePermission(
  dir: JiraDirectory,
  ref: string | undefined,
  permission: PermissionDefinition,
  projects: readonly Project[],
): boolean {
  switch (permission.grant) {
    case 'admin':
      return ref !== undefined && dir.jira.isAdmin(ref);
    case 'browse-users':
      return dir.canBrowseUsers(ref);
    case 'logged-in':
      return ref !== undefined;
    case 'project-admin':
      return projects.some((project) => canAdministerProject(dir, ref, project));
    case 'browse':
      return projects.some((project) => canBrowseProject(dir, ref, project));
  }
}

/** The `permissions` map of GET mypermissions. */
export function permissionsBean(
  dir: JiraDirectory,
  ref: string | undefined,
  wanted: readonly PermissionDefinition[],
  projects: readonly Project[],
): { permissions: Record<string, unknown> } {
  const permissions: Record<string, unknown> = {};
  for (const d of wanted) {
    permissions[d.key] = {
      id: d.id,
      key: d.key,
      name: d.name,
      type: d.type,
      description: d.description,
      havePermission: havePermission(dir, ref, d, projects),
    };
  }
  return { permissions };
}
