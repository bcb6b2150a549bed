import type { FlagSpecs } from './parse-args.ts';

const NEVER_ON_ARGV =
  'secrets are never taken from the command line (shell history and `ps` would show them to others); use --token-stdin or --token-file';

/**
 * Flags every command accepts, and flags every command refuses. The refused ones are the names people reach for
 * when passing a secret; declaring them (rather than leaving them "unknown") gets a message that says what to
 * use instead, and the parser never echoes their value.
 */
export const GLOBAL_FLAGS: FlagSpecs = {
  'data-dir': { type: 'string', help: 'data directory (default $SKYBRIDGE_DATA_DIR, else ./data)' },
  help: { type: 'boolean', help: 'show help for this command' },
  token: { type: 'string', help: '', forbidden: NEVER_ON_ARGV },
  secret: { type: 'string', help: '', forbidden: NEVER_ON_ARGV },
  'api-key': { type: 'string', help: '', forbidden: NEVER_ON_ARGV },
  pat: { type: 'string', help: '', forbidden: NEVER_ON_ARGV },
  password: { type: 'string', help: '', forbidden: NEVER_ON_ARGV },
  'teams-token': {
    type: 'string',
    help: '',
    forbidden:
      'secrets are never taken from the command line (shell history and `ps` would show them to others); use --teams-token-file',
  },
  'database-url': {
    type: 'string',
    help: '',
    forbidden: 'not a flag, because a database URL may hold a password: set DATABASE_URL in the environment',
  },
  'master-key': {
    type: 'string',
    help: '',
    forbidden: 'not a flag, because it is a secret: set SKYBRIDGE_MASTER_KEY in the environment or use the key file',
  },
};
