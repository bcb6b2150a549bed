import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The tables of the access sync: runs and their history, the access model rows of every run
 * (resources, entitlements, grants, keyed by run so two runs can be diffed), and the current good snapshot per
 * connection. Frozen like every migration: `Kysely<unknown>`, portable DDL only.
 *
 * Rows of a run are keyed `(run_id, ...)` and written with `on conflict`, so a page written twice (a resumed
 * sync) leaves the same rows. Children go with their run (cascade), runs go with their connection.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('counts', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_limited', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('checkpoint', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('shrink', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('accepted_at', 'text')
    .addPrimaryKeyConstraint('sync_runs_pkey', ['id'])
    .addForeignKeyConstraint('sync_runs_connection_id_fkey', ['connection_id'], 'connections', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  // Run history, newest first, keyset on (created_at, id).
  await db.schema
    .createIndex('sync_runs_connection_created_idx')
    .on('sync_runs')
    .columns(['connection_id', 'created_at', 'id'])
    .execute();
  // At most one running run per connection, enforced by the database so two schedulers cannot both start one.
  await db.schema
    .createIndex('sync_runs_one_running_key')
    .on('sync_runs')
    .column('connection_id')
    .unique()
    .where(sql.ref('status'), '=', 'running')
    .execute();

  await db.schema
    .createTable('sync_resources')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    // Lower-cased `attributes.email`, in a column of its own so `access user <email>` is an index lookup.
    .addColumn('email', 'text')
    // `attributes.status`, in a column of its own so a diff finds deactivated accounts in SQL.
    .addColumn('status', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_resources_pkey', ['run_id', 'id'])
    .addForeignKeyConstraint('sync_resources_run_id_fkey', ['run_id'], 'sync_runs', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('sync_resources_run_type_idx')
    .on('sync_resources')
    .columns(['run_id', 'type', 'id'])
    .execute();
  await db.schema.createIndex('sync_resources_email_idx').on('sync_resources').columns(['email', 'run_id']).execute();
  await db.schema
    .createIndex('sync_resources_external_id_idx')
    .on('sync_resources')
    .columns(['external_id', 'run_id'])
    .execute();

  await db.schema
    .createTable('sync_entitlements')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_entitlements_pkey', ['run_id', 'id'])
    .addForeignKeyConstraint('sync_entitlements_run_id_fkey', ['run_id'], 'sync_runs', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  // `access who <resource>`: the entitlements a resource offers.
  await db.schema
    .createIndex('sync_entitlements_resource_idx')
    .on('sync_entitlements')
    .columns(['run_id', 'resource_id'])
    .execute();

  await db.schema
    .createTable('sync_grants')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('entitlement_id', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    // '' for a direct grant; else the resource ids it was expanded through, joined with U+001F.
    .addColumn('via', 'text', (c) => c.notNull())
    // The primary key doubles as the "grants by entitlement" index (`access who`).
    .addPrimaryKeyConstraint('sync_grants_pkey', ['run_id', 'entitlement_id', 'principal_id', 'via'])
    .addForeignKeyConstraint('sync_grants_run_id_fkey', ['run_id'], 'sync_runs', ['id'], (fk) => fk.onDelete('cascade'))
    .execute();
  // `access user`: the grants a principal holds.
  await db.schema
    .createIndex('sync_grants_principal_idx')
    .on('sync_grants')
    .columns(['run_id', 'principal_id'])
    .execute();

  await db.schema
    .createTable('sync_snapshots')
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('promoted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_snapshots_pkey', ['connection_id'])
    .addForeignKeyConstraint('sync_snapshots_connection_id_fkey', ['connection_id'], 'connections', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    // Restrict, not cascade: deleting the snapshot's run by accident must fail rather than lose the snapshot.
    .addForeignKeyConstraint('sync_snapshots_run_id_fkey', ['run_id'], 'sync_runs', ['id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sync_snapshots', 'sync_grants', 'sync_entitlements', 'sync_resources', 'sync_runs']) {
    await db.schema.dropTable(table).execute();
  }
}
