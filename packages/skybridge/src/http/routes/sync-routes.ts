import { roleAllows } from '../../access/api-tokens-service.ts';
import type { FieldProblem } from '../../connections/connections-service.ts';
import { decodeCursor } from '../../db/pagination.ts';
import type { ApiToken } from '../../domain/connection.ts';
import type { Result } from '../../domain/result.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SyncError, SyncService } from '../../sync/create-sync-service.ts';
import type { ExportFormat } from '../../sync/store/export-snapshot.ts';
import type { ApiProblem } from '../api-problem.ts';
import { problemFromSyncError } from '../error-mapper.ts';
import type { ApiRoute, RouteReply } from '../route.ts';
import { API_PREFIX, defineRoute, fail, reply, streamReply } from '../route.ts';
import {
  DEFAULT_DIFF_LIMIT,
  DEFAULT_PAGE_SIZE,
  exportQuery,
  keysetPageQuery,
  MAX_PAGE_SIZE,
  runDiffQuery,
  syncJobsQuery,
  syncScheduleBody,
} from '../schemas.ts';
import type { ActorVisibility, JsonObject } from '../serializers.ts';
import { accessEntryJson, runDiffJson, syncJobJson, syncRunJson, syncScheduleJson } from '../serializers.ts';
import { compact } from '../compact.ts';
import { streamFromWriter } from '../stream-from-writer.ts';
import { invalidInput } from '../validation.ts';

/** What each export format is sent as. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const CURSOR_PROBLEM: FieldProblem = { field: 'cursor', message: 'is not a cursor this list gave out' };

const PAGING = `Keyset pages: \`limit\` 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); pass \`nextCursor\` back as \`cursor\` for the next page, until a page comes without one. A cursor from another list is a 400 naming \`cursor\`.`;

/** A failure for the log: an error's class or a service error's code, never a message. */
function failureName(failure: unknown): string {
  if (failure instanceof Error) return failure.name;
  if (typeof failure === 'object' && failure !== null && 'code' in failure && typeof failure.code === 'string')
    return failure.code;
  return typeof failure;
}

function visibility(token: ApiToken | undefined): ActorVisibility {
  return { showActors: token !== undefined && roleAllows(token.role, 'admin') };
}

/** A page of a service list as `{ items, nextCursor? }`. */
function pageBody<T>(page: { items: T[]; nextCursor?: string }, item: (value: T) => JsonObject): JsonObject {
  const body: JsonObject = { items: page.items.map(item) };
  if (page.nextCursor !== undefined) body.nextCursor = page.nextCursor;
  return body;
}

/**
 * Sync over HTTP: manual runs as jobs, schedules, run history with accept and diff, access queries and the streamed
 * export. Each route parses, calls one `SyncService` method and renders its Result; the service's `invalid_input`
 * names no field, so each route says which field it was about.
 */
