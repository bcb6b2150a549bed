import type { SimState } from '../../state.ts';
import type { Router } from '../route.ts';

/** Data Center instance metadata: application roles, cluster nodes, UPM apps, application links, licence. */
export function registerJiraDcAdminRoutes(router: Router, state: SimState, instanceIdx: number, baseUrl: string): void {
  void router;
  void state;
  void instanceIdx;
  void baseUrl;
}
