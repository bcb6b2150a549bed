import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { reportServiceError } from './output.ts';

export const tokensRevoke: Command = {
  path: ['tokens', 'revoke'],
  summary: 'revoke an API token (it stops working at once)',
  positionals: ['<id>'],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const id = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const result = await hub.apiTokens.revoke(ctx.actor, id);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      ctx.out.data({ revoked: result.value });
      ctx.out.say(`✓ Revoked API token "${result.value.name}" (${result.value.id})`);
      return EXIT.ok;
    });
  },
};
