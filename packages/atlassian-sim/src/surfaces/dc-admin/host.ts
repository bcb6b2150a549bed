import type { DcInstance } from '../../world/types.ts';
import type { RouteContext } from '../route.ts';

/** A Data Center instance as its admin resources (UPM, application links) see it. */
export interface DcAdminHost {
  instance(): DcInstance;
  /** The instance URL including its context path. */
  baseUrl: string;
  /** e.g. `/jira`: UPM writes its links relative to the server root, including the context path. */
  contextPath: string;
  /** Whether the caller administers this instance. */
  isAdmin(ctx: RouteContext): boolean;
}

/** Whether the Accept header names `mediaType` at all; a missing header or a wildcard does not. */
export function acceptNames(ctx: RouteContext, mediaType: string): boolean {
  return (ctx.c.req.header('accept') ?? '').toLowerCase().includes(mediaType);
}

/**
 * JAX-RS content negotiation: a resource that only produces a vendor type answers 406 to an `Accept` that excludes
 * it (`application/json` is the classic mistake), but a missing Accept or a wildcard is fine.
 */
export function acceptsJaxRs(ctx: RouteContext, mediaType: string): boolean {
  const header = ctx.c.req.header('accept');
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((part) => {
    const media = (part.split(';')[0] ?? '').trim().toLowerCase();
    return media === mediaType || media === '*/*' || media === 'application/*';
  });
}
