import { Hono } from 'hono';
import type { SimState } from '../../state.ts';

/** Confluence Data Center REST under its context path. */
export function createConfluenceDcApp(state: SimState, instanceIdx: number): Hono {
  void state;
  void instanceIdx;
  return new Hono();
}
