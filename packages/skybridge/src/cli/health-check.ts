import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';

export const healthCheck: Command = {
  path: ['health-check'],
  summary: 'check token expiry and re-verify every connection now (what `serve` does periodically)',
  positionals: [],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx) {
    return ctx.withHub(async (hub) => {
      const r = await hub.connections.checkHealth(ctx.actor);
      ctx.out.data(r);
      ctx.out.say(
        `✓ Checked ${r.checked} connection${r.checked === 1 ? '' : 's'}: ${r.changed} changed status, ${r.warnings} expiry warning${r.warnings === 1 ? '' : 's'}`,
      );
      if (r.changed > 0 || r.warnings > 0) ctx.out.say("  Run 'skybridge connections list' for details.");
      return EXIT.ok;
    });
  },
};
