import { describe, expect, it } from 'vitest';
import type { NewConnectionInput } from '../connections/connections-service.ts';
import type { RunningServer } from './cli-io.ts';
import { createFakeHub, runWithFakes } from './fake-hub.ts';
import { runCli } from './run-cli.ts';

const run = (argv: string[], options: Parameters<typeof runWithFakes>[2] = {}) => runWithFakes(runCli, argv, options);

const SECRET = 'ATATT3xFfGF0-very-secret-token-wxyz';
const ACME: NewConnectionInput = {
  kind: 'jira-cloud',
  name: 'acme',
  url: 'https://acme.atlassian.net',
  email: 'mia@acme.example',
  secret: SECRET,
  tokenExpiresAt: new Date('2027-01-01T00:00:00Z'),
};
const WIKI: NewConnectionInput = {
  kind: 'confluence-dc',
  name: 'wiki',
  url: 'https://wiki.example.com',
  secret: 'dc-personal-access-token-1234',
};

describe('connections add', () => {
  it('says what it connected to, as whom, and what is visible', async () => {
    const r = await run(
      [
        'connections',
        'add',
        'jira-cloud',
        '--name',
        'acme',
        '--url',
        'https://acme.atlassian.net',
        '--email',
        'm@a.example',
        '--token-stdin',
      ],
      { stdin: SECRET },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '✓ Connected to Jira Cloud 1001.0.0 as Mia Krystof; 6 projects visible: ABC, DEF, GHI, JKL, MNO, PQR',
    );
    expect(r.stdout).toContain('Saved as "acme"');
  });

  it('passes --gateway and --expires through', async () => {
    const r = await run(
      [
        'connections',
        'add',
        'jira-cloud',
        '--name',
        'gw',
        '--url',
        'https://acme.atlassian.net',
        '--email',
        'm@a.example',
        '--gateway',
        '--expires',
        '2027-03-01T12:00:00+01:00',
        '--token-stdin',
      ],
      { stdin: SECRET },
    );
    expect(r.code).toBe(0);
    expect(r.record.added[0]).toMatchObject({ authMode: 'gateway', tokenExpiresAt: new Date('2027-03-01T11:00:00Z') });
  });
});

