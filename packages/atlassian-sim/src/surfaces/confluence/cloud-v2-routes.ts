import type { Page, Space } from '../../world/types.ts';
import { confluenceV2Error } from '../errors.ts';
import type { RouteContext, Router } from '../route.ts';
import type { CloudConfluence } from './cloud-confluence.ts';
import { cursorPage, invalidParameter } from './cursor-page.ts';
import { listParam } from './list-param.ts';
import { canReadSpace } from './space-access.ts';
import {
  BODY_FORMATS,
  BULK_BODY_FORMATS,
  DESCRIPTION_FORMATS,
  pageV2,
  siblingPositions,
  spacePermissionV2,
  spaceV2,
  type BodyFormat,
  type DescriptionFormat,
} from './v2-beans.ts';

/** Confluence Cloud REST v2 (`/wiki/api/v2`): spaces, space permissions and pages. */

export const SPACE_TYPES = ['global', 'collaboration', 'knowledge_base', 'personal'] as const;
export const SPACE_STATUSES = ['current', 'archived'] as const;
export const SPACE_SORTS = ['id', '-id', 'key', '-key', 'name', '-name'] as const;
export const PAGE_STATUSES = ['current', 'archived', 'deleted', 'trashed'] as const;
export const PAGE_SORTS = [
  'id',
  '-id',
  'created-date',
  '-created-date',
  'modified-date',
  '-modified-date',
  'title',
  '-title',
] as const;
export const PAGE_DEPTHS = ['all', 'root'] as const;

const notFound = (): Response => confluenceV2Error(404, 'NOT_FOUND', 'Not Found', null);

/** Parses an enum-valued parameter; `null` when absent, a 400 Response when not one of `allowed`. */
function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | null | Response {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  return (allowed as readonly string[]).includes(raw)
    ? (raw as T)
    : invalidParameter(`Invalid value '${raw}' for parameter '${name}'`);
}

/** A multi-valued enum parameter; a 400 Response when any value is not allowed. */
function enumListParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T[] | Response {
  const values = listParam(query, name);
  const bad = values.find((v) => !(allowed as readonly string[]).includes(v));
  return bad === undefined ? (values as T[]) : invalidParameter(`Invalid value '${bad}' for parameter '${name}'`);
}

/** A multi-valued int64 id parameter (ids, space-id); a 400 Response when an entry is not a number. */
function idListParam(query: URLSearchParams, name: string, max: number): Set<string> | Response {
  const values = listParam(query, name);
  if (values.some((v) => !/^\d{1,19}$/.test(v)))
    return invalidParameter(`Parameter '${name}' must be a list of numeric ids`);
  if (values.length > max) return invalidParameter(`Parameter '${name}' accepts at most ${max} values`);
  return new Set(values.map((v) => String(BigInt(v))));
}

const byNumericId = (a: { id: string }, b: { id: string }): number =>
  BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;

function sorter<T>(
  sort: string | null,
  keys: Record<string, (item: T) => string>,
  byId: (a: T, b: T) => number,
): (a: T, b: T) => number {
  const descending = sort?.startsWith('-') ?? false;
  const field = sort?.replace(/^-/, '') ?? 'id';
  const key = keys[field];
  const ascending = key ? (a: T, b: T) => key(a).localeCompare(key(b)) || byId(a, b) : byId;
  return descending ? (a, b) => ascending(b, a) : ascending;
}

