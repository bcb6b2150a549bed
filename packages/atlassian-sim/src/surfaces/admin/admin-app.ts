import type { Hono } from 'hono';
import type { SimState } from '../../state.ts';
import { bearerAuth, createRouter } from '../route.ts';
import { adminTooManyRequests, adminUnauthorized } from './admin-errors.ts';
import { registerDirectoryGroupRoutes } from './directory-group-routes.ts';
import { registerDirectoryRoutes } from './directory-routes.ts';
import { registerDirectoryUserRoutes } from './directory-user-routes.ts';
import { registerOrgRoutes } from './org-routes.ts';
import { registerV1SearchRoutes } from './v1-search-routes.ts';
import { registerWorkspaceRoutes } from './workspace-routes.ts';

/**
 * The Atlassian Admin API (stands in for https://api.atlassian.com/admin): `Authorization: Bearer <org API key>`.
 * A missing, unknown, expired or revoked key is the gateway's 401 ProxyError; bursts are the gateway's 429.
 */
export function createAdminApp(state: SimState): Hono {
  const router = createRouter({
    state,
    family: 'admin',
    authenticate: bearerAuth(state, (p) => p.kind === 'org-key'),
    unauthorized: () => adminUnauthorized(),
    tooManyRequests: (_ctx, decision) => adminTooManyRequests(decision),
  });
  registerOrgRoutes(router);
  registerV1SearchRoutes(router);
  registerDirectoryRoutes(router);
  registerDirectoryUserRoutes(router);
  registerDirectoryGroupRoutes(router);
  registerWorkspaceRoutes(router);
  return router.app;
}
