import { describe, expect, it } from 'vitest';
import type { DataoutError } from '../../dataout/dataout-error.ts';
import { createHttpApp } from '../create-http-app.ts';
import { WEBHOOK_UNAUTHENTICATED_MESSAGE } from '../error-mapper.ts';
import { API_PREFIX } from '../route.ts';
import { expectError } from '../testing/expect-error.ts';
import { DATAOUT_LEAK, sampleTicket, signDelivery } from '../testing/fake-dataout.ts';
import { as, createFakeHub, NOW } from '../testing/fake-hub.ts';

const url = (path: string) => API_PREFIX + path;
const NOW_S = NOW.getTime() / 1000;

const NEW_INSTANCE = {
  connection: 'jira',
  name: 'bugs',
  project: 'OPS',
  issueType: 'Bug',
  mapping: { customfield_10050: 'Major' },
};

const finding = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `vuln-${n}`,
  title: `Outdated TLS on host-${n}`,
  severity: 'high',
  ...overrides,
});

/** A hub whose connections fake holds the Jira connection `jira` (id c1), and whose data-out fake holds `bugs`. */
async function seeded(options: { leaky?: boolean; maxBulkBodyBytes?: number } = {}) {
  const hub = createFakeHub(options);
  hub.connections.views.set('c1', {
    id: 'c1',
    name: 'jira',
    kind: 'jira-cloud',
    url: 'https://acme.atlassian.net',
    secretHint: '••••abcd',
    status: 'connected',
    consecutiveFailures: 0,
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    authMode: 'direct',
    hasTeamsSecret: false,
  });
  const app = createHttpApp(
    hub,
    options.maxBulkBodyBytes === undefined ? {} : { maxBulkBodyBytes: options.maxBulkBodyBytes },
  );
  const added = await hub.dataout.addInstance('token:admin', NEW_INSTANCE);
  if (!added.ok) throw new Error(added.error.message);
  hub.dataout.calls.length = 0;
  return { hub, app, instance: added.value.instance, secret: added.value.webhookSecret };
}

async function json(res: Response, status: number): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  return JSON.parse(text) as Record<string, unknown>;
}

const push = (who: 'owner' | 'admin' | 'viewer', body: unknown, path = '/instances/bugs/findings') =>
  [url(path), as(who, { method: 'POST', body })] as const;

describe('POST /instances', () => {
  it('answers 201 with the instance, its Location, and the webhook secret (this once)', async () => {
    const { hub, app } = await seeded();
    const res = await app.request(
      url('/instances'),
      as('admin', { method: 'POST', body: { ...NEW_INSTANCE, name: 'ops' } }),
    );
    expect(res.headers.get('location')).toBe(url('/instances/i2'));
    const body = await json(res, 201);
    expect(body['webhookSecret']).toBe(hub.dataout.secrets.get('i2'));
    expect(body['instance']).toMatchObject({
      id: 'i2',
      name: 'ops',
      connectionName: 'jira',
      status: 'active',
      project: { key: 'OPS' },
      issueType: { name: 'Bug' },
      mapping: { customfield_10050: { kind: 'fixed', value: 'Major' } },
      createdBy: 'token:admin',
      tickets: {},
    });
    expect(hub.dataout.calls[0]).toMatchObject({ method: 'addInstance', args: ['token:admin', { name: 'ops' }] });
  });

  it('refuses a bad body at the edge naming every field, and a viewer (the service is not called)', async () => {
    const { hub, app } = await seeded();
    const bad = await app.request(
      url('/instances'),
      as('admin', { method: 'POST', body: { connection: 'jira', name: ' x', colour: 'red' } }),
    );
    const error = await expectError(bad, 400, 'invalid_input');
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['colour', 'issueType', 'name', 'project']);
    await expectError(
      await app.request(url('/instances'), as('viewer', { method: 'POST', body: NEW_INSTANCE })),
      403,
      'forbidden',
    );
    expect(hub.dataout.calls).toEqual([]);
  });

  it.each<[DataoutError, number]>([
    [
      {
        code: 'invalid_input',
        message: 'mapping.customfield_10050: is required (Severity)',
        fields: [{ field: 'mapping.customfield_10050', message: 'is required (Severity)' }],
      },
      400,
    ],
    [
      {
        code: 'wrong_kind',
        message: "connection: 'wiki' is a confluence-cloud connection",
        fields: [{ field: 'connection', message: 'is confluence-cloud, not jira-cloud or jira-dc' }],
      },
      400,
    ],
    [{ code: 'conflict', message: 'name: taken', fields: [{ field: 'name', message: 'is taken' }] }, 409],
    [{ code: 'connection_unusable', message: 'The connection is disconnected.' }, 409],
    [{ code: 'not_found', message: 'connection: no such connection: nope.' }, 404],
    [
      {
        code: 'atlassian_error',
        message: 'Reading the create metadata failed.',
        atlassian: { code: 'server_error', message: 'Jira answered 503.' },
      },
      502,
    ],
  ])('maps the service error %# to its status with fields and atlassian kept', async (error, status) => {
    const { hub, app } = await seeded();
    hub.dataout.failNext('addInstance', error);
    const res = await app.request(url('/instances'), as('admin', { method: 'POST', body: NEW_INSTANCE }));
    const body = await expectError(res, status, error.code);
    expect(body.message).toBe(error.message);
    expect(body.fields).toEqual(error.fields);
    expect(body.atlassian).toEqual(error.atlassian);
  });
});

