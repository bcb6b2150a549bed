// The small beans Jira embeds in issues, transitions and comments, in the shape each REST flavour sends.
import type { Comment, Issue, IssueType, Project, Status } from '../../../world/types.ts';
import { statusCategoryBean } from '../../../world/jira-status.ts';
import { richTextFor } from './adf.ts';
import type { IssueContext } from './issue-context.ts';
import { PRIORITIES } from './field-catalogue.ts';
import { jiraDate } from './stored-fields.ts';

// UserDetails in the cloud spec is closed (additionalProperties: false): no locale, no deleted flag.
const USER_DETAIL_KEYS = [
  'self',
  'accountId',
  'accountType',
  'name',
  'key',
  'emailAddress',
  'avatarUrls',
  'displayName',
  'active',
  'timeZone',
] as const;

/** A user as embedded in issues and comments, or null when the ref is unknown to the site. */
export function userDetails(ctx: IssueContext, ref: string | undefined): Record<string, unknown> | null {
  if (ref === undefined) return null;
  const bean = ctx.jira.userBean(ref);
  if (!bean) return null;
  const out: Record<string, unknown> = {};
  for (const key of USER_DETAIL_KEYS) if (bean[key] !== undefined) out[key] = bean[key];
  // The shared bean links to v3; a v2 response links to v2 like everything else in it.
  if (typeof out['self'] === 'string') out['self'] = out['self'].replace('/rest/api/3/', `${ctx.api}/`);
  return out;
}

const HIERARCHY: Record<string, number> = { Epic: 1 };

export function issueTypeBean(ctx: IssueContext, type: IssueType): Record<string, unknown> {
  const avatarId = 10300 + Number(type.id.slice(-1));
  const bean: Record<string, unknown> = {
    self: `${ctx.apiBase}/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: `${ctx.jira.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${avatarId}?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId,
  };
  // hierarchyLevel is a Cloud addition (epics 1, sub-tasks -1); Data Center's IssueTypeJsonBean has no such field.
  if (ctx.jira.deployment === 'cloud') bean['hierarchyLevel'] = type.subtask ? -1 : (HIERARCHY[type.name] ?? 0);
  return bean;
}

export function statusBean(ctx: IssueContext, status: Status): Record<string, unknown> {
  return {
    self: `${ctx.apiBase}/status/${status.id}`,
    description: '',
    iconUrl: `${ctx.jira.baseUrl}/images/icons/statuses/${status.category === 'done' ? 'closed' : status.category === 'new' ? 'open' : 'inprogress'}.png`,
    name: status.name,
    id: status.id,
    statusCategory: statusCategoryBean(status.category, ctx.jira.baseUrl, ctx.version),
  };
}

export function priorityBean(ctx: IssueContext, value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  const stored = value as Record<string, unknown>;
  const priority = PRIORITIES.find((p) => p.id === stored['id'] || p.name === stored['name']);
  if (!priority) return null;
  return {
    self: `${ctx.apiBase}/priority/${priority.id}`,
    iconUrl: `${ctx.jira.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function projectBean(ctx: IssueContext, project: Project): Record<string, unknown> {
  const avatar = (size: string) =>
    `${ctx.jira.baseUrl}/rest/api/2/universal_avatar/view/type/project/avatar/10400?size=${size}`;
  const bean: Record<string, unknown> = {
    self: `${ctx.apiBase}/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    avatarUrls: {
      '48x48': avatar('large'),
      '24x24': avatar('small'),
      '16x16': avatar('xsmall'),
      '32x32': avatar('medium'),
    },
  };
  if (ctx.jira.deployment === 'cloud') bean['simplified'] = false;
  return bean;
}

export const DONE_RESOLUTION = {
  id: '10000',
  name: 'Done',
  description: 'Work has been completed on this issue.',
} as const;

export function resolutionBean(ctx: IssueContext, value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null) return null;
  const stored = value as Record<string, unknown>;
  const id = typeof stored['id'] === 'string' ? stored['id'] : DONE_RESOLUTION.id;
  const name = typeof stored['name'] === 'string' ? stored['name'] : DONE_RESOLUTION.name;
  return {
    self: `${ctx.apiBase}/resolution/${id}`,
    id,
    description: id === DONE_RESOLUTION.id ? DONE_RESOLUTION.description : '',
    name,
  };
}

export function commentBean(ctx: IssueContext, issue: Issue, comment: Comment): Record<string, unknown> {
  const author = userDetails(ctx, comment.authorRef);
  const updateAuthor = comment.updateAuthorRef === undefined ? author : userDetails(ctx, comment.updateAuthorRef);
  const bean: Record<string, unknown> = {
    self: `${ctx.apiBase}/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
  };
  // An author who is no longer a user of the site is left out rather than sent as null.
  if (author) bean['author'] = author;
  bean['body'] = richTextFor(comment.body, ctx.adf);
  if (updateAuthor) bean['updateAuthor'] = updateAuthor;
  bean['created'] = jiraDate(comment.created);
  bean['updated'] = jiraDate(comment.updated);
  // Jira Cloud marks every comment's Service Management visibility; Data Center has no such field.
  if (ctx.jira.deployment === 'cloud') bean['jsdPublic'] = true;
  return bean;
}
