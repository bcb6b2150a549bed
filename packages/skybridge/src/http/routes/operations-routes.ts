import type { ConnectionsService } from '../../connections/connections-service.ts';
import { problemFromConnectionError } from '../error-mapper.ts';
import type { ApiRoute } from '../route.ts';
import { defineRoute, fail, reply } from '../route.ts';
import { apiTokenJson } from '../serializers.ts';

/** Hub-wide operations and "who am I". */
export function operationsRoutes(connections: ConnectionsService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      operationId: 'whoAmI',
      summary: 'The calling token: its name and role',
      access: 'viewer',
      response: { status: 200, description: '`{ actor, token }`.' },
      async handle({ actor, token }) {
        // Viewer access guarantees a token; the check keeps the type honest rather than asserting it.
        return Promise.resolve(reply(200, token === undefined ? { actor } : { actor, token: apiTokenJson(token) }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/health-check',
      operationId: 'runHealthCheck',
      summary: 'Run the periodic health check now: expiry checks and re-verification of every connection',
      access: 'admin',
      response: { status: 200, description: '`{ checked, changed, warnings }`.' },
      async handle({ actor }) {
        const r = await connections.checkHealth(actor);
        return reply(200, { checked: r.checked, changed: r.changed, warnings: r.warnings });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/keys/rotate',
      operationId: 'rotateVaultKeys',
      summary: 'Re-seal every stored secret under the current primary key',
      access: 'owner',
      response: { status: 200, description: '`{ total, resealed, alreadyCurrent, failed, keyId }`.' },
      async handle({ actor }) {
        const result = await connections.rotateKeys(actor);
        if (!result.ok) return fail(problemFromConnectionError(result.error));
        const r = result.value;
        return reply(200, {
          total: r.total,
          resealed: r.resealed,
          alreadyCurrent: r.alreadyCurrent,
          failed: r.failed,
          keyId: r.keyId,
        });
      },
    }),
  ];
}
