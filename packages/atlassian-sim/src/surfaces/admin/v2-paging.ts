import type { Org } from '../../world/types.ts';
import { adminError } from './admin-errors.ts';
import { decodeCursor, encodeCursor, pageOf, type Page } from './cursor-token.ts';

/**
 * v2 pagination (`LinkPageCursor`): `links.self|prev|next` are bare cursor TOKENS, not URLs, which the client sends
 * back as `cursor` (query or body). An unknown or foreign token is `400 ADMIN-400-1`.
 */
export function v2Page<T>(
  all: readonly T[],
  scope: string,
  cursor: string | undefined,
  limit: number,
): Page<T> | Response {
  let offset = 0;
  if (cursor !== undefined && cursor !== '') {
    const decoded = decodeCursor(scope, cursor);
    if (decoded === undefined) return adminError('ADMIN-400-1', `The cursor '${cursor}' is not valid.`);
    offset = decoded;
  }
  return pageOf(all, offset, limit);
}

export function v2Links(scope: string, page: Page<unknown>): Record<string, string> {
  const links: Record<string, string> = { self: encodeCursor(scope, page.offset) };
  if (page.prevOffset !== undefined) links['prev'] = encodeCursor(scope, page.prevOffset);
  if (page.nextOffset !== undefined) links['next'] = encodeCursor(scope, page.nextOffset);
  return links;
}

/** `directoryId` is one of the org's directories, or `-` for all of them; anything else is 404. */
export function checkDirectory(org: Org, directoryId: string): Response | undefined {
  if (directoryId === '-' || org.directories.some((d) => d.directoryId === directoryId)) return undefined;
  return adminError('ADMIN-404-1', `Directory ${directoryId} was not found in organization ${org.id}.`);
}

/** A 400 for a request that breaks the spec's constraints. */
export function invalidRequest(problems: readonly string[]): Response {
  return adminError('ADMIN-400-24', problems.join('; '));
}
