import type { ApiTokensService } from '../../access/api-tokens-service.ts';
import { problemFromApiTokensError } from '../error-mapper.ts';
import type { ApiRoute } from '../route.ts';
import { defineRoute, fail, reply } from '../route.ts';
import { createTokenBody } from '../schemas.ts';
import { apiTokenJson } from '../serializers.ts';

/** API token management: owner only, because a token is a grant of access to everything its role allows. */
export function tokensRoutes(apiTokens: ApiTokensService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tokens',
      operationId: 'listApiTokens',
      summary: 'List API tokens (hints only, never values)',
      access: 'owner',
      response: { status: 200, description: '`{ items }`.' },
      async handle() {
        const tokens = await apiTokens.list();
        return reply(200, { items: tokens.map(apiTokenJson) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tokens',
      operationId: 'createApiToken',
      summary: 'Create an API token; its value is in this response and nowhere else, ever',
      access: 'owner',
      body: createTokenBody,
      response: { status: 201, description: '`{ token, apiToken }`: `token` is shown this once.' },
      async handle({ actor, body }) {
        const result = await apiTokens.create(actor, body);
        if (!result.ok) return fail(problemFromApiTokensError(result.error));
        return reply(201, { token: result.value.token, apiToken: apiTokenJson(result.value.apiToken) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/tokens/{id}',
      operationId: 'revokeApiToken',
      summary: 'Revoke an API token',
      access: 'owner',
      response: { status: 200, description: '`{ apiToken }`: the revoked token.' },
      async handle({ actor, params }) {
        const result = await apiTokens.revoke(actor, params.id ?? '');
        if (!result.ok) return fail(problemFromApiTokensError(result.error));
        return reply(200, { apiToken: apiTokenJson(result.value) });
      },
    }),
  ];
}
