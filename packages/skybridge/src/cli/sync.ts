import type { Writable } from 'node:stream';
import type { SyncProgress } from '../sync/run-sync.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
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
  usage: '[--json]',
  details:
    'Shows live progress on a terminal. With --json, prints the finished run record (counts keyed by resource type, plus grants). Exits 1 when the run fails; the last good snapshot is kept.',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const previous = await hub.sync.runs(idOrName, { limit: 20 });
      const lastGood = previous.ok ? previous.value.items.find((r) => r.status === 'succeeded') : undefined;
      const expected = lastGood
        ? Object.entries(lastGood.counts).reduce((sum, [k, v]) => (k === 'effectiveGrants' ? sum : sum + v), 0)
        : undefined;
      const progress = createProgress(ctx.io.stderr, Date.now(), expected);
      const result = await hub.sync.run(ctx.actor, idOrName, { onProgress: (p) => progress.update(p) });
      progress.done();
      if (!result.ok) {
        return reportServiceError(ctx.out, {
          code: result.error.code === 'not_found' ? 'not_found' : 'verification_failed',
          message: result.error.message,
        });
      }
      const run = result.value;
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
