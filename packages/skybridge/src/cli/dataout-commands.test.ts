import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceView } from '../dataout/create-dataout-service.ts';
import { DEFAULT_TEMPLATES } from '../dataout/instance.ts';
import { err, ok } from '../domain/result.ts';
import { flagForDataoutField } from './dataout-format.ts';
import { findingOutcome } from './findings-push.ts';
import { runWithFakes } from './fake-hub.ts';
import { parseMapFlags } from './instances-add.ts';
import { runCli } from './run-cli.ts';

const run = (argv: string[], options: Parameters<typeof runWithFakes>[2] = {}) => runWithFakes(runCli, argv, options);

const AT = new Date('2026-11-22T12:00:00Z');
const VIEW: InstanceView = {
  id: 'i_1',
  name: 'vulns',
  connectionId: 'c_1',
  connectionName: 'jira',
  status: 'active',
  project: { id: 'SEC', key: 'SEC' },
  issueType: { id: '10002', name: 'Bug' },
  config: {
    mapping: { customfield_10050: { kind: 'fixed', value: 'Major' } },
    templates: { ...DEFAULT_TEMPLATES },
    doneStatus: 'Done',
    reopenStatus: 'To Do',
    reopenPolicy: 'reopen',
    onChange: 'update',
    fieldsMeta: [],
  },
  health: 'ok',
  createdBy: 'cli:tester',
  createdAt: AT,
  updatedAt: AT,
  tickets: {},
};
const WEBHOOK_SECRET = 'whsec-shown-exactly-once-0123456789abcdef';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skybridge-dataout-args-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('instances add', () => {
  it('names every missing or malformed flag at once and opens no hub', async () => {
    const r = await run(['instances', 'add', '--map', 'novalue', '--on-change', 'rewrite']);
    expect(r.code).toBe(2);
    for (const flag of ['--connection', '--name', '--project', '--issue-type'])
      expect(r.stderr).toContain(`error: ${flag}: required`);
    expect(r.stderr).toContain('error: --map: expected field=value');
    expect(r.stderr).toContain('error: --on-change: must be one of update, comment');
    expect(r.hubsCreated).toBe(0);
  });

  it('passes repeated --map pairs and templates to the service, and prints the webhook secret once', async () => {
    const inputs: unknown[] = [];
    const descriptionFile = join(dir, 'description.liquid');
    await writeFile(descriptionFile, 'Found on {{ finding.resource }}');
    const argv = [
      'instances',
      'add',
      '--connection',
      'jira',
      '--name',
      'vulns',
      '--project',
      'SEC',
      '--issue-type',
      'Bug',
      '--map',
      'customfield_10050=Major',
      '--map',
      'customfield_10060=finding.properties.team',
      '--description-file',
      descriptionFile,
      '--reopen',
      'new',
    ];
    const dataout = {
      addInstance: (_actor: string, input: unknown) => {
        inputs.push(input);
        return Promise.resolve(ok({ instance: VIEW, webhookSecret: WEBHOOK_SECRET }));
      },
    };
    const human = await run(argv, { dataout });
    expect(human.code).toBe(0);
    expect(inputs[0]).toEqual({
      connection: 'jira',
      name: 'vulns',
      project: 'SEC',
      issueType: 'Bug',
      mapping: { customfield_10050: 'Major', customfield_10060: 'finding.properties.team' },
      templates: { description: 'Found on {{ finding.resource }}' },
      reopenPolicy: 'new',
    });
    expect(human.stdout).toContain('store it now');
    expect(human.stdout.split(WEBHOOK_SECRET)).toHaveLength(2);

    const json = await run([...argv, '--json'], { dataout });
    expect(JSON.parse(json.stdout)).toMatchObject({ instance: { id: 'i_1' }, webhookSecret: WEBHOOK_SECRET });
  });

  it("names the flags behind the service's field errors", async () => {
    const argv = [
      'instances',
      'add',
      '--connection',
      'jira',
      '--name',
      'v',
      '--project',
      'SEC',
      '--issue-type',
      'Nope',
    ];
    const dataout = {
      addInstance: () =>
        Promise.resolve(
          err({
            code: 'invalid_input' as const,
            message: 'mapping.customfield_10050: is required; issueType: is not an issue type',
            fields: [
              { field: 'mapping.customfield_10050', message: 'is required' },
              { field: 'issueType', message: 'is not an issue type' },
            ],
          }),
        ),
    };
    const human = await run(argv, { dataout });
    expect(human.code).toBe(2);
    expect(human.stderr).toBe(
      'error: --map customfield_10050: is required\nerror: --issue-type: is not an issue type\n',
    );
    const json = await run([...argv, '--json'], { dataout });
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: 'invalid_input',
        message: '--map customfield_10050: is required; --issue-type: is not an issue type',
        fields: [
          { field: '--map customfield_10050', message: 'is required' },
          { field: '--issue-type', message: 'is not an issue type' },
        ],
      },
    });
  });

  it('parses --map pairs at the first = and refuses a field mapped twice', () => {
    expect(parseMapFlags(['a=b=c', ' f =x'])).toEqual({ mapping: { a: 'b=c', f: 'x' }, problems: [] });
    expect(parseMapFlags(['a=1', 'a=2']).problems).toEqual(['--map: a is mapped twice']);
    expect(flagForDataoutField('templates.description', { 'templates.description': '--description-file' })).toBe(
      '--description-file',
    );
    expect(flagForDataoutField('reopenPolicy')).toBe('--reopen');
  });
});

describe('findings push', () => {
  it('needs --instance, and refuses an unreadable file naming its line, before opening a hub', async () => {
    const noInstance = await run(['findings', 'push', 'f.json']);
    expect(noInstance.code).toBe(2);
    expect(noInstance.stderr).toContain('error: --instance: required');

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '[\n{"id": "a", "title": "t", "severity": "low"},\n{"id": \n');
    const r = await run(['findings', 'push', '--instance', 'vulns', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: <file>: line \d: is not valid JSON$/m);
    expect(r.hubsCreated).toBe(0);

    const missing = await run(['findings', 'push', '--instance', 'vulns', join(dir, 'absent.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(ENOENT)');
  });

  it('says created, updated, resolved or failed from the ticket before and after', () => {
    const open = { id: 'f', title: 't', severity: 'low' as const, status: 'open' as const, properties: {} };
    const queued = { index: 0, findingId: 'f', result: 'queued' as const };
    const after = { findingId: 'f', state: 'created' as const, issueKey: 'SEC-1', inStep: true };
    expect(findingOutcome({ finding: open, pushed: queued }, { waited: true, after })).toEqual({
      id: 'f',
      result: 'created',
      issueKey: 'SEC-1',
    });
    expect(
      findingOutcome({ finding: open, pushed: queued }, { waited: true, issueKeyBefore: 'SEC-1', after }),
    ).toMatchObject({ result: 'updated' });
    expect(
      findingOutcome({ finding: { ...open, status: 'resolved' }, pushed: queued }, { waited: true, after }),
    ).toMatchObject({ result: 'resolved', issueKey: 'SEC-1' });
    expect(
      findingOutcome(
        { finding: open, pushed: queued },
        {
          waited: true,
          after: { findingId: 'f', state: 'failed', inStep: false, error: 'bad', errorClass: 'refused' },
        },
      ),
    ).toEqual({ id: 'f', result: 'failed', error: 'refused: bad' });
    expect(findingOutcome({ finding: open, pushed: queued }, { waited: false })).toEqual({ id: 'f', result: 'queued' });
  });
});