describe('reading instances', () => {
  it('lists a page at a time with the cursor, and refuses a bad cursor naming it', async () => {
    const { hub, app } = await seeded();
    await hub.dataout.addInstance('token:admin', { ...NEW_INSTANCE, name: 'ops' });
    const first = await json(await app.request(url('/instances?limit=1'), as('viewer')), 200);
    expect((first['items'] as Array<{ name: string }>).map((i) => i.name)).toEqual(['bugs']);
    const second = await json(
      await app.request(url(`/instances?limit=1&cursor=${String(first['nextCursor'])}`), as('viewer')),
      200,
    );
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'ops' })] });
    const bad = await expectError(await app.request(url('/instances?cursor=x'), as('viewer')), 400, 'invalid_input');
    expect(bad.fields?.map((f) => f.field)).toEqual(['cursor']);
    await expectError(await app.request(url('/instances?limit=0'), as('viewer')), 400, 'invalid_input');
  });

  it('shows one instance by id or name, createdBy to admins only, and 404 for an unknown one', async () => {
    const { app } = await seeded();
    const viewer = await json(await app.request(url('/instances/bugs'), as('viewer')), 200);
    expect(viewer['instance']).toMatchObject({ id: 'i1', name: 'bugs' });
    expect(viewer['instance']).not.toHaveProperty('createdBy');
    const admin = await json(await app.request(url('/instances/i1'), as('admin')), 200);
    expect(admin['instance']).toMatchObject({ createdBy: 'token:admin' });
    await expectError(await app.request(url('/instances/nope'), as('viewer')), 404, 'not_found');
    await expectError(await app.request(url('/instances/bugs')), 401, 'unauthenticated');
  });
});

