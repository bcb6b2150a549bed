/**
 * Opaque pagination cursors for the Admin and Teams APIs. Atlassian's cursors are opaque base64url strings
 * (`kloHX1ZQVasDAkx_P48NYQ`, `MDNlZWRmNzMt…`): clients must treat them as opaque and cannot forge one.
 * Each token is bound to a scope (endpoint + org): a users cursor replayed against groups, or against another org,
 * is rejected as invalid, which is what Atlassian's `ADMIN-400-1 Invalid page cursor` answers.
 */

function fnv1a(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

/** A token that resumes the listing `scope` at `offset`. */
export function encodeCursor(scope: string, offset: number): string {
  return Buffer.from(`${offset.toString(36)}.${fnv1a(`${scope}|${offset}`)}`, 'utf8').toString('base64url');
}

/** The offset a token stands for, or undefined when it is malformed or was issued for another scope. */
export function decodeCursor(scope: string, token: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^([0-9a-z]{1,10})\.([0-9a-z]{1,8})$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const offset = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(offset) || fnv1a(`${scope}|${offset}`) !== match[2]) return undefined;
  return offset;
}

/** One page of `items` starting at `offset`, with the offsets of the neighbouring pages. */
export interface Page<T> {
  items: T[];
  offset: number;
  /** Absent on the last page. */
  nextOffset?: number;
  /** Absent on the first page. */
  prevOffset?: number;
}

export function pageOf<T>(all: readonly T[], offset: number, limit: number): Page<T> {
  const items = all.slice(offset, offset + limit);
  const page: Page<T> = { items, offset };
  if (offset + limit < all.length) page.nextOffset = offset + limit;
  if (offset > 0) page.prevOffset = Math.max(0, offset - limit);
  return page;
}
