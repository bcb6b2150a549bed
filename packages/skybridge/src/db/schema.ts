/**
 * The database as Kysely sees it: one `XTable` per table and the `XRow` a select returns. Column types mirror
 * migration 0001 (and later ones); the repositories map rows to the domain types in `domain/connection.ts`.
 *
 * Portable choices, the same on SQLite and PostgreSQL:
 * - ids are text (UUIDv7 from `new-id.ts` unless the caller brings its own);
 * - timestamps are ISO-8601 UTC text from `Date.toISOString()` (`2026-01-02T03:04:05.678Z`). Fixed width, so
 *   text order is time order on both dialects (keyset pagination relies on it), readable in `sqlite3` and `psql`
 *   without conversion, and free of node-pg's bigint-as-string and SQLite's typeless integers;
 * - JSON is stored as text and parsed (with zod) by the mappers, since SQLite has no JSON column type;
 * - enumerations are text checked by the mappers, not CHECK constraints, because SQLite cannot alter a constraint
 *   without rebuilding the table and new kinds and actions will come.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuthorizationStatus } from '../domain/authorization-status.ts';
import type {
  ApiTokenRole,
  AuditAction,
  AuditTargetType,
  SealedSecret,
  StatusChangeReason,
} from '../domain/connection.ts';
import type { ConnectionKind } from '../domain/connection-kinds.ts';

/** ISO-8601 UTC text, see above. */
export type IsoTimestamp = string;

export interface ConnectionsTable {
  id: string;
  name: string;
  kind: ConnectionKind;
  url: string | null;
  email: string | null;
  org_id: string | null;
  site_id: string | null;
  teams_url: string | null;
  teams_email: string | null;
  teams_secret_hint: string | null;
  auth_mode: string;
  gateway_url: string | null;
  ca_cert: string | null;
  sealed_secret: SealedSecret;
  secret_hint: string;
  token_expires_at: IsoTimestamp | null;
  status: AuthorizationStatus;
  consecutive_failures: Generated<number>;
  last_checked_at: IsoTimestamp | null;
  /** JSON `{ code, message }`. */
  last_error: string | null;
  last_expiry_warning_days: number | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  version: Generated<number>;
}
export type ConnectionRow = Selectable<ConnectionsTable>;
export type NewConnectionRow = Insertable<ConnectionsTable>;
export type ConnectionRowUpdate = Updateable<ConnectionsTable>;

export interface ConnectionStatusEventsTable {
  id: string;
  connection_id: string;
  from_status: AuthorizationStatus | null;
  to_status: AuthorizationStatus;
  reason_code: StatusChangeReason;
  message: string | null;
  at: IsoTimestamp;
}
export type ConnectionStatusEventRow = Selectable<ConnectionStatusEventsTable>;

export interface AuditLogTable {
  id: string;
  at: IsoTimestamp;
  actor: string;
  action: AuditAction;
  target_type: AuditTargetType;
  target_id: string | null;
  /** JSON object of scalars; never a secret. */
  details: string;
}
export type AuditEventRow = Selectable<AuditLogTable>;