describe('stop, start and delete', () => {
  it('stops and starts (admin), and a stopped instance refuses findings with 409 instance_stopped', async () => {
    const { hub, app } = await seeded();
    await expectError(
      await app.request(url('/instances/bugs/stop'), as('viewer', { method: 'POST' })),
      403,
      'forbidden',
    );
    const stopped = await json(await app.request(url('/instances/bugs/stop'), as('admin', { method: 'POST' })), 200);
    expect(stopped['instance']).toMatchObject({ status: 'stopped' });
    const refused = await expectError(await app.request(...push('admin', finding(1))), 409, 'instance_stopped');
    expect(refused.message).toMatch(/stopped/);
    const started = await json(await app.request(url('/instances/bugs/start'), as('admin', { method: 'POST' })), 200);
    expect(started['instance']).toMatchObject({ status: 'active' });
    expect(hub.dataout.calls.filter((c) => c.method === 'setStatus').map((c) => c.args)).toEqual([
      ['token:admin', 'bugs', 'stopped'],
      ['token:admin', 'bugs', 'active'],
    ]);
    await json(await app.request(...push('admin', finding(1))), 202);
  });

  it('deletes by the id it resolved, answers with the instance as it was, then 404', async () => {
    const { hub, app } = await seeded();
    const deleted = await json(await app.request(url('/instances/bugs'), as('admin', { method: 'DELETE' })), 200);
    expect(deleted['deleted']).toMatchObject({ id: 'i1', name: 'bugs' });
    expect(hub.dataout.calls.find((c) => c.method === 'deleteInstance')?.args).toEqual(['token:admin', 'i1']);
    await expectError(await app.request(url('/instances/bugs'), as('admin', { method: 'DELETE' })), 404, 'not_found');
  });
});

describe('POST /instances/{idOrName}/test', () => {
  it('runs a dry test for a viewer, with or without a body, and a finding when given', async () => {
    const { hub, app } = await seeded();
    const dry = await json(await app.request(url('/instances/bugs/test'), as('viewer', { method: 'POST' })), 200);
    expect(dry).toMatchObject({ live: false, fields: { labels: ['skybridge-test'] } });
    expect(dry).not.toHaveProperty('issueKey');
    await json(
      await app.request(url('/instances/bugs/test'), as('viewer', { method: 'POST', body: { finding: finding(1) } })),
      200,
    );
    expect(hub.dataout.calls.map((c) => c.args[2])).toEqual([{ live: false }, { live: false, finding: finding(1) }]);
  });

  it('needs admin for a live test (the service is not called for a viewer) and reports the cleanup', async () => {
    const { hub, app } = await seeded();
    const refused = await expectError(
      await app.request(url('/instances/bugs/test'), as('viewer', { method: 'POST', body: { live: true } })),
      403,
      'forbidden',
    );
    expect(refused.message).toMatch(/admin/);
    expect(hub.dataout.calls).toEqual([]);
    const live = await json(
      await app.request(url('/instances/bugs/test'), as('admin', { method: 'POST', body: { live: true } })),
      200,
    );
    expect(live).toMatchObject({ live: true, issueKey: 'OPS-999', cleanup: 'deleted' });
    await expectError(
      await app.request(url('/instances/bugs/test'), as('admin', { method: 'POST', body: { live: 'yes' } })),
      400,
      'invalid_input',
    );
  });
});

