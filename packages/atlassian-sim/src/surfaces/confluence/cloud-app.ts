import { Hono } from 'hono';
import type { SimState } from '../../state.ts';

/** Confluence Cloud: v2 spaces and pages, space permissions; v1 groups and members. */
export function createConfluenceCloudApp(state: SimState, siteIdx: number): Hono {
  void state;
  void siteIdx;
  return new Hono();
}
