import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiToken, ApiTokenRole } from '../domain/connection.ts';
import { API_TOKEN_ROLES } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { enumValue, fromIso, present, toIso } from './columns.ts';
import { newId } from './new-id.ts';
import { RepoError } from './repo-error.ts';
import type { ApiTokenRow, Database } from './schema.ts';
import { toDuplicateError } from './unique-violation.ts';

const ENTITY = 'API token';

/**
 * The stored form of an API token: hex SHA-256. A plain hash suffices (no salt, no slow KDF) because the tokens
 * are long random strings, not passwords, and it lets the auth lookup be one indexed equality query.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewApiToken {
  /** Default `newId()`. */
  id?: string;
  name: string;
  role: ApiTokenRole;
  /** `hashApiToken(token)`; the token itself never reaches this layer. */
  tokenHash: string;
  /** `maskSecret(token)`. */
  tokenHint: string;
  createdAt: Date;
}

export interface ApiTokensRepo {
  /** Fails with `duplicate` (field `name`, or `tokenHash`). */
  insert(input: NewApiToken): Promise<Result<ApiToken, RepoError>>;
  getById(id: string): Promise<ApiToken | undefined>;
  /** The unrevoked token with this hash: the authentication lookup. */
  findActiveByHash(tokenHash: string): Promise<ApiToken | undefined>;
  /** All tokens, revoked ones included, oldest first. The table stays small; no pagination. */
  list(): Promise<ApiToken[]>;
  touchLastUsed(id: string, at: Date): Promise<void>;
  /** Revokes the token; revoking twice keeps the first time. Fails with `not_found`. */
  revoke(id: string, at: Date): Promise<Result<ApiToken, RepoError>>;
}

export function apiTokenFromRow(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: enumValue(API_TOKEN_ROLES, row.role, 'api_tokens.role'),
    tokenHint: row.token_hint,
    createdAt: fromIso(row.created_at),
    ...present('lastUsedAt', row.last_used_at === null ? null : fromIso(row.last_used_at)),
    ...present('revokedAt', row.revoked_at === null ? null : fromIso(row.revoked_at)),
  };
}

export function createApiTokensRepo(db: Kysely<Database>): ApiTokensRepo {
  const byId = (id: string) => db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    async insert(input) {
      try {
        const row = await db
          .insertInto('api_tokens')
          .values({
            id: input.id ?? newId(),
            name: input.name,
            role: input.role,
            token_hash: input.tokenHash,
            token_hint: input.tokenHint,
            created_at: toIso(input.createdAt),
            last_used_at: null,
            revoked_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return ok(apiTokenFromRow(row));
      } catch (e) {
        return err(toDuplicateError(e, ENTITY));
      }
    },

    async getById(id) {
      const row = await byId(id);
      return row && apiTokenFromRow(row);
    },

    async findActiveByHash(tokenHash) {
      const row = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row && apiTokenFromRow(row);
    },

    async list() {
      const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(apiTokenFromRow);
    },

    async touchLastUsed(id, at) {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: toIso(at) })
        .where('id', '=', id)
        .execute();
    },

    async revoke(id, at) {
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: toIso(at) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const row = await byId(id);
      return row ? ok(apiTokenFromRow(row)) : err(new RepoError('not_found', ENTITY));
    },
  };
}
