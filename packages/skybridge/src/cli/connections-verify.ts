import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { connectedLine, reportDetails } from './format.ts';
import { reportServiceError } from './output.ts';

export const connectionsVerify: Command = {
  path: ['connections', 'verify'],
  summary: 'check a connection now and show what its token can see',
  positionals: ['<name|id>'],
  usage: '[--json]',
  details: 'Exits 1 when the check fails; the outcome is recorded in the status history either way.',
  flags: { ...JSON_FLAG },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    return ctx.withHub(async (hub) => {
      const result = await hub.connections.verify(ctx.actor, idOrName);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { connection, report, error } = result.value;
      if (error || !report) {
        // A failed check is a successful call: the connection goes with the error so scripts see its new status.
        if (!ctx.out.json) ctx.out.notice(`✗ ${connection.name}: check failed; status is now ${connection.status}`);
        return reportServiceError(
          ctx.out,
          error ?? { code: 'verification_failed', message: 'verification returned no report' },
          { connection },
        );
      }
      ctx.out.data({ connection, report });
      ctx.out.say(`✓ ${connection.name}: ${connectedLine(report)}`);
      ctx.out.say(`  status ${connection.status}; ${report.requests} requests`);
      for (const line of reportDetails(report)) ctx.out.say(line);
      return EXIT.ok;
    });
  },
};
