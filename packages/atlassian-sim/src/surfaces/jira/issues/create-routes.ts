// `POST issue` and `POST issue/bulk`.
import type { Issue } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { checkCreate, type IssueErrors } from './issue-input.ts';
import { createIssue, transitionIssue } from './issue-writes.ts';
import { availableTransitions } from './issue-transitions.ts';
import { INVALID_PAYLOAD, jsonBody } from './route-helpers.ts';

export const BULK_CREATE_LIMIT = 50;

type CreateOutcome = { ok: true; created: Record<string, unknown> } | { ok: false; errors: IssueErrors };

function createOne(ctx: IssueContext, callerRef: string | undefined, body: unknown): CreateOutcome {
  const checked = checkCreate(ctx, callerRef, body);
  if (!checked.ok) return { ok: false, errors: { errorMessages: checked.errorMessages, errors: checked.errors } };
  const issue: Issue = createIssue(ctx, callerRef, checked);
  const created: Record<string, unknown> = { id: issue.id, key: issue.key, self: `${ctx.apiBase}/issue/${issue.id}` };
  if (checked.transitionId !== undefined) {
    // A transition in the create body runs after the issue exists: the issue is created either way, and the
    // outcome of the transition is reported beside it (CreatedIssue.transition).
    const transition = availableTransitions(ctx, issue).find((t) => t.id === checked.transitionId);
    if (transition) transitionIssue(ctx, issue, transition);
    created['transition'] = transition
      ? { status: 200, errorCollection: { errorMessages: [], errors: {} } }
      : {
          status: 400,
          errorCollection: {
            errorMessages: [`Transition id '${checked.transitionId}' is not valid for this issue.`],
            errors: {},
          },
        };
  }
  return { ok: true, created };
}

export function registerCreateRoutes(router: Router, ctx: IssueContext): void {
  const { api } = ctx;

  router.post(`${api}/issue`, async (rc) => {
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const outcome = createOne(ctx, ctx.userRef(rc.principal), body.value);
    if (!outcome.ok) return jiraError(400, outcome.errors.errorMessages, outcome.errors.errors);
    return rc.json(201, outcome.created);
  });

  router.post(`${api}/issue/bulk`, async (rc) => {
    const body = await rc.body();
    const updates =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['issueUpdates'] : undefined;
    // Request-level failures use the same CreatedIssues envelope as element failures: the spec types every 400 of
    // this operation as CreatedIssues, so clients parse one shape.
    const refuse = (message: string) =>
      rc.json(400, { issues: [], errors: [{ status: 400, elementErrors: { errorMessages: [message], errors: {} } }] });
    if (!Array.isArray(updates)) return refuse(INVALID_PAYLOAD);
    if (updates.length > BULK_CREATE_LIMIT)
      return refuse(`Bulk create supports at most ${BULK_CREATE_LIMIT} issues, but ${updates.length} were sent.`);
    const callerRef = ctx.userRef(rc.principal);
    const issues: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    updates.forEach((update, index) => {
      const outcome = createOne(ctx, callerRef, update);
      if (outcome.ok) issues.push(outcome.created);
      else errors.push({ status: 400, elementErrors: outcome.errors, failedElementNumber: index });
    });
    // A partial failure is still 201 with errors[]; only a total failure is 400 (API-NOTES §2.1).
    return rc.json(issues.length > 0 || updates.length === 0 ? 201 : 400, { issues, errors });
  });
}
