// IssueBean: the issue as GET issue and search return it, honouring `fields`, `properties` and `expand`.
import type { Issue } from '../../../world/types.ts';
import { adfToText, isAdfDocument, richTextFor } from './adf.ts';
import { allFields, type FieldDef } from './field-catalogue.ts';
import type { FieldSelection } from './field-selection.ts';
import type { IssueContext } from './issue-context.ts';
import {
  commentBean,
  issueTypeBean,
  priorityBean,
  projectBean,
  resolutionBean,
  statusBean,
  userDetails,
} from './issue-beans.ts';
import { assigneeRefOf, jiraDate, labelsOf, reporterRefOf } from './stored-fields.ts';
import { availableTransitions, transitionBean } from './issue-transitions.ts';
import { attachmentBean } from './attachment-routes.ts';

export interface RenderOptions {
  selection: FieldSelection;
  /** Property keys to include, or `*all`. */
  properties: readonly string[];
  expand: ReadonlySet<string>;
}

// What Jira puts in IssueBean.expand: the expansions the caller could still ask for.
const ISSUE_EXPANDS = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

function parentValue(ctx: IssueContext, issue: Issue): unknown {
  const stored = issue.fields['parent'];
  const ref = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : undefined;
  const parentRef =
    typeof ref?.['id'] === 'string' ? ref['id'] : typeof ref?.['key'] === 'string' ? ref['key'] : undefined;
  const parent = parentRef === undefined ? undefined : ctx.findIssue(parentRef);
  if (!parent) return null;
  const status = ctx.jira.data.statuses.find((s) => s.id === parent.statusId);
  const type = ctx.jira.data.issueTypes.find((t) => t.id === parent.issueTypeId);
  return {
    id: parent.id,
    key: parent.key,
    self: `${ctx.apiBase}/issue/${parent.id}`,
    fields: {
      summary: parent.fields['summary'] ?? '',
      status: status ? statusBean(ctx, status) : null,
      priority: priorityBean(ctx, parent.fields['priority']),
      issuetype: type ? issueTypeBean(ctx, type) : null,
    },
  };
}

export function fieldValue(ctx: IssueContext, issue: Issue, field: FieldDef): unknown {
  const stored = issue.fields[field.id];
  switch (field.id) {
    case 'summary':
      return typeof stored === 'string' ? stored : '';
    case 'issuetype': {
      const type = ctx.jira.data.issueTypes.find((t) => t.id === issue.issueTypeId);
      return type ? issueTypeBean(ctx, type) : null;
    }
    case 'project': {
      const project = ctx.projectOf(issue);
      return project ? projectBean(ctx, project) : null;
    }
    case 'status': {
      const status = ctx.jira.data.statuses.find((s) => s.id === issue.statusId);
      return status ? statusBean(ctx, status) : null;
    }
    case 'parent':
      return parentValue(ctx, issue);
    case 'reporter':
      return userDetails(ctx, reporterRefOf(issue));
    case 'assignee':
      return userDetails(ctx, assigneeRefOf(issue));
    case 'creator':
      return userDetails(ctx, issue.creatorRef);
    case 'priority':
      return priorityBean(ctx, stored);
    case 'labels':
      return labelsOf(issue);
    case 'created':
      return jiraDate(issue.created);
    case 'updated':
      return jiraDate(issue.updated);
    case 'resolution':
      return resolutionBean(ctx, stored);
    case 'resolutiondate':
      return typeof stored === 'string' ? jiraDate(stored) : null;
    case 'attachment':
      return issue.attachments.map((a) => attachmentBean(ctx, a));
    case 'comment':
      return {
        comments: issue.comments.map((c) => commentBean(ctx, issue, c)),
        self: `${ctx.apiBase}/issue/${issue.id}/comment`,
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      };
    default:
      break;
  }
  if (field.richText) return richTextFor(stored, ctx.adf);
  if (field.custom?.type === 'option' && typeof stored === 'object' && stored !== null) {
    return {
      self: `${ctx.jira.baseUrl}/rest/api/2/customFieldOption/${String((stored as Record<string, unknown>)['id'])}`,
      ...(stored as Record<string, unknown>),
    };
  }
  return stored ?? null;
}

/** Jira's renderedFields: HTML for rich text, display strings for dates; other fields null. */
function renderedValue(ctx: IssueContext, issue: Issue, field: FieldDef): unknown {
  if (field.richText) {
    const stored = issue.fields[field.id];
    if (stored === undefined || stored === null) return null;
    const text = isAdfDocument(stored) ? adfToText(stored) : typeof stored === 'string' ? stored : '';
    return text
      .split('\n')
      .map((line) => `<p>${line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
      .join('');
  }
  const value = fieldValue(ctx, issue, field);
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

export function renderIssue(ctx: IssueContext, issue: Issue, options: RenderOptions): Record<string, unknown> {
  const fields = allFields(ctx.jira.data).filter((f) => options.selection.includes(f));
  const bean: Record<string, unknown> = {
    expand: ISSUE_EXPANDS,
    id: issue.id,
    self: `${ctx.apiBase}/issue/${issue.id}`,
    key: issue.key,
  };
  if (options.expand.has('renderedFields'))
    bean['renderedFields'] = Object.fromEntries(fields.map((f) => [f.id, renderedValue(ctx, issue, f)]));
  if (options.properties.length > 0) {
    const all = options.properties.includes('*all');
    bean['properties'] = Object.fromEntries(
      [...issue.properties].filter(([key]) => all || options.properties.includes(key)),
    );
  }
  if (options.expand.has('names')) bean['names'] = Object.fromEntries(fields.map((f) => [f.id, f.name]));
  if (options.expand.has('schema')) bean['schema'] = Object.fromEntries(fields.map((f) => [f.id, f.schema]));
  if (options.expand.has('transitions'))
    bean['transitions'] = availableTransitions(ctx, issue).map((t) => transitionBean(ctx, t, false));
  if (options.expand.has('changelog')) bean['changelog'] = { startAt: 0, maxResults: 0, total: 0, histories: [] };
  bean['fields'] = Object.fromEntries(fields.map((f) => [f.id, fieldValue(ctx, issue, f)]));
  return bean;
}

/** `expand` arrives comma-separated (search/jql POST too: "unlike the majority ... a comma-delimited string"). */
export function expandSet(values: readonly unknown[]): Set<string> {
  return new Set(
    values
      .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
}
