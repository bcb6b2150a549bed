import { parseDuration } from '../config.ts';
import type { Recurrence } from '../jobs/scheduler.ts';
import { describeRecurrence } from '../sync/create-sync-service.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { reportServiceError } from './output.ts';
import { flagString } from './parse-args.ts';

/**
 * `skybridge schedule <connection> --every 6h | --cron '0 3 * * *' | --off`: how often a running server syncs the
 * connection. Without a flag, shows the current schedule.
 */
export const schedule: Command = {
  path: ['schedule'],
  summary: 'show or set how often a connection syncs (run by `skybridge serve`)',
  positionals: ['<connection>'],
  usage: '[--every DURATION | --cron EXPR | --off] [--json]',
  details:
    "DURATION is like 30m, 6h or 1d (at least 1m). EXPR is a five-field cron expression in UTC, e.g. '0 3 * * *' for 03:00 daily. The first scheduled run is one period away; `skybridge sync` runs one now.",
  flags: {
    ...JSON_FLAG,
    every: { type: 'string', help: 'sync at this interval: 30m, 6h, 1d' },
    cron: { type: 'string', help: 'sync on this UTC cron expression' },
    off: { type: 'boolean', help: 'stop scheduled syncs' },
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    const every = flagString(args, 'every');
    const cron = flagString(args, 'cron');
    const off = args.flags['off'] === true;
    if ([every !== undefined, cron !== undefined, off].filter(Boolean).length > 1)
      return ctx.out.fail({ code: 'invalid_input', message: 'Give one of --every, --cron or --off.' }, EXIT.usage);
    let recurrence: Recurrence | null | undefined;
    if (every !== undefined) {
      const ms = parseDuration(every);
      if (ms === undefined)
        return ctx.out.fail(
          { code: 'invalid_input', message: `--every: '${every}' is not a duration like 30m, 6h or 1d.` },
          EXIT.usage,
        );
      recurrence = { intervalMs: ms };
    } else if (cron !== undefined) recurrence = { cron };
    else if (off) recurrence = null;

    return ctx.withHub(async (hub) => {
      const result =
        recurrence === undefined
          ? await hub.sync.getSchedule(idOrName)
          : await hub.sync.setSchedule(ctx.actor, idOrName, recurrence);
      if (!result.ok)
        return reportServiceError(ctx.out, {
          code: result.error.code === 'not_found' ? 'not_found' : 'invalid_input',
          message: result.error.message.replace(/^every: /, every !== undefined ? '--every: ' : '--cron: '),
        });
      const current = result.value;
      ctx.out.data(current ?? null);
      if (current === undefined)
        ctx.out.say(off ? 'scheduled syncs stopped' : 'no schedule: syncs run only when asked (`skybridge sync`)');
      else
        ctx.out.say(
          `sync ${describeRecurrence(current.every)}; next run ${current.nextRunAt.toISOString()}${current.enabled ? '' : ' (disabled)'}`,
        );
      return EXIT.ok;
    });
  },
};
