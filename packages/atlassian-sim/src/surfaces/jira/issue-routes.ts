import type { SimState } from '../../state.ts';
import type { Router } from '../route.ts';
import type { JiraSite } from './jira-site.ts';

/** Issues: create (single and bulk), get, edit, properties, transitions, comments, search, createmeta. */
export function registerJiraIssueRoutes(router: Router, state: SimState, jira: JiraSite, version: 2 | 3): void {
  void router;
  void state;
  void jira;
  void version;
}
