import type { Kysely } from 'kysely';
import { AUTHORIZATION_STATUSES } from '../domain/authorization-status.ts';
import type { ConnectionStatusEvent } from '../domain/connection.ts';
import { MAX_SAFE_MESSAGE_LENGTH, STATUS_CHANGE_REASONS } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { enumValue, fromIso, present, toIso } from './columns.ts';
import { newId } from './new-id.ts';
import type { Page, PageRequest } from './pagination.ts';
import { decodeCursor, pageSize, toPage } from './pagination.ts';
import { RepoError } from './repo-error.ts';
import type { ConnectionStatusEventRow, Database } from './schema.ts';

export type NewConnectionStatusEvent = Omit<ConnectionStatusEvent, 'id'> & { id?: string };

export interface StatusEventsRepo {
  /** Records a status change. The connection must exist (foreign key). `id` defaults to `newId()`. */
  append(event: NewConnectionStatusEvent): Promise<ConnectionStatusEvent>;
  /** A connection's history, newest first. Fails with `bad_cursor`. */
  listForConnection(connectionId: string, page?: PageRequest): Promise<Result<Page<ConnectionStatusEvent>, RepoError>>;
}

export function statusEventFromRow(row: ConnectionStatusEventRow): ConnectionStatusEvent {
  return {
    id: row.id,
    connectionId: row.connection_id,
    ...present(
      'fromStatus',
      row.from_status === null ? null : enumValue(AUTHORIZATION_STATUSES, row.from_status, 'from_status'),
    ),
    toStatus: enumValue(AUTHORIZATION_STATUSES, row.to_status, 'to_status'),
    reasonCode: enumValue(STATUS_CHANGE_REASONS, row.reason_code, 'reason_code'),
    ...present('message', row.message),
    at: fromIso(row.at),
  };
}

export function createStatusEventsRepo(db: Kysely<Database>): StatusEventsRepo {
  return {
    async append(event) {
      const row = await db
        .insertInto('connection_status_events')
        .values({
          id: event.id ?? newId(),
          connection_id: event.connectionId,
          from_status: event.fromStatus ?? null,
          to_status: event.toStatus,
          reason_code: event.reasonCode,
          message: event.message === undefined ? null : event.message.slice(0, MAX_SAFE_MESSAGE_LENGTH),
          at: toIso(event.at),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return statusEventFromRow(row);
    },

    async listForConnection(connectionId, page) {
      const limit = pageSize(page);
      let query = db.selectFrom('connection_status_events').selectAll().where('connection_id', '=', connectionId);
      if (page?.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        if (!position.ok) return err(new RepoError('bad_cursor', 'status event'));
        const { at, id } = position.value;
        query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
      }
      const rows = await query
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return ok(toPage(rows, limit, (r) => ({ at: r.at, id: r.id }), statusEventFromRow));
    },
  };
}
