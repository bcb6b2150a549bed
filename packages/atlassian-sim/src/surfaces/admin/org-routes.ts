import type { Router, RouteContext } from '../route.ts';
import type { Org } from '../../world/types.ts';
import { adminError, adminNoPerms } from './admin-errors.ts';
import { keyAllows } from './admin-key-scopes.ts';
import { decodeCursor, encodeCursor, pageOf } from './cursor-token.ts';
import { adminBase, resolveOrg } from './org-access.ts';
import { orgDomains } from './org-domains.ts';
import { orgIndex } from './org-index.ts';
import { orgUserV1 } from './org-user-v1.ts';

/**
 * Page size of `GET /v1/orgs/{orgId}/users`. Why fixed: the v1 endpoint takes no limit parameter, only `cursor`.
 */
export const V1_USERS_PAGE_SIZE = 100;
const V1_DOMAINS_PAGE_SIZE = 100;

function orgModel(base: string, org: Org): Record<string, unknown> {
  return {
    id: org.id,
    type: 'orgs',
    attributes: { name: org.name },
    relationships: {
      domains: { links: { related: `${base}/v1/orgs/${org.id}/domains` } },
      users: { links: { related: `${base}/v1/orgs/${org.id}/users` } },
    },
    links: { self: `${base}/v1/orgs/${org.id}` },
  };
}

/**
 * v1 pagination: `links.self|prev|next` are FULL URLs carrying `cursor=` (the spec's LinkPageModel: "URL to fetch
 * the Next Page"), unlike v2 and the v1 search endpoints, which return bare cursor tokens.
 */
function v1Links(url: string, scope: string, page: { offset: number; nextOffset?: number; prevOffset?: number }) {
  const at = (offset: number) => (offset === 0 ? url : `${url}?cursor=${encodeCursor(scope, offset)}`);
  const links: Record<string, string> = { self: at(page.offset) };
  if (page.prevOffset !== undefined) links['prev'] = at(page.prevOffset);
  if (page.nextOffset !== undefined) links['next'] = at(page.nextOffset);
  return links;
}

/** Reads `cursor` for a v1 listing: the offset, or a 400 ADMIN-400-1 answer. */
function v1Offset(ctx: RouteContext, scope: string): number | Response {
  const cursor = ctx.query.get('cursor');
  if (cursor === null || cursor === '') return 0;
  return decodeCursor(scope, cursor) ?? adminError('ADMIN-400-1', `The cursor '${cursor}' is not valid.`);
}

export function registerOrgRoutes(router: Router): void {
  router.get('/v1/orgs', (ctx) => {
    const base = adminBase(ctx);
    const principal = ctx.principal;
    // An API key belongs to exactly one org, so the listing holds that org only.
    const org = principal?.kind === 'org-key' ? ctx.state.world.orgs[principal.orgIdx] : undefined;
    const orgs = org ? [org] : [];
    const offset = v1Offset(ctx, 'v1-orgs');
    if (offset instanceof Response) return offset;
    const page = pageOf(orgs, offset, 20);
    return ctx.json(200, {
      data: page.items.map((o) => orgModel(base, o)),
      links: v1Links(`${base}/v1/orgs`, 'v1-orgs', page),
    });
  });

  router.get('/v1/orgs/:orgId', (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    return ctx.json(200, { data: orgModel(adminBase(ctx), scope.org) });
  });

  router.get('/v1/orgs/:orgId/users', (ctx) => {
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const { org } = scope;
    const cursorScope = `v1-users|${org.id}`;
    const offset = v1Offset(ctx, cursorScope);
    if (offset instanceof Response) return offset;
    const page = pageOf(orgIndex(org).allUsers, offset, V1_USERS_PAGE_SIZE);
    return ctx.json(200, {
      data: page.items.map((i) => orgUserV1(ctx.state, org, i)),
      links: v1Links(`${adminBase(ctx)}/v1/orgs/${org.id}/users`, cursorScope, page),
      meta: { total: org.users.length },
    });
  });

  router.get('/v1/orgs/:orgId/domains', (ctx) => {
    const denied = domainsDenied(ctx);
    if (denied) return denied;
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const { org } = scope;
    const base = adminBase(ctx);
    const cursorScope = `v1-domains|${org.id}`;
    const offset = v1Offset(ctx, cursorScope);
    if (offset instanceof Response) return offset;
    const page = pageOf(orgDomains(org), offset, V1_DOMAINS_PAGE_SIZE);
    return ctx.json(200, {
      data: page.items.map((d) => domainModel(base, org, d)),
      links: v1Links(`${base}/v1/orgs/${org.id}/domains`, cursorScope, page),
    });
  });

  router.get('/v1/orgs/:orgId/domains/:domainId', (ctx) => {
    const denied = domainsDenied(ctx);
    if (denied) return denied;
    const scope = resolveOrg(ctx);
    if (scope instanceof Response) return scope;
    const domainId = ctx.params['domainId'] ?? '';
    const domain = orgDomains(scope.org).find((d) => d.id === domainId);
    if (!domain) return adminError('ADMIN-404-3', `Domain ${domainId} was not found.`);
    return ctx.json(200, { data: domainModel(adminBase(ctx), scope.org, domain) });
  });
}

/** Only the domains endpoints document a 403 for a key that lacks the scope, so only they check it. */
function domainsDenied(ctx: RouteContext): Response | undefined {
  if (keyAllows(ctx, 'read:domains:admin')) return undefined;
  return adminNoPerms(new URL(ctx.c.req.url).pathname.replace(/^.*?\/v1\//, '/admin/v1/'), ctx.state.now());
}

function domainModel(base: string, org: Org, domain: { id: string; name: string }): Record<string, unknown> {
  return {
    id: domain.id,
    type: 'domains',
    attributes: { name: domain.name, claim: { type: 'dns', status: 'verified' } },
    links: { self: `${base}/v1/orgs/${org.id}/domains/${domain.id}` },
  };
}
