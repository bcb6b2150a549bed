import type { Hono } from 'hono';
import type { SimState } from '../../state.ts';
import type { LimitDecision } from '../../behaviour/rate-limit.ts';
import { cloudBasicAuth, createRouter, retryHeaders, type RouteContext } from '../route.ts';
import { confluenceV1Error, confluenceV2Error } from '../errors.ts';
import { createCloudConfluence } from './cloud-confluence.ts';
import { registerCloudV2Routes } from './cloud-v2-routes.ts';
import { registerCloudV1Routes } from './cloud-v1-routes.ts';

/** v2 routes answer errors in the v2 envelope, v1 routes in the `{statusCode, data, message, reason}` one. */
const isV2 = (ctx: RouteContext): boolean => new URL(ctx.c.req.url).pathname.includes('/wiki/api/v2/');

/** Confluence Cloud: v2 spaces and pages, space permissions; v1 groups and members. */
export function createConfluenceCloudApp(state: SimState, siteIdx: number): Hono {
  const site = state.world.cloudSites[siteIdx];
  if (!site) throw new Error(`no cloud site ${siteIdx}`);
  const router = createRouter({
    state,
    family: 'confluence-cloud',
    authenticate: cloudBasicAuth(state, site.orgIdx),
    unauthorized: (ctx) =>
      isV2(ctx)
        ? confluenceV2Error(401, 'UNAUTHORIZED', 'Unauthorized', 'Authentication credentials are missing or invalid')
        : confluenceV1Error(401, 'This request requires authentication'),
    // Confluence's burst limit mirrors Jira's (API-NOTES §3.1), with its own product prefix in RateLimit-Reason.
    tooManyRequests: (ctx, decision: LimitDecision) => {
      const headers = retryHeaders(decision, 'confluence-burst-based');
      return isV2(ctx)
        ? confluenceV2Error(429, 'TOO_MANY_REQUESTS', 'Too Many Requests', 'Rate limit exceeded', headers)
        : confluenceV1Error(429, 'Rate limit exceeded', headers);
    },
  });
  const confluence = createCloudConfluence(state, siteIdx);
  registerCloudV2Routes(router, confluence);
  registerCloudV1Routes(router, confluence);
  return router.app;
}
