import type { ApiTokensService } from '../access/api-tokens-service.ts';
import { roleAllows } from '../access/api-tokens-service.ts';
import type { Actor } from '../connections/connections-service.ts';
import type { ApiToken, ApiTokenRole } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { ApiProblem } from './api-problem.ts';

/**
 * Bearer authentication and role checks. The token value is only ever handed to `authenticate` (which compares
 * hashes); it is never logged, echoed or put in a message.
 */

/** Longer values are refused without hashing: no real token is this long. */
export const MAX_BEARER_LENGTH = 1024;

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.length > MAX_BEARER_LENGTH + 16) return undefined;
  return BEARER.exec(authorization)?.[1];
}

/** The actor name services record for a token. */
export function tokenActor(token: ApiToken): Actor {
  return `token:${token.name}`;
}

const unauthenticated = (message: string): ApiProblem => ({
  status: 401,
  code: 'unauthenticated',
  message,
  headers: { 'WWW-Authenticate': 'Bearer realm="skybridge"' },
});

/** Resolves the caller's token and checks it has at least `needed`. */
export async function authorize(
  apiTokens: ApiTokensService,
  authorization: string | undefined,
  needed: ApiTokenRole,
): Promise<Result<{ token: ApiToken; actor: Actor }, ApiProblem>> {
  if (authorization === undefined) return err(unauthenticated('Send an API token: `Authorization: Bearer <token>`.'));
  const bearer = bearerToken(authorization);
  if (bearer === undefined) return err(unauthenticated('The Authorization header must be `Bearer <token>`.'));
  const token = await apiTokens.authenticate(bearer);
  if (token === undefined || token.revokedAt !== undefined)
    return err(unauthenticated('The API token is unknown or has been revoked.'));
  if (!roleAllows(token.role, needed))
    return err({
      status: 403,
      code: 'forbidden',
      message: `This needs a token with role "${needed}" or higher; this token's role is "${token.role}".`,
    });
  return ok({ token, actor: tokenActor(token) });
}
