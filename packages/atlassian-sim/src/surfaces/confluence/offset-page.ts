import { intParam, type RouteContext } from '../route.ts';
import { restRelativePath } from './list-param.ts';

export interface OffsetPageOptions<T> {
  items: readonly T[];
  defaultLimit: number;
  maxLimit: number;
  /** `_links.base`: the site or instance URL including its context path (`.../wiki`, `.../confluence`). */
  base: string;
  /** `_links.context`: the context path alone (`/wiki`, `/confluence`). */
  context: string;
  serialize: (item: T) => unknown;
}

/**
 * One page of a Confluence v1 (Cloud) or Data Center list: `start`/`limit`, and
 * `{results, start, limit, size, _links: {base, context, self, next?, prev?}}`. Why the links look odd: `self` is
 * absolute, but `next` and `prev` are relative to `_links.base` (they start with `/rest/api/`), and `next` carries
 * Confluence's own `next=true` marker. A client must join `base + next`; joining the site origin loses the context
 * path. There is no total: the last page is the one without `_links.next`.
 */
export function offsetPage<T>(ctx: RouteContext, options: OffsetPageOptions<T>): Response {
  const start = intParam(ctx.query, 'start', 0);
  const limit = Math.max(1, intParam(ctx.query, 'limit', options.defaultLimit, options.maxLimit));
  const results = options.items.slice(start, start + limit).map(options.serialize);
  const path = restRelativePath(ctx.c.req.url);
  const others = new URLSearchParams(new URL(ctx.c.req.url).search);
  for (const name of ['start', 'limit', 'next']) others.delete(name);
  const link = (at: number, next: boolean): string => {
    const params = new URLSearchParams(next ? [['next', 'true']] : []);
    for (const [k, v] of others) params.append(k, v);
    params.set('limit', String(limit));
    params.set('start', String(at));
    return `${path}?${params.toString()}`;
  };
  const links: Record<string, string> = {
    base: options.base,
    context: options.context,
    self: `${options.base}${path}`,
  };
  if (start + limit < options.items.length) links['next'] = link(start + limit, true);
  if (start > 0) links['prev'] = link(Math.max(0, start - limit), false);
  return ctx.json(200, { results, start, limit, size: results.length, _links: links });
}
