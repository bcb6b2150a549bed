import type { Kysely } from 'kysely';

/**
 * The tables of the connections feature. Migrations are frozen: they use `Kysely<unknown>` and plain column
 * types, never the current `Database` interface, so a later schema change cannot alter what 0001 does.
 * Portable DDL only (text, integer; named constraints so unique violations can name their field).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('org_id', 'text')
    .addColumn('site_id', 'text')
    .addColumn('teams_url', 'text')
    .addColumn('teams_email', 'text')
    .addColumn('teams_secret_hint', 'text')
    .addColumn('auth_mode', 'text', (c) => c.notNull().defaultTo('direct'))
    .addColumn('gateway_url', 'text')
    .addColumn('ca_cert', 'text')
    .addColumn('sealed_secret', 'text', (c) => c.notNull())
    .addColumn('secret_hint', 'text', (c) => c.notNull())
    .addColumn('token_expires_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_checked_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_expiry_warning_days', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('connections_pkey', ['id'])
    .addUniqueConstraint('connections_name_key', ['name'])
    .execute();
  // Keyset pagination walks (created_at, id).
  await db.schema
    .createIndex('connections_created_at_id_idx')
    .on('connections')
    .columns(['created_at', 'id'])
    .execute();

  await db.schema
    .createTable('connection_status_events')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('connection_status_events_pkey', ['id'])
    // The history belongs to the connection and goes with it; the audit log (no foreign key) keeps the record.
    .addForeignKeyConstraint(
      'connection_status_events_connection_id_fkey',
      ['connection_id'],
      'connections',
      ['id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('connection_status_events_connection_at_idx')
    .on('connection_status_events')
    .columns(['connection_id', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_log_pkey', ['id'])
    .execute();
  await db.schema.createIndex('audit_log_at_id_idx').on('audit_log').columns(['at', 'id']).execute();
  await db.schema
    .createIndex('audit_log_target_idx')
    .on('audit_log')
    .columns(['target_type', 'target_id', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('token_hint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addPrimaryKeyConstraint('api_tokens_pkey', ['id'])
    // A token's name is the actor in the audit log, so two tokens must not share one.
    .addUniqueConstraint('api_tokens_name_key', ['name'])
    .addUniqueConstraint('api_tokens_token_hash_key', ['token_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_tokens', 'audit_log', 'connection_status_events', 'connections']) {
    await db.schema.dropTable(table).execute();
  }
}
