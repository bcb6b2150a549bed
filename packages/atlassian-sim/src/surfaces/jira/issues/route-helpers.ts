// Lookups and body handling shared by the issue routes, with Jira's answers for the failure cases.
import type { Issue, Project } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import { INVALID_JSON, type RouteContext } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';

export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

/** Jira Cloud's answer to a body that is missing or not JSON. */
export const INVALID_PAYLOAD = 'Invalid request payload. Refer to the REST API documentation and try again.';

export interface VisibleIssue {
  issue: Issue;
  project: Project;
  userRef: string | undefined;
}

/** The issue named in the path if the caller may browse it; otherwise Jira's 404 (same for "missing" and "hidden"). */
export function visibleIssue(ctx: IssueContext, rc: RouteContext): VisibleIssue | Response {
  const userRef = ctx.userRef(rc.principal);
  const issue = ctx.findIssue(rc.params['issueIdOrKey'] ?? '');
  const project = issue ? ctx.projectOf(issue) : undefined;
  if (!issue || !project || !ctx.canBrowse(userRef, project)) return jiraError(404, [ISSUE_NOT_FOUND]);
  return { issue, project, userRef };
}

/** The parsed JSON body, or a 400 when it is missing (and `required`) or unparsable. */
export async function jsonBody(rc: RouteContext, required: boolean): Promise<{ value: unknown } | Response> {
  const value = await rc.body();
  if (value === INVALID_JSON || (required && value === undefined)) return jiraError(400, [INVALID_PAYLOAD]);
  return { value };
}

/** All values of a repeatable query parameter. */
export function queryList(rc: RouteContext, name: string): string[] {
  return rc.query.getAll(name);
}

/** Offset paging parameters, clamped like Atlassian's `intParam`. */
export function pageParams(rc: RouteContext, defaultMax: number, max: number): { startAt: number; maxResults: number } {
  const read = (name: string, fallback: number): number => {
    const raw = rc.query.get(name);
    const value = raw === null || raw === '' ? fallback : Number.parseInt(raw, 10);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return { startAt: read('startAt', 0), maxResults: Math.min(read('maxResults', defaultMax), max) };
}
