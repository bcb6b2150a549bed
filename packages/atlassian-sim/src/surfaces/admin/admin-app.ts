import { Hono } from 'hono';
import type { SimState } from '../../state.ts';

/** The Atlassian Admin API (stands in for https://api.atlassian.com/admin). */
export function createAdminApp(state: SimState): Hono {
  void state;
  return new Hono();
}
