import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { FindingOutcome, TicketOutcome } from '../dataout/create-dataout-service.ts';
import {
  describeFindingProblem,
  MAX_FINDINGS_PER_BATCH,
  readFindingsText,
  type Finding,
  type FindingItem,
  type FindingProblem,
} from '../dataout/finding.ts';
import type { Job } from '../jobs/job-queue.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { reportDataoutError } from './dataout-format.ts';
import { flagBool, flagString } from './parse-args.ts';

/** What became of one finding of the file, as `--json` prints it. */
export interface PushedFinding {
  /** The finding's id; null when the item was rejected before its id could be read. */
  id: string | null;
  /**
   * `created`, `updated`, `resolved`: its ticket is in step (`issueKey` says which); `unchanged`: nothing to do;
   * `skipped`: resolved before any ticket was made; `queued`: not waited for (`--no-wait`, or interrupted);
   * `failed`: the ticket operation failed (`error`); `rejected`: the finding is invalid (`error` names each field).
   */
  result: 'created' | 'updated' | 'resolved' | 'unchanged' | 'skipped' | 'queued' | 'failed' | 'rejected';
  issueKey?: string;
  error?: string;
}

/** One item of the file and what the hub said about it. */
interface Row {
  item: FindingItem;
  finding?: Finding;
  pushed?: FindingOutcome;
}

/** A problem without its line number (the row is already labelled with it). */
function problemText(p: FindingProblem): string {
  return p.field === '' ? p.message : `${p.field}: ${p.message}`;
}

/**
 * The outcome of one pushed finding, from what its ticket looked like before the push (`issueKeyBefore`) and
 * after the jobs ran (`after`). Pure, so the wording of every case is decided in one place.
 */
export function findingOutcome(
  row: { finding?: Finding; pushed?: FindingOutcome; problems?: readonly FindingProblem[] },
  state: { waited: boolean; issueKeyBefore?: string; after?: TicketOutcome; jobError?: string },
): PushedFinding {
  const id = row.finding?.id ?? row.pushed?.findingId ?? null;
  if (row.problems !== undefined && row.problems.length > 0)
    return { id, result: 'rejected', error: row.problems.map(describeFindingProblem).join('; ') };
  const pushed = row.pushed;
  if (pushed === undefined) return { id, result: 'failed', error: 'not pushed' };
  const withKey = (result: PushedFinding['result'], key: string | undefined): PushedFinding =>
    key === undefined ? { id, result } : { id, result, issueKey: key };
  switch (pushed.result) {
    case 'rejected':
      return { id, result: 'rejected', error: (pushed.problems ?? []).join('; ') };
    case 'unchanged':
      return withKey('unchanged', state.after?.issueKey ?? state.issueKeyBefore);
    case 'skipped':
      return { id, result: 'skipped' };
    case 'queued':
      break;
  }
  const after = state.after;
  if (!state.waited) return withKey('queued', state.issueKeyBefore);
  if (after === undefined) return { id, result: 'failed', error: 'no ticket was recorded for it' };
  if (after.state === 'skipped') return { id, result: 'skipped' };
  if (after.inStep && after.issueKey !== undefined) {
    if (row.finding?.status === 'resolved') return withKey('resolved', after.issueKey);
    return withKey(state.issueKeyBefore === after.issueKey ? 'updated' : 'created', after.issueKey);
  }
  const error = after.error ?? state.jobError ?? 'the ticket operation did not finish';
  return { ...withKey('failed', after.issueKey), error: after.errorClass ? `${after.errorClass}: ${error}` : error };
}

/** `created ABC-12`, `failed: …`, `rejected: …`: one finding's line after its label. */
function outcomeText(o: PushedFinding, problems: readonly FindingProblem[] | undefined): string {
  const key = o.issueKey === undefined ? '' : ` ${o.issueKey}`;
  switch (o.result) {
    case 'created':
    case 'updated':
    case 'resolved':
      return `${o.result}${key}`;
    case 'unchanged':
      return `unchanged${key}`;
    case 'skipped':
      return 'skipped: resolved before a ticket was made';
    case 'queued':
      return `queued${key}`;
    case 'failed':
      return `failed: ${o.error ?? 'unknown'}`;
    case 'rejected':
      return `rejected: ${problems !== undefined ? problems.map(problemText).join('; ') : (o.error ?? '')}`;
  }
}

