import { z } from 'zod';
import { CONNECTION_ERROR_CODES } from '../connections/connections-service.ts';
import type { Dependent, FieldProblem } from '../connections/connections-service.ts';

/**
 * The one error shape of the HTTP API: `{ "error": { code, message, fields?, atlassian?, dependents? } }`.
 * Every failure — a service error, a validation problem, a missing token, an unknown route, a bug — leaves the API
 * as an {@link ApiProblem} rendered by {@link errorBody}, which copies fields from an allow-list so nothing else
 * (a stack, a cause, a secret that slipped into an object) can ride along.
 */

/** Codes the HTTP layer adds to the connections codes. */
export const HTTP_ERROR_CODES = [
  /** No bearer token, or one that is unknown or revoked. */
  'unauthenticated',
  /** The token's role is below the route's. */
  'forbidden',
  /** A body over the size limit. */
  'payload_too_large',
  /** A body that is not `application/json`. */
  'unsupported_media_type',
  /** The path exists, the method does not. */
  'method_not_allowed',
  /** A bug; details are in the server log, never in the response. */
  'internal',
] as const;

/** Codes of the sync routes (`routes/sync-routes.ts`) beyond the shared ones. */
export const SYNC_HTTP_ERROR_CODES = [
  /** The connection exists but cannot be used for this (the message says why). */
  'connection_unusable',
  /** The resource is not in a state that allows the request (accepting a run that is not suspicious). */
  'invalid_state',
  /** A sync ran and failed; `atlassian` says why. The last good snapshot is kept. */
  'sync_failed',
  /** A sync was stopped before it finished; the next run of the connection resumes it. */
  'interrupted',
] as const;

/** Codes of the data-out routes (`routes/instances-routes.ts`) beyond the shared ones. */
export const DATAOUT_HTTP_ERROR_CODES = [
  /** The connection named for an instance is not a Jira connection (`fields` names `connection`). */
  'wrong_kind',
  /** The name is taken (`fields` names `name`). */
  'conflict',
  /** The instance is stopped and takes no findings until it is started; nothing was recorded. */
  'instance_stopped',
  /** Atlassian refused or failed a call the request needed (reading create metadata, a live test); see `atlassian`. */
  'atlassian_error',
] as const;

export const API_ERROR_CODES = [
  ...CONNECTION_ERROR_CODES,
  ...HTTP_ERROR_CODES,
  ...SYNC_HTTP_ERROR_CODES,
  ...DATAOUT_HTTP_ERROR_CODES,
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The Atlassian part of a `verification_failed` error: what Atlassian said and what to do about it. */
export interface ApiAtlassianProblem {
  code: string;
  message: string;
  status?: number;
  retryAfterMs?: number;
  detail?: string;
  permission?: string;
}

/** A failure on its way out, with the HTTP status it is sent with. */
export interface ApiProblem {
  status: number;
  code: ApiErrorCode;
  /** Safe, human-readable; never a secret. */
  message: string;
  fields?: FieldProblem[];
  atlassian?: ApiAtlassianProblem;
  dependents?: Dependent[];
  /** Extra response headers (e.g. `WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
}

/** The JSON body of every error response. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    fields?: FieldProblem[];
    atlassian?: ApiAtlassianProblem;
    dependents?: Dependent[];
  };
}

/** The error body as a zod schema: the OpenAPI document describes errors with it. */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: z.enum(API_ERROR_CODES),
        message: z.string(),
        fields: z.array(z.object({ field: z.string(), message: z.string() }).strict()).optional(),
        atlassian: z
          .object({
            code: z.string(),
            message: z.string(),
            status: z.number().int().optional(),
            retryAfterMs: z.number().int().optional(),
            detail: z.string().optional(),
            permission: z.string().optional(),
          })
          .strict()
          .optional(),
        dependents: z
          .array(
            z
              .object({
                type: z.enum(['schedule', 'dataout_instance', 'tracked_ticket']),
                id: z.string(),
                name: z.string(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
  })
  .strict();

/** Serialises a problem from an allow-list of fields. */
export function errorBody(problem: ApiProblem): ApiErrorBody {
  const error: ApiErrorBody['error'] = { code: problem.code, message: problem.message };
  if (problem.fields !== undefined)
    error.fields = problem.fields.map((f) => ({ field: String(f.field), message: String(f.message) }));
  if (problem.atlassian !== undefined) error.atlassian = atlassianJson(problem.atlassian);
  if (problem.dependents !== undefined)
    error.dependents = problem.dependents.map((d) => ({ type: d.type, id: d.id, name: d.name }));
  return { error };
}

function atlassianJson(a: ApiAtlassianProblem): ApiAtlassianProblem {
  const out: ApiAtlassianProblem = { code: a.code, message: a.message };
  if (a.status !== undefined) out.status = a.status;
  if (a.retryAfterMs !== undefined) out.retryAfterMs = a.retryAfterMs;
  if (a.detail !== undefined) out.detail = a.detail;
  if (a.permission !== undefined) out.permission = a.permission;
  return out;
}

/**
 * Thrown by middleware that cannot return a Result (the body limit, the JSON reader) and caught by the one
 * `onError`. Route handlers return problems as values instead.
 */
export class ApiError extends Error {
  override name = 'ApiError' as const;
  readonly problem: ApiProblem;

  constructor(problem: ApiProblem) {
    super(problem.message);
    this.problem = problem;
  }
}
