import type { Kysely } from 'kysely';
import * as z from 'zod';
import { ATLASSIAN_ERROR_CODES } from '../domain/atlassian-error-code.ts';
import type { AuthorizationStatus } from '../domain/authorization-status.ts';
import { AUTHORIZATION_STATUSES } from '../domain/authorization-status.ts';
import type { Connection, ConnectionLastError, SealedSecret } from '../domain/connection.ts';
import { MAX_SAFE_MESSAGE_LENGTH } from '../domain/connection.ts';
import type { ConnectionKind } from '../domain/connection-kinds.ts';
import { CONNECTION_KINDS } from '../domain/connection-kinds.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { enumValue, fromIso, patchColumn, present, toIso } from './columns.ts';
import type { Page, PageRequest } from './pagination.ts';
import { decodeCursor, pageSize, toPage } from './pagination.ts';
import { RepoError } from './repo-error.ts';
import type { ConnectionRow, ConnectionRowUpdate, Database } from './schema.ts';
import { toDuplicateError } from './unique-violation.ts';

const ENTITY = 'connection';

/** A sealed secret with its masked hint: they always change together. */
export interface ConnectionSecret {
  sealed: SealedSecret;
  /** `maskSecret(plain)`, computed by the caller while it still holds the plaintext. */
  hint: string;
}

export interface NewConnection {
  /** Chosen by the caller (`newId()`), because the secret is sealed to it before the insert. */
  id: string;
  name: string;
  kind: ConnectionKind;
  url?: string;
  email?: string;
  orgId?: string;
  siteId?: string;
  teamsUrl?: string;
  teamsEmail?: string;
  teamsSecretHint?: string;
  /** Default `direct`. */
  authMode?: 'direct' | 'gateway';
  gatewayUrl?: string;
  caCert?: string;
  secret: ConnectionSecret;
  tokenExpiresAt?: Date;
  /** Default `unverified`. */
  status?: AuthorizationStatus;
  /** Creation time, from the Clock. */
  at: Date;
}

/** What a check learnt: written by `recordStatus`, and allowed in an `update` (e.g. reset after an edit). */
export interface ConnectionStatusPatch {
  status?: AuthorizationStatus;
  consecutiveFailures?: number;
  lastCheckedAt?: Date | null;
  lastError?: ConnectionLastError | null;
  lastExpiryWarningDays?: number | null;
}

/** An edit. Absent fields are left alone; `null` clears an optional field. */
export interface ConnectionPatch extends ConnectionStatusPatch {
  name?: string;
  url?: string | null;
  email?: string | null;
  orgId?: string | null;
  siteId?: string | null;
  teamsUrl?: string | null;
  teamsEmail?: string | null;
  teamsSecretHint?: string | null;
  authMode?: 'direct' | 'gateway';
  gatewayUrl?: string | null;
  caCert?: string | null;
  secret?: ConnectionSecret;
  tokenExpiresAt?: Date | null;
}

export interface ConnectionsRepo {
  /** Fails with `duplicate` (field `name` or `id`). */
  insert(input: NewConnection): Promise<Result<Connection, RepoError>>;
  getById(id: string): Promise<Connection | undefined>;
  getByName(name: string): Promise<Connection | undefined>;
  /** Oldest first, by (createdAt, id): stable across pages and renames. Fails with `bad_cursor`. */
  list(page?: PageRequest): Promise<Result<Page<Connection>, RepoError>>;
  /**
   * Applies `patch` if the stored version is still `expectedVersion`, increments the version and sets
   * `updatedAt`. Fails with `not_found`, `stale_version` or `duplicate`.
   */
  update(id: string, expectedVersion: number, patch: ConnectionPatch, at: Date): Promise<Result<Connection, RepoError>>;
  /**
   * Records the outcome of a check begun on `basedOnVersion`. Refused (`stale_version`) if the connection was
   * edited since, because the result was obtained with the old settings or secret and says nothing about the new
   * ones. It does not increment the version: a check must not make the user's open edit form stale.
   */
  recordStatus(
    id: string,
    basedOnVersion: number,
    patch: ConnectionStatusPatch,
  ): Promise<Result<Connection, RepoError>>;
  /** Deletes the connection and its status history (the audit log keeps its record). Fails with `not_found`. */
  delete(id: string): Promise<Result<void, RepoError>>;
  /** The sealed secret and the version it belongs to, for the one code path that opens it. */
  getSealedSecret(id: string): Promise<{ sealed: SealedSecret; version: number } | undefined>;
  /** Every sealed secret, in batches by id, for `resealAll`. Rows added during the walk may or may not be seen. */
  listSealedSecrets(batchSize?: number): AsyncIterable<{ id: string; sealed: SealedSecret }>;
  /**
   * Replaces the sealed value only if it is still `previous` (compare-and-swap) and says whether it did. The
   * secret itself does not change, so neither the version nor `updatedAt` do. Shaped for `resealAll`'s `write`.
   */
  updateSealedSecret(id: string, next: SealedSecret, previous: SealedSecret): Promise<boolean>;
}

