import { randomBytes } from 'node:crypto';
import type { ApiTokensRepo } from '../db/api-tokens-repo.ts';
import { hashApiToken } from '../db/api-tokens-repo.ts';
import type { AuditRepo } from '../db/audit-repo.ts';
import { API_TOKEN_ROLES } from '../domain/connection.ts';
import type { Clock } from '../domain/clock.ts';
import { err, ok } from '../domain/result.ts';
import { maskSecret } from '../vault/mask-secret.ts';
import type { ApiTokensService } from './api-tokens-service.ts';

/** `sbk_` + 32 random bytes: long enough that a hash is a safe lookup key, recognisable in a leak scan. */
export function generateApiToken(): string {
  return `sbk_${randomBytes(32).toString('base64url')}`;
}

export function createApiTokensService(deps: {
  tokens: ApiTokensRepo;
  audit: AuditRepo;
  clock: Clock;
}): ApiTokensService {
  const { tokens, audit, clock } = deps;
  const service: ApiTokensService = {
    async authenticate(bearer) {
      if (!bearer.startsWith('sbk_') || bearer.length > 200) return undefined;
      const token = await tokens.findActiveByHash(hashApiToken(bearer));
      if (token) await tokens.touchLastUsed(token.id, clock.now());
      return token;
    },
    async create(actor, input) {
      const name = input.name.trim();
      const fields: Array<{ field: string; message: string }> = [];
      if (name.length === 0 || name.length > 100)
        fields.push({ field: 'name', message: 'must be 1 to 100 characters' });
      if (!(API_TOKEN_ROLES as readonly string[]).includes(input.role))
        fields.push({ field: 'role', message: `must be one of ${API_TOKEN_ROLES.join(', ')}` });
      if (fields.length > 0) return err({ code: 'invalid_input', message: 'The token is not valid.', fields });
      const token = generateApiToken();
      const inserted = await tokens.insert({
        name,
        role: input.role,
        tokenHash: hashApiToken(token),
        tokenHint: maskSecret(token),
        createdAt: clock.now(),
      });
      if (!inserted.ok)
        return err({
          code: 'duplicate_name',
          message: 'A token with that name already exists.',
          fields: [{ field: 'name', message: 'is already used' }],
        });
      await audit.append({
        at: clock.now(),
        actor,
        action: 'api_token.create',
        targetType: 'api_token',
        targetId: inserted.value.id,
        details: { name, role: input.role },
      });
      return ok({ token, apiToken: inserted.value });
    },
    list: () => tokens.list(),
    async revoke(actor, id) {
      const revoked = await tokens.revoke(id, clock.now());
      if (!revoked.ok) return err({ code: 'not_found', message: 'No such token.' });
      await audit.append({
        at: clock.now(),
        actor,
        action: 'api_token.revoke',
        targetType: 'api_token',
        targetId: id,
        details: { name: revoked.value.name },
      });
      return ok(revoked.value);
    },
    async ensureOwner(actor) {
      if ((await tokens.list()).length > 0) return { created: false };
      const created = await service.create(actor, { name: 'owner', role: 'owner' });
      return created.ok ? { created: true, token: created.value.token } : { created: false };
    },
  };
  return service;
}
