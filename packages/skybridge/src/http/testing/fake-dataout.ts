import { createHmac } from 'node:crypto';
import type { ConnectionView } from '../../connections/connections-service.ts';
import type { DataoutService, FindingOutcome, InstanceView, TestResult } from '../../dataout/create-dataout-service.ts';
import type { DataoutError } from '../../dataout/dataout-error.ts';
import { invalid } from '../../dataout/dataout-error.ts';
import { DATAOUT_CREATE_QUEUE, DATAOUT_TICKET_QUEUE } from '../../dataout/dataout-jobs.ts';
import { describeFindingProblem, parseFindings } from '../../dataout/finding.ts';
import type { Ticket } from '../../dataout/instance.ts';
import { DEFAULT_TEMPLATES } from '../../dataout/instance.ts';
import { instanceInputSchema, toFieldMapping } from '../../dataout/instance-input.ts';
import type { Clock } from '../../domain/clock.ts';
import { err, ok } from '../../domain/result.ts';
import type { Job } from '../../jobs/job-queue.ts';

/**
 * An in-memory `DataoutService` for route tests. Instances, tickets and jobs live in maps a test can fill; every call
 * is recorded, and the next call of a method can be made to fail. Webhook deliveries are checked with the real
 * algorithm (HMAC-SHA256 of `<timestamp>.<body>`, five minutes of tolerance on the injected clock), so a route test
 * can sign one. `leaky: true` makes it return values carrying the webhook secret in an extra property, as a buggy
 * service might: the allow-list serializers must keep it out of every response but the create one. (A test's
 * rendered `fields` are the Jira fields as the mapping makes them, open by nature, so they are not made leaky.)
 */

export const DATAOUT_LEAK = 'leaked-webhook-secret-Zr71';

export interface Call {
  method: string;
  args: unknown[];
}

export interface FakeDataout extends DataoutService {
  calls: Call[];
  failNext(method: keyof DataoutService, error: DataoutError): void;
  /** Instances by id. */
  instancesById: Map<string, InstanceView>;
  /** Webhook secrets by instance id. */
  secrets: Map<string, string>;
  /** Tickets by instance id. */
  ticketsOf: Map<string, Ticket[]>;
  /** Ticket jobs by id (their tag names the instance). */
  jobsById: Map<string, Job>;
}

const at = (iso: string) => new Date(iso);

export function sampleTicket(instanceId: string, n: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    instanceId,
    source: 'default',
    findingId: `f${n}`,
    generation: 1,
    dedupKey: `skybridge-k${n}`,
    findingHash: 'h1',
    findingStatus: 'open',
    state: 'created',
    issueId: `100${n}`,
    issueKey: `OPS-${n}`,
    appliedHash: 'h1',
    appliedStatus: 'open',
    createAttempts: 1,
    previousIssueKeys: [],
    createdAt: at('2026-03-01T10:00:00Z'),
    updatedAt: at('2026-03-01T10:00:00Z'),
    ...overrides,
  };
}

/** `secret` signs `body` at `timestamp` (Unix seconds) the way a producer does. */
export function signDelivery(secret: string, timestamp: number, body: string): Record<string, string> {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return { 'x-skybridge-signature': `sha256=${hex}`, 'x-skybridge-timestamp': String(timestamp) };
}

