import type { ConnectionView } from '../connections/connections-service.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { formatExpiry, formatTime } from './format.ts';
import { reportServiceError } from './output.ts';
import { renderTable } from './table.ts';

/** Pages fetched at most: a hub with more than 10 000 connections is not what a terminal table is for. */
const MAX_PAGES = 100;

export const connectionsList: Command = {
  path: ['connections', 'list'],
  summary: 'list connections with their status and token expiry',
  positionals: [],
  usage: '[--json]',
  flags: { ...JSON_FLAG },
  async run(ctx) {
    return ctx.withHub(async (hub) => {
      const items: ConnectionView[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await hub.connections.list(cursor === undefined ? { limit: 100 } : { limit: 100, cursor });
        if (!result.ok) return reportServiceError(ctx.out, result.error);
        items.push(...result.value.items);
        cursor = result.value.nextCursor;
        if (cursor === undefined) break;
      }
      ctx.out.data({ items });
      if (items.length === 0) {
        ctx.out.say('No connections yet. Add one with: skybridge connections add <kind> --name N … --token-stdin');
        return EXIT.ok;
      }
      ctx.out.say(
        renderTable(
          ['NAME', 'KIND', 'STATUS', 'FAILURES', 'LAST CHECKED', 'EXPIRY', 'TOKEN'],
          items.map((c) => [
            c.name,
            c.kind,
            c.status,
            String(c.consecutiveFailures),
            formatTime(c.lastCheckedAt),
            formatExpiry(c),
            c.secretHint,
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};