export interface ApiTokensTable {
  id: string;
  name: string;
  role: ApiTokenRole;
  /** Hex SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  token_hint: string;
  created_at: IsoTimestamp;
  last_used_at: IsoTimestamp | null;
  revoked_at: IsoTimestamp | null;
}
export type ApiTokenRow = Selectable<ApiTokensTable>;

export interface Database {
  connections: ConnectionsTable;
  connection_status_events: ConnectionStatusEventsTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  sync_runs: SyncRunsTable;
  sync_resources: SyncResourcesTable;
  sync_entitlements: SyncEntitlementsTable;
  sync_grants: SyncGrantsTable;
  sync_snapshots: SyncSnapshotsTable;
  dataout_instances: DataoutInstancesTable;
  dataout_tickets: DataoutTicketsTable;
}

/** A job of the persistent queue (migration 0002); mapped by `jobs/job-queue.ts`. */
export interface JobsTable {
  id: string;
  queue: string;
  /** JSON text. */
  payload: string;
  /** `JobStatus` from `jobs/job-status.ts`. */
  status: string;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: IsoTimestamp;
  locked_by: string | null;
  /** The lease: a running job whose lease has passed belongs to a dead worker. */
  locked_until: IsoTimestamp | null;
  /** Safe text only (see `jobs/job-error.ts`). */
  last_error: string | null;
  exclusive_key: string | null;
  dedupe_key: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
  finished_at: IsoTimestamp | null;
  /** Who the job belongs to, for listing (a data-out instance's ticket jobs); migration 0004. */
  tag: string | null;
}
export type JobRow = Selectable<JobsTable>;

/** A recurring job (migration 0002); mapped by `jobs/scheduler.ts`. Exactly one of interval_ms and cron is set. */
export interface JobSchedulesTable {
  id: string;
  queue: string;
  /** JSON text. */
  payload: string;
  interval_ms: number | null;
  cron: string | null;
  next_run_at: IsoTimestamp;
  /** 0 or 1. */
  enabled: Generated<number>;
  exclusive_key: string | null;
  max_attempts: number | null;
  last_enqueued_at: IsoTimestamp | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}
export type JobScheduleRow = Selectable<JobSchedulesTable>;

/** A sync run (migration 0003); mapped by `sync/store/run-mapper.ts`. */
export interface SyncRunsTable {
  id: string;
  connection_id: string;
  /** One of `SYNC_RUN_STATUSES` (domain/access-model.ts). */
  status: string;
  /** `manual` or `schedule`. */
  trigger: string;
  created_at: IsoTimestamp;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  /** JSON object: count per resource type, plus `entitlements`, `grants`, `effectiveGrants`. */
  counts: Generated<string>;
  requests: Generated<number>;
  retries: Generated<number>;
  rate_limited: Generated<number>;
  /** JSON `{ code, message }`, safe by construction (never a secret). */
  error: string | null;
  /** JSON object: stream name -> SyncCheckpoint. */
  checkpoint: Generated<string>;
  /** JSON object: type -> { from, to, ratio } for the types that shrank past the threshold. */
  shrink: string | null;
  accepted_by: string | null;
  accepted_at: IsoTimestamp | null;
}
export type SyncRunRow = Selectable<SyncRunsTable>;

export interface SyncResourcesTable {
  run_id: string;
  id: string;
  type: string;
  external_id: string;
  display_name: string;
  parent_id: string | null;
  /** Lower-cased `attributes.email`. */
  email: string | null;
  /** `attributes.status`. */
  status: string | null;
  /** JSON object of scalars. */
  attributes: string;
}
export type SyncResourceRow = Selectable<SyncResourcesTable>;

export interface SyncEntitlementsTable {
  run_id: string;
  id: string;
  resource_id: string;
  slug: string;
  display_name: string;
}
export type SyncEntitlementRow = Selectable<SyncEntitlementsTable>;

export interface SyncGrantsTable {
  run_id: string;
  entitlement_id: string;
  principal_id: string;
  /** '' for a direct grant; else the path's resource ids joined with U+001F. */
  via: string;
}
export type SyncGrantRow = Selectable<SyncGrantsTable>;

export interface SyncSnapshotsTable {
  connection_id: string;
  run_id: string;
  promoted_at: IsoTimestamp;
}

/** A data-out instance (migration 0004); mapped by `dataout/instances-repo.ts`. */
export interface DataoutInstancesTable {
  id: string;
  connection_id: string;
  name: string;
  status: string;
  project_id: string;
  project_key: string;
  issue_type_id: string;
  issue_type_name: string;
  /** JSON: `InstanceConfig`. */
  config: string;
  /** Sealed (vault) to the instance id. */
  webhook_secret: SealedSecret;
  health: Generated<string>;
  last_error: string | null;
  created_by: string;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}
export type DataoutInstanceRow = Selectable<DataoutInstancesTable>;

/** One finding's ticket (migration 0004); mapped by `dataout/tickets-repo.ts`. */
export interface DataoutTicketsTable {
  instance_id: string;
  source: string;
  finding_id: string;
  generation: Generated<number>;
  dedup_key: string;
  /** JSON: the latest `Finding`. */
  finding: string;
  finding_hash: string;
  finding_status: string;
  state: string;
  issue_id: string | null;
  issue_key: string | null;
  applied_hash: string | null;
  applied_status: string | null;
  create_attempts: Generated<number>;
  create_attempt_at: IsoTimestamp | null;
  last_error: string | null;
  last_error_class: string | null;
  /** JSON array of strings. */
  previous_issue_keys: Generated<string>;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp;
}
export type DataoutTicketRow = Selectable<DataoutTicketsTable>;
