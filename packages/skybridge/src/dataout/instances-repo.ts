import type { Kysely } from 'kysely';
import { enumValue, fromIso, present, toIso } from '../db/columns.ts';
import type { Database, DataoutInstanceRow } from '../db/schema.ts';
import type { Page, PageRequest } from '../db/pagination.ts';
import { decodeCursor, pageSize, toPage } from '../db/pagination.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { SealedSecretStore } from '../vault/reseal-all.ts';
import type { SealedSecret } from '../vault/sealed-secret.ts';
import type { Instance, InstanceHealth, InstanceStatus } from './instance.ts';
import { INSTANCE_HEALTH, INSTANCE_STATUSES, instanceConfigSchema } from './instance.ts';

/** Data-out instances in the database; the webhook secret stays sealed here and is opened by the service only. */
export interface InstancesRepo {
  insert(instance: Instance, webhookSecret: SealedSecret): Promise<Instance>;
  get(idOrName: string): Promise<Instance | undefined>;
  list(page?: PageRequest): Promise<Result<Page<Instance>, 'bad_cursor'>>;
  listByConnection(connectionId: string): Promise<Instance[]>;
  setStatus(id: string, status: InstanceStatus, at: Date): Promise<Instance | undefined>;
  setHealth(id: string, health: InstanceHealth, lastError: string | undefined, at: Date): Promise<void>;
  webhookSecret(id: string): Promise<SealedSecret | undefined>;
  /** The webhook secrets, for key rotation (`keys rotate` re-seals them under the new key). */
  sealedSecrets: SealedSecretStore;
  delete(id: string): Promise<boolean>;
}

/** What a webhook secret is sealed to (its GCM additional data): the instance, so it cannot be moved to another. */
export function webhookSecretOwner(instanceId: string): string {
  return `instance:${instanceId}`;
}

export function instanceFromRow(row: DataoutInstanceRow): Instance {
  return {
    id: row.id,
    name: row.name,
    connectionId: row.connection_id,
    status: enumValue(INSTANCE_STATUSES, row.status, 'status'),
    project: { id: row.project_id, key: row.project_key },
    issueType: { id: row.issue_type_id, name: row.issue_type_name },
    config: instanceConfigSchema.parse(JSON.parse(row.config)),
    health: enumValue(INSTANCE_HEALTH, row.health, 'health'),
    ...present('lastError', row.last_error),
    createdBy: row.created_by,
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
  };
}

export function createInstancesRepo(db: Kysely<Database>): InstancesRepo {
  return {
    async insert(instance, webhookSecret) {
      const row = await db
        .insertInto('dataout_instances')
        .values({
          id: instance.id,
          connection_id: instance.connectionId,
          name: instance.name,
          status: instance.status,
          project_id: instance.project.id,
          project_key: instance.project.key,
          issue_type_id: instance.issueType.id,
          issue_type_name: instance.issueType.name,
          config: JSON.stringify(instance.config),
          webhook_secret: webhookSecret,
          health: instance.health,
          last_error: instance.lastError ?? null,
          created_by: instance.createdBy,
          created_at: toIso(instance.createdAt),
          updated_at: toIso(instance.updatedAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return instanceFromRow(row);
    },

    async get(idOrName) {
      const row =
        (await db.selectFrom('dataout_instances').selectAll().where('id', '=', idOrName).executeTakeFirst()) ??
        (await db.selectFrom('dataout_instances').selectAll().where('name', '=', idOrName).executeTakeFirst());
      return row === undefined ? undefined : instanceFromRow(row);
    },

    async list(page) {
      const limit = pageSize(page);
      let query = db.selectFrom('dataout_instances').selectAll();
      if (page?.cursor !== undefined) {
        const position = decodeCursor(page.cursor);
        if (!position.ok) return err('bad_cursor');
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
      return ok(toPage(rows, limit, (r) => ({ at: r.created_at, id: r.id }), instanceFromRow));
    },

    async listByConnection(connectionId) {
      const rows = await db
        .selectFrom('dataout_instances')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .orderBy('name')
        .execute();
      return rows.map(instanceFromRow);
    },

    async setStatus(id, status, at) {
      const row = await db
        .updateTable('dataout_instances')
        .set({ status, updated_at: toIso(at) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? undefined : instanceFromRow(row);
    },

    async setHealth(id, health, lastError, at) {
      await db
        .updateTable('dataout_instances')
        .set({ health, last_error: lastError ?? null, updated_at: toIso(at) })
        .where('id', '=', id)
        .execute();
    },

    async webhookSecret(id) {
      const row = await db
        .selectFrom('dataout_instances')
        .select('webhook_secret')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.webhook_secret;
    },

    sealedSecrets: {
      async *items() {
        let after: string | undefined;
        for (;;) {
          let query = db.selectFrom('dataout_instances').select(['id', 'webhook_secret']).orderBy('id').limit(100);
          if (after !== undefined) query = query.where('id', '>', after);
          const rows = await query.execute();
          for (const row of rows) yield { id: row.id, sealed: row.webhook_secret };
          if (rows.length < 100) return;
          after = rows.at(-1)?.id;
        }
      },
      async write(id, next, previous) {
        const result = await db
          .updateTable('dataout_instances')
          .set({ webhook_secret: next })
          .where('id', '=', id)
          .where('webhook_secret', '=', previous)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      },
      ownerOf: (item) => webhookSecretOwner(item.id),
    },

    async delete(id) {
      const result = await db.deleteFrom('dataout_instances').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
