import { randomUUID } from 'node:crypto';
import type { LimitDecision } from '../../behaviour/rate-limit.ts';
import { adminApplicationError, adminProxyError } from '../errors.ts';
import { jsonResponse } from '../route.ts';

/**
 * The Admin API's error answers (API-NOTES §4): the gateway's `ProxyError {code, message}` for 401 and 429, and the
 * application's `{"errors":[{id,status,code,title,detail}]}` with `ADMIN-xxx` codes for everything else. The codes
 * and titles are the ones the spec's `ApplicationError.code` description lists.
 */
export const ADMIN_ERRORS = {
  'ADMIN-400-1': { status: 400, title: 'Invalid page cursor' },
  'ADMIN-400-24': { status: 400, title: 'Invalid request body' },
  'ADMIN-404-1': { status: 404, title: 'Unknown resource' },
  'ADMIN-404-2': { status: 404, title: 'Organization not found' },
  'ADMIN-404-3': { status: 404, title: 'Domain not found' },
  'ADMIN-404-8': { status: 404, title: 'User not found' },
  'ADMIN-404-10': { status: 404, title: 'Group not found' },
} as const;
export type AdminErrorCode = keyof typeof ADMIN_ERRORS;

export function adminError(code: AdminErrorCode, detail: string): Response {
  const { status, title } = ADMIN_ERRORS[code];
  // `id` identifies this occurrence of the error (for support tickets), so it is fresh every time.
  return adminApplicationError(status, code, title, detail, randomUUID());
}

/**
 * The third envelope: the domains endpoints answer a key without `read:domains:admin` with the spec's
 * `NoPermsError` (`{error, message, path, requestId, status: 403, timestamp}`), a Spring-style body unlike the rest.
 */
export function adminNoPerms(path: string, now: number): Response {
  return jsonResponse(403, {
    error: 'Forbidden',
    message: 'You do not have permission to access this resource.',
    path,
    requestId: randomUUID(),
    status: 403,
    timestamp: new Date(now).toISOString(),
  });
}

export function adminUnauthorized(): Response {
  return adminProxyError(401, 'Unauthorized');
}

/**
 * The spec documents X-RateLimit-Limit, -Remaining and -Reset (ISO 8601, UTC) and nothing else, so no Retry-After:
 * a client tuned against the simulator must read the reset time, as it has to against Atlassian.
 */
export function adminTooManyRequests(decision: LimitDecision): Response {
  return adminProxyError(429, 'Too many requests', {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': new Date(decision.resetAt).toISOString(),
  });
}
