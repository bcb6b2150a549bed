import type { JiraTransition } from '../atlassian/jira-issues.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { ticketJobPayloadSchema, TicketJobError } from './dataout-jobs.ts';
import type { Finding } from './finding.ts';
import { renderIssue } from './render-issue.ts';
import type { OpenInstance, TicketWorkDeps } from './ticket-work.ts';
import { failTicketCall, openInstanceForWork, succeedTicketCalls } from './ticket-work.ts';

/**
 * The `dataout-ticket` job: brings one created ticket in step with the latest push of its finding.
 * - Content changed: the mapped fields are updated (an edit, safe to repeat), or, with the `comment` policy, a
 *   comment says what changed. A comment carries a marker with the finding's hash, and a retry first looks for it,
 *   so a comment whose answer was lost is not posted twice.
 * - Resolved: the ticket moves to the instance's done status by the transition of that name (or leading to that
 *   status). When there is none from where the ticket stands, a comment says so and the ticket shows the problem.
 * - Reopened (policy `reopen`): the same towards the reopen status. (Policy `new` never reaches here: the push
 *   made a new ticket generation for the creator.)
 * A transition is looked up from the issue's current status each time, so a retry after a lost answer finds the
 * ticket already there and does nothing.
 */
export function createTicketReconciler(deps: TicketWorkDeps): JobHandler {
  return async (job) => {
    const { instanceId, dedupKey } = ticketJobPayloadSchema.parse(job.payload);
    const work = await deps.tickets.getByKey(dedupKey);
    // Not created yet: the creator applies the latest finding when it creates.
    if (work === undefined || work.ticket.state !== 'created' || work.ticket.issueKey === undefined) return;
    const open = await openInstanceForWork(deps, instanceId);
    if (open === undefined) return;
    const { ticket, finding } = work;
    const issueKey = work.ticket.issueKey;
    const now = () => deps.clock.now();
    let appliedStatus = ticket.appliedStatus ?? 'open';

    if (ticket.appliedHash !== ticket.findingHash) {
      if (ticket.appliedHash === undefined || open.instance.config.onChange === 'update') {
        await updateFields(deps, open, issueKey, finding, ticket);
      } else {
        await commentOnce(deps, open, issueKey, ticket.findingHash, changeComment(finding), job.attempts > 1);
      }
      await deps.tickets.setApplied(dedupKey, { hash: ticket.findingHash, status: appliedStatus }, now());
    }

    if (finding.status !== appliedStatus) {
      const target =
        finding.status === 'resolved' ? open.instance.config.doneStatus : open.instance.config.reopenStatus;
      const moved = await moveTo(deps, open, issueKey, target);
      if (!moved.ok) {
        await commentOnce(
          deps,
          open,
          issueKey,
          `${ticket.findingHash}:${finding.status}`,
          `The finding is now ${finding.status} at its source, but this issue has no transition to '${target}' from '${moved.current}'. Move it by hand.`,
          job.attempts > 1,
        );
      }
      appliedStatus = finding.status;
      await deps.tickets.setApplied(dedupKey, { hash: ticket.findingHash, status: appliedStatus }, now());
      if (!moved.ok)
        await deps.tickets.markError(
          dedupKey,
          undefined,
          { message: `No transition to '${target}' from '${moved.current}'`, errorClass: 'no_transition' },
          now(),
        );
    }
    await succeedTicketCalls(deps, open);
  };
}

async function updateFields(
  deps: TicketWorkDeps,
  open: OpenInstance,
  issueKey: string,
  finding: Finding,
  ticket: { dedupKey: string; source: string },
): Promise<void> {
  const rendered = renderIssue(open.instance, open.templates, finding, ticket, open.deployment);
  if (!rendered.ok) throw new TicketJobError('render', rendered.error.join('; '), false);
  // The project and issue type cannot change by edit; the rest is what the finding now says.
  const { project: _project, issuetype: _issuetype, ...fields } = rendered.value.input.fields;
  const edited = await open.api.editIssue(issueKey, { fields });
  if (!edited.ok) throw await failTicketCall(deps, open, edited.error, `Updating ${issueKey} failed`);
}

function changeComment(finding: Finding): string {
  return [
    `The finding changed at its source: ${finding.title}`,
    `Severity: ${finding.severity}`,
    ...(finding.resource ? [`Resource: ${finding.resource}`] : []),
    ...(finding.url ? [`Link: ${finding.url}`] : []),
  ].join('\n');
}

/** Adds a comment with a marker; on a retry, first looks for the marker so a comment is never posted twice. */
async function commentOnce(
  deps: TicketWorkDeps,
  open: OpenInstance,
  issueKey: string,
  marker: string,
  text: string,
  isRetry: boolean,
): Promise<void> {
  const tag = `[skybridge ${marker.slice(0, 16)}]`;
  if (isRetry && (await hasComment(deps, open, issueKey, tag))) return;
  const added = await open.api.addComment(issueKey, `${text}\n\n${tag}`);
  if (!added.ok) throw await failTicketCall(deps, open, added.error, `Commenting on ${issueKey} failed`);
}

async function hasComment(deps: TicketWorkDeps, open: OpenInstance, issueKey: string, tag: string): Promise<boolean> {
  const issue = await open.api.getIssue(issueKey, { fields: ['comment'] });
  if (!issue.ok) throw await failTicketCall(deps, open, issue.error, `Reading ${issueKey} failed`);
  return JSON.stringify(issue.value.fields['comment'] ?? '').includes(tag);
}

/** Moves the issue to `target` (a status or transition name, any case). `ok: false` when no transition leads there. */
async function moveTo(
  deps: TicketWorkDeps,
  open: OpenInstance,
  issueKey: string,
  target: string,
): Promise<{ ok: true } | { ok: false; current: string }> {
  const same = (a: string | undefined) => a !== undefined && a.toLowerCase() === target.toLowerCase();
  const issue = await open.api.getIssue(issueKey, { fields: ['status'] });
  if (!issue.ok) throw await failTicketCall(deps, open, issue.error, `Reading ${issueKey} failed`);
  const status = issue.value.fields['status'] as { name?: string } | undefined;
  if (same(status?.name)) return { ok: true };
  const transitions = await open.api.getTransitions(issueKey);
  if (!transitions.ok) throw await failTicketCall(deps, open, transitions.error, `Reading ${issueKey} failed`);
  const transition = pickTransition(transitions.value, same);
  if (transition === undefined) return { ok: false, current: status?.name ?? 'its current status' };
  const done = await open.api.doTransition(issueKey, transition.id);
  if (!done.ok) throw await failTicketCall(deps, open, done.error, `Moving ${issueKey} to '${target}' failed`);
  return { ok: true };
}

/** A transition named like the target wins over one that merely leads to a status of that name. */
function pickTransition(
  transitions: readonly JiraTransition[],
  matches: (name: string | undefined) => boolean,
): JiraTransition | undefined {
  return transitions.find((t) => matches(t.name)) ?? transitions.find((t) => matches(t.to?.name));
}
