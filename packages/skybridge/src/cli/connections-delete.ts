import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { reportServiceError } from './output.ts';
import { flagBool } from './parse-args.ts';

export const connectionsDelete: Command = {
  path: ['connections', 'delete'],
  summary: 'delete a connection (nothing is deleted in Atlassian)',
  positionals: ['<name|id>'],
  usage: '[--cascade] [--json]',
  details:
    'If schedules, data-out instances or tracked tickets use the connection, they are listed and nothing is deleted\n(exit 1) unless --cascade is given, which deletes them too.',
  flags: {
    cascade: { type: 'boolean', help: 'also delete what uses the connection' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    const cascade = flagBool(args, 'cascade');
    return ctx.withHub(async (hub) => {
      const result = await hub.connections.delete(ctx.actor, idOrName, { cascade });
      if (!result.ok) {
        const error = result.error;
        // The refusal should list what is in the way; ask for the list if it did not come with it.
        if (error.code === 'has_dependents' && !error.dependents) {
          const dependents = await hub.connections.dependents(idOrName);
          if (dependents.ok) return reportServiceError(ctx.out, { ...error, dependents: dependents.value });
        }
        return reportServiceError(ctx.out, error);
      }
      const { deleted, cascaded } = result.value;
      ctx.out.data({ deleted, cascaded });
      ctx.out.say(`✓ Deleted "${deleted.name}" (${deleted.id})`);
      for (const d of cascaded) ctx.out.say(`  also deleted ${d.type.replace(/_/g, ' ')} "${d.name}" (${d.id})`);
      return EXIT.ok;
    });
  },
};
