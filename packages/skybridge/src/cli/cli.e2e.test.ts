/**
 * The CLI end to end: `runCli` with the real hub (SQLite in a temporary data directory, the vault with a key file
 * created on first use, the guarded client) against an in-process atlassian-sim. Only the transport is injected,
 * as in the hub harness: `sim.local` is an allowed host and its requests are served in-process, so nothing leaves
 * the machine. Skips with a notice until `createHub` is exported from `../hub.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../../atlassian-sim/src/index.ts';
import type { Config } from '../config.ts';
import type { Result } from '../domain/result.ts';
import type { Hub, HubOptions } from '../hub.ts';
import { createLogger } from '../observability/logger.ts';
import { runCli } from './run-cli.ts';

type RealCreateHub = (config: Config, options?: HubOptions) => Promise<Result<Hub, string[]>>;
const hubModule: Record<string, unknown> = await import('../hub.ts');
const realCreateHub = typeof hubModule.createHub === 'function' ? (hubModule.createHub as RealCreateHub) : undefined;
if (!realCreateHub) console.warn('[skybridge] cli.e2e.test.ts skipped: createHub is not exported from src/hub.ts yet');

const SIM_ORIGIN = 'http://sim.local';

describe.skipIf(!realCreateHub)('skybridge CLI against a real hub and atlassian-sim', () => {
  let sim: Simulator;
  let dataDir: string;
  let site: { baseUrl: string; email: string; apiToken: string };

  beforeAll(async () => {
    sim = createSimulator({ preset: 'small', baseUrl: SIM_ORIGIN, rateLimits: { enabled: false } });
    dataDir = await mkdtemp(join(tmpdir(), 'skybridge-cli-e2e-'));
    const jira = sim.describe().sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
    if (!jira || !('apiToken' in jira.credentials)) throw new Error('the small preset has no Jira Cloud site');
    site = { baseUrl: jira.baseUrl, email: jira.credentials.email, apiToken: jira.credentials.apiToken };
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function cli(argv: string[], stdin?: string) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let errText = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    stderr.on('data', (c: Buffer) => (errText += c.toString('utf8')));
    const code = await runCli(
      {
        argv,
        env: { SKYBRIDGE_DATA_DIR: dataDir, SKYBRIDGE_ALLOWED_HOSTS: 'sim.local', SKYBRIDGE_LOG_LEVEL: 'silent' },
        stdin: Readable.from(stdin === undefined ? [] : [stdin]),
        stdout,
        stderr,
      },
      {
        createHub: (config) =>
          (realCreateHub as RealCreateHub)(config, {
            fetch: (input, init) => sim.fetch(input, init),
            logger: createLogger({ level: 'silent', stream: new PassThrough() }),
            sleep: () => Promise.resolve(),
          }),
        username: () => 'e2e',
      },
    );
    return { code, stdout: out, stderr: errText };
  }

  it('adds, lists, verifies, shows, rotates and deletes a Jira Cloud connection', async () => {
    const added = await cli(
      [
        'connections',
        'add',
        'jira-cloud',
        '--name',
        'acme',
        '--url',
        site.baseUrl,
        '--email',
        site.email,
        '--token-stdin',
      ],
      `${site.apiToken}\n`,
    );
    expect(added.stderr).toContain('WARNING: created a new master key file');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/✓ Connected to Jira Cloud .* as .+; .*projects? visible/);
    expect(added.stdout + added.stderr).not.toContain(site.apiToken);

    const listed = await cli(['connections', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/acme\s+jira-cloud\s+connected/);
    expect(listed.stderr).not.toContain('WARNING');

    const verified = await cli(['connections', 'verify', 'acme', '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ connection: { name: 'acme', status: 'connected' } });

    const shown = await cli(['connections', 'show', 'acme']);
    expect(shown.stdout).toMatch(/cli:e2e\s+connection\.create/);

    const refused = await cli(['connections', 'rotate', 'acme', '--token-stdin'], 'ATATT3x-not-a-real-token-0000');
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).not.toContain('not-a-real-token');

    const deleted = await cli(['connections', 'delete', 'acme']);
    expect(deleted.code).toBe(0);
    expect((await cli(['connections', 'list', '--json'])).stdout).toContain('"items": []');
  });

  it('creates, lists and revokes an API token', async () => {
    const created = await cli(['tokens', 'create', '--name', 'ci', '--role', 'viewer', '--json']);
    expect(created.code).toBe(0);
    const { token, apiToken } = JSON.parse(created.stdout) as { token: string; apiToken: { id: string } };
    const listed = await cli(['tokens', 'list']);
    expect(listed.stdout).toContain('ci');
    expect(listed.stdout).not.toContain(token);
    expect((await cli(['tokens', 'revoke', apiToken.id])).code).toBe(0);
  });
});
