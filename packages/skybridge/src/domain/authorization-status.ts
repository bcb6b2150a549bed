import type { AtlassianErrorCode } from './atlassian-error-code.ts';
import { AUTH_FAILURE_CODES } from './atlassian-error-code.ts';

/** Whether a connection still works. See the glossary. */
export const AUTHORIZATION_STATUSES = ['unverified', 'connected', 'needs_reauthorization', 'failed'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** Default for N in "failed after N consecutive failures of any kind". */
export const DEFAULT_FAILURE_THRESHOLD = 3;

export interface StatusState {
  status: AuthorizationStatus;
  consecutiveFailures: number;
}

/** What just happened to the connection. */
export type StatusEvent =
  | { type: 'succeeded' }
  | { type: 'failed'; code: AtlassianErrorCode }
  /** The recorded token expiry has passed: no call needed to know it will be refused. */
  | { type: 'token_expired' };

/**
 * The status machine as a pure function: the next state for an event, and whether it changed. Authentication
 * failures win over the failure count, because the fix for them (a new credential) is different.
 */
export function nextStatus(
  current: StatusState,
  event: StatusEvent,
  threshold = DEFAULT_FAILURE_THRESHOLD,
): StatusState & { changed: boolean } {
  let next: StatusState;
  switch (event.type) {
    case 'succeeded':
      next = { status: 'connected', consecutiveFailures: 0 };
      break;
    case 'token_expired':
      next = { status: 'needs_reauthorization', consecutiveFailures: current.consecutiveFailures };
      break;
    case 'failed': {
      const failures = current.consecutiveFailures + 1;
      if (AUTH_FAILURE_CODES.has(event.code)) next = { status: 'needs_reauthorization', consecutiveFailures: failures };
      else if (failures >= threshold) next = { status: 'failed', consecutiveFailures: failures };
      // Below the threshold a transient failure leaves the status as it was (a reauthorization need stays).
      else next = { status: current.status, consecutiveFailures: failures };
      break;
    }
  }
  return { ...next, changed: next.status !== current.status };
}

/** Days before a recorded token expiry at which a warning is raised. */
export const EXPIRY_WARNING_DAYS = [14, 7, 1] as const;

/** The warning threshold (14, 7 or 1) that applies at `now`, or undefined if none does yet (or already expired). */
export function expiryWarningDue(expiresAt: Date, now: Date): (typeof EXPIRY_WARNING_DAYS)[number] | undefined {
  const msLeft = expiresAt.getTime() - now.getTime();
  if (msLeft <= 0) return undefined;
  const daysLeft = msLeft / 86_400_000;
  let due: (typeof EXPIRY_WARNING_DAYS)[number] | undefined;
  for (const d of EXPIRY_WARNING_DAYS) if (daysLeft <= d) due = d;
  return due;
}
