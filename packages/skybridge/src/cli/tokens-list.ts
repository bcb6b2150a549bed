import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { formatTime } from './format.ts';
import { renderTable } from './table.ts';

export const tokensList: Command = {
  path: ['tokens', 'list'],
  summary: 'list API tokens (hints only)',
  positionals: [],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx) {
    return ctx.withHub(async (hub) => {
      const items = await hub.apiTokens.list();
      ctx.out.data({ items });
      if (items.length === 0) {
        ctx.out.say('No API tokens. Create one with: skybridge tokens create --name N --role admin');
        return EXIT.ok;
      }
      ctx.out.say(
        renderTable(
          ['ID', 'NAME', 'ROLE', 'TOKEN', 'CREATED', 'LAST USED', 'REVOKED'],
          items.map((t) => [
            t.id,
            t.name,
            t.role,
            t.tokenHint,
            formatTime(t.createdAt),
            formatTime(t.lastUsedAt),
            t.revokedAt ? formatTime(t.revokedAt) : '-',
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};
