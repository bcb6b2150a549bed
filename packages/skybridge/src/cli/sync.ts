import type { Writable } from 'node:stream';
import type { SyncProgress } from '../sync/run-sync.ts';
import type { SyncError } from '../sync/create-sync-service.ts';
import { EXIT, type ExitCode } from './cli-io.ts';
import { JSON_FLAG, type Command, type CommandContext } from './command.ts';
import { reportServiceError } from './output.ts';

/**
 * A one-line progress display on a terminal (records, rate, streams, and an ETA when a previous run says how much
 * there is); nothing at all when stderr is not a terminal, so CI logs stay clean.
 */
function createProgress(
  stderr: Writable & { isTTY?: boolean },
  startedAt: number,
  expectedRecords: number | undefined,
) {
  if (!stderr.isTTY) return { update: (_p: SyncProgress) => undefined, done: () => undefined };
  let last = 0;
  return {
    update(p: SyncProgress) {
      const now = Date.now();
      if (now - last < 200 && p.streamsDone < p.streams) return;
      last = now;
      const seconds = Math.max(0.001, (now - startedAt) / 1000);
      const rate = p.records / seconds;
      const eta =
        expectedRecords && rate > 0 && expectedRecords > p.records
          ? ` · ETA ${Math.ceil((expectedRecords - p.records) / rate)}s`
          : '';
      stderr.write(
        `\r\x1b[2K  ${p.records.toLocaleString('en-US')} records · ${Math.round(rate).toLocaleString('en-US')}/s · streams ${p.streamsDone}/${p.streams} · ${p.stream}${eta}`,
      );
    },
    done: () => stderr.write('\r\x1b[2K'),
  };
}

export const sync: Command = {
  path: ['sync'],
  summary: 'sync identities and access from a connection now (resumes an interrupted run)',
  positionals: ['<connection>'],
  usage: '[--no-wait] [--json]',
  details:
    'Queues the run as a job (at most one sync per connection runs at a time, here or in a server) and runs it in this process, with live progress on a terminal. Ctrl-C hands the run back: the next sync resumes it. With --no-wait, only queues it for a running `skybridge serve`. With --json, prints the finished run record (counts keyed by resource type, plus grants). Exits 1 when the run fails; the last good snapshot is kept.',
  flags: {
    ...JSON_FLAG,
    'no-wait': { type: 'boolean', help: 'queue the run for a running server and return at once' },
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const requested = await hub.sync.request(ctx.actor, idOrName);
      if (!requested.ok) return reportSyncError(ctx, requested.error);
      const { job, created } = requested.value;
      if (args.flags['no-wait'] === true) {
        ctx.out.data(job);
        ctx.out.say(
          created
            ? `sync queued as job ${job.id}; a running \`skybridge serve\` picks it up`
            : `a sync of this connection was already queued (job ${job.id})`,
        );
        return EXIT.ok;
      }
      if (!created) ctx.out.say(`a sync of this connection was already queued (job ${job.id}); running it`);

      const previous = await hub.sync.runs(idOrName, { limit: 20 });
      const lastGood = previous.ok ? previous.value.items.find((r) => r.status === 'succeeded') : undefined;
      const expected = lastGood
        ? Object.entries(lastGood.counts).reduce((sum, [k, v]) => (k === 'effectiveGrants' ? sum : sum + v), 0)
        : undefined;
      const progress = createProgress(ctx.io.stderr, Date.now(), expected);
      const stop = new AbortController();
      void ctx.deps.waitForShutdown().then(() => stop.abort());
      let toldWaiting = false;
      const final = await hub.jobs.runJob(job.id, {
        signal: stop.signal,
        onProgress: (_jobId, p) => progress.update(p),
        onEvent: (event) => {
          if (event.type !== 'worker:idle' || toldWaiting) return;
          toldWaiting = true;
          void hub.sync.getJob(job.id).then((current) => {
            if (current.ok && current.value.status === 'running')
              ctx.out.say('this sync is running in another process; waiting for it to finish');
            else if (current.ok && current.value.status === 'queued')
              ctx.out.say('waiting: another sync of this connection is running (one at a time per connection)');
          });
        },
      });
      progress.done();
      if (stop.signal.aborted) {
        ctx.out.say('interrupted: the run is kept where it stopped; `skybridge sync` again resumes it');
        return EXIT.failed;
      }
      if (final === undefined) return reportSyncError(ctx, { code: 'not_found', message: 'The sync job vanished.' });
      const latest = await hub.sync.runs(idOrName, { limit: 1 });
      const run = latest.ok ? latest.value.items[0] : undefined;
      if (final.status !== 'succeeded' || run === undefined) {
        const reason = final.lastError ?? `the job ended ${final.status}`;
        return reportSyncError(ctx, {
          code: 'sync_failed',
          message: `The sync failed; the last good snapshot is kept. ${reason.replace(/^[a-z_]+: /, '')}`,
        });
      }
      ctx.out.data(run);
      const counts = Object.entries(run.counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', ');
      ctx.out.say(
        `${run.status === 'succeeded' ? '✓' : '!'} sync ${run.status} in ${((run.durationMs ?? 0) / 1000).toFixed(1)}s: ${counts}`,
      );
      ctx.out.say(`  ${run.requests} requests, ${run.retries} retries, ${run.rateLimited} rate-limited; run ${run.id}`);
      if (run.status === 'suspicious')
        ctx.out.say(
          `  held as suspicious: ${Object.keys(run.shrink ?? {}).join(', ')} shrank past the threshold; the previous snapshot is kept until the run is accepted`,
        );
      return EXIT.ok;
    });
  },
};

function reportSyncError(ctx: CommandContext, error: SyncError): ExitCode {
  return reportServiceError(ctx.out, {
    code:
      error.code === 'not_found'
        ? 'not_found'
        : error.code === 'invalid_input'
          ? 'invalid_input'
          : 'verification_failed',
    message: error.message,
  });
}

export const runs: Command = {
  path: ['runs'],
  summary: 'list the sync runs of a connection, newest first',
  positionals: ['<connection>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const listed = await hub.sync.runs(idOrName, { limit: 50 });
      if (!listed.ok)
        return reportServiceError(ctx.out, {
          code: listed.error.code === 'not_found' ? 'not_found' : 'invalid_input',
          message: listed.error.message,
        });
      ctx.out.data(listed.value);
      for (const r of listed.value.items) {
        const total = Object.entries(r.counts)
          .filter(([k]) => k !== 'effectiveGrants')
          .reduce((s, [, v]) => s + v, 0);
        ctx.out.say(
          `${r.id}  ${r.status.padEnd(10)}  ${(r.startedAt ?? r.createdAt).toISOString()}  ${total} records  ${r.requests} requests`,
        );
      }
      if (listed.value.items.length === 0) ctx.out.say('no runs yet: run `skybridge sync <connection>`');
      return EXIT.ok;
    });
  },
};