export function syncRoutes(sync: SyncService, logger: Logger): ApiRoute[] {
  const problem = (error: SyncError, fields?: FieldProblem[]): Result<RouteReply, ApiProblem> => {
    // The response says only "internal"; the store's message (our own text and ids) is for the operator.
    if (error.code === 'store_error') logger.error('sync store error', { message: error.message });
    return fail(problemFromSyncError(error, fields));
  };

  return [
    defineRoute({
      method: 'post',
      path: '/connections/{idOrName}/sync',
      operationId: 'requestSync',
      summary: 'Queue a sync of the connection now; a worker of the server runs it',
      description:
        'At most one sync of a connection runs at a time. Asking again while a request still waits returns that request with `created: false`. Follow the job at `Location` (`GET /sync-jobs/{jobId}`); its run appears in `GET /connections/{idOrName}/runs`.',
      access: 'admin',
      response: { status: 202, description: '`{ job, created }`: the queued (or already waiting) job.' },
      async handle({ actor, params, token }) {
        const result = await sync.request(actor, params.idOrName ?? '');
        if (!result.ok) return problem(result.error);
        const { job, created } = result.value;
        return reply(
          202,
          { job: syncJobJson(job, visibility(token)), created },
          { Location: `${API_PREFIX}/sync-jobs/${encodeURIComponent(job.id)}` },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/connections/{idOrName}/sync-jobs',
      operationId: 'listSyncJobs',
      summary: "The connection's most recent sync jobs, newest first",
      description: `The \`limit\` most recent (1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}); there is no cursor: older jobs are history, and their runs stay listed under \`runs\`. \`actor\` is shown to admins and owners only.`,
      access: 'viewer',
      query: syncJobsQuery,
      response: { status: 200, description: '`{ items }`: sync jobs.' },
      async handle({ params, query, token }) {
        const result = await sync.jobs(params.idOrName ?? '', compact(query));
        if (!result.ok) return problem(result.error, [{ field: 'limit', message: result.error.message }]);
        const shown = visibility(token);
        return reply(200, { items: result.value.map((job) => syncJobJson(job, shown)) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sync-jobs/{jobId}',
      operationId: 'getSyncJob',
      summary: 'A sync job: queued, running, succeeded or failed, with its attempts',
      access: 'viewer',
      response: { status: 200, description: '`{ job }`.' },
      async handle({ params, token }) {
        const result = await sync.getJob(params.jobId ?? '');
        if (!result.ok) return problem(result.error);
        return reply(200, { job: syncJobJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/connections/{idOrName}/sync-schedule',
      operationId: 'getSyncSchedule',
      summary: 'How often the connection syncs, if it has a schedule',
      access: 'viewer',
      response: { status: 200, description: '`{ schedule }`: the schedule, or `null` when syncs run only when asked.' },
      async handle({ params }) {
        const result = await sync.getSchedule(params.idOrName ?? '');
        if (!result.ok) return problem(result.error);
        return reply(200, { schedule: result.value === undefined ? null : syncScheduleJson(result.value) });
      },
    }),
    defineRoute({
      method: 'put',
      path: '/connections/{idOrName}/sync-schedule',
      operationId: 'setSyncSchedule',
      summary: 'Set how often a running server syncs the connection',
      description:
        '`{ "every": "6h" }` or `{ "cron": "0 3 * * *" }` (UTC), exactly one. Replaces any schedule; the first scheduled run is one period away.',
      access: 'admin',
      body: syncScheduleBody,
      response: { status: 200, description: '`{ schedule }`.' },
      async handle({ actor, params, body }) {
        const result = await sync.setSchedule(actor, params.idOrName ?? '', body);
        if (!result.ok) {
          const field = 'cron' in body ? 'cron' : 'every';
          return problem(result.error, [{ field, message: result.error.message.replace(/^every: /, '') }]);
        }
        return reply(200, { schedule: result.value === undefined ? null : syncScheduleJson(result.value) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/connections/{idOrName}/sync-schedule',
      operationId: 'deleteSyncSchedule',
      summary: 'Stop scheduled syncs of the connection (a sync can still be asked for)',
      description: 'Succeeds whether or not there was a schedule.',
      access: 'admin',
      response: { status: 200, description: '`{ schedule: null }`.' },
      async handle({ actor, params }) {
        const result = await sync.setSchedule(actor, params.idOrName ?? '', null);
        if (!result.ok) return problem(result.error);
        return reply(200, { schedule: null });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/connections/{idOrName}/runs',
      operationId: 'listSyncRuns',
      summary: "The connection's sync runs, newest first, a page at a time",
      description: `${PAGING} \`acceptedBy\` is shown to admins and owners only.`,
      access: 'viewer',
      query: keysetPageQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: sync runs with their counts.' },
      async handle({ params, query, token }) {
        // The service reports a bad cursor of this list as a store error, so it is checked here, with the same
        // decoder the store uses, to answer 400 rather than 500.
        if (query.cursor !== undefined && !decodeCursor(query.cursor).ok) return fail(invalidInput([CURSOR_PROBLEM]));
        const result = await sync.runs(params.idOrName ?? '', compact(query));
        if (!result.ok) return problem(result.error);
        const shown = visibility(token);
        return reply(
          200,
          pageBody(result.value, (run) => syncRunJson(run, shown)),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/runs/{runId}',
      operationId: 'getSyncRun',
      summary: 'A sync run: status, counts, request statistics, and why it failed or was held',
      access: 'viewer',
      response: { status: 200, description: '`{ run }`.' },
      async handle({ params, token }) {
        const result = await sync.getRun(params.runId ?? '');
        if (!result.ok) return problem(result.error);
        return reply(200, { run: syncRunJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/runs/{runId}/accept',
      operationId: 'acceptSyncRun',
      summary: 'Accept a run held as suspicious: it becomes the connection snapshot',
      description: 'Only a `suspicious` run can be accepted; any other is a 409 `invalid_state`.',
      access: 'admin',
      response: { status: 200, description: '`{ run }`: the accepted run.' },
      async handle({ actor, params, token }) {
        const result = await sync.accept(actor, params.runId ?? '');
        // The service's invalid_input here can only mean the run is not suspicious: a state, not the input.
        if (!result.ok && result.error.code === 'invalid_input')
          return fail({ status: 409, code: 'invalid_state', message: result.error.message });
        if (!result.ok) return problem(result.error);
        return reply(200, { run: syncRunJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/runs/{runA}/diff/{runB}',
      operationId: 'diffSyncRuns',
      summary: 'What changed from run A to run B of one connection',
      description: `Grants added and removed, accounts created, deactivated and removed. \`summary\` counts every change; each list holds the first \`limit\` (default ${DEFAULT_DIFF_LIMIT}) and \`complete\` says whether that was all.`,
      access: 'viewer',
      query: runDiffQuery,
      response: {
        status: 200,
        description: '`{ summary, complete, grantsAdded, grantsRemoved, accountsCreated, … }`.',
      },
      async handle({ params, query }) {
        const result = await sync.diff(params.runA ?? '', params.runB ?? '', compact(query));
        if (!result.ok)
          return problem(result.error, [{ field: 'runB', message: 'must be a run of the same connection as runA' }]);
        return reply(200, runDiffJson(result.value));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/access/users/{emailOrAccountId}',
      operationId: 'userAccess',
      summary: 'Everything a person can reach in the current snapshots, and through what',
      description: `By email (case-insensitive) or Atlassian account id / user key, across every connection. \`via\` is empty for a direct grant, else the groups or teams it comes through, outermost first. ${PAGING}`,
      access: 'viewer',
      query: keysetPageQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: access entries.' },
      async handle({ params, query }) {
        const result = await sync.accessUser(params.emailOrAccountId ?? '', compact(query));
        if (!result.ok) return problem(result.error, [CURSOR_PROBLEM]);
        return reply(200, pageBody(result.value, accessEntryJson));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/access/holders/{entitlementOrResourceId}',
      operationId: 'entitlementHolders',
      summary: 'Everyone who holds an entitlement, or any entitlement of a resource, in the current snapshots',
      description: PAGING,
      access: 'viewer',
      query: keysetPageQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: access entries.' },
      async handle({ params, query }) {
        const result = await sync.whoHas(params.entitlementOrResourceId ?? '', compact(query));
        if (!result.ok) return problem(result.error, [CURSOR_PROBLEM]);
        return reply(200, pageBody(result.value, accessEntryJson));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/export',
      operationId: 'exportAccess',
      summary: 'Stream the current snapshots as JSON Lines or CSV',
      description:
        'Streamed as it is read, never whole in memory. `jsonl`: every resource, then every entitlement, then every grant of each connection, one `{"connectionId", "kind", …}` object a line. `csv`: a header row, then one row per grant (direct and effective). A failure after the first line aborts the stream.',
      access: 'viewer',
      query: exportQuery,
      response: {
        status: 200,
        description: 'The export, as `application/x-ndjson` (jsonl) or `text/csv` (csv).',
        contentTypes: ['application/x-ndjson', 'text/csv'],
      },
      async handle({ query }) {
        const { format, connection } = query;
        const streamed = await streamFromWriter((write) => sync.exportSnapshot(connection, format, write), {
          onError: (error) => logger.error('export aborted', { error: failureName(error) }),
        });
        if (!streamed.ok) return problem(streamed.error);
        return streamReply(EXPORT_CONTENT_TYPES[format], streamed.value, {
          'Content-Disposition': `attachment; filename="skybridge-access.${format}"`,
        });
      },
    }),
  ];
}