export function registerCloudV2Routes(router: Router, confluence: CloudConfluence): void {
  const accountIdOf = (userIdx: number): string => confluence.org().users[userIdx]?.accountId ?? '';
  const visibleSpaces = (ctx: RouteContext): Space[] => {
    const viewer = confluence.viewer(ctx.principal);
    return confluence.site().confluence.spaces.filter((s) => canReadSpace(s, viewer));
  };
  const visibleSpace = (ctx: RouteContext, id: string | undefined): Space | undefined =>
    id === undefined ? undefined : visibleSpaces(ctx).find((s) => s.id === id);
  /** Path ids are int64: anything else is a 400, not a 404. */
  const pathId = (ctx: RouteContext): string | Response => {
    const id = ctx.params['id'] ?? '';
    return /^\d{1,19}$/.test(id) ? String(BigInt(id)) : invalidParameter(`Parameter 'id' must be a number`);
  };

  router.get('/api/v2/spaces', (ctx) => {
    const ids = idListParam(ctx.query, 'ids', 250);
    if (ids instanceof Response) return ids;
    const keys = listParam(ctx.query, 'keys');
    const type = enumParam(ctx.query, 'type', SPACE_TYPES);
    if (type instanceof Response) return type;
    const status = enumParam(ctx.query, 'status', SPACE_STATUSES);
    if (status instanceof Response) return status;
    const sort = enumParam(ctx.query, 'sort', SPACE_SORTS);
    if (sort instanceof Response) return sort;
    const descriptionFormat = enumParam<DescriptionFormat>(ctx.query, 'description-format', DESCRIPTION_FORMATS);
    if (descriptionFormat instanceof Response) return descriptionFormat;
    const includeIcon = ctx.query.get('include-icon') === 'true';
    const spaces = visibleSpaces(ctx)
      .filter(
        (s) =>
          (ids.size === 0 || ids.has(s.id)) &&
          (keys.length === 0 || keys.includes(s.key)) &&
          (type === null || s.type === type) &&
          (status === null || s.status === status),
      )
      .sort(sorter<Space>(sort, { key: (s) => s.key, name: (s) => s.name }, byNumericId));
    return cursorPage(ctx, {
      items: spaces,
      scope: `spaces|${sort ?? 'id'}`,
      secret: confluence.cursorSecret,
      base: confluence.base,
      serialize: (s) =>
        spaceV2(s, {
          authorId: accountIdOf(s.authorIdx),
          includeIcon,
          ...(descriptionFormat ? { descriptionFormat } : {}),
        }),
    });
  });

  router.get('/api/v2/spaces/:id', (ctx) => {
    const id = pathId(ctx);
    if (id instanceof Response) return id;
    const descriptionFormat = enumParam<DescriptionFormat>(ctx.query, 'description-format', DESCRIPTION_FORMATS);
    if (descriptionFormat instanceof Response) return descriptionFormat;
    const space = visibleSpace(ctx, id);
    if (!space) return notFound();
    const bean = spaceV2(space, {
      authorId: accountIdOf(space.authorIdx),
      includeIcon: ctx.query.get('include-icon') === 'true',
      ...(descriptionFormat ? { descriptionFormat } : {}),
    });
    return ctx.json(200, { ...bean, _links: { ...(bean['_links'] as object), base: confluence.base } });
  });

  router.get('/api/v2/spaces/:id/permissions', (ctx) => {
    const id = pathId(ctx);
    if (id instanceof Response) return id;
    const space = visibleSpace(ctx, id);
    if (!space) return notFound();
    const users = confluence.org().users;
    const assignments = space.permissions.flatMap((p) => {
      const bean = spacePermissionV2(p, users);
      return bean ? [bean] : [];
    });
    return cursorPage(ctx, {
      items: assignments,
      scope: `space-permissions|${space.id}`,
      secret: confluence.cursorSecret,
      base: confluence.base,
      serialize: (a) => a,
    });
  });

  const listPages = (ctx: RouteContext, space: Space | undefined): Response => {
    const ids = idListParam(ctx.query, 'id', 250);
    if (ids instanceof Response) return ids;
    const spaceIds = space ? new Set([space.id]) : idListParam(ctx.query, 'space-id', 100);
    if (spaceIds instanceof Response) return spaceIds;
    const statusList = enumListParam(ctx.query, 'status', PAGE_STATUSES);
    if (statusList instanceof Response) return statusList;
    // By default v2 lists current and archived pages; drafts are never listed.
    const statuses: readonly string[] = statusList.length > 0 ? statusList : ['current', 'archived'];
    const sort = enumParam(ctx.query, 'sort', PAGE_SORTS);
    if (sort instanceof Response) return sort;
    const bodyFormat = enumParam<BodyFormat>(ctx.query, 'body-format', BULK_BODY_FORMATS);
    if (bodyFormat instanceof Response) return bodyFormat;
    const depth = space ? enumParam(ctx.query, 'depth', PAGE_DEPTHS) : null;
    if (depth instanceof Response) return depth;
    const title = ctx.query.get('title');
    const spacesById = new Map(visibleSpaces(ctx).map((s) => [s.id, s]));
    const allPages = confluence.site().confluence.pages;
    const positions = siblingPositions(allPages);
    const created = (p: Page): string => p.createdAt;
    const pages = allPages
      .filter(
        (p) =>
          spacesById.has(p.spaceId) &&
          (spaceIds.size === 0 || spaceIds.has(p.spaceId)) &&
          (ids.size === 0 || ids.has(p.id)) &&
          statuses.includes(p.status) &&
          (title === null || p.title === title) &&
          (depth !== 'root' || p.parentId === null),
      )
      .sort(
        sorter<Page>(sort, { 'created-date': created, 'modified-date': created, title: (p) => p.title }, byNumericId),
      );
    const scope = space ? `space-pages|${space.id}|${sort ?? 'id'}` : `pages|${sort ?? 'id'}`;
    return cursorPage(ctx, {
      items: pages,
      scope,
      secret: confluence.cursorSecret,
      base: confluence.base,
      serialize: (p) =>
        pageV2(p, {
          authorId: accountIdOf(p.authorIdx),
          spaceKey: spacesById.get(p.spaceId)?.key ?? '',
          position: positions.get(p.id) ?? 0,
          ...(bodyFormat ? { bodyFormat } : {}),
        }),
    });
  };

  router.get('/api/v2/pages', (ctx) => listPages(ctx, undefined));

  router.get('/api/v2/spaces/:id/pages', (ctx) => {
    const id = pathId(ctx);
    if (id instanceof Response) return id;
    const space = visibleSpace(ctx, id);
    if (!space) return notFound();
    return listPages(ctx, space);
  });

  router.get('/api/v2/pages/:id', (ctx) => {
    const id = pathId(ctx);
    if (id instanceof Response) return id;
    const bodyFormat = enumParam<BodyFormat>(ctx.query, 'body-format', BODY_FORMATS);
    if (bodyFormat instanceof Response) return bodyFormat;
    const allPages = confluence.site().confluence.pages;
    const page = allPages.find((p) => p.id === id);
    const space = page ? visibleSpace(ctx, page.spaceId) : undefined;
    // Drafts are only served when asked for; otherwise a draft is as invisible as a page in a hidden space.
    const wantsDraft = ctx.query.get('get-draft') === 'true' || listParam(ctx.query, 'status').includes('draft');
    if (!page || !space || (page.status === 'draft' && !wantsDraft)) return notFound();
    const bean = pageV2(page, {
      authorId: accountIdOf(page.authorIdx),
      spaceKey: space.key,
      position: siblingPositions(allPages).get(page.id) ?? 0,
      ...(bodyFormat ? { bodyFormat } : {}),
    });
    return ctx.json(200, { ...bean, _links: { ...(bean['_links'] as object), base: confluence.base } });
  });
}