export function createFakeDataout(
  connections: { views: Map<string, ConnectionView> },
  clock: Clock,
  options: { leaky?: boolean } = {},
): FakeDataout {
  const calls: Call[] = [];
  const failures = new Map<string, DataoutError>();
  const instancesById = new Map<string, InstanceView>();
  const secrets = new Map<string, string>();
  const ticketsOf = new Map<string, Ticket[]>();
  const jobsById = new Map<string, Job>();
  let nextInstance = 1;
  let nextJob = 1;

  const record = (method: keyof DataoutService, args: unknown[]): DataoutError | undefined => {
    calls.push({ method, args });
    const failure = failures.get(method);
    failures.delete(method);
    return failure;
  };
  const leak = <T extends object>(value: T, instanceId: string): T =>
    options.leaky ? { ...value, webhookSecret: secrets.get(instanceId) ?? DATAOUT_LEAK, secret: DATAOUT_LEAK } : value;
  const find = (idOrName: string) =>
    instancesById.get(idOrName) ?? [...instancesById.values()].find((i) => i.name === idOrName);
  const notFound = (idOrName: string): DataoutError => ({
    code: 'not_found',
    message: `No such instance: ${idOrName}.`,
  });
  const newJob = (instanceId: string, queue: string, payload: unknown): Job => {
    const now = clock.now();
    const job: Job = {
      id: `job${nextJob++}`,
      queue,
      payload,
      status: 'queued',
      attempts: 0,
      maxAttempts: 10,
      runAt: now,
      tag: `instance:${instanceId}`,
      createdAt: now,
      updatedAt: now,
    };
    jobsById.set(job.id, job);
    return job;
  };
  const offset = (cursor: string | undefined) => (cursor === undefined ? 0 : Number(cursor));
  const badCursor = () => invalid([{ field: 'cursor', message: 'is not a cursor this list returned' }]);

  const fake: FakeDataout = {
    calls,
    instancesById,
    secrets,
    ticketsOf,
    jobsById,
    failNext: (method, error) => void failures.set(method, error),

    addInstance(actor, input) {
      const failure = record('addInstance', [actor, input]);
      if (failure) return Promise.resolve(err(failure));
      const parsed = instanceInputSchema.safeParse(input);
      if (!parsed.success)
        return Promise.resolve(
          err(invalid(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })))),
        );
      const { connection: connectionName, name, project, issueType } = parsed.data;
      const connection =
        connections.views.get(connectionName) ?? [...connections.views.values()].find((v) => v.name === connectionName);
      if (!connection)
        return Promise.resolve(
          err({ code: 'not_found', message: `connection: no such connection: ${connectionName}.` }),
        );
      if (find(name))
        return Promise.resolve(
          err({ code: 'conflict', message: `name: taken`, fields: [{ field: 'name', message: 'is taken' }] }),
        );
      const now = clock.now();
      const id = `i${nextInstance++}`;
      const view: InstanceView = {
        id,
        name,
        connectionId: connection.id,
        connectionName: connection.name,
        status: 'active',
        project: { id: project, key: project },
        issueType: { id: '10001', name: issueType },
        config: {
          mapping: toFieldMapping(parsed.data.mapping),
          templates: { ...DEFAULT_TEMPLATES },
          doneStatus: 'Done',
          reopenStatus: 'To Do',
          reopenPolicy: 'reopen',
          onChange: 'update',
          fieldsMeta: [],
        },
        health: 'ok',
        createdBy: actor,
        createdAt: now,
        updatedAt: now,
        tickets: {},
      };
      const secret = `whsec-${id}-${'s'.repeat(24)}`;
      instancesById.set(id, view);
      secrets.set(id, secret);
      return Promise.resolve(ok({ instance: leak(view, id), webhookSecret: secret }));
    },

    listInstances(page) {
      const failure = record('listInstances', [page]);
      if (failure) return Promise.resolve(err(failure));
      const start = offset(page?.cursor);
      if (!Number.isInteger(start) || start < 0) return Promise.resolve(err(badCursor()));
      const all = [...instancesById.values()];
      const limit = page?.limit ?? 50;
      const items = all.slice(start, start + limit).map((v) => leak(v, v.id));
      return Promise.resolve(ok(start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items }));
    },

    getInstance(idOrName) {
      const failure = record('getInstance', [idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      return Promise.resolve(view ? ok(leak(view, view.id)) : err(notFound(idOrName)));
    },

    setStatus(actor, idOrName, status) {
      const failure = record('setStatus', [actor, idOrName, status]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const updated: InstanceView = { ...view, status, updatedAt: clock.now() };
      instancesById.set(view.id, updated);
      return Promise.resolve(ok(leak(updated, view.id)));
    },

    deleteInstance(actor, idOrName) {
      const failure = record('deleteInstance', [actor, idOrName]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      instancesById.delete(view.id);
      secrets.delete(view.id);
      ticketsOf.delete(view.id);
      return Promise.resolve(ok(undefined));
    },

    testInstance(actor, idOrName, testOptions) {
      const failure = record('testInstance', [actor, idOrName, testOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const fields: Record<string, unknown> = {
        project: { key: view.project.key },
        issuetype: { id: view.issueType.id },
        summary: '[Skybridge test] [LOW] Skybridge test ticket: safe to ignore',
        labels: ['skybridge-test'],
      };
      const result: TestResult = testOptions.live ? { fields, issueKey: 'OPS-999', cleanup: 'deleted' } : { fields };
      return Promise.resolve(ok(result));
    },

    push(actor, idOrName, input, pushOptions) {
      const failure = record('push', [actor, idOrName, input, pushOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      if (view.status === 'stopped')
        return Promise.resolve(
          err({ code: 'instance_stopped', message: `The instance '${view.name}' is stopped and takes no findings.` }),
        );
      const parsed = parseFindings(input);
      if (!parsed.ok)
        return Promise.resolve(
          err(invalid(parsed.error.map((p) => ({ field: p.field || 'findings', message: p.message })))),
        );
      const outcomes: FindingOutcome[] = parsed.value.map((item) =>
        item.result.ok
          ? {
              index: item.index,
              findingId: item.result.value.id,
              result: 'queued',
              dedupKey: `skybridge-d${item.index}`,
            }
          : { index: item.index, result: 'rejected', problems: item.result.error.map(describeFindingProblem) },
      );
      const accepted = outcomes.filter((o) => o.result === 'queued').length;
      const jobIds = accepted > 0 ? [newJob(view.id, DATAOUT_CREATE_QUEUE, { instanceId: view.id }).id] : [];
      return Promise.resolve(ok({ outcomes, accepted, rejected: outcomes.length - accepted, jobIds }));
    },

    outcomes(idOrName, findingIds, outcomeOptions) {
      const failure = record('outcomes', [idOrName, findingIds, outcomeOptions]);
      if (failure) return Promise.resolve(err(failure));
      return Promise.resolve(ok([]));
    },

    tickets(idOrName, page) {
      const failure = record('tickets', [idOrName, page]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const start = offset(page?.cursor);
      if (!Number.isInteger(start) || start < 0) return Promise.resolve(err(badCursor()));
      const all = ticketsOf.get(view.id) ?? [];
      const limit = page?.limit ?? 50;
      const items = all.slice(start, start + limit).map((t) => leak(t, view.id));
      return Promise.resolve(ok(start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items }));
    },

    jobs(idOrName, jobOptions = {}) {
      const failure = record('jobs', [idOrName, jobOptions]);
      if (failure) return Promise.resolve(err(failure));
      const view = find(idOrName);
      if (!view) return Promise.resolve(err(notFound(idOrName)));
      const mine = [...jobsById.values()].filter((j) => j.tag === `instance:${view.id}`).reverse();
      return Promise.resolve(ok(mine.slice(0, jobOptions.limit ?? 50).map((j) => leak(j, view.id))));
    },

    replay(actor, jobId) {
      const failure = record('replay', [actor, jobId]);
      if (failure) return Promise.resolve(err(failure));
      const job = jobsById.get(jobId);
      if (job === undefined || ![DATAOUT_CREATE_QUEUE, DATAOUT_TICKET_QUEUE].includes(job.queue) || !job.tag)
        return Promise.resolve(err({ code: 'not_found', message: `No such ticket job: ${jobId}.` }));
      const instanceId = job.tag.slice('instance:'.length);
      return Promise.resolve(ok(leak(newJob(instanceId, job.queue, job.payload), instanceId)));
    },

    verifyWebhook(idOrName, delivery) {
      const failure = record('verifyWebhook', [idOrName, { ...delivery, body: `${delivery.body.length} chars` }]);
      if (failure) return Promise.resolve(err(failure));
      const refused: DataoutError = { code: 'unauthenticated', message: 'The delivery is not signed.' };
      const view = find(idOrName);
      const secret = view === undefined ? undefined : secrets.get(view.id);
      const timestamp = Number(delivery.timestamp);
      if (view === undefined || secret === undefined || !Number.isInteger(timestamp))
        return Promise.resolve(err(refused));
      if (Math.abs(clock.now().getTime() - timestamp * 1000) > 5 * 60_000) return Promise.resolve(err(refused));
      const expected = signDelivery(secret, timestamp, delivery.body)['x-skybridge-signature'];
      return Promise.resolve(delivery.signature === expected ? ok(view) : err(refused));
    },
  };
  return fake;
}
