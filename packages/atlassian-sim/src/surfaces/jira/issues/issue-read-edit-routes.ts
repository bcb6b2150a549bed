// `GET`, `PUT` and `DELETE issue/{issueIdOrKey}`.
import type { Issue } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { checkEdit } from './issue-input.ts';
import { addComment, touch } from './issue-writes.ts';
import { listParam, selectFields } from './field-selection.ts';
import { expandSet, renderIssue } from './render-issue.ts';
import { jsonBody, queryList, visibleIssue } from './route-helpers.ts';
import { takeIssueWrite } from './write-limit.ts';

export function registerIssueReadEditRoutes(router: Router, ctx: IssueContext): void {
  const path = `${ctx.api}/issue/:issueIdOrKey`;

  router.get(path, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    return rc.json(
      200,
      // GET issue returns every field by default (search/jql returns only ids).
      renderIssue(ctx, found.issue, {
        selection: selectFields(listParam(queryList(rc, 'fields')), '*all'),
        properties: listParam(queryList(rc, 'properties')),
        expand: expandSet(queryList(rc, 'expand')),
      }),
    );
  });

  router.put(path, async (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const checked = checkEdit(ctx, found.issue, found.project, body.value);
    if (!checked.ok) return jiraError(400, checked.errorMessages, checked.errors);
    Object.assign(found.issue.fields, checked.fields);
    found.issue.issueTypeId = checked.issueType.id;
    for (const comment of checked.comments) addComment(ctx, found.issue, found.userRef, comment);
    touch(ctx, found.issue);
    if (rc.query.get('returnIssue') === 'true') {
      return rc.json(
        200,
        renderIssue(ctx, found.issue, {
          selection: selectFields([], '*all'),
          properties: [],
          expand: expandSet(queryList(rc, 'expand')),
        }),
      );
    }
    return rc.json(204, '');
  });

  router.delete(path, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    // Delete Issues is a project-administrator permission in Jira's default scheme; the simulator grants it to
    // site administrators only.
    if (!ctx.jira.isAdmin(found.userRef))
      return jiraError(403, ['You do not have permission to delete issues in this project.']);
    const subtasks = subtasksOf(ctx, found.issue);
    if (subtasks.length > 0 && rc.query.get('deleteSubtasks') !== 'true') {
      return jiraError(400, [
        `The issue '${found.issue.key}' has subtasks. Set deleteSubtasks=true to delete it with its subtasks.`,
      ]);
    }
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const gone = new Set([found.issue, ...subtasks]);
    const issues = ctx.jira.data.issues;
    for (let i = issues.length - 1; i >= 0; i--) {
      const issue = issues[i];
      if (issue && gone.has(issue)) issues.splice(i, 1);
    }
    return rc.json(204, '');
  });
}

/** Issues whose `parent` names `issue` by id or key. */
function subtasksOf(ctx: IssueContext, issue: Issue): Issue[] {
  return ctx.jira.data.issues.filter((candidate) => {
    const parent = candidate.fields['parent'];
    if (typeof parent !== 'object' || parent === null) return false;
    const ref = parent as Record<string, unknown>;
    return ref['id'] === issue.id || (typeof ref['key'] === 'string' && ref['key'].toUpperCase() === issue.key);
  });
}
