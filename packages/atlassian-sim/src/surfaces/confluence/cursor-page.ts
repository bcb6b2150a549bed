import { confluenceV2Error } from '../errors.ts';
import { intParam, type RouteContext } from '../route.ts';
import { decodeCursor, encodeCursor } from './v2-cursor.ts';

/** Confluence v2: `limit` defaults to 25 and is clamped to 250 (API-NOTES §2.3). */
export const V2_DEFAULT_LIMIT = 25;
export const V2_MAX_LIMIT = 250;

export interface CursorPageOptions<T> {
  /** Every visible item in list order; the page is sliced from it. */
  items: readonly T[];
  /** Identifies the list (route plus sort) so a cursor cannot be replayed against another list. */
  scope: string;
  /** Per-site secret for the cursor checksum. */
  secret: string;
  /** `_links.base`, e.g. `https://acme.atlassian.net/wiki`. */
  base: string;
  serialize: (item: T) => unknown;
}

/** 400 in the v2 shape, as Confluence answers a bad query parameter (including a cursor it did not issue). */
export function invalidParameter(detail: string): Response {
  return confluenceV2Error(400, 'INVALID_REQUEST_PARAMETER', 'Bad Request', detail);
}

/**
 * One page of a Confluence Cloud v2 list. The next page is announced twice, and both must agree: a
 * `Link: </wiki/api/v2/...?cursor=...>; rel="next"` header and `_links.next` in the body, both relative to the site
 * (they start with `/wiki/api/v2/`, not with `_links.base`). The last page has neither. There is no total count.
 */
export function cursorPage<T>(ctx: RouteContext, options: CursorPageOptions<T>): Response {
  const limit = Math.max(1, intParam(ctx.query, 'limit', V2_DEFAULT_LIMIT, V2_MAX_LIMIT));
  const cursor = ctx.query.get('cursor');
  let offset = 0;
  if (cursor !== null) {
    const decoded = decodeCursor(options.secret, options.scope, cursor);
    if (decoded === undefined) return invalidParameter('Invalid cursor');
    offset = decoded;
  }
  const results = options.items.slice(offset, offset + limit).map(options.serialize);
  const links: Record<string, string> = {};
  const headers: Record<string, string> = {};
  if (offset + limit < options.items.length) {
    const url = new URL(ctx.c.req.url);
    const params = new URLSearchParams(url.search);
    params.set('cursor', encodeCursor(options.secret, options.scope, offset + limit));
    // Relative to the site, whichever mount served the request (`/s/{host}/wiki` or `/ex/confluence/{id}/wiki`).
    const pathname = url.pathname.slice(Math.max(0, url.pathname.indexOf('/wiki/api/v2/')));
    const next = `${pathname}?${params.toString()}`;
    links['next'] = next;
    headers['link'] = `<${next}>; rel="next", <${options.base}>; rel="base"`;
  }
  links['base'] = options.base;
  return ctx.json(200, { results, _links: links }, headers);
}
