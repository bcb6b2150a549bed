/**
 * The records the connections feature keeps: the connection itself, its status history, the audit log and the
 * API tokens that may call the hub. Pure types and enumerations; `db/` maps them to rows, `vault/` seals secrets.
 */
import type { AtlassianErrorCode } from './atlassian-error-code.ts';
import { ATLASSIAN_ERROR_CODES } from './atlassian-error-code.ts';
import type { AuthorizationStatus } from './authorization-status.ts';
import type { ConnectionKind } from './connection-kinds.ts';

declare const sealedSecretBrand: unique symbol;
/**
 * Ciphertext of a secret plus the id of the key that sealed it, as one string (format owned by `vault/`).
 * Branded so a plain string (perhaps a plaintext token) cannot be stored where ciphertext belongs. It is declared
 * here rather than in `vault/` because `db/` stores it and, by the dependency direction, may not import `vault/`.
 * Only the vault creates values of this type.
 */
export type SealedSecret = string & { readonly [sealedSecretBrand]: true };

/** The last failure seen on a connection: a code and a message built from an allow-list, never a secret. */
export interface ConnectionLastError {
  code: AtlassianErrorCode;
  /** Safe, human-readable; at most {@link MAX_SAFE_MESSAGE_LENGTH} characters. */
  message: string;
}

/** Longest message kept in `lastError`, status events and the like; longer ones are cut by the repositories. */
export const MAX_SAFE_MESSAGE_LENGTH = 500;

/**
 * A connection as the rest of the hub sees it. The secret is not part of it: only the masked hint is, and the
 * sealed value is fetched separately (`ConnectionsRepo.getSealedSecret`) by the one code path that opens it, so
 * a Connection can be returned from an API or logged without thought.
 */
export interface Connection {
  id: string;
  /** Unique, chosen by the user. */
  name: string;
  kind: ConnectionKind;
  /** Site or Data Center base URL; for `atlassian-org`, the Admin API base (default Atlassian's, overridable). */
  url?: string;
  /** Account email for basic auth (cloud kinds). */
  email?: string;
  /** Atlassian organization id (`atlassian-org`). */
  orgId?: string;
  /** Cloud site id (cloudId), learnt on verify. */
  siteId?: string;
  /** Override of the Teams API base URL. */
  teamsUrl?: string;
  /** Account email for the Teams API (`atlassian-org`), used with a second, optional API token. */
  teamsEmail?: string;
  /** Masked hint of the Teams API token, when one is stored. */
  teamsSecretHint?: string;
  /**
   * Cloud kinds: `gateway` sends requests through `api.atlassian.com/ex/{product}/{cloudId}`, as scoped API tokens
   * and service-account tokens require; `direct` uses the site URL.
   */
  authMode: 'direct' | 'gateway';
  /** Override of the gateway base URL (default `https://api.atlassian.com`). */
  gatewayUrl?: string;
  /** PEM bundle to trust for a Data Center instance with a private CA. Public material, not a secret. */
  caCert?: string;
  /** `••••` plus the secret's last four characters at most. */
  secretHint: string;
  /** When the token stops working, if the user told us (cloud API tokens expire). */
  tokenExpiresAt?: Date;
  status: AuthorizationStatus;
  consecutiveFailures: number;
  lastCheckedAt?: Date;
  lastError?: ConnectionLastError;
  /** The expiry warning (14, 7 or 1 days) last raised, so each is raised once. */
  lastExpiryWarningDays?: number;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic concurrency: incremented by every edit; an edit based on an older version is refused. */
  version: number;
}

/** Why a connection's status changed: the outcome of a check, or something the user did. */
export const STATUS_CHANGE_REASONS = [
  'created',
  'succeeded',
  'token_expired',
  /** The secret or the target changed, so the status starts again from `unverified`. */
  'reconfigured',
  ...ATLASSIAN_ERROR_CODES,
] as const;
export type StatusChangeReason = (typeof STATUS_CHANGE_REASONS)[number];

/** One change of a connection's authorization status (its history). */
export interface ConnectionStatusEvent {
  id: string;
  connectionId: string;
  /** Absent for the first status a connection gets. */
  fromStatus?: AuthorizationStatus;
  toStatus: AuthorizationStatus;
  reasonCode: StatusChangeReason;
  /** Safe, human-readable; never a secret. */
  message?: string;
  at: Date;
}

/** What an audit event records. Append new actions here; the database stores them as text. */
export const AUDIT_ACTIONS = [
  'connection.create',
  'connection.edit',
  'connection.verify',
  'connection.rotate_secret',
  'connection.delete',
  'connection.expiry_warning',
  'api_token.create',
  'api_token.revoke',
  'vault.rotate_keys',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = ['connection', 'api_token', 'vault'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/**
 * Audit details are flat scalars on purpose: an object (such as an opened secret) cannot be put in one, and the
 * audit repository refuses keys that name a secret as a second belt.
 */
export type AuditDetailValue = string | number | boolean | null;
export type AuditDetails = Readonly<Record<string, AuditDetailValue>>;

/** An append-only record of something an actor did. See the glossary. */
export interface AuditEvent {
  id: string;
  at: Date;
  /** An API token's name, or `cli:<os user>`. */
  actor: string;
  action: AuditAction;
  targetType: AuditTargetType;
  /** Absent when the target is the hub itself (e.g. a key rotation). */
  targetId?: string;
  details: AuditDetails;
}

/** What an API token may do: owner > admin > viewer. */
export const API_TOKEN_ROLES = ['owner', 'admin', 'viewer'] as const;
export type ApiTokenRole = (typeof API_TOKEN_ROLES)[number];

/** A bearer token that may call the hub's API. Only its SHA-256 hash is stored; the token is shown once. */
export interface ApiToken {
  id: string;
  name: string;
  role: ApiTokenRole;
  /** `••••` plus the token's last four characters. */
  tokenHint: string;
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}
