import type { SimState } from '../../state.ts';
import type { Router } from '../route.ts';
import type { JiraSite } from './jira-site.ts';
import { createIssueContext } from './issues/issue-context.ts';
import { registerCreatemetaRoutes } from './issues/createmeta-routes.ts';
import { registerCreateRoutes } from './issues/create-routes.ts';
import { registerIssueReadEditRoutes } from './issues/issue-read-edit-routes.ts';
import { registerPropertyRoutes } from './issues/property-routes.ts';
import { registerTransitionRoutes } from './issues/transition-routes.ts';
import { registerCommentRoutes } from './issues/comment-routes.ts';
import { registerSearchRoutes } from './issues/search-routes.ts';
import { registerAttachmentRoutes } from './issues/attachment-routes.ts';

/** Issues: create (single and bulk), get, edit, delete, properties, transitions, comments, attachments, search, createmeta. */
export function registerJiraIssueRoutes(router: Router, state: SimState, jira: JiraSite, version: 2 | 3): void {
  const ctx = createIssueContext(state, jira, version);
  registerCreatemetaRoutes(router, ctx);
  // Literal paths (issue/bulk, issue/createmeta/...) are registered before issue/{issueIdOrKey}.
  registerCreateRoutes(router, ctx);
  registerSearchRoutes(router, ctx);
  registerIssueReadEditRoutes(router, ctx);
  registerPropertyRoutes(router, ctx);
  registerTransitionRoutes(router, ctx);
  registerCommentRoutes(router, ctx);
  registerAttachmentRoutes(router, ctx);
}