describe('POST /instances/{idOrName}/findings', () => {
  it('takes one finding or a batch: 202 with an outcome per finding and the job ids', async () => {
    const { hub, app } = await seeded();
    const one = await json(await app.request(...push('admin', finding(1))), 202);
    expect(one).toEqual({
      accepted: 1,
      rejected: 0,
      outcomes: [{ index: 0, findingId: 'vuln-1', result: 'queued', dedupKey: 'skybridge-d0' }],
      jobIds: ['job1'],
    });
    const batch = await json(
      await app.request(
        url('/instances/bugs/findings?source=scanner'),
        as('admin', { method: 'POST', body: [finding(1), { id: 'x', title: '', severity: 'urgent', colour: 1 }] }),
      ),
      202,
    );
    expect(batch).toMatchObject({ accepted: 1, rejected: 1 });
    const rejected = (batch['outcomes'] as Array<{ result: string; problems?: string[] }>)[1];
    expect(rejected?.result).toBe('rejected');
    expect(rejected?.problems?.join(' ')).toMatch(/\[1\]\.title.*\[1\]\.severity.*\[1\]\.colour/);
    expect(hub.dataout.calls.at(-1)?.args.slice(0, 2)).toEqual(['token:admin', 'bugs']);
    expect(hub.dataout.calls.at(-1)?.args[3]).toEqual({ source: 'scanner' });
  });

  it('is 400 naming the body when it is not JSON, and naming `findings` when the batch is malformed', async () => {
    const { app } = await seeded();
    const notJson = await expectError(await app.request(...push('admin', '{"id": ')), 400, 'invalid_input');
    expect(notJson.fields).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
    const scalar = await expectError(await app.request(...push('admin', '"hello"')), 400, 'invalid_input');
    expect(scalar.fields?.map((f) => f.field)).toEqual(['findings']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => finding(i));
    const over = await expectError(await app.request(...push('admin', tooMany)), 400, 'invalid_input');
    expect(over.fields?.[0]?.message).toMatch(/at most 1000/);
    const empty = await expectError(
      await app.request(url('/instances/bugs/findings'), as('admin', { method: 'POST' })),
      400,
      'invalid_input',
    );
    expect(empty.fields?.map((f) => f.field)).toEqual(['findings']);
    await expectError(
      await app.request(
        url('/instances/bugs/findings'),
        as('admin', { method: 'POST', body: JSON.stringify(finding(1)), headers: { 'content-type': 'text/plain' } }),
      ),
      415,
      'unsupported_media_type',
    );
    const query = await expectError(
      await app.request(url('/instances/bugs/findings?sauce=x'), as('admin', { method: 'POST', body: finding(1) })),
      400,
      'invalid_input',
    );
    expect(query.fields?.map((f) => f.field)).toEqual(['sauce']);
  });

  it('needs admin, and is 404 for an unknown instance', async () => {
    const { app } = await seeded();
    await expectError(await app.request(...push('viewer', finding(1))), 403, 'forbidden');
    await expectError(await app.request(...push('admin', finding(1), '/instances/nope/findings')), 404, 'not_found');
  });

  it('takes batches above the usual 64 KiB body limit, up to the bulk limit (413 beyond)', async () => {
    const { app } = await seeded({ maxBulkBodyBytes: 200_000 });
    const big = Array.from({ length: 10 }, (_, i) => finding(i, { description: 'd'.repeat(10_000) }));
    expect(JSON.stringify(big).length).toBeGreaterThan(64 * 1024);
    await json(await app.request(...push('admin', big)), 202);
    const bigger = Array.from({ length: 25 }, (_, i) => finding(i, { description: 'd'.repeat(10_000) }));
    await expectError(await app.request(...push('admin', bigger)), 413, 'payload_too_large');
    // Other routes keep the usual limit.
    const name = 'n'.repeat(70 * 1024);
    await expectError(
      await app.request(url('/instances'), as('admin', { method: 'POST', body: { ...NEW_INSTANCE, name } })),
      413,
      'payload_too_large',
    );
  });
});

