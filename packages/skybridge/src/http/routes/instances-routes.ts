import { roleAllows } from '../../access/api-tokens-service.ts';
import type { DataoutService } from '../../dataout/create-dataout-service.ts';
import type { ApiToken } from '../../domain/connection.ts';
import { compact } from '../compact.ts';
import { instanceJson, pushResultJson, testResultJson, ticketJobJson, ticketJson } from '../dataout-serializers.ts';
import { problemFromDataoutError } from '../error-mapper.ts';
import type { ApiRoute } from '../route.ts';
import { API_PREFIX, defineRoute, fail, reply } from '../route.ts';
import {
  DEFAULT_PAGE_SIZE,
  findingsDocument,
  findingsQuery,
  instanceJobsQuery,
  outcomesQuery,
  keysetPageQuery,
  MAX_PAGE_SIZE,
  newInstanceBody,
  testInstanceBody,
} from '../schemas.ts';
import type { ActorVisibility, JsonObject } from '../serializers.ts';
import { checkJsonContentType, parseJsonText } from '../validation.ts';

/** The headers a webhook delivery is signed with (see `DataoutService.verifyWebhook`). */
export const SIGNATURE_HEADER = 'X-Skybridge-Signature';
export const TIMESTAMP_HEADER = 'X-Skybridge-Timestamp';

const PAGING = `Keyset pages: \`limit\` 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); pass \`nextCursor\` back as \`cursor\` for the next page, until a page comes without one.`;

const OUTCOMES =
  "Answered 202 once the accepted findings and their ticket jobs are recorded (the jobs run on the server's workers). Like a 207, the body reports each finding: `outcomes[i].result` is `queued` (a ticket operation is on its way; its job is among `jobIds`), `unchanged` (nothing to do), `skipped` (resolved before any ticket was made) or `rejected` (`problems` names every bad field; the others are not held back). A body that is not JSON, or neither a finding nor an array of at most 1,000, is a 400 naming `body` or `findings`; a stopped instance is a 409 `instance_stopped` and nothing is recorded.";

function visibility(token: ApiToken | undefined): ActorVisibility {
  return { showActors: token !== undefined && roleAllows(token.role, 'admin') };
}

/**
 * Data out over HTTP: instances (add, list, show, stop, start, test, delete), findings pushed by a token holder or by
 * a producer through the signed webhook, and the tickets and ticket jobs of an instance. Each route parses, calls
 * `DataoutService` and renders its Result; the webhook secret appears in the create response only.
 */
