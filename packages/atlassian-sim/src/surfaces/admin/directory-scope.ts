import type { Org } from '../../world/types.ts';
import type { RouteContext } from '../route.ts';
import { adminBase, resolveOrg, type OrgScope } from './org-access.ts';
import { checkDirectory, v2Links, v2Page } from './v2-paging.ts';

/** The org and the directory (`-` for all of them) that a `/v2/orgs/{orgId}/directories/{directoryId}/…` path names. */
export interface DirectoryScope extends OrgScope {
  directoryId: string;
}

/** The org and directory in the path, or the 404 Atlassian answers for either. */
export function resolveDirectory(ctx: RouteContext): DirectoryScope | Response {
  const scope = resolveOrg(ctx);
  if (scope instanceof Response) return scope;
  const directoryId = ctx.params['directoryId'] ?? '';
  const missing = checkDirectory(scope.org, directoryId);
  if (missing) return missing;
  return { ...scope, directoryId };
}

/**
 * One page of a v2 directory search (users or groups): `find` lists the matching indices, `render` turns one into
 * the beans it contributes to `data`. Cursors are scoped to the kind, org and directory.
 */
export function serveDirectorySearch(
  ctx: RouteContext,
  kind: 'users' | 'groups',
  search: { cursor?: string; limit: number },
  find: (org: Org, directoryId: string) => readonly number[],
  render: (base: string, org: Org, idx: number) => readonly unknown[],
): Response {
  const scope = resolveDirectory(ctx);
  if (scope instanceof Response) return scope;
  const { org, directoryId } = scope;
  const cursorScope = `v2-${kind}|${org.id}|${directoryId}`;
  const page = v2Page(find(org, directoryId), cursorScope, search.cursor, search.limit);
  if (page instanceof Response) return page;
  const base = adminBase(ctx);
  return ctx.json(200, {
    data: page.items.flatMap((idx) => render(base, org, idx)),
    links: v2Links(cursorScope, page),
  });
}
