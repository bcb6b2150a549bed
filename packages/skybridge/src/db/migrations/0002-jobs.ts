import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The tables of the persistent job queue (`jobs/`). Frozen like every migration: `Kysely<unknown>`, plain column
 * types. Two partial unique indexes carry the queue's guarantees in the database itself, so they hold across
 * workers and processes, not just inside one:
 * - `jobs_exclusive_key_running_key`: at most one *running* job per exclusive key (one sync per connection);
 * - `jobs_dedupe_key_queued_key`: at most one *queued* job per dedupe key (enqueueing an occurrence twice is a
 *   no-op). A key frees up once its job runs, so a manual run can follow a finished one.
 * Both SQLite and PostgreSQL support partial indexes and `ON CONFLICT` against them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('exclusive_key', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('jobs_pkey', ['id'])
    .execute();
  // claim: the oldest due queued job of some queues.
  await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['status', 'queue', 'run_at', 'id']).execute();
  // reclaimExpired: running jobs by lease end.
  await db.schema.createIndex('jobs_lease_idx').on('jobs').columns(['status', 'locked_until']).execute();
  await db.schema
    .createIndex('jobs_exclusive_key_running_key')
    .on('jobs')
    .column('exclusive_key')
    .unique()
    .where(sql.ref('status'), '=', sql.lit('running'))
    .execute();
  await db.schema
    .createIndex('jobs_dedupe_key_queued_key')
    .on('jobs')
    .column('dedupe_key')
    .unique()
    .where(sql.ref('status'), '=', sql.lit('queued'))
    .execute();

  await db.schema
    .createTable('job_schedules')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('interval_ms', 'integer')
    .addColumn('cron', 'text')
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    // 0/1: SQLite has no boolean type.
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('exclusive_key', 'text')
    .addColumn('max_attempts', 'integer')
    .addColumn('last_enqueued_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_schedules_pkey', ['id'])
    .execute();
  await db.schema
    .createIndex('job_schedules_due_idx')
    .on('job_schedules')
    .columns(['enabled', 'next_run_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['job_schedules', 'jobs']) await db.schema.dropTable(table).execute();
}