export function instancesRoutes(dataout: DataoutService): ApiRoute[] {
  /** Findings as text (a token's push or a verified delivery) to a 202 with their outcomes. */
  const pushText = async (actor: string, idOrName: string, text: string, source: string | undefined) => {
    const json = parseJsonText(text);
    if (!json.ok) return fail(json.error);
    const pushed = await dataout.push(actor, idOrName, json.value, compact({ source }));
    if (!pushed.ok) return fail(problemFromDataoutError(pushed.error));
    return reply(202, pushResultJson(pushed.value));
  };

  return [
    defineRoute({
      method: 'post',
      path: '/instances',
      operationId: 'addInstance',
      summary: 'Add a data-out instance: findings to Jira tickets through one Jira connection',
      description:
        "The project, issue type and mapping are checked against what the connection can see (Jira's create metadata); a required field left unmapped is a 400 naming `mapping.<fieldId>`. The response holds the instance's webhook secret: it is shown this once and never again.",
      access: 'admin',
      body: newInstanceBody,
      response: { status: 201, description: '`{ instance, webhookSecret }`. Keep the secret: it is not shown again.' },
      async handle({ actor, body, token }) {
        const result = await dataout.addInstance(actor, body);
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        const { instance, webhookSecret } = result.value;
        return reply(
          201,
          { instance: instanceJson(instance, visibility(token)), webhookSecret },
          { Location: `${API_PREFIX}/instances/${encodeURIComponent(instance.id)}` },
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances',
      operationId: 'listInstances',
      summary: 'List data-out instances, a page at a time',
      description: PAGING,
      access: 'viewer',
      query: keysetPageQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: instances with their ticket counts.' },
      async handle({ query, token }) {
        const result = await dataout.listInstances(compact(query));
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        const shown = visibility(token);
        const body: JsonObject = { items: result.value.items.map((view) => instanceJson(view, shown)) };
        if (result.value.nextCursor !== undefined) body.nextCursor = result.value.nextCursor;
        return reply(200, body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{idOrName}',
      operationId: 'getInstance',
      summary: 'A data-out instance: its configuration, status, health and ticket counts',
      description: '`createdBy` is shown to admins and owners only.',
      access: 'viewer',
      response: { status: 200, description: '`{ instance }`.' },
      async handle({ params, token }) {
        const result = await dataout.getInstance(params.idOrName ?? '');
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, { instance: instanceJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/instances/{idOrName}/stop',
      operationId: 'stopInstance',
      summary: 'Stop an instance: it refuses new findings (409 `instance_stopped`) and pauses its ticket operations',
      access: 'admin',
      response: { status: 200, description: '`{ instance }`.' },
      async handle({ actor, params, token }) {
        const result = await dataout.setStatus(actor, params.idOrName ?? '', 'stopped');
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, { instance: instanceJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/instances/{idOrName}/start',
      operationId: 'startInstance',
      summary: 'Start a stopped instance: it takes findings again and queues whatever is out of step',
      access: 'admin',
      response: { status: 200, description: '`{ instance }`.' },
      async handle({ actor, params, token }) {
        const result = await dataout.setStatus(actor, params.idOrName ?? '', 'active');
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, { instance: instanceJson(result.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/instances/{idOrName}',
      operationId: 'deleteInstance',
      summary: "Delete an instance and the hub's record of its tickets (nothing in Jira is touched)",
      description: 'Its queued ticket jobs are cancelled.',
      access: 'admin',
      response: { status: 200, description: '`{ deleted }`: the instance as it was.' },
      async handle({ actor, params, token }) {
        const found = await dataout.getInstance(params.idOrName ?? '');
        if (!found.ok) return fail(problemFromDataoutError(found.error));
        // By id, so a rename between the two calls cannot make this delete another instance.
        const result = await dataout.deleteInstance(actor, found.value.id);
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, { deleted: instanceJson(found.value, visibility(token)) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/instances/{idOrName}/test',
      operationId: 'testInstance',
      summary: 'Test an instance: a dry run (render and validate) or a live ticket that is then removed',
      description:
        'A dry run (the default) renders the sample finding, or `finding`, into the fields a ticket would get and writes nothing, so any viewer may run one. `live: true` creates a ticket labelled `skybridge-test` and then deletes it, or closes it where deleting is not permitted (`cleanup` says which); it writes to Jira, so it needs role `admin` (403 otherwise).',
      access: 'viewer',
      body: testInstanceBody,
      response: { status: 200, description: '`{ live, fields, issueKey?, cleanup? }`.' },
      async handle({ actor, params, body, token }) {
        const live = body?.live ?? false;
        if (live && (token === undefined || !roleAllows(token.role, 'admin')))
          return fail({
            status: 403,
            code: 'forbidden',
            message: `A live test writes to Jira and needs a token with role "admin" or higher; this token's role is "${token?.role ?? 'none'}". A dry run (\`live: false\`) needs "viewer".`,
          });
        const result = await dataout.testInstance(
          actor,
          params.idOrName ?? '',
          body?.finding === undefined ? { live } : { live, finding: body.finding },
        );
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, testResultJson(result.value, live));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/instances/{idOrName}/findings',
      operationId: 'pushFindings',
      summary: 'Push one finding or a batch; each becomes (or updates) a Jira ticket through a job',
      description: OUTCOMES,
      access: 'admin',
      rawBody: { schema: findingsDocument },
      bulkBody: true,
      query: findingsQuery,
      response: { status: 202, description: '`{ accepted, rejected, outcomes, jobIds }`: one outcome per finding.' },
      async handle({ actor, params, query, rawBody, header }) {
        if (rawBody !== undefined && rawBody.length > 0) {
          const type = checkJsonContentType(header('content-type'));
          if (!type.ok) return fail(type.error);
        }
        return pushText(actor, params.idOrName ?? '', rawBody ?? '', query.source);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/instances/{idOrName}/findings',
      operationId: 'receiveFindingsWebhook',
      summary: 'Signed webhook for producers that push findings: no token, an HMAC signature instead',
      description: `${OUTCOMES} The body is taken as sent, whatever its Content-Type, since the signature covers its exact bytes (UTF-8).`,
      access: 'public',
      authentication: `Signed with the instance's webhook secret (shown once, when the instance was added): \`${TIMESTAMP_HEADER}: <Unix seconds>\`, within five minutes of the server's clock, and \`${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">\`. Anything else is a 401 that says nothing more, also for an unknown instance.`,
      headers: [
        { name: SIGNATURE_HEADER, description: '`sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`.' },
        { name: TIMESTAMP_HEADER, description: 'When the delivery was signed, in Unix seconds.' },
      ],
      rawBody: { schema: findingsDocument },
      bulkBody: true,
      query: findingsQuery,
      response: { status: 202, description: '`{ accepted, rejected, outcomes, jobIds }`: one outcome per finding.' },
      async handle({ params, query, rawBody, header }) {
        const body = rawBody ?? '';
        const verified = await dataout.verifyWebhook(params.idOrName ?? '', {
          signature: header(SIGNATURE_HEADER),
          timestamp: header(TIMESTAMP_HEADER),
          body,
        });
        if (!verified.ok) return fail(problemFromDataoutError(verified.error));
        // The verified instance by id: the delivery was signed for that one, whatever its name is now.
        return pushText(`webhook:${verified.value.name}`, verified.value.id, body, query.source);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{idOrName}/tickets',
      operationId: 'listInstanceTickets',
      summary: "The instance's tickets: each finding's Jira issue and whether it is in step",
      description: PAGING,
      access: 'viewer',
      query: keysetPageQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: tickets.' },
      async handle({ params, query }) {
        const result = await dataout.tickets(params.idOrName ?? '', compact(query));
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        const body: JsonObject = { items: result.value.items.map(ticketJson) };
        if (result.value.nextCursor !== undefined) body.nextCursor = result.value.nextCursor;
        return reply(200, body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{idOrName}/outcomes',
      operationId: 'getFindingOutcomes',
      summary: 'Where some pushed findings stand: their ticket, and whether it is in step with the finding',
      description:
        'For a producer waiting on its push: poll until every finding is `inStep` or has an `error`. Findings never pushed are left out.',
      access: 'viewer',
      query: outcomesQuery,
      response: {
        status: 200,
        description: '`{ items }`: `{ findingId, state, issueKey?, inStep, error?, errorClass? }`.',
      },
      async handle({ params, query }) {
        const ids = query.findingIds
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '');
        const result = await dataout.outcomes(params.idOrName ?? '', ids, compact({ source: query.source }));
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, {
          items: result.value.map((o) => {
            const item: JsonObject = { findingId: o.findingId, state: o.state, inStep: o.inStep };
            if (o.issueKey !== undefined) item['issueKey'] = o.issueKey;
            if (o.error !== undefined) item['error'] = o.error;
            if (o.errorClass !== undefined) item['errorClass'] = o.errorClass;
            return item;
          }),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{idOrName}/jobs',
      operationId: 'listInstanceJobs',
      summary: "The instance's ticket jobs, newest first: status, attempts and the class of the last error",
      description: `The \`limit\` most recent (1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}). A failed job can be run again with \`POST /jobs/{jobId}/replay\`.`,
      access: 'viewer',
      query: instanceJobsQuery,
      response: { status: 200, description: '`{ items }`: ticket jobs.' },
      async handle({ params, query }) {
        const result = await dataout.jobs(params.idOrName ?? '', compact(query));
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(200, { items: result.value.map(ticketJobJson) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/jobs/{jobId}/replay',
      operationId: 'replayTicketJob',
      summary: 'Run a ticket job again (after fixing what made it fail) as a new job',
      description:
        'Tickets whose create Jira refused go back in line with it. Only data-out ticket jobs; others are 404.',
      access: 'admin',
      response: { status: 202, description: '`{ job }`: the new job.' },
      async handle({ actor, params }) {
        const result = await dataout.replay(actor, params.jobId ?? '');
        if (!result.ok) return fail(problemFromDataoutError(result.error));
        return reply(202, { job: ticketJobJson(result.value) });
      },
    }),
  ];
}
