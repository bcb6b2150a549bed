// Maps stored issues onto the JqlIssue view the JQL evaluator reads.
import type { JqlIssue, StatusCategory } from '../../../jql/index.ts';
import type { Issue, Project, Status } from '../../../world/types.ts';
import { adfToText, isAdfDocument } from './adf.ts';
import { assigneeRefOf, labelsOf, namedValue, reporterRefOf } from './stored-fields.ts';

const CATEGORY_NAMES: Record<Status['category'], StatusCategory> = {
  new: 'To Do',
  indeterminate: 'In Progress',
  done: 'Done',
};

export interface JqlViewLookup {
  project(issue: Issue): Project | undefined;
  status(id: string): Status | undefined;
  issueTypeName(id: string): string;
}

function plainText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isAdfDocument(value) ? adfToText(value) : undefined;
}

export function toJqlIssue(issue: Issue, lookup: JqlViewLookup): JqlIssue {
  const project = lookup.project(issue);
  const status = lookup.status(issue.statusId);
  const view: {
    -readonly [K in keyof JqlIssue]: JqlIssue[K];
  } = {
    id: issue.id,
    key: issue.key,
    projectKey: project?.key ?? '',
    projectId: issue.projectId,
    summary: typeof issue.fields['summary'] === 'string' ? issue.fields['summary'] : '',
    labels: labelsOf(issue),
    statusName: status?.name ?? '',
    statusCategory: CATEGORY_NAMES[status?.category ?? 'new'],
    issueTypeName: lookup.issueTypeName(issue.issueTypeId),
    created: issue.created,
    updated: issue.updated,
    properties: issue.properties,
  };
  if (project) view.projectName = project.name;
  const description = plainText(issue.fields['description']);
  if (description !== undefined) view.description = description;
  const priority = namedValue(issue.fields['priority'], 'name');
  if (priority !== undefined) view.priorityName = priority;
  const assignee = assigneeRefOf(issue);
  if (assignee !== undefined) view.assigneeId = assignee;
  const reporter = reporterRefOf(issue);
  if (reporter !== undefined) view.reporterId = reporter;
  const resolution = namedValue(issue.fields['resolution'], 'name');
  if (resolution !== undefined) view.resolution = resolution;
  const resolved = issue.fields['resolutiondate'];
  if (typeof resolved === 'string') view.resolved = resolved;
  return view;
}
