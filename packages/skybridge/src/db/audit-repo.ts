import type { Kysely } from 'kysely';
import * as z from 'zod';
import type { AuditDetails, AuditEvent, AuditTargetType } from '../domain/connection.ts';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { enumValue, fromIso, present, toIso } from './columns.ts';
import { newId } from './new-id.ts';
import type { Page, PageRequest } from './pagination.ts';
import { decodeCursor, pageSize, toPage } from './pagination.ts';
import { RepoError } from './repo-error.ts';
import type { AuditEventRow, Database } from './schema.ts';

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'details'> & { id?: string; details?: AuditDetails };

export interface AuditListRequest extends PageRequest {
  /** Only events about this target. */
  target?: { type: AuditTargetType; id: string };
}

export interface AuditRepo {
  /** Appends an event; `id` defaults to `newId()`. Throws if a detail key names a secret (a bug in the caller). */
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first, optionally for one target. Fails with `bad_cursor`. */
  list(request?: AuditListRequest): Promise<Result<Page<AuditEvent>, RepoError>>;
}

/**
 * Detail keys that would mean a secret is being logged. The type already keeps objects (an opened secret) out;
 * this catches a plaintext string put under an obvious name. Hints (`secretHint`) are fine and not matched.
 */
const SECRET_KEYS =
  /^(secret|password|passwd|token|api_?token|api_?key|pat|authorization|sealed_?secret|master_?key|key)$/i;

const detailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export function auditEventFromRow(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    at: fromIso(row.at),
    actor: row.actor,
    action: enumValue(AUDIT_ACTIONS, row.action, 'audit_log.action'),
    targetType: enumValue(AUDIT_TARGET_TYPES, row.target_type, 'audit_log.target_type'),
    ...present('targetId', row.target_id),
    details: detailsSchema.parse(JSON.parse(row.details)),
  };
}

export function createAuditRepo(db: Kysely<Database>): AuditRepo {
  return {
    async append(event) {
      const details = event.details ?? {};
      for (const key of Object.keys(details)) {
        if (SECRET_KEYS.test(key))
          throw new Error(`audit detail "${key}" looks like a secret; audit events never hold one`);
      }
      const row = await db
        .insertInto('audit_log')
        .values({
          id: event.id ?? newId(),
          at: toIso(event.at),
          actor: event.actor,
          action: event.action,
          target_type: event.targetType,
          target_id: event.targetId ?? null,
          details: JSON.stringify(detailsSchema.parse(details)),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return auditEventFromRow(row);
    },

    async list(request) {
      const limit = pageSize(request);
      let query = db.selectFrom('audit_log').selectAll();
      if (request?.target !== undefined) {
        query = query.where('target_type', '=', request.target.type).where('target_id', '=', request.target.id);
      }
      if (request?.cursor !== undefined) {
        const position = decodeCursor(request.cursor);
        if (!position.ok) return err(new RepoError('bad_cursor', 'audit event'));
        const { at, id } = position.value;
        query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
      }
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return ok(toPage(rows, limit, (r) => ({ at: r.at, id: r.id }), auditEventFromRow));
    },
  };
}
