/**
 * Every way a call to Atlassian can fail, as one closed union. Each code maps to one actionable message and to
 * one effect on the connection's authorization status (`authorization-status.ts`).
 */
export const ATLASSIAN_ERROR_CODES = [
  /** The URL does not parse, or has a scheme other than https (http only for allowed hosts). */
  'bad_url',
  /** The address guard refused the host (private, loopback, link-local, or not allowed). */
  'blocked_address',
  'dns',
  'tls',
  /** TCP connect failed or the connection was reset. */
  'connect',
  'timeout',
  /** A redirect to another host, which the guarded client never follows. */
  'redirect_refused',
  /** The response body exceeded the size cap. */
  'too_large',
  /** The URL answers, but it is not the product the connection kind expects (DC given as cloud, or the reverse). */
  'wrong_product',
  /** 401: the credential is bad, expired or revoked. */
  'unauthorized',
  /** 200 served as anonymous (`X-Seraph-LoginReason: AUTHENTICATED_FAILED`): Jira Cloud's answer to an expired token. */
  'authenticated_failed',
  /** Basic auth with a password, or a PAT sent the wrong way: the server refuses the scheme itself. */
  'basic_auth_disabled',
  /** Data Center wants a CAPTCHA after repeated failures; only a browser login clears it. */
  'captcha_required',
  /** 403: authenticated but missing a permission or scope. */
  'forbidden',
  /** 404: does not exist, or not visible (includes the Admin API's unknown-org answer). */
  'not_found',
  /** 429 after the retry budget; carries when to retry. */
  'rate_limited',
  /** 400/409/413/422 that the caller can fix. */
  'bad_request',
  /** 5xx after the retry budget. */
  'server_error',
  /** The body was not what the API documents. */
  'bad_response',
] as const;
export type AtlassianErrorCode = (typeof ATLASSIAN_ERROR_CODES)[number];

/** Codes that mean the credential itself was refused: they make the connection `needs_reauthorization`. */
export const AUTH_FAILURE_CODES: ReadonlySet<AtlassianErrorCode> = new Set([
  'unauthorized',
  'authenticated_failed',
  'basic_auth_disabled',
  'captcha_required',
]);