describe('POST /webhooks/instances/{idOrName}/findings', () => {
  const deliver = (app: Awaited<ReturnType<typeof seeded>>['app'], body: string, headers: Record<string, string>) =>
    app.request(url('/webhooks/instances/bugs/findings'), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('takes a delivery signed with the secret without any token, as the findings endpoint does', async () => {
    const { hub, app, secret } = await seeded();
    const body = JSON.stringify([finding(1), finding(2)]);
    const res = await deliver(app, body, signDelivery(secret, NOW_S, body));
    expect(await json(res, 202)).toMatchObject({ accepted: 2, rejected: 0, jobIds: ['job1'] });
    const pushed = hub.dataout.calls.find((c) => c.method === 'push');
    // The verified instance by id, and an actor that says where the findings came from.
    expect(pushed?.args.slice(0, 2)).toEqual(['webhook:bugs', 'i1']);
    // Any content type: the signature covers the bytes.
    const plain = await app.request(url('/webhooks/instances/bugs/findings?source=ci'), {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain', ...signDelivery(secret, NOW_S, body) },
    });
    await json(plain, 202);
    expect(hub.dataout.calls.at(-1)?.args[3]).toEqual({ source: 'ci' });
  });

  it('is 401 with one fixed message for a bad signature, a stale or missing timestamp, or an unknown instance', async () => {
    const { hub, app, secret } = await seeded();
    const body = JSON.stringify(finding(1));
    const cases: Array<[string, Response | Promise<Response>]> = [
      ['wrong secret', deliver(app, body, signDelivery('not-the-secret', NOW_S, body))],
      ['body changed', deliver(app, `${body} `, signDelivery(secret, NOW_S, body))],
      ['stale', deliver(app, body, signDelivery(secret, NOW_S - 301, body))],
      ['future', deliver(app, body, signDelivery(secret, NOW_S + 301, body))],
      ['no headers', deliver(app, body, {})],
      [
        'unknown instance',
        app.request(url('/webhooks/instances/nope/findings'), {
          method: 'POST',
          body,
          headers: signDelivery(secret, NOW_S, body),
        }),
      ],
      // A bearer token is no substitute for the signature.
      ['token only', app.request(url('/webhooks/instances/bugs/findings'), as('owner', { method: 'POST', body }))],
    ];
    for (const [name, pending] of cases) {
      const res = await pending;
      const text = await res.clone().text();
      const error = await expectError(res, 401, 'unauthenticated');
      expect(error.message, name).toBe(WEBHOOK_UNAUTHENTICATED_MESSAGE);
      expect(text, name).not.toContain(secret);
    }
    expect(hub.dataout.calls.filter((c) => c.method === 'push')).toEqual([]);
  });

  it('verifies before parsing: a signed body that is not JSON is 400, an unsigned one 401', async () => {
    const { app, secret } = await seeded();
    const garbage = '{"id": ';
    await expectError(await deliver(app, garbage, {}), 401, 'unauthenticated');
    const error = await expectError(
      await deliver(app, garbage, signDelivery(secret, NOW_S, garbage)),
      400,
      'invalid_input',
    );
    expect(error.fields).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('verifies the exact text sent, a leading byte-order mark included', async () => {
    const { hub, app, secret } = await seeded();
    const body = `\uFEFF${JSON.stringify(finding(1))}`;
    const res = await deliver(app, body, signDelivery(secret, NOW_S, body));
    // Signed and verified (so not 401); the mark is not JSON, so 400.
    await expectError(res, 400, 'invalid_input');
    const verify = hub.dataout.calls.find((c) => c.method === 'verifyWebhook');
    expect(verify?.args[1]).toMatchObject({ body: `${body.length} chars` });
  });

  it('caps the body size with 413 before verifying anything', async () => {
    const { hub, app, secret } = await seeded({ maxBulkBodyBytes: 1000 });
    const body = JSON.stringify(finding(1, { description: 'd'.repeat(2000) }));
    await expectError(await deliver(app, body, signDelivery(secret, NOW_S, body)), 413, 'payload_too_large');
    expect(hub.dataout.calls).toEqual([]);
  });
});

describe('tickets, jobs and replay', () => {
  it('lists tickets a page at a time, with issue keys and whether each is in step', async () => {
    const { hub, app } = await seeded();
    const failed = sampleTicket('i1', 2, { state: 'failed', lastError: 'refused', lastErrorClass: 'field_refused' });
    delete failed.issueKey;
    delete failed.issueId;
    hub.dataout.ticketsOf.set('i1', [sampleTicket('i1', 1), failed, sampleTicket('i1', 3, { appliedHash: 'h0' })]);
    const page = await json(await app.request(url('/instances/bugs/tickets?limit=2'), as('viewer')), 200);
    expect(page['items']).toEqual([
      expect.objectContaining({ findingId: 'f1', state: 'created', issueKey: 'OPS-1', inStep: true }),
      expect.objectContaining({ findingId: 'f2', state: 'failed', inStep: false, lastError: 'refused' }),
    ]);
    expect(page['items']).not.toContainEqual(expect.objectContaining({ findingHash: expect.anything() }));
    const rest = await json(
      await app.request(url(`/instances/bugs/tickets?cursor=${String(page['nextCursor'])}`), as('viewer')),
      200,
    );
    expect(rest).toEqual({ items: [expect.objectContaining({ findingId: 'f3', inStep: false })] });
  });

  it('lists ticket jobs newest first with their error class, and replays one as a new job (admin)', async () => {
    const { hub, app } = await seeded();
    await app.request(...push('admin', finding(1)));
    const job = hub.dataout.jobsById.get('job1');
    if (!job) throw new Error('no job');
    Object.assign(job, { status: 'failed', attempts: 10, lastError: 'rate_limited: Jira answered 429 ten times' });
    const jobs = await json(await app.request(url('/instances/bugs/jobs?limit=5'), as('viewer')), 200);
    expect(jobs['items']).toEqual([
      {
        id: 'job1',
        kind: 'create',
        status: 'failed',
        attempts: 10,
        maxAttempts: 10,
        runAt: NOW.toISOString(),
        lastError: 'rate_limited: Jira answered 429 ten times',
        errorClass: 'rate_limited',
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      },
    ]);
    await expectError(await app.request(url('/instances/bugs/jobs?limit=201'), as('viewer')), 400, 'invalid_input');
    await expectError(await app.request(url('/jobs/job1/replay'), as('viewer', { method: 'POST' })), 403, 'forbidden');
    const replayed = await json(await app.request(url('/jobs/job1/replay'), as('admin', { method: 'POST' })), 202);
    expect(replayed['job']).toMatchObject({ id: 'job2', kind: 'create', status: 'queued', attempts: 0 });
    await expectError(await app.request(url('/jobs/nope/replay'), as('admin', { method: 'POST' })), 404, 'not_found');
  });
});

describe('the webhook secret', () => {
  it('appears in the create response only, even from a service that leaks it, and never in a log line', async () => {
    const { hub, app, secret } = await seeded({ leaky: true });
    const texts: string[] = [];
    const read = async (res: Response) => {
      const text = await res.text();
      texts.push(text, JSON.stringify([...res.headers.entries()]));
      return text;
    };
    const body = JSON.stringify(finding(1));
    await read(await app.request(url('/instances'), as('viewer')));
    await read(await app.request(url('/instances/bugs'), as('admin')));
    await read(await app.request(url('/instances/bugs/stop'), as('admin', { method: 'POST' })));
    await read(await app.request(url('/instances/bugs/start'), as('admin', { method: 'POST' })));
    await read(await app.request(url('/instances/bugs/test'), as('admin', { method: 'POST', body: { live: true } })));
    await read(await app.request(...push('admin', finding(1))));
    await read(await deliver(app, body, signDelivery(secret, NOW_S, body)));
    await read(await deliver(app, body, signDelivery(secret, NOW_S - 3600, body)));
    hub.dataout.ticketsOf.set('i1', [sampleTicket('i1', 1)]);
    await read(await app.request(url('/instances/bugs/tickets'), as('viewer')));
    await read(await app.request(url('/instances/bugs/jobs'), as('viewer')));
    await read(await app.request(url('/jobs/job1/replay'), as('admin', { method: 'POST' })));
    await read(await app.request(url('/instances/bugs'), as('admin', { method: 'DELETE' })));
    await read(await app.request(`${API_PREFIX}/openapi.json`));
    expect(texts.length).toBeGreaterThan(20);
    for (const text of texts) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(DATAOUT_LEAK);
    }
    const created = await read(
      await app.request(url('/instances'), as('admin', { method: 'POST', body: { ...NEW_INSTANCE, name: 'ops' } })),
    );
    const shown = hub.dataout.secrets.get('i2') ?? 'missing';
    // Once, as `webhookSecret`, and not again inside the instance.
    expect(created.split(shown)).toHaveLength(2);
    expect(created).not.toContain(DATAOUT_LEAK);
    const logs = JSON.stringify(hub.logger.records);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(shown);
  });

  function deliver(app: Awaited<ReturnType<typeof seeded>>['app'], body: string, headers: Record<string, string>) {
    return app.request(url('/webhooks/instances/bugs/findings'), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }
});