const lastErrorSchema = z
  .object({ code: z.enum(ATLASSIAN_ERROR_CODES), message: z.string().max(MAX_SAFE_MESSAGE_LENGTH) })
  .strict();

export function connectionFromRow(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    kind: enumValue(CONNECTION_KINDS, row.kind, 'connections.kind'),
    ...present('url', row.url),
    ...present('email', row.email),
    ...present('orgId', row.org_id),
    ...present('siteId', row.site_id),
    ...present('teamsUrl', row.teams_url),
    ...present('teamsEmail', row.teams_email),
    ...present('teamsSecretHint', row.teams_secret_hint),
    authMode: row.auth_mode === 'gateway' ? 'gateway' : 'direct',
    ...present('gatewayUrl', row.gateway_url),
    ...present('caCert', row.ca_cert),
    secretHint: row.secret_hint,
    ...present('tokenExpiresAt', row.token_expires_at === null ? null : fromIso(row.token_expires_at)),
    status: enumValue(AUTHORIZATION_STATUSES, row.status, 'connections.status'),
    consecutiveFailures: row.consecutive_failures,
    ...present('lastCheckedAt', row.last_checked_at === null ? null : fromIso(row.last_checked_at)),
    ...present('lastError', row.last_error === null ? null : lastErrorSchema.parse(JSON.parse(row.last_error))),
    ...present('lastExpiryWarningDays', row.last_expiry_warning_days),
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
    version: row.version,
  };
}

function lastErrorToColumn(e: ConnectionLastError): string {
  // Rebuilt field by field (an allow-list), so nothing else on the object reaches the database.
  return JSON.stringify({ code: e.code, message: e.message.slice(0, MAX_SAFE_MESSAGE_LENGTH) });
}

function statusPatchToRow(patch: ConnectionStatusPatch): ConnectionRowUpdate {
  return withoutUndefined({
    status: patch.status,
    consecutive_failures: patch.consecutiveFailures,
    last_checked_at: patchColumn(patch.lastCheckedAt, toIso),
    last_error: patchColumn(patch.lastError, lastErrorToColumn),
    last_expiry_warning_days: patch.lastExpiryWarningDays,
  });
}

function patchToRow(patch: ConnectionPatch): ConnectionRowUpdate {
  const same = <T>(v: T) => v;
  return withoutUndefined({
    ...statusPatchToRow(patch),
    name: patch.name,
    url: patchColumn(patch.url, same),
    email: patchColumn(patch.email, same),
    org_id: patchColumn(patch.orgId, same),
    site_id: patchColumn(patch.siteId, same),
    teams_url: patchColumn(patch.teamsUrl, same),
    teams_email: patchColumn(patch.teamsEmail, same),
    teams_secret_hint: patchColumn(patch.teamsSecretHint, same),
    auth_mode: patch.authMode,
    gateway_url: patchColumn(patch.gatewayUrl, same),
    ca_cert: patchColumn(patch.caCert, same),
    sealed_secret: patch.secret?.sealed,
    secret_hint: patch.secret?.hint,
    token_expires_at: patchColumn(patch.tokenExpiresAt, toIso),
  });
}

