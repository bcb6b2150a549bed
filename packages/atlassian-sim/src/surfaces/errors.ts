import { jsonResponse } from './route.ts';

/**
 * Error bodies in each API family's own shape (API-NOTES §4). A client that parses one family's errors must meet
 * exactly what Atlassian sends, so these are never unified.
 */

/** Jira Cloud and Data Center `/rest/api/*`: ErrorCollection. */
export function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
  headers?: Record<string, string>,
): Response {
  return jsonResponse(status, { errorMessages, errors }, headers);
}

/** Jira Cloud's edge answers an unauthenticated call to an authenticated endpoint like this. */
export function jiraCloudUnauthorized(): Response {
  return new Response(
    JSON.stringify({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 }),
    {
      status: 401,
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'www-authenticate': 'OAuth realm="https%3A%2F%2Fapi.atlassian.com"',
        'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
      },
    },
  );
}

/** Confluence Cloud v2. */
export function confluenceV2Error(
  status: number,
  code: string,
  title: string,
  detail: string | null = null,
  headers?: Record<string, string>,
): Response {
  return jsonResponse(status, { errors: [{ status, code, title, detail }] }, headers);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** Confluence Cloud v1 and Confluence Data Center. */
export function confluenceV1Error(status: number, message: string, headers?: Record<string, string>): Response {
  return jsonResponse(
    status,
    {
      statusCode: status,
      data: { authorized: status !== 401 && status !== 403, valid: true, errors: [], successful: false },
      message,
      reason: REASONS[status] ?? 'Error',
    },
    headers,
  );
}

/** Admin API gateway errors (401, 429): ProxyError. */
export function adminProxyError(status: 401 | 429, message: string, headers?: Record<string, string>): Response {
  return jsonResponse(status, { code: status, message }, headers);
}

/** Admin API application errors: `{"errors":[{id,status,code,title,detail}]}` with ADMIN-xxx codes. */
export function adminApplicationError(
  status: number,
  code: string,
  title: string,
  detail: string,
  id: string,
): Response {
  return jsonResponse(status, { errors: [{ id, status: String(status), code, title, detail }] });
}

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}
