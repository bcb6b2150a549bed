import { Hono } from 'hono';
import type { SimState } from '../../state.ts';

/** How the Teams API is reached: through a site's gateway (Basic email:token) or api.atlassian.com (org API key). */
export type TeamsVia = { kind: 'site'; siteIdx: number } | { kind: 'api' };

/** The Teams public API: teams (`entities` + `cursor`), members (POST, `pageInfo`), 410 for deleted teams. */
export function createTeamsApp(state: SimState, via: TeamsVia): Hono {
  void state;
  void via;
  return new Hono();
}
