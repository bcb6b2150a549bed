import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AccessRecord } from '../../domain/access-model.ts';
import type { Database, SyncEntitlementsTable, SyncGrantsTable, SyncResourcesTable } from '../../db/schema.ts';
import { isSqlite } from './dialect-of.ts';
import { idPrefix, toStoredId, toStoredVia } from './stored-ids.ts';

/** The columns an upsert of a resource may change. */
const RESOURCE_COLUMNS = ['type', 'external_id', 'display_name', 'parent_id', 'email', 'status', 'attributes'] as const;

/**
 * Rows per insert statement. Resources have 9 columns, so 500 rows bind 4,500 values: well under SQLite's
 * variable limit (32,766 since 3.32) and PostgreSQL's 65,535 parameters.
 */
export const ROWS_PER_STATEMENT = 500;

/**
 * Upserts a page of records into a run, inside the caller's transaction. Idempotent: a resource or entitlement
 * written again takes the newer values, a grant written again is a no-op, so a resumed page leaves the same rows.
 * Duplicates inside one page are collapsed first (last wins): PostgreSQL refuses an `on conflict do update` that
 * touches the same row twice in one statement. Ids are stored without the connection's prefix (`stored-ids.ts`);
 * a record whose id is not the connection's is refused (thrown), as a reader's bug.
 */
export async function writeRecords(
  trx: Transaction<Database>,
  run: { id: string; connectionId: string },
  records: readonly AccessRecord[],
): Promise<void> {
  const runId = run.id;
  const prefix = idPrefix(run.connectionId);
  const stored = (id: string) => toStoredId(prefix, id);
  const resources = new Map<string, SyncResourcesTable>();
  const entitlements = new Map<string, SyncEntitlementsTable>();
  const grants = new Map<string, SyncGrantsTable>();
  for (const record of records) {
    switch (record.kind) {
      case 'resource': {
        const r = record.resource;
        const email = r.attributes['email'];
        const status = r.attributes['status'];
        resources.set(r.id, {
          run_id: runId,
          id: stored(r.id),
          type: r.type,
          external_id: r.externalId,
          display_name: r.displayName,
          parent_id: r.parentId === undefined ? null : stored(r.parentId),
          email: typeof email === 'string' && email !== '' ? email.toLowerCase() : null,
          status: typeof status === 'string' ? status : null,
          attributes: JSON.stringify(r.attributes),
        });
        break;
      }
      case 'entitlement': {
        const e = record.entitlement;
        entitlements.set(e.id, {
          run_id: runId,
          id: stored(e.id),
          resource_id: stored(e.resourceId),
          slug: e.slug,
          display_name: e.displayName,
        });
        break;
      }
      case 'grant': {
        const g = record.grant;
        const via = toStoredVia(prefix, g.via);
        grants.set(JSON.stringify([g.entitlementId, g.principalId, via]), {
          run_id: runId,
          entitlement_id: stored(g.entitlementId),
          principal_id: stored(g.principalId),
          via,
        });
        break;
      }
    }
  }

  // A resource met again with the same values (a user listed in every group it belongs to, where the API has no
  // user list) is left alone: rewriting an unchanged row and its four index entries made such syncs several times
  // slower. `is not` / `is distinct from` treat two nulls as equal.
  const differs = isSqlite(trx) ? sql`is not` : sql`is distinct from`;
  const changed = RESOURCE_COLUMNS.map((c) => sql`sync_resources.${sql.ref(c)} ${differs} excluded.${sql.ref(c)}`);
  for (const chunk of chunks([...resources.values()])) {
    await trx
      .insertInto('sync_resources')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'id'])
          .doUpdateSet((eb) => ({
            type: eb.ref('excluded.type'),
            external_id: eb.ref('excluded.external_id'),
            display_name: eb.ref('excluded.display_name'),
            parent_id: eb.ref('excluded.parent_id'),
            email: eb.ref('excluded.email'),
            status: eb.ref('excluded.status'),
            attributes: eb.ref('excluded.attributes'),
          }))
          .where(sql<boolean>`${sql.join(changed, sql` or `)}`),
      )
      .execute();
  }
  for (const chunk of chunks([...entitlements.values()])) {
    await trx
      .insertInto('sync_entitlements')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['run_id', 'id']).doUpdateSet((eb) => ({
          resource_id: eb.ref('excluded.resource_id'),
          slug: eb.ref('excluded.slug'),
          display_name: eb.ref('excluded.display_name'),
        })),
      )
      .execute();
  }
  for (const chunk of chunks([...grants.values()])) {
    await trx
      .insertInto('sync_grants')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) yield rows.slice(i, i + ROWS_PER_STATEMENT);
}
