/**
 * Reads a multi-valued query parameter the way Atlassian does: repeated (`ids=1&ids=2`, the OpenAPI default) and
 * comma-separated (`ids=1,2`) are both accepted, and empty entries are dropped.
 */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** The part of a request path from its first `/rest/` on: what Confluence's relative `_links.next` is built from. */
export function restRelativePath(url: string): string {
  const pathname = new URL(url).pathname;
  const at = pathname.indexOf('/rest/');
  return at < 0 ? pathname : pathname.slice(at);
}
