import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConnectionsInternal } from '../connections/create-connections-service.ts';
import type { Page, PageRequest } from '../db/pagination.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../db/new-id.ts';
import type { Clock } from '../domain/clock.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { Job, JobQueue } from '../jobs/job-queue.ts';
import { insertJob } from '../jobs/job-queue.ts';
import type { Logger } from '../observability/logger.ts';
import type { Vault } from '../vault/vault.ts';
import { createJobInput, DATAOUT_CREATE_QUEUE, DATAOUT_QUEUES, instanceTag, ticketJobInput } from './dataout-jobs.ts';
import type { DataoutError } from './dataout-error.ts';
import { invalid } from './dataout-error.ts';
import { validateMapping } from './field-mapping.ts';
import type { Finding, FindingProblem } from './finding.ts';
import { describeFindingProblem, parseFindings } from './finding.ts';
import { findingHash } from './finding-hash.ts';
import type { Instance, InstanceStatus, Ticket, TicketState } from './instance.ts';
import { DEFAULT_TEMPLATES } from './instance.ts';
import type { InstanceInput } from './instance-input.ts';
import { instanceInputSchema, toFieldMapping } from './instance-input.ts';
import { webhookSecretOwner, type InstancesRepo } from './instances-repo.ts';
import { isTicketConnectionKind, openIssuesApi } from './open-issues-api.ts';
import { compileInstanceTemplates, renderIssue } from './render-issue.ts';
import type { TicketsRepo } from './tickets-repo.ts';

/** An instance as the API and CLI show it, with its tickets counted by state. */
export interface InstanceView extends Instance {
  connectionName: string;
  tickets: Partial<Record<TicketState, number>>;
}

/** What happened to one pushed finding. */
export interface FindingOutcome {
  index: number;
  findingId?: string;
  /** `queued`: a ticket operation is on its way; `unchanged`: nothing to do; `rejected`: the finding is invalid. */
  result: 'queued' | 'unchanged' | 'skipped' | 'rejected';
  problems?: string[];
  dedupKey?: string;
}

export interface PushResult {
  outcomes: FindingOutcome[];
  accepted: number;
  rejected: number;
  /** The jobs that carry the accepted findings' ticket operations (wait for them to learn the results). */
  jobIds: string[];
}

/** A finding's ticket after its operations ran. */
export interface TicketOutcome {
  findingId: string;
  state: TicketState;
  issueKey?: string;
  inStep: boolean;
  error?: string;
  errorClass?: string;
}

export interface TestResult {
  /** The fields a ticket for the sample finding would be created with. */
  fields: Record<string, unknown>;
  /** Live test only: the ticket made, and what was done with it afterwards. */
  issueKey?: string;
  cleanup?: 'deleted' | 'closed' | 'left_open';
}

