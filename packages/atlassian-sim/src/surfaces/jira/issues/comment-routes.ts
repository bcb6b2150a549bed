// Comments: `GET|POST issue/{key}/comment`, `GET|PUT issue/{key}/comment/{id}`.
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { commentBean } from './issue-beans.ts';
import { checkCommentBody } from './field-values.ts';
import { addComment, touch } from './issue-writes.ts';
import { jsonBody, pageParams, visibleIssue } from './route-helpers.ts';
import { takeIssueWrite } from './write-limit.ts';

const COMMENT_ORDERS = ['created', '+created', '-created'] as const;

function bodyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['body'] : undefined;
}

export function registerCommentRoutes(router: Router, ctx: IssueContext): void {
  const base = `${ctx.api}/issue/:issueIdOrKey/comment`;

  router.get(base, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const orderBy = rc.query.get('orderBy');
    if (orderBy !== null && !(COMMENT_ORDERS as readonly string[]).includes(orderBy))
      return jiraError(400, [`Invalid orderBy: '${orderBy}'. Only 'created' is supported.`]);
    // PageOfComments; the cloud spec's default page is 100 comments.
    const { startAt, maxResults } = pageParams(rc, 100, 5000);
    const ordered = orderBy === '-created' ? [...found.issue.comments].reverse() : found.issue.comments;
    const comments = ordered.slice(startAt, startAt + maxResults).map((c) => commentBean(ctx, found.issue, c));
    return rc.json(200, { startAt, maxResults, total: found.issue.comments.length, comments });
  });

  router.post(base, async (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const text = bodyOf(body.value);
    const problem = checkCommentBody(ctx, text);
    if (problem) return jiraError(400, [], { comment: problem });
    const comment = addComment(ctx, found.issue, found.userRef, text);
    return rc.json(201, commentBean(ctx, found.issue, comment));
  });

  router.get(`${base}/:id`, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const comment = found.issue.comments.find((c) => c.id === rc.params['id']);
    if (!comment) return jiraError(404, [`Can not find a comment for the id: ${rc.params['id'] ?? ''}.`]);
    return rc.json(200, commentBean(ctx, found.issue, comment));
  });

  router.put(`${base}/:id`, async (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const comment = found.issue.comments.find((c) => c.id === rc.params['id']);
    if (!comment) return jiraError(404, [`Can not find a comment for the id: ${rc.params['id'] ?? ''}.`]);
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const text = bodyOf(body.value);
    const problem = checkCommentBody(ctx, text);
    if (problem) return jiraError(400, [], { comment: problem });
    comment.body = text;
    comment.updated = new Date(ctx.state.now()).toISOString();
    if (found.userRef !== undefined) comment.updateAuthorRef = found.userRef;
    touch(ctx, found.issue);
    return rc.json(200, commentBean(ctx, found.issue, comment));
  });
}
