import type { Command } from './command.ts';
import { COMMANDS, GROUPS } from './commands.ts';
import { GLOBAL_FLAGS } from './global-flags.ts';
import { formatFlagHelp } from './parse-args.ts';

const ENVIRONMENT = [
  'Environment:',
  '  SKYBRIDGE_DATA_DIR       data directory (default ./data): SQLite database and key file',
  '  DATABASE_URL             PostgreSQL URL instead of SQLite (never a flag: it may hold a password)',
  '  SKYBRIDGE_MASTER_KEY     master key or key ring (default: the key file in the data directory)',
  '  SKYBRIDGE_ALLOWED_HOSTS  hosts exempt from the outbound address guard (e.g. a Data Center on your network)',
].join('\n');

const EXIT_CODES = 'Exit codes: 0 ok, 1 the operation failed, 2 bad usage or input.';

function commandLine(c: Command): string {
  return ['skybridge', ...c.path, ...c.positionals].join(' ');
}

/** `skybridge --help`. */
export function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => [...c.path, ...c.positionals].join(' ').length)) + 2;
  return [
    'Usage: skybridge <command> [options]',
    '',
    'Skybridge: a self-hosted connector hub for Atlassian Cloud and Data Center.',
    'Every command but `serve` works on the local data directory directly; no server is needed.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${[...c.path, ...c.positionals].join(' ').padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    formatFlagHelp(GLOBAL_FLAGS),
    '',
    ENVIRONMENT,
    '',
    EXIT_CODES,
    "Run 'skybridge <command> --help' for a command's options.",
  ].join('\n');
}

/** `skybridge connections --help`. */
export function groupHelp(group: string): string {
  const members = COMMANDS.filter((c) => c.path[0] === group);
  const width = Math.max(...members.map((c) => [...c.path.slice(1), ...c.positionals].join(' ').length)) + 2;
  return [
    `Usage: skybridge ${group} <command> [options]`,
    '',
    `${group}: ${GROUPS[group] ?? ''}`,
    '',
    'Commands:',
    ...members.map((c) => `  ${[...c.path.slice(1), ...c.positionals].join(' ').padEnd(width)}${c.summary}`),
    '',
    `Run 'skybridge ${group} <command> --help' for a command's options.`,
  ].join('\n');
}

/** `skybridge connections add --help`. */
export function commandHelp(c: Command): string {
  return [
    `Usage: ${commandLine(c)} ${c.usage}`.trimEnd(),
    '',
    `${c.summary[0]?.toUpperCase() ?? ''}${c.summary.slice(1)}.`,
    ...(c.details ? ['', c.details] : []),
    '',
    'Options:',
    formatFlagHelp({ ...c.flags, ...GLOBAL_FLAGS }),
    '',
    EXIT_CODES,
  ].join('\n');
}
