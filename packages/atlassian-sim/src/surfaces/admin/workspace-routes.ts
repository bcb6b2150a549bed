import type { SimState } from '../../state.ts';
import type { Router } from '../route.ts';
import { INVALID_JSON } from '../route.ts';
import { cloudJiraPath } from '../../site-directory.ts';
import { adminBase, resolveOrg } from './org-access.ts';
import { PRODUCT_KEYS, workspaceAri } from './product-access.ts';
import { createFieldReader, isRecord } from './request-fields.ts';
import { invalidRequest, v2Links, v2Page } from './v2-paging.ts';

/** A workspace: one product on one cloud site of the org. */
interface Workspace {
  id: string;
  name: string;
  type: 'jira' | 'confluence';
  typeKey: string;
  hostUrl: string;
}

function orgWorkspaces(state: SimState, orgIdx: number): Workspace[] {
  return state.world.cloudSites
    .filter((site) => site.orgIdx === orgIdx)
    .flatMap((site) =>
      PRODUCT_KEYS.map((key) => ({
        id: workspaceAri(key, site),
        name: site.host,
        type: key === 'confluence' ? ('confluence' as const) : ('jira' as const),
        typeKey: key,
        // Why: hostUrl is the site (https://acme.atlassian.net) for every product on it, not the product's path.
        hostUrl: `${state.baseUrl}${cloudJiraPath(site.host)}`,
      })),
    );
}

/** Reads `attributes.x` or `id` of a workspace for the query's `field` operands and `sort`. */
function fieldOf(w: Workspace, name: string): string | undefined {
  switch (name) {
    case 'id':
      return w.id;
    case 'attributes.name':
      return w.name;
    case 'attributes.type':
      return w.type;
    case 'attributes.typeKey':
      return w.typeKey;
    case 'attributes.status':
      return 'online';
    case 'attributes.hostUrl':
      return w.hostUrl;
    default:
      return undefined;
  }
}

/** Evaluates a `QueryVariants` node (and / nor / field / searchWorkspaces / features / policies). */
function matchesQuery(w: Workspace, query: unknown): boolean {
  if (query === null || query === undefined) return true;
  if (!isRecord(query)) return false;
  const parts: boolean[] = [];
  const and = query['and'];
  if (Array.isArray(and)) parts.push(and.every((q) => matchesQuery(w, q)));
  const nor = query['nor'];
  if (Array.isArray(nor)) parts.push(!nor.some((q) => matchesQuery(w, q)));
  const field = query['field'];
  if (isRecord(field)) {
    const values = Array.isArray(field['values']) ? field['values'] : [];
    const actual = typeof field['name'] === 'string' ? fieldOf(w, field['name']) : undefined;
    parts.push(actual !== undefined && values.includes(actual));
  }
  const term = query['searchWorkspaces'] ?? query['value'];
  if (typeof term === 'string')
    parts.push(w.name.toLowerCase().includes(term.toLowerCase()) || w.hostUrl.includes(term));
  // No workspace in the world has features or policies attached, so filtering on any matches nothing.
  for (const key of ['features', 'policies']) {
    const list = query[key];
    if (Array.isArray(list) && list.length > 0) parts.push(false);
  }
  return parts.every(Boolean);
}

/** `POST /v2/orgs/{orgId}/workspaces`: every product of every site of the org (`PageDataResponseV2`). */
export function registerWorkspaceRoutes(router: Router): void {
  router.post('/v2/orgs/:orgId/workspaces', async (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const body = await ctx.body();
    if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
      return invalidRequest(['the request body must be a JSON object']);
    const source = body ?? {};
    const r = createFieldReader(source);
    // The workspaces search allows pages of up to 1000 (SearchWorkspacesRequestV2.limit), unlike the directory APIs.
    const limit = r.integer('limit', 1, 1000) ?? 20;
    const cursor = r.string('cursor');
    const sort = r.objectList('sort', 10, 'each entry needs a field and an order', (item) => ({
      field: typeof item['field'] === 'string' ? item['field'] : '',
      desc: item['order'] === 'desc',
    }));
    if (r.problems.length > 0) return invalidRequest(r.problems);

    const all = orgWorkspaces(ctx.state, scope.orgIdx).filter((w) => matchesQuery(w, source['query']));
    for (const key of [...(sort ?? [])].reverse()) {
      all.sort(
        (a, b) => (key.desc ? -1 : 1) * (fieldOf(a, key.field) ?? '').localeCompare(fieldOf(b, key.field) ?? ''),
      );
    }
    const cursorScope = `v2-workspaces|${scope.org.id}`;
    const page = v2Page(all, cursorScope, cursor, limit);
    if (page instanceof Response) return page;
    const base = adminBase(ctx);
    return ctx.json(200, {
      data: page.items.map((w) => ({
        id: w.id,
        type: 'workspace',
        attributes: {
          name: w.name,
          type: w.type,
          typeKey: w.typeKey,
          hostUrl: w.hostUrl,
          status: 'online',
          statusDetails: [],
          realm: 'us',
          regions: ['us-east-1'],
          labels: [],
          sandbox: { type: 'NONE' },
        },
        links: { self: `${base}/v2/orgs/${scope.org.id}/workspaces/${encodeURIComponent(w.id)}` },
      })),
      links: v2Links(cursorScope, page),
      meta: { pageSize: limit, startIndex: page.offset, endIndex: page.offset + page.items.length, total: all.length },
    });
  });
}
