// Writes to the world: they persist for the life of the process, so `/_sim/issues` and `/_sim/stats` see them.
import type { Comment, Issue, Transition } from '../../../world/types.ts';
import type { IssueContext } from './issue-context.ts';
import type { CheckedInput } from './issue-input.ts';
import { DONE_RESOLUTION } from './issue-beans.ts';

function nowIso(ctx: IssueContext): string {
  return new Date(ctx.state.now()).toISOString();
}

export function createIssue(ctx: IssueContext, creatorRef: string | undefined, input: CheckedInput): Issue {
  const data = ctx.jira.data;
  const created = nowIso(ctx);
  const issue: Issue = {
    id: String(data.nextIssueId++),
    key: `${input.project.key}-${input.project.nextIssueNumber++}`,
    projectId: input.project.id,
    issueTypeId: input.issueType.id,
    // New issues start in the workflow's initial status (the first "To Do" category status).
    statusId: data.statuses.find((s) => s.category === 'new')?.id ?? data.statuses[0]?.id ?? '1',
    fields: { labels: [], ...input.fields },
    properties: new Map(input.properties.map((p) => [p.key, p.value])),
    comments: [],
    attachments: [],
    created,
    updated: created,
    creatorRef: creatorRef ?? '',
  };
  data.issues.push(issue);
  for (const body of input.comments) addComment(ctx, issue, creatorRef, body);
  return issue;
}

export function touch(ctx: IssueContext, issue: Issue): void {
  issue.updated = nowIso(ctx);
}

export function transitionIssue(ctx: IssueContext, issue: Issue, transition: Transition): void {
  const to = ctx.jira.data.statuses.find((s) => s.id === transition.toStatusId);
  issue.statusId = transition.toStatusId;
  // Jira's default workflow sets the resolution on entering a Done status and clears it on leaving.
  if (to?.category === 'done') {
    if (!issue.fields['resolution']) {
      issue.fields['resolution'] = { id: DONE_RESOLUTION.id, name: DONE_RESOLUTION.name };
      issue.fields['resolutiondate'] = nowIso(ctx);
    }
  } else {
    issue.fields['resolution'] = null;
    issue.fields['resolutiondate'] = null;
  }
  touch(ctx, issue);
}

export function addComment(ctx: IssueContext, issue: Issue, authorRef: string | undefined, body: unknown): Comment {
  const created = nowIso(ctx);
  const comment: Comment = {
    id: String(ctx.jira.data.nextCommentId++),
    authorRef: authorRef ?? '',
    body,
    created,
    updated: created,
  };
  issue.comments.push(comment);
  touch(ctx, issue);
  return comment;
}
