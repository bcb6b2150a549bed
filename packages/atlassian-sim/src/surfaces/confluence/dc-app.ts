import type { Hono } from 'hono';
import type { SimState } from '../../state.ts';
import { bearerAuth, createRouter } from '../route.ts';
import { confluenceV1Error } from '../errors.ts';
import { createDcConfluence } from './dc-confluence.ts';
import { registerDcRestRoutes } from './dc-rest-routes.ts';
import { registerDcAdminRoutes } from './dc-admin-routes.ts';

/** Confluence Data Center REST under its context path. */
export function createConfluenceDcApp(state: SimState, instanceIdx: number): Hono {
  const router = createRouter({
    state,
    family: 'confluence-dc',
    // A PAT is Bearer only; a bad or expired one is a 401 in Confluence's RestError shape.
    authenticate: bearerAuth(state, (p) => p.kind === 'dc-user' && p.instanceIdx === instanceIdx),
    unauthorized: (_ctx, outcome) =>
      confluenceV1Error(
        401,
        'This request requires authentication',
        outcome.status === 'failed' ? { 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' } : {},
      ),
    // Data Center's token bucket: its X-RateLimit-* headers are added by the router on 429 as on every response.
    tooManyRequests: () => confluenceV1Error(429, 'Rate limit exceeded'),
  });
  const confluence = createDcConfluence(state, instanceIdx);
  registerDcRestRoutes(router, confluence);
  registerDcAdminRoutes(router, confluence);
  return router.app;
}
