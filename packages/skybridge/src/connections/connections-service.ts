import type { AtlassianErrorJson } from '../atlassian/atlassian-error.ts';
import type { ConnectionKind } from '../domain/connection-kinds.ts';
import type { AuditEvent, Connection, ConnectionStatusEvent } from '../domain/connection.ts';
import type { Result } from '../domain/result.ts';
import type { VerifyReport } from '../atlassian/verify-target.ts';

/**
 * What the connections feature offers to the HTTP API and the CLI. Both are thin: they parse input, call one of
 * these, and render the Result. Secrets come in as plaintext strings (from a request body or standard input) and
 * never come out: every returned value is secret-free by construction (`Connection` holds only a masked hint).
 */

/** Who asked: an API token's name (`token:<name>`) or the OS user for the CLI (`cli:<user>`). */
export type Actor = string;

/** Fields of a new connection. Which are required depends on the kind (see `KIND_TRAITS`). */
export interface NewConnectionInput {
  kind: ConnectionKind;
  name: string;
  /** Site or Data Center base URL (cloud and DC kinds); for `atlassian-org`, the Admin API base (optional). */
  url?: string;
  /** Account email (cloud kinds). */
  email?: string;
  /** Organization id (`atlassian-org`). */
  orgId?: string;
  /** Cloud site id (cloudId). Learnt on verify for cloud kinds; optional for `atlassian-org`. */
  siteId?: string;
  /** Teams API base URL override (`atlassian-org`). */
  teamsUrl?: string;
  /** Account email for the Teams API (`atlassian-org`, optional, with `teamsSecret`). */
  teamsEmail?: string;
  /**
   * Cloud kinds: `gateway` sends requests through `api.atlassian.com/ex/{product}/{cloudId}`, as scoped API tokens
   * and service-account tokens require. Default `direct` (the site URL).
   */
  authMode?: 'direct' | 'gateway';
  /** Gateway base URL override; default `https://api.atlassian.com`. */
  gatewayUrl?: string;
  /** PEM CA bundle for a Data Center instance with a private CA. */
  caCert?: string;
  /** When the token expires, if known (Atlassian API tokens live at most a year). */
  tokenExpiresAt?: Date;
  /** The API token, org API key or personal access token. */
  secret: string;
  /** The Teams API account's API token (`atlassian-org`, optional). */
  teamsSecret?: string;
}

/** An edit: absent fields stay; `null` clears an optional field. A new secret is verified before it is kept. */
export interface ConnectionEdit {
  name?: string;
  url?: string | null;
  email?: string | null;
  orgId?: string | null;
  siteId?: string | null;
  teamsUrl?: string | null;
  teamsEmail?: string | null;
  authMode?: 'direct' | 'gateway';
  gatewayUrl?: string | null;
  caCert?: string | null;
  tokenExpiresAt?: Date | null;
  secret?: string;
  teamsSecret?: string | null;
  /** Optimistic concurrency: refuse if the connection changed since this version was read. */
  expectedVersion?: number;
}

/** A problem with one input field, named as the API and CLI name it (e.g. `url`, `name`, `email`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export const CONNECTION_ERROR_CODES = [
  /** Input did not validate; `fields` names each problem. Nothing was stored or changed. */
  'invalid_input',
  /** No connection with that id or name. */
  'not_found',
  /** A connection with that name exists. */
  'duplicate_name',
  /** The connection changed since `expectedVersion`. */
  'stale_version',
  /** Verification failed; `atlassian` says why and what to do. Nothing was stored or changed. */
  'verification_failed',
  /** Delete refused: other things use the connection; `dependents` lists them. Pass `cascade` to delete them too. */
  'has_dependents',
  /** The stored secret could not be opened (wrong master key, or tampering). */
  'vault_error',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

/** A dependent: something that uses a connection and goes with it on a cascading delete. */
export interface Dependent {
  type: 'schedule' | 'dataout_instance' | 'tracked_ticket';
  id: string;
  name: string;
}

/** Every failure of a connections use-case. Safe to serialise: built from an allow-list, never with a secret. */
export interface ConnectionError {
  code: ConnectionErrorCode;
  message: string;
  fields?: FieldProblem[];
  atlassian?: AtlassianErrorJson & { message: string };
  dependents?: Dependent[];
}

/** A connection as the API and CLI show it: secret-free, with what a user needs to know about its health. */
export interface ConnectionView extends Connection {
  /** Days until the recorded token expiry (negative once past), when known. */
  tokenExpiresInDays?: number;
  authMode: 'direct' | 'gateway';
  gatewayUrl?: string;
  teamsEmail?: string;
  /** Whether a Teams API token is stored (its value never leaves the vault). */
  hasTeamsSecret: boolean;
}

export interface VerifyOutcome {
  connection: ConnectionView;
  report?: VerifyReport;
  error?: ConnectionError;
}

export interface ConnectionDetails {
  connection: ConnectionView;
  statusHistory: ConnectionStatusEvent[];
  audit: AuditEvent[];
}

export interface ListOptions {
  limit?: number;
  cursor?: string;
}

export interface ConnectionsService {
  /** Validates, verifies against Atlassian, then stores. Nothing is stored unless verification succeeds. */
  add(
    actor: Actor,
    input: NewConnectionInput,
  ): Promise<Result<VerifyOutcome & { report: VerifyReport }, ConnectionError>>;
  list(options?: ListOptions): Promise<Result<{ items: ConnectionView[]; nextCursor?: string }, ConnectionError>>;
  /** By id or name. */
  get(idOrName: string): Promise<Result<ConnectionDetails, ConnectionError>>;
  /** Re-verifies and records the outcome in the authorization status. A failed check is a successful call. */
  verify(actor: Actor, idOrName: string): Promise<Result<VerifyOutcome, ConnectionError>>;
  /** Edits; with a new secret or a changed target, verifies first and keeps the old settings if that fails. */
  edit(actor: Actor, idOrName: string, edit: ConnectionEdit): Promise<Result<VerifyOutcome, ConnectionError>>;
  /** Replaces the secret after verifying the new one; a failure leaves the connection as it was. */
  rotate(
    actor: Actor,
    idOrName: string,
    secret: string,
    options?: { tokenExpiresAt?: Date | null; teamsSecret?: string },
  ): Promise<Result<VerifyOutcome, ConnectionError>>;
  /** What uses the connection (listed by delete). */
  dependents(idOrName: string): Promise<Result<Dependent[], ConnectionError>>;
  /** Refuses with `has_dependents` unless `cascade`. Never deletes anything in Atlassian. */
  delete(
    actor: Actor,
    idOrName: string,
    options?: { cascade?: boolean },
  ): Promise<Result<{ deleted: ConnectionView; cascaded: Dependent[] }, ConnectionError>>;
  /** Expiry checks and re-verification of every connection (the periodic health check). */
  checkHealth(actor: Actor): Promise<{ checked: number; changed: number; warnings: number }>;
  /** Re-seals every stored secret under a new primary key (`skybridge keys rotate`). */
  rotateKeys(
    actor: Actor,
  ): Promise<
    Result<{ total: number; resealed: number; alreadyCurrent: number; failed: number; keyId: string }, ConnectionError>
  >;
}
