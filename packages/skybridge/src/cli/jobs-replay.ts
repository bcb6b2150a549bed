import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { jobJson, jobKind, reportDataoutError } from './dataout-format.ts';
import { flagBool } from './parse-args.ts';

export const jobsReplay: Command = {
  path: ['jobs', 'replay'],
  summary: 'run a ticket job again (after fixing what made it fail)',
  positionals: ['<jobId>'],
  usage: '[--no-wait] [--json]',
  details: [
    'Queues a copy of the job (a failed create also puts the tickets it refused back in line) and runs it in this',
    'process, with whatever else of its instance is queued. With --no-wait, only queues it for a running',
    '`skybridge serve`. Job ids are listed by `skybridge instances jobs <instance>`. Exits 1 when the job fails',
    'again.',
  ].join('\n'),
  flags: {
    'no-wait': { type: 'boolean', help: 'queue the job for a running server and return at once' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const jobId = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const replayed = await hub.dataout.replay(ctx.actor, jobId);
      if (!replayed.ok) return reportDataoutError(ctx.out, replayed.error);
      const job = replayed.value;
      if (flagBool(args, 'no-wait') || job.tag === undefined) {
        ctx.out.data(jobJson(job));
        ctx.out.say(`✓ Queued ${jobKind(job)} job ${job.id} to replay ${jobId}; a running server picks it up`);
        return EXIT.ok;
      }
      const stop = new AbortController();
      void ctx.deps.waitForShutdown().then(() => stop.abort());
      const [final = job] = await hub.jobs.runTagged(job.tag, [job.id], { signal: stop.signal });
      ctx.out.data(jobJson(final));
      if (stop.signal.aborted) {
        ctx.out.say(`interrupted: job ${job.id} stays queued for a running server`);
        return EXIT.failed;
      }
      if (final.status !== 'succeeded') {
        ctx.out.say(`✗ ${jobKind(final)} job ${final.id} ${final.status}: ${final.lastError ?? 'no error recorded'}`);
        return EXIT.failed;
      }
      ctx.out.say(`✓ ${jobKind(final)} job ${final.id} (a replay of ${jobId}) succeeded`);
      return EXIT.ok;
    });
  },
};
