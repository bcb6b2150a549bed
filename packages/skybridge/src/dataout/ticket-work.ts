import type { AtlassianError } from '../atlassian/atlassian-error.ts';
import type { JiraIssuesApi } from '../atlassian/jira-issues.ts';
import type { ConnectionsInternal } from '../connections/create-connections-service.ts';
import { AUTH_FAILURE_CODES } from '../domain/atlassian-error-code.ts';
import type { Clock } from '../domain/clock.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { Logger } from '../observability/logger.ts';
import { TicketJobError } from './dataout-jobs.ts';
import type { Deployment } from './field-mapping.ts';
import type { Instance } from './instance.ts';
import type { InstancesRepo } from './instances-repo.ts';
import { openIssuesApi } from './open-issues-api.ts';
import { compileInstanceTemplates } from './render-issue.ts';
import type { TemplateSet } from './templates.ts';
import type { TicketsRepo } from './tickets-repo.ts';

/** What the ticket jobs share. */
export interface TicketWorkDeps {
  instances: InstancesRepo;
  tickets: TicketsRepo;
  connections: ConnectionsInternal;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /**
   * How long after a create call a search may still miss the issue it made. Jira Cloud's search index is updated
   * asynchronously, so "not found" right after a lost answer does not yet mean "not created". Default 15 s.
   */
  searchSettleMs?: number;
}

export const DEFAULT_SEARCH_SETTLE_MS = 15_000;

/** An instance ready to write through: its issues client and compiled templates. */
export interface OpenInstance {
  instance: Instance;
  api: JiraIssuesApi;
  templates: TemplateSet;
  deployment: Deployment;
}

/**
 * Opens an instance for a job. Undefined when there is nothing to do (deleted, or stopped: starting it again
 * queues its work). A connection that cannot be used fails the job for good and marks the instance failing.
 */
export async function openInstanceForWork(deps: TicketWorkDeps, instanceId: string): Promise<OpenInstance | undefined> {
  const instance = await deps.instances.get(instanceId);
  if (instance === undefined || instance.status === 'stopped') return undefined;
  const opened = await deps.connections.open(instance.connectionId);
  if (!opened.ok) {
    const message = `The instance's connection cannot be used: ${opened.error.message}`;
    await deps.instances.setHealth(instance.id, 'failing', message, deps.clock.now());
    throw new TicketJobError('connection_unusable', message, false);
  }
  const api = openIssuesApi(opened.value);
  if (!api.ok) throw new TicketJobError(api.error.code, api.error.actionableMessage(), false);
  const templates = compileInstanceTemplates(instance.config);
  // Templates were compiled when the instance was saved; failing now means the stored row was changed by hand.
  if (!templates.ok) throw new TicketJobError('bad_template', templates.error.map((p) => p.message).join('; '), false);
  return {
    instance,
    api: api.value,
    templates: templates.value,
    deployment: opened.value.connection.kind === 'jira-dc' ? 'dc' : 'cloud',
  };
}

/**
 * What an Atlassian failure means for a ticket job: the connection's status hears of it (a 401 makes it
 * `needs_reauthorization`), the instance shows it is failing when a retry cannot help, and the job error says
 * whether to try again.
 */
export async function failTicketCall(
  deps: TicketWorkDeps,
  open: OpenInstance,
  error: AtlassianError,
  what: string,
): Promise<TicketJobError> {
  await deps.connections.recordUse(open.instance.connectionId, { ok: false, error });
  const retryable = isTransient(error);
  const message = `${what}: ${error.actionableMessage()}`;
  if (!retryable) await deps.instances.setHealth(open.instance.id, 'failing', message, deps.clock.now());
  return new TicketJobError(error.code, message, retryable);
}

/** Records a successful round of calls: the connection is in use and well, and so is the instance. */
export async function succeedTicketCalls(deps: TicketWorkDeps, open: OpenInstance): Promise<void> {
  await deps.connections.recordUse(open.instance.connectionId, { ok: true });
  if (open.instance.health === 'failing') {
    await deps.instances.setHealth(open.instance.id, 'ok', undefined, deps.clock.now());
    open.instance = { ...open.instance, health: 'ok' };
  }
}

/** Failures that may pass: a timeout, a dropped connection, a 5xx or 429 after the retry budget. */
export function isTransient(error: AtlassianError): boolean {
  if (AUTH_FAILURE_CODES.has(error.code)) return false;
  return ['timeout', 'connect', 'server_error', 'rate_limited', 'bad_response', 'dns'].includes(error.code);
}

/**
 * Whether a failed non-idempotent call may have taken effect anyway: the request left, and no answer says it was
 * refused. After such a failure the ticket is found by search before anything is created again.
 */
export function mayHaveTakenEffect(error: AtlassianError): boolean {
  return ['timeout', 'connect', 'server_error', 'bad_response'].includes(error.code);
}
