import type { NewConnectionInput } from '../connections/connections-service.ts';
import { CONNECTION_KINDS, KIND_TRAITS, isConnectionKind } from '../domain/connection-kinds.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { parseExpires, readCaFile } from './flag-values.ts';
import { connectedLine, formatExpiry, reportDetails } from './format.ts';
import { reportServiceError } from './output.ts';
import { flagBool, flagString } from './parse-args.ts';
import { readSecret, secretSourceFromFlags, SECRET_INPUT_FLAGS } from './read-secret.ts';

const REQUIRED_FLAG = { url: '--url', email: '--email', orgId: '--org-id' } as const;

export const connectionsAdd: Command = {
  path: ['connections', 'add'],
  summary: 'add a connection (verified against Atlassian before it is saved)',
  positionals: ['<kind>'],
  usage:
    '--name N [--url U] [--email E] [--org-id O] [--site-id S] [--teams-url T] [--teams-email E] [--gateway] [--gateway-url G] [--ca-file F] [--expires YYYY-MM-DD] [--token-stdin | --token-file F] [--teams-token-file F] [--json]',
  details: [
    `<kind> is one of: ${CONNECTION_KINDS.join(', ')}.`,
    'Cloud kinds need --url and --email; Data Center kinds need --url; atlassian-org needs --org-id.',
    'The token is read from standard input (--token-stdin), a file (--token-file) or a hidden prompt; never from',
    'the command line. Nothing is saved unless the token works.',
    '',
    'Example:',
    '  skybridge connections add jira-cloud --name acme --url https://acme.atlassian.net \\',
    '    --email mia@acme.example --token-stdin < token.txt',
  ].join('\n'),
  flags: {
    name: { type: 'string', help: 'unique name for the connection (required)' },
    url: { type: 'string', help: 'site URL (cloud), base URL (Data Center), or Admin API base (org)' },
    email: { type: 'string', help: 'Atlassian account email (cloud kinds)' },
    'org-id': { type: 'string', help: 'organization id (atlassian-org)' },
    'site-id': { type: 'string', help: 'cloud site id (learnt on verify for cloud kinds)' },
    'teams-url': { type: 'string', help: 'Teams API base URL override (atlassian-org)' },
    'teams-email': { type: 'string', help: 'account email for the Teams API (atlassian-org)' },
    gateway: { type: 'boolean', help: 'cloud: go through api.atlassian.com/ex/… (scoped and service-account tokens)' },
    'gateway-url': { type: 'string', help: 'gateway base URL override (default https://api.atlassian.com)' },
    'ca-file': { type: 'string', help: 'PEM CA bundle for a Data Center instance with a private CA' },
    expires: { type: 'string', help: 'when the token expires: YYYY-MM-DD or an ISO date-time with zone' },
    ...SECRET_INPUT_FLAGS,
    'teams-token-file': { type: 'string', help: 'file holding the Teams API token (atlassian-org)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const problems: string[] = [];
    const kind = args.positionals[0] ?? '';
    // The kind is not echoed: a token pasted in the wrong place would otherwise be printed back.
    if (!isConnectionKind(kind))
      return ctx.out.usage([`<kind>: must be one of ${CONNECTION_KINDS.join(', ')}`], ctx.commandLine);
    const name = flagString(args, 'name');
    if (name === undefined) problems.push('--name: required');
    const given = { url: flagString(args, 'url'), email: flagString(args, 'email'), orgId: flagString(args, 'org-id') };
    for (const field of KIND_TRAITS[kind].requires)
      if (given[field] === undefined) problems.push(`${REQUIRED_FLAG[field]}: required for ${kind}`);
    let tokenExpiresAt: Date | undefined;
    const expires = flagString(args, 'expires');
    if (expires !== undefined) {
      const parsed = parseExpires(expires);
      if (parsed.ok && parsed.value) tokenExpiresAt = parsed.value;
      else if (!parsed.ok) problems.push(parsed.error);
    }
    const source = secretSourceFromFlags(
      { tokenStdin: flagBool(args, 'token-stdin'), tokenFile: flagString(args, 'token-file') },
      true,
    );
    if (!source.ok) problems.push(source.problem);
    let caCert: string | undefined;
    const caFile = flagString(args, 'ca-file');
    if (caFile !== undefined) {
      const ca = await readCaFile(caFile);
      if (ca.ok) caCert = ca.value;
      else problems.push(ca.error);
    }
    // Every flag problem is reported before the secret is asked for, so nobody types a token twice.
    if (problems.length > 0 || name === undefined || !source.ok || !source.source)
      return ctx.out.usage(problems, ctx.commandLine);

    const secret = await readSecret(source.source, ctx.io, KIND_TRAITS[kind].secretLabel);
    if (!secret.ok) return ctx.out.usage([secret.problem], ctx.commandLine);
    const input: NewConnectionInput = { kind, name, secret: secret.secret };
    const teamsTokenFile = flagString(args, 'teams-token-file');
    if (teamsTokenFile !== undefined) {
      const teams = await readSecret(
        { from: 'file', path: teamsTokenFile },
        ctx.io,
        'Teams API token',
        '--teams-token-file',
      );
      if (!teams.ok) return ctx.out.usage([teams.problem], ctx.commandLine);
      input.teamsSecret = teams.secret;
    }
    if (given.url !== undefined) input.url = given.url;
    if (given.email !== undefined) input.email = given.email;
    if (given.orgId !== undefined) input.orgId = given.orgId;
    const siteId = flagString(args, 'site-id');
    if (siteId !== undefined) input.siteId = siteId;
    const teamsUrl = flagString(args, 'teams-url');
    if (teamsUrl !== undefined) input.teamsUrl = teamsUrl;
    const teamsEmail = flagString(args, 'teams-email');
    if (teamsEmail !== undefined) input.teamsEmail = teamsEmail;
    if (flagBool(args, 'gateway')) input.authMode = 'gateway';
    const gatewayUrl = flagString(args, 'gateway-url');
    if (gatewayUrl !== undefined) input.gatewayUrl = gatewayUrl;
    if (caCert !== undefined) input.caCert = caCert;
    if (tokenExpiresAt !== undefined) input.tokenExpiresAt = tokenExpiresAt;

    return ctx.withHub(async (hub) => {
      const result = await hub.connections.add(ctx.actor, input);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { connection, report } = result.value;
      ctx.out.data({ connection, report });
      ctx.out.say(`✓ ${connectedLine(report)}`);
      ctx.out.say(
        `  Saved as "${connection.name}" (${connection.id}); token ${connection.secretHint}, expires ${formatExpiry(connection)}`,
      );
      for (const line of reportDetails(report).filter((l) => l.startsWith('!'))) ctx.out.say(`  ${line}`);
      return EXIT.ok;
    });
  },
};