export interface DataoutService {
  /** Verifies project, issue type and mapping against what the connection can see (createmeta), then saves. */
  addInstance(
    actor: string,
    input: unknown,
  ): Promise<Result<{ instance: InstanceView; webhookSecret: string }, DataoutError>>;
  listInstances(page?: PageRequest): Promise<Result<Page<InstanceView>, DataoutError>>;
  getInstance(idOrName: string): Promise<Result<InstanceView, DataoutError>>;
  /** `stopped` refuses new findings and pauses ticket operations; `active` queues whatever is out of step. */
  setStatus(actor: string, idOrName: string, status: InstanceStatus): Promise<Result<InstanceView, DataoutError>>;
  /** Deletes the instance and the hub's record of its tickets; nothing in Jira is touched. */
  deleteInstance(actor: string, idOrName: string): Promise<Result<void, DataoutError>>;
  /** Dry run (render and validate, no write) or live (create a test ticket, then delete or close it). */
  testInstance(
    actor: string,
    idOrName: string,
    options: { live: boolean; finding?: unknown },
  ): Promise<Result<TestResult, DataoutError>>;
  /** Takes one finding or a batch: valid ones are recorded and queued, invalid ones are reported by field. */
  push(
    actor: string,
    idOrName: string,
    input: unknown,
    options?: { source?: string },
  ): Promise<Result<PushResult, DataoutError>>;
  /** The tickets of some findings of an instance (for a producer waiting on its push). */
  outcomes(
    idOrName: string,
    findingIds: readonly string[],
    options?: { source?: string },
  ): Promise<Result<TicketOutcome[], DataoutError>>;
  tickets(idOrName: string, page?: PageRequest): Promise<Result<Page<Ticket>, DataoutError>>;
  /** The instance's ticket jobs, newest first. */
  jobs(idOrName: string, options?: { limit?: number }): Promise<Result<Job[], DataoutError>>;
  /** Runs a ticket job again (after fixing what made it fail); refused creates go back in line with it. */
  replay(actor: string, jobId: string): Promise<Result<Job, DataoutError>>;
  /**
   * Checks a webhook delivery: `signature` is `sha256=<hex HMAC of "<timestamp>.<body>">` under the instance's
   * secret, and `timestamp` (Unix seconds) within five minutes of now, so a captured delivery cannot be replayed.
   */
  verifyWebhook(
    idOrName: string,
    delivery: { signature: string | undefined; timestamp: string | undefined; body: string },
  ): Promise<Result<Instance, DataoutError>>;
}

/** The source name when a producer gives none. */
export const DEFAULT_SOURCE = 'default';
/** How far a webhook timestamp may be from now. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;
/** The status test tickets are created with, so nobody mistakes them for findings. */
export const TEST_LABEL = 'skybridge-test';

const SAMPLE_FINDING: Finding = {
  id: 'skybridge-test-finding',
  title: 'Skybridge test ticket: safe to ignore',
  severity: 'low',
  status: 'open',
  description: 'Created by a live test of this instance. It is removed or closed right away.',
  resource: 'skybridge',
  properties: {},
};

export interface DataoutDeps {
  db: Kysely<Database>;
  instances: InstancesRepo;
  tickets: TicketsRepo;
  connections: ConnectionsInternal;
  queue: JobQueue;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  /** Called after work was queued, so an idle worker looks now. Default: nothing. */
  wake?: () => void;
}

