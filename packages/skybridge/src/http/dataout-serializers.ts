import type { FindingOutcome, InstanceView, PushResult, TestResult } from '../dataout/create-dataout-service.ts';
import { DATAOUT_CREATE_QUEUE, ticketJobPayloadSchema } from '../dataout/dataout-jobs.ts';
import type { FieldSource } from '../dataout/field-mapping.ts';
import type { Ticket } from '../dataout/instance.ts';
import type { Job } from '../jobs/job-queue.ts';
import type { ActorVisibility, Json, JsonObject } from './serializers.ts';

/**
 * Data-out response bodies, built field by field from an allow-list like `serializers.ts`: instances (never their
 * webhook secret, which only the create response carries, next to the instance), tickets, ticket jobs, push
 * outcomes and test results.
 */

function put(target: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) target[key] = value;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

/**
 * Any value as JSON data: a fixed mapping value or a rendered field value was JSON when it came in, but is typed
 * `unknown`; the round trip makes it plain data (and drops what JSON cannot hold).
 */
function jsonValue(value: unknown): Json {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

function fieldSourceJson(source: FieldSource): JsonObject {
  switch (source.kind) {
    case 'fixed':
      return { kind: 'fixed', value: jsonValue(source.value) };
    case 'template':
      return { kind: 'template', template: source.template };
    case 'finding':
      return { kind: 'finding', path: source.path };
  }
}

/** An instance with its configuration and ticket counts. `createdBy` names a token, so admins and owners only. */
export function instanceJson(view: InstanceView, visibility: ActorVisibility): JsonObject {
  const mapping: JsonObject = {};
  for (const [fieldId, source] of Object.entries(view.config.mapping)) mapping[fieldId] = fieldSourceJson(source);
  const tickets: JsonObject = {};
  for (const [state, count] of Object.entries(view.tickets)) if (typeof count === 'number') tickets[state] = count;
  const out: JsonObject = {
    id: view.id,
    name: view.name,
    connectionId: view.connectionId,
    connectionName: view.connectionName,
    status: view.status,
    project: { id: view.project.id, key: view.project.key },
    issueType: { id: view.issueType.id, name: view.issueType.name },
    mapping,
    templates: {
      summary: view.config.templates.summary,
      description: view.config.templates.description,
      labels: view.config.templates.labels,
      priority: view.config.templates.priority,
    },
    doneStatus: view.config.doneStatus,
    reopenStatus: view.config.reopenStatus,
    reopenPolicy: view.config.reopenPolicy,
    onChange: view.config.onChange,
    health: view.health,
  };
  put(out, 'lastError', view.lastError);
  out.tickets = tickets;
  if (visibility.showActors) out.createdBy = view.createdBy;
  out.createdAt = view.createdAt.toISOString();
  out.updatedAt = view.updatedAt.toISOString();
  return out;
}

/** A ticket record: which finding, its Jira issue once made, and whether it is in step with the finding. */
export function ticketJson(ticket: Ticket): JsonObject {
  const out: JsonObject = {
    source: ticket.source,
    findingId: ticket.findingId,
    generation: ticket.generation,
    dedupKey: ticket.dedupKey,
    findingStatus: ticket.findingStatus,
    state: ticket.state,
  };
  put(out, 'issueId', ticket.issueId);
  put(out, 'issueKey', ticket.issueKey);
  out.inStep =
    ticket.state === 'skipped' ||
    (ticket.state === 'created' &&
      ticket.appliedHash === ticket.findingHash &&
      ticket.appliedStatus === ticket.findingStatus);
  out.createAttempts = ticket.createAttempts;
  put(out, 'lastError', ticket.lastError);
  put(out, 'lastErrorClass', ticket.lastErrorClass);
  out.previousIssueKeys = ticket.previousIssueKeys.map(String);
  out.createdAt = ticket.createdAt.toISOString();
  out.updatedAt = ticket.updatedAt.toISOString();
  return out;
}

/** `rate_limited` of `rate_limited: Jira answered 429…`: the stored error's code, its class. */
const ERROR_CLASS = /^([a-z][a-z0-9_]{0,59}): /i;

/**
 * A ticket job: `create` (the instance's waiting tickets, in bulk) or `ticket` (one ticket brought in step, named by
 * its dedup key), with its status, attempts and the class of its last error.
 */
export function ticketJobJson(job: Job): JsonObject {
  const out: JsonObject = { id: job.id, kind: job.queue === DATAOUT_CREATE_QUEUE ? 'create' : 'ticket' };
  const payload = ticketJobPayloadSchema.safeParse(job.payload);
  if (payload.success) out.dedupKey = payload.data.dedupKey;
  out.status = job.status;
  out.attempts = job.attempts;
  out.maxAttempts = job.maxAttempts;
  out.runAt = job.runAt.toISOString();
  if (job.lastError !== undefined) {
    out.lastError = job.lastError;
    put(out, 'errorClass', ERROR_CLASS.exec(job.lastError)?.[1]);
  }
  out.createdAt = job.createdAt.toISOString();
  out.updatedAt = job.updatedAt.toISOString();
  put(out, 'finishedAt', iso(job.finishedAt));
  return out;
}

export function findingOutcomeJson(outcome: FindingOutcome): JsonObject {
  const out: JsonObject = { index: outcome.index };
  put(out, 'findingId', outcome.findingId);
  out.result = outcome.result;
  if (outcome.problems !== undefined) out.problems = outcome.problems.map(String);
  put(out, 'dedupKey', outcome.dedupKey);
  return out;
}

export function pushResultJson(result: PushResult): JsonObject {
  return {
    accepted: result.accepted,
    rejected: result.rejected,
    // The service leaves no holes, but a sparse array would serialise as nulls: skip any.
    outcomes: result.outcomes.filter((o) => o !== undefined).map(findingOutcomeJson),
    jobIds: result.jobIds.map(String),
  };
}

export function testResultJson(result: TestResult, live: boolean): JsonObject {
  const fields: JsonObject = {};
  for (const [key, value] of Object.entries(result.fields)) fields[key] = jsonValue(value);
  const out: JsonObject = { live, fields };
  put(out, 'issueKey', result.issueKey);
  put(out, 'cleanup', result.cleanup);
  return out;
}
