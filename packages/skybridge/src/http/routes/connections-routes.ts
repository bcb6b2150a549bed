import type { ConnectionsService } from '../../connections/connections-service.ts';
import { roleAllows } from '../../access/api-tokens-service.ts';
import { compact } from '../compact.ts';
import { problemFromConnectionError } from '../error-mapper.ts';
import type { ApiRoute } from '../route.ts';
import { defineRoute, fail, reply } from '../route.ts';
import { connectionEditBody, deleteQuery, listQuery, newConnectionBody, rotateBody } from '../schemas.ts';
import {
  auditEventJson,
  connectionJson,
  dependentJson,
  type JsonObject,
  statusEventJson,
  verifyOutcomeJson,
  verifyReportJson,
} from '../serializers.ts';
import { invalidInput } from '../validation.ts';

/** `If-Match: 3`, `If-Match: "3"` or `If-Match: W/"3"`: the connection version an edit is based on. */
const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;

/** The connections resource: each route parses, calls one `ConnectionsService` method, and renders its Result. */
export function connectionsRoutes(connections: ConnectionsService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/connections',
      operationId: 'listConnections',
      summary: 'List connections, a page at a time',
      access: 'viewer',
      query: listQuery,
      response: { status: 200, description: '`{ items, nextCursor? }`: connections without secrets.' },
      async handle({ query }) {
        const result = await connections.list(compact(query));
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        const body: JsonObject = { items: result.value.items.map(connectionJson) };
        if (result.value.nextCursor !== undefined) body.nextCursor = result.value.nextCursor;
        return reply(200, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/connections',
      operationId: 'addConnection',
      summary: 'Add a connection (verified against Atlassian before it is stored)',
      description: 'Nothing is stored unless verification succeeds; a failure is 422 with the Atlassian error.',
      access: 'admin',
      body: newConnectionBody,
      response: { status: 201, description: '`{ connection, report }`: the stored connection and what verify learnt.' },
      async handle({ actor, body }) {
        const result = await connections.add(actor, compact(body));
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(201, {
          connection: connectionJson(result.value.connection),
          report: verifyReportJson(result.value.report),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/connections/{idOrName}',
      operationId: 'getConnection',
      summary: 'A connection with its status history (and audit log, for admins)',
      description:
        'The audit log names actors and what they did, so it is included for admin and owner tokens only. The `ETag` is the version, for `If-Match` on an edit.',
      access: 'viewer',
      response: { status: 200, description: '`{ connection, statusHistory, audit? }`.' },
      async handle({ params, token }) {
        const result = await connections.get(params.idOrName ?? '');
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        const { connection, statusHistory, audit } = result.value;
        const body = {
          connection: connectionJson(connection),
          statusHistory: statusHistory.map(statusEventJson),
          ...(token !== undefined && roleAllows(token.role, 'admin') ? { audit: audit.map(auditEventJson) } : {}),
        };
        return reply(200, body, { ETag: `"${connection.version}"` });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/connections/{idOrName}',
      operationId: 'editConnection',
      summary: 'Edit a connection; a new secret or target is verified before it is kept',
      access: 'admin',
      body: connectionEditBody,
      headers: [{ name: 'If-Match', description: 'The version the edit is based on (or `expectedVersion`).' }],
      response: { status: 200, description: '`{ connection, report?, error? }`.' },
      async handle({ actor, params, body, header }) {
        const { expectedVersion, ...edit } = body;
        const ifMatch = header('if-match');
        let version = expectedVersion;
        if (ifMatch !== undefined) {
          const match = IF_MATCH.exec(ifMatch.trim());
          if (!match)
            return fail(invalidInput([{ field: 'If-Match', message: 'must be a connection version, like "3"' }]));
          const fromHeader = Number(match[1]);
          if (version !== undefined && version !== fromHeader)
            return fail(
              invalidInput([
                { field: 'expectedVersion', message: 'disagrees with the If-Match header; send one of them' },
              ]),
            );
          version = fromHeader;
        }
        const result = await connections.edit(actor, params.idOrName ?? '', {
          ...compact(edit),
          ...(version === undefined ? {} : { expectedVersion: version }),
        });
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(200, verifyOutcomeJson(result.value));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/connections/{idOrName}/verify',
      operationId: 'verifyConnection',
      summary: 'Re-verify a connection and record the outcome',
      description: 'A failed check is a successful call: the outcome is in `error` and the status history.',
      access: 'admin',
      response: { status: 200, description: '`{ connection, report?, error? }`.' },
      async handle({ actor, params }) {
        const result = await connections.verify(actor, params.idOrName ?? '');
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(200, verifyOutcomeJson(result.value));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/connections/{idOrName}/rotate',
      operationId: 'rotateConnectionSecret',
      summary: 'Replace the secret after verifying the new one',
      description: 'A failure (422) leaves the connection as it was.',
      access: 'admin',
      body: rotateBody,
      response: { status: 200, description: '`{ connection, report?, error? }`.' },
      async handle({ actor, params, body }) {
        const { secret, ...options } = body;
        const result = await connections.rotate(actor, params.idOrName ?? '', secret, compact(options));
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(200, verifyOutcomeJson(result.value));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/connections/{idOrName}/dependents',
      operationId: 'listConnectionDependents',
      summary: 'What uses the connection (and goes with it on a cascading delete)',
      access: 'viewer',
      response: { status: 200, description: '`{ dependents }`.' },
      async handle({ params }) {
        const result = await connections.dependents(params.idOrName ?? '');
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(200, { dependents: result.value.map(dependentJson) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/connections/{idOrName}',
      operationId: 'deleteConnection',
      summary: 'Delete a connection (never anything in Atlassian)',
      description: 'Refused with 409 and the list of dependents unless `cascade=true`.',
      access: 'admin',
      query: deleteQuery,
      response: { status: 200, description: '`{ deleted, cascaded }`.' },
      async handle({ actor, params, query }) {
        const result = await connections.delete(actor, params.idOrName ?? '', { cascade: query.cascade === 'true' });
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        return reply(200, {
          deleted: connectionJson(result.value.deleted),
          cascaded: result.value.cascaded.map(dependentJson),
        });
      },
    }),
  ];
}