export function createDataoutService(deps: DataoutDeps): DataoutService {
  const { instances, tickets, clock, logger } = deps;
  const notFound = (idOrName: string): DataoutError => ({
    code: 'not_found',
    message: `No such instance: ${idOrName}.`,
  });

  async function view(instance: Instance): Promise<InstanceView> {
    const connection = await deps.connections.get(instance.connectionId);
    return {
      ...instance,
      connectionName: connection.ok ? connection.value.connection.name : instance.connectionId,
      tickets: await tickets.countByState(instance.id),
    };
  }

  async function find(idOrName: string): Promise<Result<Instance, DataoutError>> {
    const instance = await instances.get(idOrName);
    return instance === undefined ? err(notFound(idOrName)) : ok(instance);
  }

  /** Queues whatever of an instance is out of step: its creates, and updates of tickets behind their finding. */
  async function queueOutOfStep(instance: Instance): Promise<void> {
    const pending = await tickets.outOfStep(instance.id);
    if (pending.creates > 0) await deps.queue.enqueue(createJobInput(instance.id));
    for (const key of pending.updates) await deps.queue.enqueue(ticketJobInput(instance.id, key));
    deps.wake?.();
  }

  return {
    async addInstance(actor, raw) {
      const parsed = instanceInputSchema.safeParse(raw);
      if (!parsed.success)
        return err(
          invalid(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }))),
        );
      const input: InstanceInput = parsed.data;
      if ((await instances.get(input.name)) !== undefined)
        return err({
          code: 'conflict',
          message: `name: an instance named '${input.name}' exists`,
          fields: [{ field: 'name', message: 'is taken' }],
        });
      const opened = await deps.connections.open(input.connection);
      if (!opened.ok)
        return err(
          opened.error.code === 'not_found'
            ? { code: 'not_found', message: `connection: no such connection: ${input.connection}.` }
            : { code: 'connection_unusable', message: opened.error.message },
        );
      const connection = opened.value.connection;
      if (!isTicketConnectionKind(connection.kind))
        return err({
          code: 'wrong_kind',
          message: `connection: '${connection.name}' is a ${connection.kind} connection; tickets need a jira-cloud or jira-dc connection.`,
          fields: [{ field: 'connection', message: `is ${connection.kind}, not jira-cloud or jira-dc` }],
        });
      const api = openIssuesApi(opened.value);
      if (!api.ok) return err({ code: 'connection_unusable', message: api.error.actionableMessage() });

      // What the connection can really see: the project's issue types, then the chosen type's fields.
      const types = await api.value.createMetaIssueTypes(input.project);
      await deps.connections.recordUse(connection.id, types.ok ? { ok: true } : { ok: false, error: types.error });
      if (!types.ok) {
        if (['not_found', 'bad_request', 'forbidden'].includes(types.error.code))
          return err(
            invalid([
              {
                field: 'project',
                message: `'${input.project}' is not a project this connection can create issues in`,
              },
            ]),
          );
        return err({
          code: 'atlassian_error',
          message: `Reading the project's create metadata failed: ${types.error.actionableMessage()}`,
          atlassian: { code: types.error.code, message: types.error.actionableMessage() },
        });
      }
      const wantedType = input.issueType.toLowerCase();
      const issueType = types.value.find((t) => t.id === input.issueType || t.name.toLowerCase() === wantedType);
      if (issueType === undefined)
        return err(
          invalid([
            {
              field: 'issueType',
              message: `'${input.issueType}' is not an issue type of ${input.project}; choose one of ${types.value.map((t) => t.name).join(', ')}`,
            },
          ]),
        );
      const fields = await api.value.createMetaFields(input.project, issueType.id);
      if (!fields.ok)
        return err({
          code: 'atlassian_error',
          message: `Reading the fields of ${input.project} ${issueType.name} failed: ${fields.error.actionableMessage()}`,
          atlassian: { code: fields.error.code, message: fields.error.actionableMessage() },
        });

      const mapping = toFieldMapping(input.mapping);
      const deployment = connection.kind === 'jira-dc' ? 'dc' : 'cloud';
      const problems: Array<{ field: string; message: string }> = validateMapping(fields.value, mapping, {
        deployment,
      }).map((p) => ({ field: `mapping.${p.fieldId}`, message: p.message }));
      const templates = {
        summary: input.templates?.summary ?? DEFAULT_TEMPLATES.summary,
        description: input.templates?.description ?? DEFAULT_TEMPLATES.description,
        labels: input.templates?.labels ?? DEFAULT_TEMPLATES.labels,
        priority: input.templates?.priority ?? DEFAULT_TEMPLATES.priority,
      };
      const compiled = compileInstanceTemplates({ templates, mapping });
      if (!compiled.ok)
        problems.push(
          ...compiled.error.map((p) => ({
            field: p.template.startsWith('fields.') ? `mapping.${p.template.slice(7)}` : `templates.${p.template}`,
            message: p.message,
          })),
        );
      if (problems.length > 0) return err(invalid(problems));

      const now = clock.now();
      const id = newId();
      const secret = randomBytes(32).toString('base64url');
      const instance: Instance = {
        id,
        name: input.name,
        connectionId: connection.id,
        status: 'active',
        project: { id: input.project, key: input.project },
        issueType: { id: issueType.id, name: issueType.name },
        config: {
          mapping,
          templates,
          doneStatus: input.doneStatus ?? 'Done',
          reopenStatus: input.reopenStatus ?? 'To Do',
          reopenPolicy: input.reopenPolicy ?? 'reopen',
          onChange: input.onChange ?? 'update',
          fieldsMeta: fields.value.filter((f) => Object.hasOwn(mapping, f.fieldId)),
        },
        health: 'ok',
        createdBy: actor,
        createdAt: now,
        updatedAt: now,
      };
      const saved = await instances.insert(instance, deps.vault.seal(secret, webhookSecretOwner(id)));
      logger.info('data-out instance added', { instance: saved.name, connection: connection.name, actor });
      return ok({ instance: await view(saved), webhookSecret: secret });
    },

    async listInstances(page) {
      const listed = await instances.list(page);
      if (!listed.ok) return err(invalid([{ field: 'cursor', message: 'is not a cursor this list returned' }]));
      const items = await Promise.all(listed.value.items.map(view));
      return ok({ items, ...(listed.value.nextCursor ? { nextCursor: listed.value.nextCursor } : {}) });
    },

    async getInstance(idOrName) {
      const found = await find(idOrName);
      return found.ok ? ok(await view(found.value)) : found;
    },

    async setStatus(actor, idOrName, status) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const updated = await instances.setStatus(found.value.id, status, clock.now());
      if (updated === undefined) return err(notFound(idOrName));
      logger.info(status === 'stopped' ? 'data-out instance stopped' : 'data-out instance started', {
        instance: updated.name,
        actor,
      });
      if (status === 'active') await queueOutOfStep(updated);
      return ok(await view(updated));
    },

    async deleteInstance(actor, idOrName) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const queued = await deps.queue.list({ tag: instanceTag(found.value.id), status: 'queued', limit: 10_000 });
      for (const job of queued) await deps.queue.cancel(job.id);
      await instances.delete(found.value.id);
      logger.info('data-out instance deleted', { instance: found.value.name, actor });
      return ok(undefined);
    },

    async testInstance(actor, idOrName, options) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const instance = found.value;
      let finding = SAMPLE_FINDING;
      if (options.finding !== undefined) {
        const parsed = parseFindings(options.finding);
        const first = parsed.ok ? parsed.value[0] : undefined;
        if (!parsed.ok || first === undefined || !first.result.ok)
          return err(
            invalid(findingProblems(parsed.ok ? (first?.result.ok === false ? first.result.error : []) : parsed.error)),
          );
        finding = first.result.value;
      }
      const opened = await deps.connections.open(instance.connectionId);
      if (!opened.ok) return err({ code: 'connection_unusable', message: opened.error.message });
      const api = openIssuesApi(opened.value);
      if (!api.ok) return err({ code: 'connection_unusable', message: api.error.actionableMessage() });
      const compiled = compileInstanceTemplates(instance.config);
      if (!compiled.ok) return err(invalid(compiled.error.map((p) => ({ field: p.template, message: p.message }))));
      const deployment = api.value.deployment;
      const testKey = `${TEST_LABEL}-${newId()}`;
      const rendered = renderIssue(
        instance,
        compiled.value,
        finding,
        { dedupKey: testKey, source: 'test' },
        deployment,
      );
      if (!rendered.ok) return err(invalid(rendered.error.map((m) => ({ field: 'finding', message: m }))));
      // A test ticket carries the test label instead of a dedup key: it must never be adopted as a finding's ticket.
      const fields = {
        ...rendered.value.input.fields,
        summary: `[Skybridge test] ${String(rendered.value.input.fields['summary'])}`.slice(0, 255),
        labels: [TEST_LABEL],
      };
      if (!options.live) return ok({ fields });

      const created = await api.value.createIssue({ fields });
      await deps.connections.recordUse(
        instance.connectionId,
        created.ok ? { ok: true } : { ok: false, error: created.error },
      );
      if (!created.ok)
        return err({
          code: 'atlassian_error',
          message: `The live test could not create a ticket: ${created.error.actionableMessage()}`,
          atlassian: { code: created.error.code, message: created.error.actionableMessage() },
        });
      const key = created.value.key;
      logger.info('data-out live test ticket created', { instance: instance.name, issue: key, actor });
      const deleted = await api.value.deleteIssue(key);
      if (deleted.ok) return ok({ fields, issueKey: key, cleanup: 'deleted' });
      const transitions = await api.value.getTransitions(key);
      const done = transitions.ok
        ? transitions.value.find(
            (t) =>
              t.name.toLowerCase() === instance.config.doneStatus.toLowerCase() ||
              t.to?.name.toLowerCase() === instance.config.doneStatus.toLowerCase(),
          )
        : undefined;
      if (done !== undefined && (await api.value.doTransition(key, done.id)).ok)
        return ok({ fields, issueKey: key, cleanup: 'closed' });
      return ok({ fields, issueKey: key, cleanup: 'left_open' });
    },

    async push(actor, idOrName, input, options = {}) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const instance = found.value;
      if (instance.status === 'stopped')
        return err({
          code: 'instance_stopped',
          message: `The instance '${instance.name}' is stopped and takes no findings; start it to resume. Nothing was recorded.`,
        });
      const source = options.source ?? DEFAULT_SOURCE;
      if (source.length === 0 || source.length > 200)
        return err(invalid([{ field: 'source', message: 'must be 1 to 200 characters' }]));
      const parsed = parseFindings(input);
      if (!parsed.ok) return err(invalid(findingProblems(parsed.error)));
      const outcomes: FindingOutcome[] = [];
      const valid: Array<{ index: number; finding: Finding; hash: string }> = [];
      const seen = new Map<string, number>();
      for (const item of parsed.value) {
        if (!item.result.ok) {
          outcomes[item.index] = {
            index: item.index,
            result: 'rejected',
            problems: item.result.error.map(describeFindingProblem),
          };
          continue;
        }
        const finding = item.result.value;
        // The same id twice in one batch: the later one is the finding's latest state.
        const earlier = seen.get(finding.id);
        if (earlier !== undefined) {
          const dropped = valid.findIndex((v) => v.index === earlier);
          if (dropped >= 0) valid.splice(dropped, 1);
          outcomes[earlier] = { index: earlier, findingId: finding.id, result: 'unchanged' };
        }
        seen.set(finding.id, item.index);
        valid.push({ index: item.index, finding, hash: findingHash(finding) });
      }
      const jobIds = new Set<string>();
      if (valid.length > 0) {
        // The findings and the jobs that act on them commit together: nothing is recorded without its job.
        await deps.db.transaction().execute(async (trx) => {
          const recorded = await tickets.record(trx, {
            instanceId: instance.id,
            source,
            reopenPolicy: instance.config.reopenPolicy,
            findings: valid,
            at: clock.now(),
          });
          let needsCreate = false;
          for (let i = 0; i < recorded.length; i++) {
            const { outcome, ticket } = recorded[i]!;
            const index = valid[i]!.index;
            const base = { index, findingId: ticket.findingId, dedupKey: ticket.dedupKey };
            if (outcome === 'unchanged' || ticket.state === 'skipped') {
              outcomes[index] = { ...base, result: ticket.state === 'skipped' ? 'skipped' : 'unchanged' };
              continue;
            }
            outcomes[index] = { ...base, result: 'queued' };
            if (ticket.state === 'created') {
              const job = await insertJob(trx, clock.now(), ticketJobInput(instance.id, ticket.dedupKey));
              jobIds.add(job.job.id);
            } else needsCreate = true;
          }
          if (needsCreate) jobIds.add((await insertJob(trx, clock.now(), createJobInput(instance.id))).job.id);
        });
        deps.wake?.();
      }
      const rejected = outcomes.filter((o) => o.result === 'rejected').length;
      logger.info('findings pushed', { instance: instance.name, actor, accepted: valid.length, rejected });
      return ok({ outcomes, accepted: valid.length, rejected, jobIds: [...jobIds] });
    },

    async outcomes(idOrName, findingIds, options = {}) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const out: TicketOutcome[] = [];
      for (const findingId of findingIds) {
        const work = await tickets.get(found.value.id, options.source ?? DEFAULT_SOURCE, findingId);
        if (work === undefined) continue;
        const t = work.ticket;
        out.push({
          findingId,
          state: t.state,
          ...(t.issueKey === undefined ? {} : { issueKey: t.issueKey }),
          inStep:
            t.state === 'skipped' ||
            (t.state === 'created' && t.appliedHash === t.findingHash && t.appliedStatus === t.findingStatus),
          ...(t.lastError === undefined ? {} : { error: t.lastError }),
          ...(t.lastErrorClass === undefined ? {} : { errorClass: t.lastErrorClass }),
        });
      }
      return ok(out);
    },

    async tickets(idOrName, page) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const listed = await tickets.list(found.value.id, page);
      return listed.ok
        ? ok(listed.value)
        : err(invalid([{ field: 'cursor', message: 'is not a cursor this list returned' }]));
    },

    async jobs(idOrName, options = {}) {
      const found = await find(idOrName);
      if (!found.ok) return found;
      const limit = options.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return err(invalid([{ field: 'limit', message: 'must be a whole number from 1 to 500' }]));
      return ok(await deps.queue.list({ tag: instanceTag(found.value.id), newestFirst: true, limit }));
    },

    async replay(actor, jobId) {
      const job = await deps.queue.get(jobId);
      if (job === undefined || !(DATAOUT_QUEUES as readonly string[]).includes(job.queue) || job.tag === undefined)
        return err({ code: 'not_found', message: `No such ticket job: ${jobId}.` });
      const instanceId = job.tag.slice('instance:'.length);
      const instance = await instances.get(instanceId);
      if (instance === undefined) return err(notFound(instanceId));
      if (job.queue === DATAOUT_CREATE_QUEUE) await tickets.retryFailed(instance.id, clock.now());
      const again = await deps.queue.enqueue({
        queue: job.queue,
        payload: job.payload,
        ...(job.exclusiveKey === undefined ? {} : { exclusiveKey: job.exclusiveKey }),
        ...(job.dedupeKey === undefined ? {} : { dedupeKey: job.dedupeKey }),
        tag: job.tag,
        maxAttempts: job.maxAttempts,
      });
      deps.wake?.();
      logger.info('ticket job replayed', { instance: instance.name, job: jobId, replay: again.job.id, actor });
      return ok(again.job);
    },

    async verifyWebhook(idOrName, delivery) {
      const unauthenticated: DataoutError = {
        code: 'unauthenticated',
        message: 'The delivery is not signed with this instance’s webhook secret, or its timestamp is too old.',
      };
      const found = await find(idOrName);
      if (!found.ok) return err(unauthenticated);
      const timestamp = Number(delivery.timestamp);
      if (!Number.isInteger(timestamp) || Math.abs(clock.now().getTime() - timestamp * 1000) > WEBHOOK_TOLERANCE_MS)
        return err(unauthenticated);
      const match = /^sha256=([0-9a-f]{64})$/.exec(delivery.signature ?? '');
      const sealed = await instances.webhookSecret(found.value.id);
      if (match === null || sealed === undefined) return err(unauthenticated);
      const secret = deps.vault.open(sealed, webhookSecretOwner(found.value.id));
      if (!secret.ok) return err(unauthenticated);
      const expected = createHmac('sha256', secret.value.reveal())
        .update(`${delivery.timestamp}.${delivery.body}`, 'utf8')
        .digest();
      const given = Buffer.from(match[1] ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected)
        ? ok(found.value)
        : err(unauthenticated);
    },
  };
}

function findingProblems(problems: readonly FindingProblem[]): Array<{ field: string; message: string }> {
  return problems.map((p) => ({
    field: p.field === '' ? 'findings' : p.field,
    message: p.line === undefined ? p.message : `line ${p.line}: ${p.message}`,
  }));
}
