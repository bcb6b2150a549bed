import { HTTPException } from 'hono/http-exception';
import type { ApiTokensError } from '../access/api-tokens-service.ts';
import { safeDetail } from '../atlassian/atlassian-error.ts';
import type { ConnectionError, ConnectionErrorCode, FieldProblem } from '../connections/connections-service.ts';
import type { DataoutError } from '../dataout/dataout-error.ts';
import type { SyncError } from '../sync/create-sync-service.ts';
import type { ApiProblem } from './api-problem.ts';
import { ApiError } from './api-problem.ts';

/**
 * The one mapping from failures to HTTP statuses. Only `http/` knows status codes, and only this file decides them
 * for service errors. Validation problems are 400 everywhere (not 422), so a client has one status to handle for
 * "fix your input"; 422 is kept for "your input was fine but Atlassian refused the credential".
 */
export const CONNECTION_ERROR_STATUS: Readonly<Record<ConnectionErrorCode, number>> = {
  invalid_input: 400,
  not_found: 404,
  duplicate_name: 409,
  stale_version: 409,
  verification_failed: 422,
  has_dependents: 409,
  vault_error: 500,
};

export const API_TOKENS_ERROR_STATUS: Readonly<Record<ApiTokensError['code'], number>> = {
  invalid_input: 400,
  not_found: 404,
  duplicate_name: 409,
};

/**
 * Sync failures. A failed sync is 502: the hub worked, Atlassian (upstream) did not; an interrupted one is 503, as it
 * resumes on its next run. A store error is a server fault and leaves as a bare 500 (see {@link problemFromSyncError}).
 */
export const SYNC_ERROR_STATUS: Readonly<Record<SyncError['code'], number>> = {
  invalid_input: 400,
  not_found: 404,
  connection_unusable: 409,
  sync_failed: 502,
  interrupted: 503,
  store_error: 500,
};

/**
 * Data-out failures. A wrong kind of connection is the caller's input (400, naming `connection`); a stopped instance
 * is a state (409, its own code, so a producer can tell "start it" from "fix your input"); a connection that cannot be
 * used is 409 as for sync; Atlassian failing a call the hub needed is 502 (upstream); a webhook delivery whose
 * signature does not check is 401.
 */
export const DATAOUT_ERROR_STATUS: Readonly<Record<DataoutError['code'], number>> = {
  not_found: 404,
  invalid_input: 400,
  wrong_kind: 400,
  conflict: 409,
  instance_stopped: 409,
  connection_unusable: 409,
  atlassian_error: 502,
  unauthenticated: 401,
};

/**
 * What a webhook delivery that does not check is told, whatever the reason (unknown instance, bad signature, stale
 * timestamp): one fixed text, so the answer says nothing about the secret or about which instances exist.
 */
export const WEBHOOK_UNAUTHENTICATED_MESSAGE =
  'The delivery is not authenticated. Send `X-Skybridge-Timestamp: <Unix seconds>` (within five minutes of now) and `X-Skybridge-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with the instance\'s webhook secret.';

/**
 * The service's message is safe by contract, but a vault failure is an operator's problem (wrong master key,
 * tampering), not the caller's: the response says so without detail, and the log has the code.
 */
export const VAULT_ERROR_MESSAGE =
  'A stored secret could not be opened (wrong master key, or the data was altered). An operator must check the server log and the key configuration.';

export const INTERNAL_ERROR_MESSAGE = 'Internal error. The server log has the details.';

export function problemFromConnectionError(error: ConnectionError): ApiProblem {
  const problem: ApiProblem = {
    status: CONNECTION_ERROR_STATUS[error.code],
    code: error.code,
    message: error.code === 'vault_error' ? VAULT_ERROR_MESSAGE : error.message,
  };
  if (error.fields !== undefined) problem.fields = error.fields;
  if (error.atlassian !== undefined) {
    const a = error.atlassian;
    problem.atlassian = { code: a.code, message: a.message };
    if (a.status !== undefined) problem.atlassian.status = a.status;
    if (a.retryAfterMs !== undefined) problem.atlassian.retryAfterMs = a.retryAfterMs;
    if (a.detail !== undefined) problem.atlassian.detail = a.detail;
    if (a.permission !== undefined) problem.atlassian.permission = a.permission;
  }
  if (error.dependents !== undefined) problem.dependents = error.dependents;
  return problem;
}

export function problemFromApiTokensError(error: ApiTokensError): ApiProblem {
  const problem: ApiProblem = { status: API_TOKENS_ERROR_STATUS[error.code], code: error.code, message: error.message };
  if (error.fields !== undefined) problem.fields = error.fields;
  return problem;
}

/**
 * A sync error as a problem. The service's `invalid_input` names no field, so the route says which one it was
 * (`fields`); a store error says nothing beyond "internal" (the route logs the store's message).
 */
export function problemFromSyncError(error: SyncError, fields?: FieldProblem[]): ApiProblem {
  const status = SYNC_ERROR_STATUS[error.code];
  if (error.code === 'store_error') return { status, code: 'internal', message: INTERNAL_ERROR_MESSAGE };
  const problem: ApiProblem = { status, code: error.code, message: error.message };
  if (fields !== undefined && error.code === 'invalid_input') problem.fields = fields;
  if (error.atlassian !== undefined)
    problem.atlassian = { code: error.atlassian.code, message: error.atlassian.message };
  return problem;
}

/** A data-out error as a problem, copied from an allow-list (the service's errors carry no secret either). */
export function problemFromDataoutError(error: DataoutError): ApiProblem {
  const status = DATAOUT_ERROR_STATUS[error.code];
  const message = error.code === 'unauthenticated' ? WEBHOOK_UNAUTHENTICATED_MESSAGE : error.message;
  const problem: ApiProblem = { status, code: error.code, message };
  if (error.fields !== undefined && error.fields.length > 0)
    problem.fields = error.fields.map((f) => ({ field: f.field, message: f.message }));
  if (error.atlassian !== undefined)
    problem.atlassian = { code: error.atlassian.code, message: error.atlassian.message };
  return problem;
}

/** What a thrown value is, for the log: its class name and a scrubbed message, never the raw message. */
export interface ThrownSummary {
  errorName: string;
  errorMessage: string;
}

/**
 * The HTTP layer's one `coerceError`: whatever was thrown becomes a problem. An {@link ApiError} carries its own;
 * Hono's `HTTPException` keeps its status with a generic message; anything else is a bug and becomes a 500 whose
 * response says nothing about it (the caller gets `summary` to log).
 */
export function coerceToProblem(thrown: unknown): { problem: ApiProblem; summary?: ThrownSummary } {
  if (thrown instanceof ApiError) return { problem: thrown.problem };
  if (thrown instanceof HTTPException && thrown.status < 500) {
    return {
      problem: {
        status: thrown.status,
        code: thrown.status === 413 ? 'payload_too_large' : 'invalid_input',
        message: thrown.status === 413 ? 'The request body is too large.' : 'The request was not understood.',
      },
    };
  }
  const errorName = thrown instanceof Error ? thrown.name : typeof thrown;
  const errorMessage = thrown instanceof Error ? safeDetail(thrown.message) : '';
  return {
    problem: { status: 500, code: 'internal', message: INTERNAL_ERROR_MESSAGE },
    summary: { errorName, errorMessage },
  };
}
