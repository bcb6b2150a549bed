import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { parseExpires } from './flag-values.ts';
import { connectedLine, formatExpiry } from './format.ts';
import { reportServiceError } from './output.ts';
import { flagBool, flagString } from './parse-args.ts';
import { readSecret, secretSourceFromFlags, SECRET_INPUT_FLAGS } from './read-secret.ts';

export const connectionsRotate: Command = {
  path: ['connections', 'rotate'],
  summary: "replace a connection's token (the new one is verified first)",
  positionals: ['<name|id>'],
  usage: '[--token-stdin | --token-file F] [--expires DATE|none] [--teams-token-file F] [--json]',
  details: 'Without --token-stdin or --token-file, the token is asked for on the terminal with input hidden.',
  flags: {
    ...SECRET_INPUT_FLAGS,
    expires: { type: 'string', help: "new token's expiry: YYYY-MM-DD, an ISO date-time with zone, or 'none'" },
    'teams-token-file': { type: 'string', help: 'file holding a new Teams API token (atlassian-org)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    const problems: string[] = [];
    const options: { tokenExpiresAt?: Date | null; teamsSecret?: string } = {};
    const expires = flagString(args, 'expires');
    if (expires !== undefined) {
      const parsed = parseExpires(expires, true);
      if (parsed.ok) options.tokenExpiresAt = parsed.value;
      else problems.push(parsed.error);
    }
    const source = secretSourceFromFlags(
      { tokenStdin: flagBool(args, 'token-stdin'), tokenFile: flagString(args, 'token-file') },
      true,
    );
    if (!source.ok) problems.push(source.problem);
    if (problems.length > 0 || !source.ok || !source.source) return ctx.out.usage(problems, ctx.commandLine);
    const secret = await readSecret(source.source, ctx.io, 'new token');
    if (!secret.ok) return ctx.out.usage([secret.problem], ctx.commandLine);
    const teamsTokenFile = flagString(args, 'teams-token-file');
    if (teamsTokenFile !== undefined) {
      const teams = await readSecret(
        { from: 'file', path: teamsTokenFile },
        ctx.io,
        'Teams API token',
        '--teams-token-file',
      );
      if (!teams.ok) return ctx.out.usage([teams.problem], ctx.commandLine);
      options.teamsSecret = teams.secret;
    }

    return ctx.withHub(async (hub) => {
      const result = await hub.connections.rotate(ctx.actor, idOrName, secret.secret, options);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { connection, report, error } = result.value;
      if (error) return reportServiceError(ctx.out, error, { connection });
      ctx.out.data(report ? { connection, report } : { connection });
      ctx.out.say(
        `✓ Rotated the token of "${connection.name}": now ${connection.secretHint}, expires ${formatExpiry(connection)}`,
      );
      if (report) ctx.out.say(`  ${connectedLine(report)}`);
      return EXIT.ok;
    });
  },
};
