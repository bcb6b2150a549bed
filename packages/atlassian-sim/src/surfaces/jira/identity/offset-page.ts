/**
 * Jira's offset PageBean (`self`, `nextPage`, `maxResults`, `startAt`, `total`, `isLast`, `values`). `self` echoes the
 * request with its other parameters, and `nextPage` is the same URL moved on by one page; both are absolute.
 * `nextPage` is absent on the last page.
 */
export interface OffsetPage<T> {
  self: string;
  nextPage?: string;
  maxResults: number;
  startAt: number;
  total: number;
  isLast: boolean;
  values: T[];
}

/** The request URL rebuilt on `base` (the site's base URL plus the route) with `startAt`/`maxResults` last. */
export function pageUrl(base: string, query: URLSearchParams, startAt: number, maxResults: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of query) if (k !== 'startAt' && k !== 'maxResults') params.append(k, v);
  params.set('startAt', String(startAt));
  params.set('maxResults', String(maxResults));
  return `${base}?${params.toString()}`;
}

export function offsetPage<T>(
  all: readonly T[],
  startAt: number,
  maxResults: number,
  base: string,
  query: URLSearchParams,
): OffsetPage<T> {
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + maxResults >= all.length;
  const self = pageUrl(base, query, startAt, maxResults);
  // Key order as Jira writes it: self, nextPage, maxResults, startAt, total, isLast, values.
  if (isLast) return { self, maxResults, startAt, total: all.length, isLast, values };
  return {
    self,
    nextPage: pageUrl(base, query, startAt + maxResults, maxResults),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values,
  };
}
