import type { VerifyReport } from '../atlassian/verify-target.ts';
import type { ConnectionError, ConnectionView, Dependent } from '../connections/connections-service.ts';
import type { AccessGrant, AccessResource } from '../domain/access-model.ts';
import type { ApiToken, AuditEvent, ConnectionStatusEvent } from '../domain/connection.ts';
import type { RunDiffReport, SyncJob, SyncSchedule } from '../sync/create-sync-service.ts';
import type { AccessEntry } from '../sync/store/access-queries.ts';
import type { SyncRun } from '../sync/store/sync-run.ts';
import type { ApiErrorBody } from './api-problem.ts';
import { errorBody } from './api-problem.ts';
import { problemFromConnectionError } from './error-mapper.ts';

/**
 * Response bodies, each built field by field from an allow-list. Never spread a service value into a response:
 * the services promise secret-free values, and these functions make that promise checkable in one place, so a
 * field added to a domain type is not published until someone adds it here.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MASK = '••••';
/** `••••` plus at most four characters: anything else is not a hint and is replaced by the bare mask. */
const HINT = /^••••[^•]{0,4}$/u;

function safeHint(hint: string): string {
  return HINT.test(hint) ? hint : MASK;
}

function put(target: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) target[key] = value;
}

const iso = (d: Date | undefined): string | undefined => d?.toISOString();

export function connectionJson(view: ConnectionView): JsonObject {
  const out: JsonObject = { id: view.id, name: view.name, kind: view.kind };
  put(out, 'url', view.url);
  put(out, 'email', view.email);
  put(out, 'orgId', view.orgId);
  put(out, 'siteId', view.siteId);
  put(out, 'teamsUrl', view.teamsUrl);
  put(out, 'teamsEmail', view.teamsEmail);
  out.authMode = view.authMode;
  put(out, 'gatewayUrl', view.gatewayUrl);
  put(out, 'caCert', view.caCert);
  out.secretHint = safeHint(view.secretHint);
  out.hasTeamsSecret = view.hasTeamsSecret;
  put(out, 'tokenExpiresAt', iso(view.tokenExpiresAt));
  put(out, 'tokenExpiresInDays', view.tokenExpiresInDays);
  out.status = view.status;
  out.consecutiveFailures = view.consecutiveFailures;
  put(out, 'lastCheckedAt', iso(view.lastCheckedAt));
  if (view.lastError !== undefined) out.lastError = { code: view.lastError.code, message: view.lastError.message };
  put(out, 'lastExpiryWarningDays', view.lastExpiryWarningDays);
  out.createdAt = view.createdAt.toISOString();
  out.updatedAt = view.updatedAt.toISOString();
  out.version = view.version;
  return out;
}

export function statusEventJson(event: ConnectionStatusEvent): JsonObject {
  const out: JsonObject = { id: event.id, connectionId: event.connectionId };
  put(out, 'fromStatus', event.fromStatus);
  out.toStatus = event.toStatus;
  out.reasonCode = event.reasonCode;
  put(out, 'message', event.message);
  out.at = event.at.toISOString();
  return out;
}

export function auditEventJson(event: AuditEvent): JsonObject {
  const details: JsonObject = {};
  // Details are flat scalars by type; anything else is dropped rather than trusted.
  for (const [key, value] of Object.entries(event.details))
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) details[key] = value;
  const out: JsonObject = { id: event.id, at: event.at.toISOString(), actor: event.actor, action: event.action };
  out.targetType = event.targetType;
  put(out, 'targetId', event.targetId);
  out.details = details;
  return out;
}

export function dependentJson(dependent: Dependent): JsonObject {
  return { type: dependent.type, id: dependent.id, name: dependent.name };
}

export function apiTokenJson(token: ApiToken): JsonObject {
  const out: JsonObject = { id: token.id, name: token.name, role: token.role, tokenHint: safeHint(token.tokenHint) };
  out.createdAt = token.createdAt.toISOString();
  put(out, 'lastUsedAt', iso(token.lastUsedAt));
  put(out, 'revokedAt', iso(token.revokedAt));
  return out;
}

