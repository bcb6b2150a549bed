// Jira Cloud's per-issue write limit (API-NOTES §3.1: 20 writes per 2 s and 100 per 30 s per issue). A 429 from it
// names `jira-per-issue-on-write`, so clients back off that issue only, not the whole endpoint.
import type { Issue } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import { retryHeaders } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';

/** A 429 response when the write must be refused, otherwise undefined (and the write is counted). */
export function takeIssueWrite(ctx: IssueContext, issue: Issue): Response | undefined {
  // Data Center has no per-issue limit: its admin-configured token bucket (applied by the router) is all there is.
  if (ctx.jira.deployment !== 'cloud' || !ctx.state.rateLimits.enabled) return undefined;
  // Keys repeat across sites (acme ABC-1, globex ABC-1), so the window is per site and key.
  const decision = ctx.state.perIssue.take(`${ctx.jira.baseUrl} ${issue.key}`, ctx.state.rateLimits);
  if (decision.allowed) return undefined;
  return jiraError(429, ['Rate limit exceeded.'], {}, retryHeaders(decision, 'jira-per-issue-on-write'));
}
