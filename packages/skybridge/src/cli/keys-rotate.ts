import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { reportServiceError } from './output.ts';

export const keysRotate: Command = {
  path: ['keys', 'rotate'],
  summary: 'add a new primary master key and re-seal every stored secret with it',
  positionals: [],
  usage: '[--json]',
  details: 'Exits 1 if any secret could not be re-sealed (it stays readable under its old key).',
  flags: { ...JSON_FLAG },
  async run(ctx) {
    return ctx.withHub(async (hub) => {
      const result = await hub.connections.rotateKeys(ctx.actor);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const r = result.value;
      ctx.out.data(r);
      const mark = r.failed > 0 ? '✗' : '✓';
      ctx.out.say(
        `${mark} Re-sealed ${r.resealed} of ${r.total} secrets under key ${r.keyId} (${r.alreadyCurrent} already current, ${r.failed} failed)`,
      );
      if (r.failed > 0)
        ctx.out.notice('error: some secrets could not be re-sealed; they stay sealed under their old key');
      return r.failed > 0 ? EXIT.failed : EXIT.ok;
    });
  },
};