export function verifyReportJson(report: VerifyReport): JsonObject {
  const product: JsonObject = { name: report.product.name };
  put(product, 'version', report.product.version);
  put(product, 'deploymentType', report.product.deploymentType);
  put(product, 'buildNumber', report.product.buildNumber);
  put(product, 'title', report.product.title);
  const out: JsonObject = { kind: report.kind, product };
  if (report.account !== undefined) {
    const account: JsonObject = { id: report.account.id, displayName: report.account.displayName };
    put(account, 'email', report.account.email);
    put(account, 'active', report.account.active);
    out.account = account;
  }
  if (report.org !== undefined) {
    const org: JsonObject = { id: report.org.id, name: report.org.name };
    put(org, 'users', report.org.users);
    out.org = org;
  }
  put(out, 'siteId', report.siteId);
  out.sample = {
    type: report.sample.type,
    items: report.sample.items.map((item) => {
      const entry: JsonObject = { name: item.name };
      put(entry, 'key', item.key);
      put(entry, 'id', item.id);
      return entry;
    }),
  };
  if (report.permissions !== undefined) {
    const permissions: JsonObject = {};
    for (const [key, list] of Object.entries(report.permissions)) permissions[key] = list.map(String);
    out.permissions = permissions;
  }
  if (report.teams !== undefined)
    out.teams = report.teams.ok
      ? { ok: true, sampled: report.teams.sampled }
      : { ok: false, error: report.teams.error };
  out.warnings = report.warnings.map(String);
  out.requests = report.requests;
  return out;
}

/** A verify, edit or rotate outcome: the connection, the report when the check passed, the error when it did not. */
export function verifyOutcomeJson(outcome: {
  connection: ConnectionView;
  report?: VerifyReport;
  error?: ConnectionError;
}): JsonObject {
  const out: JsonObject = { connection: connectionJson(outcome.connection) };
  if (outcome.report !== undefined) out.report = verifyReportJson(outcome.report);
  // `errorBody` builds the error from an allow-list of strings, numbers and arrays of them: JSON by construction.
  if (outcome.error !== undefined)
    out.error = errorBody(problemFromConnectionError(outcome.error)).error as unknown as JsonObject;
  return out;
}

/**
 * Who asked for a job or accepted a run names a person's token, like the audit log: shown to admins and owners only
 * (`showActors`), as `GET /connections/{idOrName}` does with the audit log.
 */
export interface ActorVisibility {
  showActors: boolean;
}

export function syncJobJson(job: SyncJob, visibility: ActorVisibility): JsonObject {
  const out: JsonObject = { id: job.id, connectionId: job.connectionId, trigger: job.trigger };
  if (visibility.showActors) out.actor = job.actor;
  out.status = job.status;
  out.attempts = job.attempts;
  out.maxAttempts = job.maxAttempts;
  out.runAt = job.runAt.toISOString();
  put(out, 'lastError', job.lastError);
  out.createdAt = job.createdAt.toISOString();
  put(out, 'finishedAt', iso(job.finishedAt));
  return out;
}

/** Counts are numbers by name; anything else is dropped rather than trusted. */
function numbers(record: Record<string, number>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) if (typeof value === 'number') out[key] = value;
  return out;
}

/** A run without its checkpoints: they are the readers' internal positions, of no use to a client. */
export function syncRunJson(run: SyncRun, visibility: ActorVisibility): JsonObject {
  const out: JsonObject = { id: run.id, connectionId: run.connectionId, status: run.status, trigger: run.trigger };
  out.createdAt = run.createdAt.toISOString();
  put(out, 'startedAt', iso(run.startedAt));
  put(out, 'finishedAt', iso(run.finishedAt));
  put(out, 'durationMs', run.durationMs);
  out.counts = numbers(run.counts);
  out.requests = run.requests;
  out.retries = run.retries;
  out.rateLimited = run.rateLimited;
  if (run.error !== undefined) out.error = { code: run.error.code, message: run.error.message };
  if (run.shrink !== undefined) {
    const shrink: JsonObject = {};
    for (const [type, s] of Object.entries(run.shrink)) shrink[type] = { from: s.from, to: s.to, ratio: s.ratio };
    out.shrink = shrink;
  }
  if (visibility.showActors) put(out, 'acceptedBy', run.acceptedBy);
  put(out, 'acceptedAt', iso(run.acceptedAt));
  return out;
}

