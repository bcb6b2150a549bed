/**
 * Data out through the CLI end to end: `runCli` with the real hub (SQLite in a temporary data directory, jobs run
 * in-process by `findings push`) against an in-process atlassian-sim, as in `cli.e2e.test.ts`. What the simulator
 * holds afterwards is the proof: five findings make five tickets, once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../../atlassian-sim/src/index.ts';
import { createHub } from '../hub.ts';
import { createLogger } from '../observability/logger.ts';
import type { PushedFinding } from './findings-push.ts';
import { runCli } from './run-cli.ts';

const SIM_ORIGIN = 'http://sim.local';

interface SimIssue {
  key: string;
  status: string;
  labels: string[];
  fields: Record<string, unknown>;
}

const finding = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `vuln-${i}`,
  title: `Outdated TLS on host-${i}`,
  severity: i % 2 === 0 ? 'high' : 'medium',
  resource: `host-${i}.acme.example`,
  properties: { team: i % 2 === 0 ? 'platform' : 'web' },
  ...extra,
});
const jsonl = (items: readonly unknown[]) => `${items.map((x) => JSON.stringify(x)).join('\n')}\n`;

describe('skybridge instances and findings against a real hub and atlassian-sim', () => {
  let sim: Simulator;
  let dataDir: string;
  let projectKey: string;
  let site: { name: string; baseUrl: string; email: string; apiToken: string };

  beforeAll(async () => {
    sim = createSimulator({ preset: 'small', baseUrl: SIM_ORIGIN, rateLimits: { enabled: false } });
    dataDir = await mkdtemp(join(tmpdir(), 'skybridge-dataout-cli-'));
    const jira = sim.describe().sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
    if (!jira || !('apiToken' in jira.credentials)) throw new Error('the small preset has no Jira Cloud site');
    site = {
      name: jira.name,
      baseUrl: jira.baseUrl,
      email: jira.credentials.email,
      apiToken: jira.credentials.apiToken,
    };
    const project = sim.state.world.cloudSites[0]?.jira.projects.find((p) => !p.restricted && !p.archived);
    if (!project) throw new Error('the small preset has no open Jira Cloud project');
    projectKey = project.key;
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
          createHub(config, {
            fetch: (input, init) => sim.fetch(input, init),
            logger: createLogger({ level: 'silent', stream: new PassThrough() }),
            sleep: () => Promise.resolve(),
          }),
        username: () => 'e2e',
        // Never asked to stop: every wait runs to the end.
        waitForShutdown: () => new Promise<string>(() => undefined),
      },
    );
    return { code, stdout: out, stderr: errText };
  }

  async function simIssues(): Promise<SimIssue[]> {
    const res = await sim.fetch(`${SIM_ORIGIN}/_sim/issues?site=${site.name}&project=${projectKey}`);
    return ((await res.json()) as { issues: SimIssue[] }).issues;
  }
  const ticketsOf = async () => (await simIssues()).filter((i) => i.labels.includes('skybridge'));

  async function findingsFile(name: string, text: string): Promise<string> {
    const path = join(dataDir, name);
    await writeFile(path, text);
    return path;
  }

  it('adds an instance, pushes findings into tickets once, stops, starts, tests and deletes it', async () => {
    const connected = await cli(
      [
        'connections',
        'add',
        'jira-cloud',
        '--name',
        'jira',
        '--url',
        site.baseUrl,
        '--email',
        site.email,
        '--token-stdin',
      ],
      `${site.apiToken}\n`,
    );
    expect(connected.code).toBe(0);

    const base = ['instances', 'add', '--connection', 'jira', '--name', 'vulns', '--project', projectKey];
    const unmapped = await cli([...base, '--issue-type', 'Bug']);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toMatch(/^error: --map customfield_10050: .*Severity/m);
    const badReopen = await cli([...base, '--issue-type', 'Bug', '--reopen', 'sometimes', '--map', 'nonsense']);
    expect(badReopen.code).toBe(2);
    expect(badReopen.stderr).toContain('error: --reopen: must be one of reopen, new');
    expect(badReopen.stderr).toContain('error: --map: expected field=value');

    const added = await cli([
      ...base,
      '--issue-type',
      'Bug',
      '--map',
      'customfield_10050={% if finding.severity == "high" %}Critical{% else %}Major{% endif %}',
      '--labels',
      '{{ finding.properties.team }}',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`✓ Added instance "vulns": findings become Bug tickets in ${projectKey}`);
    expect(added.stdout).toContain('store it now');
    const secret = /store it now[^\n]*\n\n {2}(\S+)\n/.exec(added.stdout)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const shown = await cli(['instances', 'show', 'vulns']);
    expect(shown.stdout).toMatch(/status\s+active/);
    expect(shown.stdout).toContain('customfield_10050 = {% if');
    expect(shown.stdout).not.toContain(secret);

    const five = Array.from({ length: 5 }, (_, i) => finding(i));
    const file = await findingsFile('five.jsonl', jsonl(five));
    const first = await cli(['findings', 'push', '--instance', 'vulns', file]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.match(/^ {2}vuln-\d {2}created [A-Z]+-\d+$/gm)).toHaveLength(5);
    expect(first.stdout).toContain('5 findings for "vulns": 5 created');
    expect(await ticketsOf()).toHaveLength(5);

    const again = await cli(['findings', 'push', '--instance', 'vulns', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('5 findings for "vulns": 5 unchanged');
    expect(await ticketsOf()).toHaveLength(5);

    // Line 3 is invalid; the others go through, and a changed title updates its ticket.
    const mixed = await findingsFile(
      'mixed.jsonl',
      jsonl([
        finding(0, { title: 'Outdated TLS on host-0 (still)' }),
        finding(1),
        { id: 'bad', title: 'x', severity: 'urgent' },
        finding(2),
      ]),
    );
    const partly = await cli(['findings', 'push', '--instance', 'vulns', mixed]);
    expect(partly.code).toBe(2);
    expect(partly.stdout).toMatch(
      /^ {2}line 3 {2}rejected: severity: must be one of critical, high, medium, low, info$/m,
    );
    expect(partly.stdout).toMatch(/^ {2}vuln-0 {2}updated [A-Z]+-\d+$/m);
    expect(partly.stdout).toContain('4 findings for "vulns": 1 updated, 2 unchanged, 1 rejected');
    const tickets = await ticketsOf();
    expect(tickets).toHaveLength(5);
    expect(tickets.map((t) => t.fields['summary'])).toContain('[HIGH] Outdated TLS on host-0 (still)');

    // --json from standard input: one outcome per finding, with the ticket key.
    const resolved = await cli(
      ['findings', 'push', '--instance', 'vulns', '--json', '-'],
      jsonl([finding(4, { status: 'resolved' }), { id: 'nope' }]),
    );
    expect(resolved.code).toBe(2);
    const outcomes = JSON.parse(resolved.stdout) as PushedFinding[];
    expect(outcomes).toEqual([
      { id: 'vuln-4', result: 'resolved', issueKey: expect.stringMatching(/^[A-Z]+-\d+$/) as unknown },
      { id: null, result: 'rejected', error: expect.stringContaining('line 2: title: is required') as unknown },
    ]);
    const closed = (await ticketsOf()).find((t) => t.key === outcomes[0]?.issueKey);
    expect(closed?.status).toBe('Done');

    const jobs = await cli(['instances', 'jobs', 'vulns', '--json']);
    const jobItems = (JSON.parse(jobs.stdout) as { items: Array<{ status: string; queue: string }> }).items;
    expect(jobItems.length).toBeGreaterThan(0);
    expect(jobItems.every((j) => j.status === 'succeeded')).toBe(true);
    const listedTickets = await cli(['instances', 'tickets', 'vulns']);
    expect(listedTickets.stdout.match(/^vuln-\d\s+default\s+\w+\s+created\s+[A-Z]+-\d+/gm)).toHaveLength(5);

    expect((await cli(['instances', 'stop', 'vulns'])).code).toBe(0);
    const refused = await cli(['findings', 'push', '--instance', 'vulns', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: The instance 'vulns' is stopped and takes no findings");
    expect((await cli(['instances', 'list'])).stdout).toMatch(
      /^vulns\s+jira\s+[A-Z]+\s+Bug\s+stopped\s+ok\s+created 5$/m,
    );
    expect((await cli(['instances', 'start', 'vulns'])).code).toBe(0);

    const before = (await simIssues()).length;
    const live = await cli(['instances', 'test', 'vulns', '--live']);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/✓ Live test: created [A-Z]+-\d+ and deleted it again/);
    expect((await simIssues()).length).toBe(before);

    const deleted = await cli(['instances', 'delete', 'vulns']);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await cli(['instances', 'list', '--json'])).stdout)).toEqual({ items: [] });
    expect(await ticketsOf()).toHaveLength(5);
  });
});
