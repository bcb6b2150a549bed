import { setTimeout as sleep } from 'node:timers/promises';
import { BULK_CREATE_MAX } from '../atlassian/jira-issues.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { createJobPayloadSchema, ticketJobInput, TicketJobError } from './dataout-jobs.ts';
import { findingHash } from './finding-hash.ts';
import { renderIssue, type RenderedIssue } from './render-issue.ts';
import type { TicketWork } from './tickets-repo.ts';
import type { OpenInstance, TicketWorkDeps } from './ticket-work.ts';
import {
  DEFAULT_SEARCH_SETTLE_MS,
  failTicketCall,
  mayHaveTakenEffect,
  openInstanceForWork,
  succeedTicketCalls,
} from './ticket-work.ts';

/**
 * The `dataout-create` job: creates an instance's waiting tickets, 50 at a time through `/issue/bulk`, never twice.
 *
 * The protocol, in order, for every batch:
 * 1. the tickets are marked `creating` (their dedup keys were recorded when the findings were pushed);
 * 2. Jira is searched for issues already labelled with their dedup keys (one JQL query per batch): an earlier
 *    attempt whose answer was lost, a crash after the call, or a hub that lost its database may have made them;
 *    found ones are adopted, not created;
 * 3. the time of the create call is committed, then the rest are created with the label and the dedup issue
 *    property on each;
 * 4. created keys are recorded. A call that may have taken effect (timeout, reset, 5xx) leaves the tickets
 *    `creating`, and the job's next attempt starts again at 2.
 * A ticket whose create call was made less than `searchSettleMs` ago and is not found yet is left for a later
 * pass rather than created again, because Jira Cloud's search index lags behind its writes. Once every other batch
 * is done, the job waits (once, holding its lease) until the last such window has passed and searches again, so a
 * restart after `kill -9` costs at most one window, not a climb through the job's retry backoff. If they are still
 * settling after that wait (the clock did not move, as in tests with a manual clock), the attempt fails as retryable.
 */
export function createTicketCreator(deps: TicketWorkDeps): JobHandler {
  const settleMs = deps.searchSettleMs ?? DEFAULT_SEARCH_SETTLE_MS;
  return async (job, ctx) => {
    const { instanceId } = createJobPayloadSchema.parse(job.payload);
    const open = await openInstanceForWork(deps, instanceId);
    if (open === undefined) return;
    /** Tickets whose create call may still be unsearchable, by dedup key, with when their window ends (epoch ms). */
    const settling = new Map<string, number>();
    for (let waited = false; ; waited = true) {
      for (;;) {
        ctx.signal.throwIfAborted();
        const batch = await deps.tickets.claimForCreate(instanceId, BULK_CREATE_MAX, deps.clock.now(), [
          ...settling.keys(),
        ]);
        if (batch.length === 0) break;
        await createBatch(deps, open, batch, settleMs, settling);
      }
      if (settling.size === 0) return;
      const waitMs = Math.max(...settling.values()) - deps.clock.now().getTime();
      if (waited || waitMs > settleMs) break;
      await sleep(Math.max(0, waitMs), undefined, { signal: ctx.signal });
      settling.clear();
    }
    throw new TicketJobError(
      'search_settling',
      `${settling.size} ticket(s) may have been created by an earlier attempt; searching again before creating`,
      true,
    );
  };
}

