import type { Kysely } from 'kysely';

/**
 * The tables of data out: instances (a Jira connection, project, issue type and field mapping that findings become
 * tickets through) and tickets (one row per finding and generation, the dedup key recorded before any create
 * call, and what was last applied to the Jira issue). Ticket operations are jobs of the persistent queue; `jobs.tag`
 * lets an instance list its own. Frozen like every migration: `Kysely<unknown>`, portable DDL only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dataout_instances')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // `active` or `stopped`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('project_key', 'text', (c) => c.notNull())
    .addColumn('issue_type_id', 'text', (c) => c.notNull())
    .addColumn('issue_type_name', 'text', (c) => c.notNull())
    // JSON: mapping, templates, lifecycle policy.
    .addColumn('config', 'text', (c) => c.notNull())
    // The webhook's HMAC secret, sealed by the vault to the instance id.
    .addColumn('webhook_secret', 'text', (c) => c.notNull())
    // `ok` or `failing`, with the last failure's safe text.
    .addColumn('health', 'text', (c) => c.notNull().defaultTo('ok'))
    .addColumn('last_error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataout_instances_pkey', ['id'])
    .addUniqueConstraint('dataout_instances_name_key', ['name'])
    .addForeignKeyConstraint('dataout_instances_connection_id_fkey', ['connection_id'], 'connections', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('dataout_instances_connection_idx')
    .on('dataout_instances')
    .column('connection_id')
    .execute();

  await db.schema
    .createTable('dataout_tickets')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'text', (c) => c.notNull())
    // Bumped when a reopened finding gets a new ticket (policy `new`); each generation has its own dedup key.
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    // The latest finding pushed (JSON), its hash and status.
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('finding_hash', 'text', (c) => c.notNull())
    .addColumn('finding_status', 'text', (c) => c.notNull())
    // `pending` | `creating` | `created` | `failed` | `skipped`: see `dataout/ticket-state.ts`.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text')
    .addColumn('issue_key', 'text')
    // What the Jira issue last received: the finding hash and status applied.
    .addColumn('applied_hash', 'text')
    .addColumn('applied_status', 'text')
    .addColumn('create_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('create_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_class', 'text')
    // JSON array of issue keys of earlier generations.
    .addColumn('previous_issue_keys', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataout_tickets_pkey', ['instance_id', 'source', 'finding_id'])
    .addForeignKeyConstraint('dataout_tickets_instance_id_fkey', ['instance_id'], 'dataout_instances', ['id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('dataout_tickets_dedup_key').on('dataout_tickets').column('dedup_key').unique().execute();
  // The creator's work list: an instance's tickets waiting for a create, oldest first.
  await db.schema
    .createIndex('dataout_tickets_state_idx')
    .on('dataout_tickets')
    .columns(['instance_id', 'state', 'created_at', 'finding_id'])
    .execute();

  // An instance's ticket list, oldest first, keyset on (created_at, dedup_key).
  await db.schema
    .createIndex('dataout_tickets_list_idx')
    .on('dataout_tickets')
    .columns(['instance_id', 'created_at', 'dedup_key'])
    .execute();

  await db.schema.alterTable('jobs').addColumn('tag', 'text').execute();
  await db.schema.createIndex('jobs_tag_idx').on('jobs').columns(['tag', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_tag_idx').execute();
  // An instance's ticket list, oldest first, keyset on (created_at, dedup_key).
  await db.schema
    .createIndex('dataout_tickets_list_idx')
    .on('dataout_tickets')
    .columns(['instance_id', 'created_at', 'dedup_key'])
    .execute();

  await db.schema.alterTable('jobs').dropColumn('tag').execute();
  for (const table of ['dataout_tickets', 'dataout_instances']) await db.schema.dropTable(table).execute();
}
