import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The access model's ids are stored without their connection's prefix (`${connectionId}:`, which every id of a
 * run carries and which the store now puts back on the way out; `sync/store/stored-ids.ts`): a large org's
 * grants held it twice per row and per index entry. Rewrites the rows already stored. Frozen like every
 * migration: `Kysely<unknown>`, portable SQL only (`update ... from` runs on SQLite 3.33+ and PostgreSQL).
 *
 * A row is rewritten only when every id it holds carries its run's prefix, so running over rows already in the
 * new form (or any a bug left without it) changes nothing.
 */
const SEP = sql`cast(${'\u001f'} as text)`;

/** `${connection_id}:` of the run a row belongs to (`r` is that run). */
const prefix = sql`(r.connection_id || ':')`;
const cut = sql`(length(r.connection_id) + 2)`;
const startsWithPrefix = (column: string) =>
  sql`substr(${sql.raw(column)}, 1, length(r.connection_id) + 1) = ${prefix}`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update sync_resources set
      id = substr(sync_resources.id, ${cut}),
      parent_id = case when sync_resources.parent_id is null then null
        else substr(sync_resources.parent_id, ${cut}) end
    from sync_runs r
    where r.id = sync_resources.run_id
      and ${startsWithPrefix('sync_resources.id')}
      and (sync_resources.parent_id is null or ${startsWithPrefix('sync_resources.parent_id')})
  `.execute(db);
  await sql`
    update sync_entitlements set
      id = substr(sync_entitlements.id, ${cut}),
      resource_id = substr(sync_entitlements.resource_id, ${cut})
    from sync_runs r
    where r.id = sync_entitlements.run_id
      and ${startsWithPrefix('sync_entitlements.id')}
      and ${startsWithPrefix('sync_entitlements.resource_id')}
  `.execute(db);
  // A path's ids are joined with U+001F: each loses its prefix, the first one by `substr`, the rest by `replace`.
  await sql`
    update sync_grants set
      entitlement_id = substr(sync_grants.entitlement_id, ${cut}),
      principal_id = substr(sync_grants.principal_id, ${cut}),
      via = case when sync_grants.via = '' then ''
        else substr(replace(sync_grants.via, ${SEP} || ${prefix}, ${SEP}), ${cut}) end
    from sync_runs r
    where r.id = sync_grants.run_id
      and ${startsWithPrefix('sync_grants.entitlement_id')}
      and ${startsWithPrefix('sync_grants.principal_id')}
      and (sync_grants.via = '' or ${startsWithPrefix('sync_grants.via')})
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update sync_resources set
      id = ${prefix} || sync_resources.id,
      parent_id = case when sync_resources.parent_id is null then null else ${prefix} || sync_resources.parent_id end
    from sync_runs r
    where r.id = sync_resources.run_id and not ${startsWithPrefix('sync_resources.id')}
  `.execute(db);
  await sql`
    update sync_entitlements set
      id = ${prefix} || sync_entitlements.id,
      resource_id = ${prefix} || sync_entitlements.resource_id
    from sync_runs r
    where r.id = sync_entitlements.run_id and not ${startsWithPrefix('sync_entitlements.id')}
  `.execute(db);
  await sql`
    update sync_grants set
      entitlement_id = ${prefix} || sync_grants.entitlement_id,
      principal_id = ${prefix} || sync_grants.principal_id,
      via = case when sync_grants.via = '' then ''
        else ${prefix} || replace(sync_grants.via, ${SEP}, ${SEP} || ${prefix}) end
    from sync_runs r
    where r.id = sync_grants.run_id and not ${startsWithPrefix('sync_grants.entitlement_id')}
  `.execute(db);
}