/** Kysely would bind `undefined` as NULL on some dialects; absent must mean "leave the column". */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Works over a Kysely instance or a transaction, so a use-case can combine repositories atomically. */
export function createConnectionsRepo(db: Kysely<Database>): ConnectionsRepo {
  async function afterMiss(id: string): Promise<RepoError> {
    const found = await db.selectFrom('connections').select('id').where('id', '=', id).executeTakeFirst();
    return new RepoError(found ? 'stale_version' : 'not_found', ENTITY);
  }

  return {
    async insert(input) {
      const at = toIso(input.at);
      try {
        const row = await db
          .insertInto('connections')
          .values({
            id: input.id,
            name: input.name,
            kind: input.kind,
            url: input.url ?? null,
            email: input.email ?? null,
            org_id: input.orgId ?? null,
            site_id: input.siteId ?? null,
            teams_url: input.teamsUrl ?? null,
            teams_email: input.teamsEmail ?? null,
            teams_secret_hint: input.teamsSecretHint ?? null,
            auth_mode: input.authMode ?? 'direct',
            gateway_url: input.gatewayUrl ?? null,
            ca_cert: input.caCert ?? null,
            sealed_secret: input.secret.sealed,
            secret_hint: input.secret.hint,
            token_expires_at: input.tokenExpiresAt === undefined ? null : toIso(input.tokenExpiresAt),
            status: input.status ?? 'unverified',
            consecutive_failures: 0,
            last_checked_at: null,
            last_error: null,
            last_expiry_warning_days: null,
            created_at: at,
            updated_at: at,
            version: 1,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return ok(connectionFromRow(row));
      } catch (e) {
        return err(toDuplicateError(e, ENTITY));
      }
    },

    async getById(id) {
      const row = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      return row && connectionFromRow(row);
    },

    async getByName(name) {
      const row = await db.selectFrom('connections').selectAll().where('name', '=', name).executeTakeFirst();
      return row && connectionFromRow(row);
    },

    async list(page) {
      const limit = pageSize(page);
      let query = db.selectFrom('connections').selectAll();
      if (page?.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        if (!position.ok) return err(new RepoError('bad_cursor', ENTITY));
        const { at, id } = position.value;
        query = query.where((eb) =>
          eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      return ok(toPage(rows, limit, (r) => ({ at: r.created_at, id: r.id }), connectionFromRow));
    },

    async update(id, expectedVersion, patch, at) {
      try {
        const row = await db
          .updateTable('connections')
          .set(patchToRow(patch))
          .set((eb) => ({ version: eb('version', '+', 1), updated_at: toIso(at) }))
          .where('id', '=', id)
          .where('version', '=', expectedVersion)
          .returningAll()
          .executeTakeFirst();
        return row ? ok(connectionFromRow(row)) : err(await afterMiss(id));
      } catch (e) {
        return err(toDuplicateError(e, ENTITY));
      }
    },

    async recordStatus(id, basedOnVersion, patch) {
      const values = statusPatchToRow(patch);
      // An empty patch must still answer whether the version holds; assigning the version to itself keeps the
      // SQL valid and changes nothing.
      const row = await db
        .updateTable('connections')
        .set(Object.keys(values).length > 0 ? values : { version: basedOnVersion })
        .where('id', '=', id)
        .where('version', '=', basedOnVersion)
        .returningAll()
        .executeTakeFirst();
      return row ? ok(connectionFromRow(row)) : err(await afterMiss(id));
    },

    async delete(id) {
      const result = await db.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n ? ok(undefined) : err(new RepoError('not_found', ENTITY));
    },

    async getSealedSecret(id) {
      const row = await db
        .selectFrom('connections')
        .select(['sealed_secret', 'version'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { sealed: row.sealed_secret, version: row.version };
    },

    async *listSealedSecrets(batchSize = 100) {
      let after: string | undefined;
      for (;;) {
        let query = db.selectFrom('connections').select(['id', 'sealed_secret']).orderBy('id').limit(batchSize);
        if (after !== undefined) query = query.where('id', '>', after);
        const rows = await query.execute();
        for (const row of rows) yield { id: row.id, sealed: row.sealed_secret };
        if (rows.length < batchSize) return;
        after = rows.at(-1)?.id;
      }
    },

    async updateSealedSecret(id, next, previous) {
      const result = await db
        .updateTable('connections')
        .set({ sealed_secret: next })
        .where('id', '=', id)
        .where('sealed_secret', '=', previous)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
