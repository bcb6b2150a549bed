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
  admin_url: string | null;
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
}