async function createBatch(
  deps: TicketWorkDeps,
  open: OpenInstance,
  batch: TicketWork[],
  settleMs: number,
  settling: Map<string, number>,
): Promise<void> {
  const now = () => deps.clock.now();
  const resolved = batch.filter((w) => w.finding.status === 'resolved');
  for (const w of resolved) await deps.tickets.markSkipped(w.ticket.dedupKey, now());
  const wanted = batch.filter((w) => w.finding.status !== 'resolved');
  if (wanted.length === 0) return;

  // 2. Search for issues an earlier attempt may have made.
  const found = await findByDedupLabel(
    deps,
    open,
    wanted.map((w) => w.ticket.dedupKey),
  );
  const adopted = wanted.filter((w) => found.has(w.ticket.dedupKey));
  await deps.tickets.markCreatedMany(
    adopted.map((w) => ({
      key: w.ticket.dedupKey,
      issue: found.get(w.ticket.dedupKey)!,
      // What the found issue says is unknown: the ticket job brings it in step with the finding.
      applied: { hash: null, status: 'open' },
    })),
    now(),
  );
  for (const w of adopted) await deps.queue.enqueue(ticketJobInput(open.instance.id, w.ticket.dedupKey));
  if (adopted.length > 0)
    deps.logger.info('adopted existing tickets instead of creating them again', {
      instance: open.instance.name,
      count: adopted.length,
    });

  const toCreate: TicketWork[] = [];
  for (const w of wanted) {
    if (found.has(w.ticket.dedupKey)) continue;
    const calledAt = w.createCalledAt?.getTime();
    if (calledAt !== undefined && now().getTime() - calledAt < settleMs)
      settling.set(w.ticket.dedupKey, calledAt + settleMs);
    else toCreate.push(w);
  }
  if (toCreate.length === 0) return;

  // Render; a finding Jira could never accept as rendered fails alone, with what is wrong.
  const rendered: Array<{ work: TicketWork; input: RenderedIssue }> = [];
  for (const w of toCreate) {
    const result = renderIssue(
      open.instance,
      open.templates,
      w.finding,
      { dedupKey: w.ticket.dedupKey, source: w.ticket.source },
      open.deployment,
    );
    if (!result.ok) {
      await deps.tickets.markError(
        w.ticket.dedupKey,
        'failed',
        { message: result.error.join('; '), errorClass: 'render' },
        now(),
      );
      continue;
    }
    rendered.push({ work: w, input: result.value });
  }
  if (rendered.length === 0) return;

  // 3. The call is about to be made: commit that first.
  await deps.tickets.markCreateCalled(
    rendered.map((r) => r.work.ticket.dedupKey),
    now(),
  );
  const result = await open.api.bulkCreate(rendered.map((r) => r.input.input));
  if (!result.ok) {
    // Nothing is known to be created: either it was refused (then the next attempt, after a search, creates) or
    // it may have taken effect (then the next attempt's search adopts what it made).
    const error = await failTicketCall(deps, open, result.error, 'Creating tickets failed');
    if (!mayHaveTakenEffect(result.error) && !error.retryable) {
      for (const r of rendered)
        await deps.tickets.markError(
          r.work.ticket.dedupKey,
          'failed',
          { message: error.message, errorClass: result.error.code },
          now(),
        );
    }
    throw error;
  }
  await succeedTicketCalls(deps, open);

  // 4. Record what Jira made. Created issues come back in input order, without the failed elements.
  const failedAt = new Map(result.value.failed.map((f) => [f.index, f]));
  const createdItems: Array<{ work: TicketWork; issue: { id: string; key: string }; fullText?: string }> = [];
  let next = 0;
  for (let i = 0; i < rendered.length; i++) {
    const item = rendered[i]!;
    const failure = failedAt.get(i);
    if (failure !== undefined) {
      const detail = [...failure.errorMessages, ...Object.entries(failure.errors).map(([f, m]) => `${f}: ${m}`)];
      await deps.tickets.markError(
        item.work.ticket.dedupKey,
        'failed',
        { message: `Jira refused the ticket (${failure.status}): ${detail.join('; ')}`, errorClass: 'rejected' },
        now(),
      );
      continue;
    }
    const issue = result.value.created[next++];
    if (issue === undefined) break;
    createdItems.push({
      work: item.work,
      issue: { id: issue.id, key: issue.key },
      ...(item.input.fullDescription === undefined ? {} : { fullText: item.input.fullDescription }),
    });
  }
  await deps.tickets.markCreatedMany(
    createdItems.map((c) => ({
      key: c.work.ticket.dedupKey,
      issue: c.issue,
      applied: { hash: findingHash(c.work.finding), status: 'open' },
    })),
    now(),
  );
  // A push that arrived while the create was in flight is applied by the ticket job. One query for the batch, not
  // one per ticket: the creator's time per batch is what keeps it at the rate limit.
  const latest = await deps.tickets.findingHashes(createdItems.map((c) => c.work.ticket.dedupKey));
  for (const c of createdItems) {
    if (c.fullText !== undefined) await attachFullDescription(deps, open, c.issue.key, c.fullText);
    const hash = latest.get(c.work.ticket.dedupKey);
    if (hash !== undefined && hash !== findingHash(c.work.finding))
      await deps.queue.enqueue(ticketJobInput(open.instance.id, c.work.ticket.dedupKey));
  }
}

/** Issues of the instance's project labelled with any of `keys`, by dedup key. */
async function findByDedupLabel(
  deps: TicketWorkDeps,
  open: OpenInstance,
  keys: readonly string[],
): Promise<Map<string, { id: string; key: string }>> {
  const found = new Map<string, { id: string; key: string }>();
  const wanted = new Set(keys);
  // Dedup keys are `skybridge-` and base32: safe inside JQL quotes as they are.
  const jql = `project = "${open.instance.project.key}" AND labels in (${keys.map((k) => `"${k}"`).join(', ')})`;
  let cursor: string | undefined;
  do {
    const page = await open.api.searchByJql({
      jql,
      fields: ['labels'],
      maxResults: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!page.ok) throw await failTicketCall(deps, open, page.error, 'Searching for existing tickets failed');
    for (const issue of page.value.issues) {
      const labels = Array.isArray(issue.fields['labels']) ? (issue.fields['labels'] as unknown[]) : [];
      for (const label of labels)
        if (typeof label === 'string' && wanted.has(label) && !found.has(label))
          found.set(label, { id: issue.id, key: issue.key });
    }
    cursor = page.value.next;
  } while (cursor !== undefined);
  return found;
}

/** The whole description of a shortened ticket, as a text attachment. Best effort: the ticket stands without it. */
async function attachFullDescription(
  deps: TicketWorkDeps,
  open: OpenInstance,
  issueKey: string,
  text: string,
): Promise<void> {
  const attached = await open.api.addAttachment(issueKey, { filename: 'finding-description.txt', content: text });
  if (!attached.ok)
    deps.logger.warn('could not attach the full description', { issue: issueKey, code: attached.error.code });
}
