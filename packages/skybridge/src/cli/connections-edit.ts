import type { ConnectionEdit } from '../connections/connections-service.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { parseExpires, readCaFile } from './flag-values.ts';
import { connectedLine } from './format.ts';
import { reportServiceError } from './output.ts';
import { flagBool, flagList, flagString } from './parse-args.ts';
import { readSecret, secretSourceFromFlags, SECRET_INPUT_FLAGS } from './read-secret.ts';

/** Optional fields `--clear` may empty, by the name the flag uses. */
const CLEARABLE = {
  url: 'url',
  email: 'email',
  'org-id': 'orgId',
  'site-id': 'siteId',
  'teams-url': 'teamsUrl',
  'teams-email': 'teamsEmail',
  'gateway-url': 'gatewayUrl',
  'ca-file': 'caCert',
  expires: 'tokenExpiresAt',
  'teams-token': 'teamsSecret',
} as const satisfies Record<string, keyof ConnectionEdit>;

/** Plain string fields: flag name → edit field. */
const TEXT_FIELDS = {
  url: 'url',
  email: 'email',
  'org-id': 'orgId',
  'site-id': 'siteId',
  'teams-url': 'teamsUrl',
  'teams-email': 'teamsEmail',
  'gateway-url': 'gatewayUrl',
} as const satisfies Record<string, keyof ConnectionEdit>;

export const connectionsEdit: Command = {
  path: ['connections', 'edit'],
  summary: 'change a connection (re-verified when the token or the target changes)',
  positionals: ['<name|id>'],
  usage:
    '[--name N] [--url U] [--email E] [--org-id O] [--site-id S] [--teams-url T] [--teams-email E] [--gateway | --direct] [--gateway-url G] [--ca-file F] [--expires DATE|none] [--token-stdin | --token-file F] [--teams-token-file F] [--clear FIELD]… [--json]',
  details: [
    `--clear empties an optional field: ${Object.keys(CLEARABLE).join(', ')}.`,
    'A new token or target is verified first; if that fails, the connection keeps its old settings.',
  ].join('\n'),
  flags: {
    name: { type: 'string', help: 'new name' },
    url: { type: 'string', help: 'site or base URL' },
    email: { type: 'string', help: 'account email (cloud kinds)' },
    'org-id': { type: 'string', help: 'organization id (atlassian-org)' },
    'site-id': { type: 'string', help: 'cloud site id' },
    'teams-url': { type: 'string', help: 'Teams API base URL override' },
    'teams-email': { type: 'string', help: 'account email for the Teams API' },
    gateway: { type: 'boolean', help: 'cloud: go through the api.atlassian.com gateway' },
    direct: { type: 'boolean', help: 'cloud: talk to the site URL directly' },
    'gateway-url': { type: 'string', help: 'gateway base URL override' },
    'ca-file': { type: 'string', help: 'PEM CA bundle (Data Center with a private CA)' },
    expires: { type: 'string', help: "token expiry: YYYY-MM-DD, an ISO date-time with zone, or 'none'" },
    ...SECRET_INPUT_FLAGS,
    'teams-token-file': { type: 'string', help: 'file holding a new Teams API token' },
    clear: { type: 'list', help: 'empty an optional field (repeatable)' },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const idOrName = args.positionals[0] ?? '';
    const problems: string[] = [];
    const edit: ConnectionEdit = {};
    const name = flagString(args, 'name');
    if (name !== undefined) edit.name = name;
    for (const [flag, field] of Object.entries(TEXT_FIELDS)) {
      const value = flagString(args, flag);
      if (value !== undefined) edit[field] = value;
    }
    if (flagBool(args, 'gateway') && flagBool(args, 'direct')) problems.push('--gateway, --direct: give one of them');
    else if (flagBool(args, 'gateway')) edit.authMode = 'gateway';
    else if (flagBool(args, 'direct')) edit.authMode = 'direct';
    const expires = flagString(args, 'expires');
    if (expires !== undefined) {
      const parsed = parseExpires(expires, true);
      if (parsed.ok) edit.tokenExpiresAt = parsed.value;
      else problems.push(parsed.error);
    }
    const caFile = flagString(args, 'ca-file');
    if (caFile !== undefined) {
      const ca = await readCaFile(caFile);
      if (ca.ok) edit.caCert = ca.value;
      else problems.push(ca.error);
    }
    for (const field of flagList(args, 'clear')) {
      if (!Object.hasOwn(CLEARABLE, field)) {
        problems.push(`--clear: must be one of ${Object.keys(CLEARABLE).join(', ')}`);
        continue;
      }
      const key = CLEARABLE[field as keyof typeof CLEARABLE];
      if (edit[key] !== undefined) problems.push(`--clear: ${field} is both set and cleared`);
      else edit[key] = null;
    }
    const source = secretSourceFromFlags(
      { tokenStdin: flagBool(args, 'token-stdin'), tokenFile: flagString(args, 'token-file') },
      false,
    );
    if (!source.ok) problems.push(source.problem);
    const teamsTokenFile = flagString(args, 'teams-token-file');
    if (problems.length > 0) return ctx.out.usage(problems, ctx.commandLine);
    if (Object.keys(edit).length === 0 && source.ok && !source.source && teamsTokenFile === undefined)
      return ctx.out.usage(['nothing to change: give at least one flag (see --help)'], ctx.commandLine);

    if (source.ok && source.source) {
      const secret = await readSecret(source.source, ctx.io, 'token');
      if (!secret.ok) return ctx.out.usage([secret.problem], ctx.commandLine);
      edit.secret = secret.secret;
    }
    if (teamsTokenFile !== undefined) {
      const teams = await readSecret(
        { from: 'file', path: teamsTokenFile },
        ctx.io,
        'Teams API token',
        '--teams-token-file',
      );
      if (!teams.ok) return ctx.out.usage([teams.problem], ctx.commandLine);
      edit.teamsSecret = teams.secret;
    }

    return ctx.withHub(async (hub) => {
      const result = await hub.connections.edit(ctx.actor, idOrName, edit);
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { connection, report, error } = result.value;
      if (error) return reportServiceError(ctx.out, error, { connection });
      ctx.out.data(report ? { connection, report } : { connection });
      ctx.out.say(`✓ Updated "${connection.name}" (version ${connection.version})`);
      if (report) ctx.out.say(`  ${connectedLine(report)}`);
      return EXIT.ok;
    });
  },
};