/** `6h` for 21 600 000 ms: the largest unit that divides the interval, as a schedule is set. */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Mirrors the request body: `every` (with `intervalMs`) or `cron`. */
export function syncScheduleJson(schedule: SyncSchedule): JsonObject {
  const out: JsonObject = { connectionId: schedule.connectionId };
  if ('cron' in schedule.every) out.cron = schedule.every.cron;
  else {
    out.every = formatInterval(schedule.every.intervalMs);
    out.intervalMs = schedule.every.intervalMs;
  }
  out.nextRunAt = schedule.nextRunAt.toISOString();
  out.enabled = schedule.enabled;
  put(out, 'lastEnqueuedAt', iso(schedule.lastEnqueuedAt));
  return out;
}

export function resourceJson(resource: AccessResource): JsonObject {
  const out: JsonObject = {
    id: resource.id,
    type: resource.type,
    externalId: resource.externalId,
    displayName: resource.displayName,
  };
  put(out, 'parentId', resource.parentId);
  const attributes: JsonObject = {};
  // Attributes are flat scalars by type; anything else is dropped rather than trusted.
  for (const [key, value] of Object.entries(resource.attributes))
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) attributes[key] = value;
  out.attributes = attributes;
  return out;
}

export function grantJson(grant: AccessGrant): JsonObject {
  return { entitlementId: grant.entitlementId, principalId: grant.principalId, via: grant.via.map(String) };
}

/** The first `limit` changes of each kind, the full counts in `summary`, and `complete` when nothing was left out. */
export function runDiffJson(report: RunDiffReport): JsonObject {
  const { summary } = report;
  const complete =
    report.grantsAdded.length >= summary.grantsAdded &&
    report.grantsRemoved.length >= summary.grantsRemoved &&
    report.accountsCreated.length >= summary.accountsCreated &&
    report.accountsDeactivated.length >= summary.accountsDeactivated &&
    report.accountsRemoved.length >= summary.accountsRemoved;
  return {
    summary: {
      grantsAdded: summary.grantsAdded,
      grantsRemoved: summary.grantsRemoved,
      accountsCreated: summary.accountsCreated,
      accountsDeactivated: summary.accountsDeactivated,
      accountsRemoved: summary.accountsRemoved,
    },
    complete,
    grantsAdded: report.grantsAdded.map(grantJson),
    grantsRemoved: report.grantsRemoved.map(grantJson),
    accountsCreated: report.accountsCreated.map(resourceJson),
    accountsDeactivated: report.accountsDeactivated.map(resourceJson),
    accountsRemoved: report.accountsRemoved.map(resourceJson),
  };
}

export function accessEntryJson(entry: AccessEntry): JsonObject {
  const principal: JsonObject = { id: entry.principal.id };
  put(principal, 'type', entry.principal.type);
  put(principal, 'externalId', entry.principal.externalId);
  put(principal, 'displayName', entry.principal.displayName);
  put(principal, 'email', entry.principal.email);
  const entitlement: JsonObject = { id: entry.entitlement.id };
  put(entitlement, 'slug', entry.entitlement.slug);
  put(entitlement, 'displayName', entry.entitlement.displayName);
  const out: JsonObject = { connectionId: entry.connectionId, runId: entry.runId, principal, entitlement };
  if (entry.resource !== undefined)
    out.resource = { id: entry.resource.id, type: entry.resource.type, displayName: entry.resource.displayName };
  out.via = entry.via.map(String);
  return out;
}

export type { ApiErrorBody, Json, JsonObject };
