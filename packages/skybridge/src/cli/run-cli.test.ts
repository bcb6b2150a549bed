import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.ts';
import { REJECTED_SECRET, runWithFakes, type FakeHubOptions } from './fake-hub.ts';
import { runCli } from './run-cli.ts';

const run = (argv: string[], options: Parameters<typeof runWithFakes>[2] = {}) => runWithFakes(runCli, argv, options);

const SECRET = 'ATATT3xFfGF0-very-secret-token-wxyz';
const JIRA = [
  'connections',
  'add',
  'jira-cloud',
  '--name',
  'acme',
  '--url',
  'https://acme.atlassian.net',
  '--email',
  'mia@acme.example',
];

describe('skybridge: help', () => {
  it('prints the command list with --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.path.join(' '));
  });

  it('prints the command list to stderr and exits 2 without a command', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: skybridge <command>');
  });

  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))(
    '%s --help shows its usage and options',
    async (_, c) => {
      const r = await run([...c.path, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: skybridge ${c.path.join(' ')}`);
      for (const flag of Object.keys(c.flags)) expect(r.stdout).toContain(`--${flag}`);
      expect(r.hubsCreated).toBe(0);
    },
  );

  it.each(['connections', 'tokens', 'keys'])('%s --help lists its commands', async (group) => {
    const r = await run([group, '--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS.filter((x) => x.path[0] === group)) expect(r.stdout).toContain(c.path[1]);
  });

  it('help <command> is <command> --help', async () => {
    const r = await run(['help', 'connections', 'rotate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: skybridge connections rotate <name|id>');
  });

  it('never lists forbidden flags as options', async () => {
    const r = await run(['connections', 'add', '--help']);
    expect(r.stdout).not.toMatch(/--token <value>|--secret|--database-url/);
  });
});

describe('skybridge: global options', () => {
  it('--data-dir works before and after the command, over SKYBRIDGE_DATA_DIR', async () => {
    const env = { SKYBRIDGE_DATA_DIR: '/from/env' };
    const before = await run(['--data-dir', '/tmp/sb-a', 'connections', 'list'], { env });
    const after = await run(['connections', 'list', '--data-dir=/tmp/sb-b'], { env });
    const neither = await run(['connections', 'list'], { env });
    expect([before, after, neither].map((r) => r.configs[0]?.dataDir)).toEqual(['/tmp/sb-a', '/tmp/sb-b', '/from/env']);
  });
});

describe('skybridge: usage errors exit 2 and name the flag', () => {
  it('an unknown command', async () => {
    const r = await run(['conections', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'conections'");
  });

  it('a group without its command', async () => {
    const r = await run(['connections']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'skybridge connections' needs a command");
  });

  it('missing and malformed flags, all at once, before any hub is opened', async () => {
    const r = await run(['connections', 'add', 'jira-cloud', '--expires', '2027-02-30', '--token-stdin'], {
      stdin: SECRET,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --name: required');
    expect(r.stderr).toContain('error: --url: required for jira-cloud');
    expect(r.stderr).toContain('error: --email: required for jira-cloud');
    expect(r.stderr).toMatch(/error: --expires: must be a date/);
    expect(r.hubsCreated).toBe(0);
    expect(r.record.added).toHaveLength(0);
  });

  it('an unknown kind is refused without echoing it', async () => {
    const r = await run(['connections', 'add', 'jira-clod', '--name', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<kind>: must be one of jira-cloud');
    expect(r.stderr).not.toContain('jira-clod');
  });

  it('a missing positional and extra ones (not echoed)', async () => {
    const missing = await run(['connections', 'show']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('<name|id>: required');
    const extra = await run(['connections', 'rotate', 'acme', SECRET]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('too many arguments');
    expect(extra.stderr).not.toContain(SECRET);
  });

  it.each([
    [['--expires', 'tomorrow'], '--expires'],
    [['--expires', '2027-01-31T09:00'], '--expires'],
    [['--token-stdin', '--token-file', '/tmp/x'], '--token-stdin, --token-file'],
    [['--ca-file', '/nonexistent/ca.pem'], '--ca-file'],
  ])('add %j names %s', async (flags, named) => {
    const r = await run([...JIRA, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${named}:`);
  });

  it('tokens create checks --name and --role', async () => {
    const r = await run(['tokens', 'create', '--role', 'god']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name: required');
    expect(r.stderr).toContain('--role: must be one of owner, admin, viewer');
  });

  it('serve checks --port', async () => {
    const r = await run(['serve', '--port', '99999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port: must be a number from 0 to 65535');
  });

  it('edit with nothing to change', async () => {
    const r = await run(['connections', 'edit', 'acme']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to change');
  });

  it('reports configuration problems by variable name', async () => {
    const r = await run(['connections', 'list'], { env: { SKYBRIDGE_PORT: 'eighty' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SKYBRIDGE_PORT');
    expect(r.hubsCreated).toBe(0);
  });

  it('--database-url is not a flag (it may hold a password) and is not echoed', async () => {
    const r = await run(['connections', 'list', '--database-url', 'postgres://u:hunter2@db/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe('skybridge: secrets', () => {
  it.each(['--token', '--secret', '--api-key', '--pat'])(
    'refuses %s on argv and never prints its value',
    async (flag) => {
      for (const argv of [
        [...JIRA, flag, SECRET],
        [...JIRA, `${flag}=${SECRET}`],
        ['connections', 'rotate', 'acme', flag, SECRET, '--json'],
      ]) {
        const r = await run(argv);
        expect(r.code).toBe(2);
        expect(r.stdout + r.stderr).toContain('--token-stdin');
        expect(r.stdout + r.stderr).not.toContain(SECRET);
        expect(r.stdout + r.stderr).not.toContain('very-secret');
        expect(r.record.added).toHaveLength(0);
      }
    },
  );

  it('reads the secret from stdin, trimmed, and prints only the masked hint', async () => {
    const r = await run([...JIRA, '--token-stdin'], { stdin: `  ${SECRET}\n` });
    expect(r.code).toBe(0);
    expect(r.record.added).toEqual([expect.objectContaining({ secret: SECRET, name: 'acme', kind: 'jira-cloud' })]);
    expect(r.stdout).toContain('••••wxyz');
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('reads the secret and the Teams token from files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
    writeFileSync(join(dir, 'key'), `${SECRET}\n`);
    writeFileSync(join(dir, 'teams'), 'ATATT3x-teams-token-1234\n');
    const r = await run([
      'connections',
      'add',
      'atlassian-org',
      '--name',
      'org',
      '--org-id',
      'o-1',
      '--token-file',
      join(dir, 'key'),
      '--teams-token-file',
      join(dir, 'teams'),
    ]);
    expect(r.code).toBe(0);
    expect(r.record.added[0]).toMatchObject({ secret: SECRET, teamsSecret: 'ATATT3x-teams-token-1234', orgId: 'o-1' });
  });

  it('names --teams-token-file when that file is missing', async () => {
    const r = await run([...JIRA, '--token-stdin', '--teams-token-file', '/nonexistent/teams'], { stdin: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --teams-token-file: cannot read');
  });

  it('without a token flag and without a terminal, says how to pass one', async () => {
    const r = await run(JIRA);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token-stdin');
    expect(r.hubsCreated).toBe(0);
  });

  it('--json output parses and holds no secret', async () => {
    const r = await run([...JIRA, '--token-stdin', '--json', '--expires', '2027-01-01'], { stdin: SECRET });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { connection: { secretHint: string; tokenExpiresAt: string } };
    expect(doc.connection.secretHint).toBe('••••wxyz');
    expect(doc.connection.tokenExpiresAt).toBe('2027-01-01T00:00:00.000Z');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('the audit actor is cli:<os user>', async () => {
    const r = await run([...JIRA, '--token-stdin'], { stdin: SECRET });
    expect(r.record.actors).toEqual(['cli:tester']);
  });
});

describe('skybridge: errors from the service', () => {
  it('a failed verification exits 1, says why, and in JSON is {"error":…}', async () => {
    const human = await run([...JIRA, '--token-stdin'], { stdin: REJECTED_SECRET });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('verification failed');
    expect(human.stderr).toContain('Atlassian refused the credential (401).');
    const json = await run([...JIRA, '--token-stdin', '--json'], { stdin: REJECTED_SECRET });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { error: { code: string; atlassian: { code: string } } };
    expect(doc.error.code).toBe('verification_failed');
    expect(doc.error.atlassian.code).toBe('unauthorized');
    expect(json.stdout).not.toContain(REJECTED_SECRET);
  });

  it('invalid input from the service exits 2 and names the flag', async () => {
    const r = await run(
      ['connections', 'add', 'jira-dc', '--name', 'dc', '--url', 'http://jira.internal', '--token-stdin'],
      { stdin: SECRET },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --url: must be an https:// URL');
    const json = await run(
      ['connections', 'add', 'jira-dc', '--name', 'dc', '--url', 'http://jira.internal', '--token-stdin', '--json'],
      { stdin: SECRET },
    );
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: 'invalid_input',
        message: 'invalid input',
        fields: [{ field: '--url', message: 'must be an https:// URL' }],
      },
    });
  });

  it('usage errors come out as JSON with --json', async () => {
    const r = await run(['connections', 'add', 'jira-cloud', '--json', '--token', SECRET]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { code: string; fields: Array<{ field: string }> } };
    expect(doc.error.code).toBe('usage');
    expect(doc.error.fields.map((f) => f.field)).toContain('--token');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('a throwing service exits 1 without printing the thrown message', async () => {
    const opts: FakeHubOptions = {};
    const r = await run(['connections', 'list'], {
      ...opts,
      deps: {
        createHub: () => Promise.reject(new Error('connect postgres://admin:hunter2@db failed')),
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unexpected failure (Error)');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a hub that cannot start exits 1 with its problems', async () => {
    const r = await run(['connections', 'list'], {
      deps: { createHub: () => Promise.resolve({ ok: false, error: ['SKYBRIDGE_MASTER_KEY: not a valid key'] }) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SKYBRIDGE_MASTER_KEY: not a valid key');
  });
});
