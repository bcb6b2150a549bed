import type { Router } from '../route.ts';
import { resolveOrg } from './org-access.ts';
import { orgIndex } from './org-index.ts';
import { createFieldReader, querySource } from './request-fields.ts';
import { V2_DEFAULT_LIMIT, V2_MAX_LIMIT } from './user-search.ts';
import { invalidRequest, v2Links, v2Page } from './v2-paging.ts';

/** `GET /v2/orgs/{orgId}/directories`: `{data:[{directoryId,name,icon}], links}` with v2 cursor tokens. */
export function registerDirectoryRoutes(router: Router): void {
  router.get('/v2/orgs/:orgId/directories', (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const { org } = scope;
    const r = createFieldReader(querySource(ctx.query, { lists: ['directoryIds'], integers: ['limit'] }));
    const limit = r.integer('limit', 1, V2_MAX_LIMIT) ?? V2_DEFAULT_LIMIT;
    const cursor = r.string('cursor');
    const accountId = r.string('accountId');
    const directoryIds = r.stringList('directoryIds', { max: 10 });
    const term = r.string('searchTerm')?.toLowerCase();
    if (r.problems.length > 0) return invalidRequest(r.problems);
    const userIdx = accountId === undefined ? undefined : orgIndex(org).userByAccountId.get(accountId);
    const directories = org.directories.filter(
      (d) =>
        (!directoryIds || directoryIds.includes(d.directoryId)) &&
        (term === undefined || d.name.toLowerCase().includes(term)) &&
        (accountId === undefined || (userIdx !== undefined && org.users[userIdx]?.directoryId === d.directoryId)),
    );
    const cursorScope = `v2-directories|${org.id}`;
    const page = v2Page(directories, cursorScope, cursor, limit);
    if (page instanceof Response) return page;
    return ctx.json(200, {
      data: page.items.map((d) => ({
        directoryId: d.directoryId,
        name: d.name,
        icon: 'https://admin.atlassian.com/assets/directory-icon.svg',
      })),
      links: v2Links(cursorScope, page),
    });
  });
}
