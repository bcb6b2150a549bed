import type { IssueType, JiraData, Project } from '../../../world/types.ts';
import type { JiraDirectory } from './jira-directory.ts';

/** What `expand` asked for, parsed once: Jira takes a comma-separated list. */
export function parseExpand(raw: string | null): Set<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}

export interface ProjectInsight {
  totalIssueCount: number;
  /** ISO date-time of the latest issue update; absent for a project without issues. */
  lastIssueUpdateTime?: string;
}

/** Issue count and latest update per project id, computed on demand (insight expand, issueCount ordering). */
export function projectInsights(data: JiraData): Map<string, ProjectInsight> {
  const insights = new Map<string, ProjectInsight>();
  for (const issue of data.issues) {
    let insight = insights.get(issue.projectId);
    if (!insight) insights.set(issue.projectId, (insight = { totalIssueCount: 0 }));
    insight.totalIssueCount++;
    if (insight.lastIssueUpdateTime === undefined || issue.updated > insight.lastIssueUpdateTime)
      insight.lastIssueUpdateTime = issue.updated;
  }
  return insights;
}

/** Jira prints dates as `2021-04-22T05:37:05.000+0000`, not with `Z`. */
export function jiraDate(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

function projectAvatarUrls(baseUrl: string, id: string): Record<string, string> {
  const url = (size: string) => `${baseUrl}/secure/projectavatar?size=${size}&pid=${id}`;
  return { '48x48': url('large'), '24x24': url('small'), '16x16': url('xsmall'), '32x32': url('medium') };
}

function issueTypeBean(baseUrl: string, version: 2 | 3, type: IssueType, cloud: boolean): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    self: `${baseUrl}/rest/api/${version}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${baseUrl}/secure/viewavatar?size=xsmall&avatarId=${10300 + (Number(type.id) % 100)}&avatarType=issuetype`,
    name: type.name,
    subtask: type.subtask,
    avatarId: 10300 + (Number(type.id) % 100),
  };
  // hierarchyLevel exists on cloud only: epics sit above standard types, sub-tasks below.
  if (cloud) bean['hierarchyLevel'] = type.subtask ? -1 : type.name === 'Epic' ? 1 : 0;
  return bean;
}

export interface ProjectBeanOptions {
  version: 2 | 3;
  expand: Set<string>;
  /** The full single-project view (GET project/{key}) rather than the list item. */
  full: boolean;
  insights?: Map<string, ProjectInsight>;
  /** For the `permissions` expand (cloud): whether the caller can edit (administer) the project. */
  canEdit?: boolean;
}

/**
 * A project as Jira serializes it. Cloud list items (project/search) carry the style flags and only expand
 * description, lead, issueTypes, insight and permissions on request; the single-project view always carries them
 * plus components, versions and the role map. DC list items are the short ProjectBean.
 */
export function projectBean(
  dir: JiraDirectory,
  project: Project,
  options: ProjectBeanOptions,
): Record<string, unknown> {
  const { jira } = dir;
  const { version, expand, full } = options;
  const cloud = dir.deployment === 'cloud';
  const api = `${jira.baseUrl}/rest/api/${version}`;
  const bean: Record<string, unknown> = {
    expand: cloud
      ? 'description,lead,issueTypes,url,projectKeys,permissions,insight'
      : 'description,lead,url,projectKeys',
    self: `${api}/project/${project.id}`,
    id: project.id,
    key: project.key,
  };
  if (full || expand.has('description')) bean['description'] = project.description;
  if (full || expand.has('lead')) {
    const lead = dir.userBeanAt(project.leadIdx, version);
    if (lead) bean['lead'] = lead;
  }
  if (full) bean['components'] = [];
  if (full || expand.has('issueTypes')) {
    const types = new Map(jira.data.issueTypes.map((t) => [t.id, t]));
    bean['issueTypes'] = project.issueTypeIds.flatMap((id) => {
      const type = types.get(id);
      return type ? [issueTypeBean(jira.baseUrl, version, type, cloud)] : [];
    });
  }
  if (full) {
    bean['assigneeType'] = 'UNASSIGNED';
    bean['versions'] = [];
  }
  bean['name'] = project.name;
  if (full)
    bean['roles'] = Object.fromEntries(project.roles.map((r) => [r.name, `${api}/project/${project.id}/role/${r.id}`]));
  bean['avatarUrls'] = projectAvatarUrls(jira.baseUrl, project.id);
  bean['projectTypeKey'] = project.projectTypeKey;
  if (cloud) {
    // Company-managed ("classic") projects: team-managed ones would be simplified/next-gen.
    bean['simplified'] = false;
    bean['style'] = 'classic';
    bean['isPrivate'] = project.restricted;
    bean['properties'] = {};
    if (expand.has('insight')) {
      const insight = options.insights?.get(project.id) ?? { totalIssueCount: 0 };
      bean['insight'] =
        insight.lastIssueUpdateTime === undefined
          ? { totalIssueCount: 0 }
          : { totalIssueCount: insight.totalIssueCount, lastIssueUpdateTime: jiraDate(insight.lastIssueUpdateTime) };
    }
    if (expand.has('permissions')) bean['permissions'] = { canEdit: options.canEdit ?? false };
  } else {
    bean['archived'] = project.archived;
  }
  return bean;
}