const RESULT_ORDER: ReadonlyArray<PushedFinding['result']> = [
  'created',
  'updated',
  'resolved',
  'unchanged',
  'skipped',
  'queued',
  'failed',
  'rejected',
];

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `ticket operations 3/7` on a terminal; nothing when stderr is not one, so logs stay clean. */
function createProgress(stderr: Writable & { isTTY?: boolean }) {
  if (!stderr.isTTY) return { show: (_done: number, _total: number) => undefined, done: () => undefined };
  return {
    show: (done: number, total: number) => stderr.write(`\r\x1b[2K  ticket operations ${done}/${total}`),
    done: () => stderr.write('\r\x1b[2K'),
  };
}

export const findingsPush: Command = {
  path: ['findings', 'push'],
  summary: 'push findings (JSON array or JSON Lines; - for stdin) and wait for their tickets',
  positionals: ['<file.json|->'],
  usage: '--instance I [--source S] [--no-wait] [--json]',
  details: [
    'Each finding needs an id, a title and a severity (critical, high, medium, low, info); status (open, resolved),',
    'description, resource, url and properties are optional. Invalid findings are reported with their line (JSON',
    'Lines) or index (array) and every bad field; the others are pushed. The ticket operations then run in this',
    'process until each has succeeded or failed (Ctrl-C stops waiting; what is left stays queued for a running',
    '`skybridge serve` or the next push). With --no-wait they are only queued.',
    '',
    'Exit codes: 0 every finding made it; 1 a ticket operation failed, the push was refused (a stopped instance)',
    'or waiting was interrupted; 2 the file is unreadable or holds invalid findings (the valid ones are pushed).',
    '',
    'Example:',
    '  scanner --format jsonl | skybridge findings push --instance vulns --source scanner -',
  ].join('\n'),
  flags: {
    instance: { type: 'string', help: 'the instance to push to (name or id; required)' },
    source: { type: 'string', help: 'the producer, so ids of different tools never collide (default "default")' },
    'no-wait': { type: 'boolean', help: 'queue the ticket operations and return at once' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const file = args.positionals[0] ?? '';
    const instanceName = flagString(args, 'instance');
    if (instanceName === undefined) return ctx.out.usage(['--instance: required'], ctx.commandLine);
    const source = flagString(args, 'source');
    const wait = !flagBool(args, 'no-wait');

    let text: string;
    try {
      text = file === '-' ? await readAll(ctx.io.stdin) : await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return ctx.out.usage(
        [
          `<file>: cannot read ${file === '-' ? 'standard input' : file}${typeof code === 'string' ? ` (${code})` : ''}`,
        ],
        ctx.commandLine,
      );
    }
    const read = readFindingsText(text);
    if (!read.ok)
      return ctx.out.fail(
        {
          code: 'invalid_input',
          message: `the findings file is unreadable: ${read.error.map(describeFindingProblem).join('; ')}`,
          fields: read.error.map((p) => ({ field: '<file>', message: describeFindingProblem(p) })),
        },
        EXIT.usage,
      );
    const rows: Row[] = read.value.map((item) => (item.result.ok ? { item, finding: item.result.value } : { item }));
    const valid = rows.filter((r): r is Row & { finding: Finding } => r.finding !== undefined);
    const options = source === undefined ? {} : { source };

    return ctx.withHub(async (hub) => {
      const found = await hub.dataout.getInstance(instanceName);
      if (!found.ok) return reportDataoutError(ctx.out, found.error);
      const instance = found.value;
      const ids = [...new Set(valid.map((r) => r.finding.id))];

      // What each finding's ticket was before, to tell an update from a create.
      const before = new Map<string, string>();
      if (wait && ids.length > 0) {
        const known = await hub.dataout.outcomes(instance.id, ids, options);
        if (!known.ok) return reportDataoutError(ctx.out, known.error);
        for (const t of known.value) if (t.issueKey !== undefined) before.set(t.findingId, t.issueKey);
      }

      const jobIds = new Set<string>();
      for (let start = 0; start < valid.length; start += MAX_FINDINGS_PER_BATCH) {
        const batch = valid.slice(start, start + MAX_FINDINGS_PER_BATCH);
        const pushed = await hub.dataout.push(
          ctx.actor,
          instance.id,
          batch.map((r) => r.finding),
          options,
        );
        if (!pushed.ok) {
          if (start > 0) ctx.out.notice(`${start} findings of earlier batches were pushed before this refusal`);
          return reportDataoutError(ctx.out, pushed.error);
        }
        for (const o of pushed.value.outcomes) {
          const row = batch[o.index];
          if (row !== undefined) row.pushed = o;
        }
        for (const id of pushed.value.jobIds) jobIds.add(id);
      }

      let finished: Job[] = [];
      let interrupted = false;
      if (wait && jobIds.size > 0) {
        const stop = new AbortController();
        void ctx.deps.waitForShutdown().then(() => stop.abort());
        const progress = createProgress(ctx.io.stderr);
        // Follow-up jobs (a ticket's update after its create) count as they are claimed.
        const seen = new Set(jobIds);
        const done = new Set<string>();
        progress.show(0, seen.size);
        finished = await hub.jobs.runTagged(`instance:${instance.id}`, [...jobIds], {
          signal: stop.signal,
          onEvent: (event) => {
            if (event.type === 'job:claimed') seen.add(event.job.id);
            else if (event.type === 'job:succeeded' || event.type === 'job:failed') done.add(event.job.id);
            else return;
            progress.show(done.size, seen.size);
          },
        });
        progress.done();
        interrupted = stop.signal.aborted;
      }
      const waited = wait && !interrupted;
      const jobError = finished.find((j) => j.status === 'failed')?.lastError;

      const after = new Map<string, TicketOutcome>();
      if (waited && ids.length > 0) {
        const outcomes = await hub.dataout.outcomes(instance.id, ids, options);
        if (!outcomes.ok) return reportDataoutError(ctx.out, outcomes.error);
        for (const t of outcomes.value) after.set(t.findingId, t);
      }

      const results = rows.map((row) => {
        const problems = row.item.result.ok ? undefined : row.item.result.error;
        const id = row.finding?.id;
        const issueKeyBefore = id === undefined ? undefined : before.get(id);
        const ticket = id === undefined ? undefined : after.get(id);
        const outcome = findingOutcome(
          { ...row, ...(problems === undefined ? {} : { problems }) },
          {
            waited,
            ...(issueKeyBefore === undefined ? {} : { issueKeyBefore }),
            ...(ticket === undefined ? {} : { after: ticket }),
            ...(jobError === undefined ? {} : { jobError }),
          },
        );
        const label = id ?? (row.item.line === undefined ? `[${row.item.index}]` : `line ${row.item.line}`);
        return { outcome, label, problems };
      });

      ctx.out.data(results.map((r) => r.outcome));
      const width = Math.min(40, Math.max(0, ...results.map((r) => r.label.length)));
      for (const r of results) ctx.out.say(`  ${r.label.padEnd(width)}  ${outcomeText(r.outcome, r.problems)}`);
      const counts = RESULT_ORDER.map((k) => [k, results.filter((r) => r.outcome.result === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`);
      ctx.out.say(
        `${results.length} finding${results.length === 1 ? '' : 's'} for "${instance.name}"${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
      );
      if (!wait && jobIds.size > 0)
        ctx.out.say('  queued: a running `skybridge serve` makes the tickets; see `skybridge instances jobs`');
      if (interrupted)
        ctx.out.say('interrupted: the remaining ticket operations stay queued for a server or the next push');

      if (interrupted || results.some((r) => r.outcome.result === 'failed')) return EXIT.failed;
      if (results.some((r) => r.outcome.result === 'rejected')) return EXIT.usage;
      return EXIT.ok;
    });
  },
};