describe('connections list', () => {
  it('renders a table with name, kind, status, failures, last checked, expiry and hint', async () => {
    const r = await run(['connections', 'list'], { seed: [ACME, WIKI] });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+STATUS\s+FAILURES\s+LAST CHECKED\s+EXPIRY\s+TOKEN$/);
    expect(lines[1]).toMatch(
      /^acme\s+jira-cloud\s+connected\s+0\s+2026-11-22 12:00Z\s+2027-01-01 \(in 40 days\)\s+••••wxyz$/,
    );
    expect(lines[2]).toMatch(/^wiki\s+confluence-dc\s+connected\s+0\s+2026-11-22 12:00Z\s+-\s+••••1234$/);
    // Columns line up: every row starts its KIND column where the header does.
    const kindAt = lines[0]?.indexOf('KIND');
    for (const line of lines.slice(1)) expect(line.indexOf('c', 4)).toBeGreaterThanOrEqual(kindAt ?? -1);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('says how to add one when there are none', async () => {
    const r = await run(['connections', 'list']);
    expect(r.stdout).toContain('No connections yet');
  });

  it('--json is one parseable document', async () => {
    const r = await run(['connections', 'list', '--json'], { seed: [ACME] });
    const doc = JSON.parse(r.stdout) as { items: Array<{ name: string }> };
    expect(doc.items.map((i) => i.name)).toEqual(['acme']);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('closes the hub it opened', async () => {
    const r = await run(['connections', 'list']);
    expect(r.record.closed).toBe(1);
  });
});

describe('connections show / verify', () => {
  it('show prints details, status history and audit', async () => {
    const r = await run(['connections', 'show', 'acme'], { seed: [ACME] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/token\s+••••wxyz/);
    expect(r.stdout).toContain('Status history');
    expect(r.stdout).toMatch(/connected\s+created/);
    expect(r.stdout).toMatch(/cli:tester\s+connection\.create\s+kind=jira-cloud/);
  });

  it('show of an unknown connection exits 1', async () => {
    const r = await run(['connections', 'show', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no connection named or with id "nope"');
  });

  it('verify prints the sample with permissions', async () => {
    const r = await run(['connections', 'verify', 'acme'], { seed: [ACME] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ acme: Connected to Jira Cloud 1001.0.0 as Mia Krystof');
    expect(r.stdout).toMatch(/KEY\s+NAME\s+PERMISSIONS\n\s+ABC\s+ABC project\s+BROWSE_PROJECTS, CREATE_ISSUES\n/);
  });

  it('a failed check exits 1; in JSON the connection comes with the error', async () => {
    const fake = createFakeHub();
    await fake.hub.connections.add('seed', ACME);
    const view = [...fake.views.values()][0];
    if (view) fake.views.set(view.id, { ...view, status: 'needs_reauthorization' });
    const human = await run(['connections', 'verify', 'acme'], { fake });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('status is now needs_reauthorization');
    const json = await run(['connections', 'verify', 'acme', '--json'], { fake });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { connection: { status: string }; error: { code: string } };
    expect(doc).toMatchObject({
      connection: { status: 'needs_reauthorization' },
      error: { code: 'verification_failed' },
    });
  });
});

describe('connections edit / rotate', () => {
  it('edit sends only what was given, --clear as null, and a secret from stdin', async () => {
    const r = await run(
      ['connections', 'edit', 'acme', '--name', 'acme2', '--clear', 'email', '--expires', 'none', '--token-stdin'],
      { seed: [ACME], stdin: 'ATATT3x-new-token-9876\n' },
    );
    expect(r.code).toBe(0);
    expect(r.record.edits[0]?.edit).toEqual({
      name: 'acme2',
      email: null,
      tokenExpiresAt: null,
      secret: 'ATATT3x-new-token-9876',
    });
    expect(r.stdout).toContain('✓ Updated "acme2"');
  });

  it('edit refuses an unknown --clear field', async () => {
    const r = await run(['connections', 'edit', 'acme', '--clear', 'colour'], { seed: [ACME] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--clear: must be one of');
  });

  it('rotate reads the new token and shows only its hint', async () => {
    const r = await run(['connections', 'rotate', 'acme', '--token-stdin', '--expires', '2027-06-30'], {
      seed: [ACME],
      stdin: 'ATATT3x-rotated-token-5555',
    });
    expect(r.code).toBe(0);
    expect(r.record.rotated).toEqual([
      {
        idOrName: 'acme',
        secret: 'ATATT3x-rotated-token-5555',
        options: { tokenExpiresAt: new Date('2027-06-30T00:00:00Z') },
      },
    ]);
    expect(r.stdout).toContain('now ••••5555');
    expect(r.stdout).not.toContain('rotated-token');
  });
});

describe('connections delete', () => {
  const dependents = {
    acme: [
      { type: 'schedule' as const, id: 's_1', name: 'nightly sync' },
      { type: 'tracked_ticket' as const, id: 'tt_9', name: 'ABC-12' },
    ],
  };

  it('without --cascade and with dependents, lists them and exits 1', async () => {
    const r = await run(['connections', 'delete', 'acme'], { seed: [ACME], dependents });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('- schedule "nightly sync" (s_1)');
    expect(r.stderr).toContain('- tracked ticket "ABC-12" (tt_9)');
    expect(r.stderr).toContain('--cascade');
    expect(r.views.size).toBe(1);
  });

  it('the refusal in JSON carries the dependents', async () => {
    const r = await run(['connections', 'delete', 'acme', '--json'], { seed: [ACME], dependents });
    const doc = JSON.parse(r.stdout) as { error: { code: string; dependents: unknown[] } };
    expect(doc.error.code).toBe('has_dependents');
    expect(doc.error.dependents).toHaveLength(2);
  });

  it('with --cascade deletes and says what went with it', async () => {
    const r = await run(['connections', 'delete', 'acme', '--cascade'], { seed: [ACME], dependents });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ Deleted "acme"');
    expect(r.stdout).toContain('also deleted schedule "nightly sync"');
    expect(r.views.size).toBe(0);
  });
});

describe('keys, tokens, health-check', () => {
  it('keys rotate reports the counts', async () => {
    const r = await run(['keys', 'rotate'], { seed: [ACME, WIKI] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Re-sealed 2 of 2 secrets under key k2');
  });

  it('tokens create prints the token once; list shows only hints; revoke', async () => {
    const fake = createFakeHub();
    const created = await run(['tokens', 'create', '--name', 'ci', '--role', 'admin'], { fake });
    expect(created.code).toBe(0);
    const token = /\n {2}(sbt_\S+)\n/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect(created.stdout.split(token ?? '?')).toHaveLength(2);
    const listed = await run(['tokens', 'list'], { fake });
    expect(listed.stdout).toMatch(/t_1\s+ci\s+admin\s+••••x{3}0/);
    expect(listed.stdout).not.toContain(token);
    const revoked = await run(['tokens', 'revoke', 't_1', '--json'], { fake });
    expect(JSON.parse(revoked.stdout)).toMatchObject({ revoked: { id: 't_1', revokedAt: '2026-11-22T12:00:00.000Z' } });
    const missing = await run(['tokens', 'revoke', 't_404'], { fake });
    expect(missing.code).toBe(1);
  });

  it('health-check summarises', async () => {
    const r = await run(['health-check', '--json'], { seed: [ACME] });
    expect(JSON.parse(r.stdout)).toEqual({ checked: 1, changed: 0, warnings: 0 });
  });

  it('warns loudly on stderr when a key file was created, keeping --json stdout clean', async () => {
    const r = await run(['connections', 'list', '--json'], { keyFileCreated: true });
    expect(r.stderr).toContain('WARNING: created a new master key file: /data/skybridge.key');
    expect(r.stderr).toContain('Back it up');
    expect(JSON.parse(r.stdout)).toEqual({ items: [] });
  });
});

describe('serve', () => {
  it('prints the owner token once, listens, starts the scheduler and stops cleanly on a signal', async () => {
    const events: string[] = [];
    let stop: (signal: string) => void = () => undefined;
    const server: RunningServer = {
      url: 'http://127.0.0.1:4321',
      close: () => {
        events.push('server closed');
        return Promise.resolve();
      },
    };
    const fake = createFakeHub({ ownerToken: 'sbt_owner-token-abcdefgh' });
    const running = run(['serve', '--host', '127.0.0.1', '--port', '0'], {
      fake,
      deps: {
        startHttpServer: (_hub, listen) => {
          events.push(`listen ${listen.host}:${listen.port}`);
          return Promise.resolve(server);
        },
        waitForShutdown: () =>
          new Promise((resolve) => {
            stop = resolve;
            events.push('waiting');
          }),
      },
    });
    // The fake reports when serve is waiting for a signal; only then is the signal sent.
    await expect.poll(() => events.includes('waiting')).toBe(true);
    stop('SIGINT');
    const r = await running;
    expect(r.code).toBe(0);
    expect(events).toEqual(['listen 127.0.0.1:0', 'waiting', 'server closed']);
    expect(r.record.schedulerStarted).toBe(1);
    expect(r.record.actors).toEqual(['system']);
    expect(r.record.closed).toBe(1);
    expect(r.stdout.split('sbt_owner-token-abcdefgh')).toHaveLength(2);
    expect(r.stdout).toContain('Skybridge is listening on http://127.0.0.1:4321');
    expect(r.stdout).toContain('Received SIGINT');
  });

  it('does not print an owner token when one exists', async () => {
    const r = await run(['serve'], {
      deps: { startHttpServer: () => Promise.resolve({ url: 'http://127.0.0.1:1', close: () => Promise.resolve() }) },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('owner API token');
  });

  it('exits 1 when it cannot listen', async () => {
    const r = await run(['serve'], {
      deps: {
        startHttpServer: () => Promise.reject(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })),
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('EADDRINUSE');
    expect(r.record.closed).toBe(1);
  });
});
