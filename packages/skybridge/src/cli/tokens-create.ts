import { API_TOKEN_ROLES } from '../domain/connection.ts';
import { EXIT } from './cli-io.ts';
import { JSON_FLAG, type Command } from './command.ts';
import { parseRole } from './flag-values.ts';
import { reportServiceError } from './output.ts';
import { flagString } from './parse-args.ts';

export const tokensCreate: Command = {
  path: ['tokens', 'create'],
  summary: 'create an API token for the HTTP API (shown once)',
  positionals: [],
  usage: `--name N --role ${API_TOKEN_ROLES.join('|')} [--json]`,
  details: 'The token is printed once and stored only as a hash: copy it now.',
  flags: {
    name: { type: 'string', help: 'a name for the token (who or what uses it)' },
    role: { type: 'string', help: `${API_TOKEN_ROLES.join(', ')}` },
    ...JSON_FLAG,
  },
  async run(ctx, args) {
    const problems: string[] = [];
    const name = flagString(args, 'name');
    if (name === undefined) problems.push('--name: required');
    const roleText = flagString(args, 'role');
    const role = roleText === undefined ? undefined : parseRole(roleText);
    if (role === undefined) problems.push(`--role: required (${API_TOKEN_ROLES.join(', ')})`);
    else if (!role.ok) problems.push(role.error);
    if (problems.length > 0 || name === undefined || !role?.ok) return ctx.out.usage(problems, ctx.commandLine);
    return ctx.withHub(async (hub) => {
      const result = await hub.apiTokens.create(ctx.actor, { name, role: role.value });
      if (!result.ok) return reportServiceError(ctx.out, result.error);
      const { token, apiToken } = result.value;
      // The one place a secret is printed, on purpose: the caller asked for it and it cannot be shown again.
      ctx.out.data({ token, apiToken });
      ctx.out.say(`✓ Created API token "${apiToken.name}" (${apiToken.role}), id ${apiToken.id}`);
      ctx.out.say('  Copy it now; it is stored only as a hash and will not be shown again:');
      ctx.out.say();
      ctx.out.say(`  ${token}`);
      ctx.out.say();
      return EXIT.ok;
    });
  },
};
