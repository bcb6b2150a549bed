import * as z from 'zod';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { IsoTimestamp } from './schema.ts';

/** Page size when the caller gives none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  /** Items per page, 1..500. Default 50. */
  limit?: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Where a keyset page ends: the sort timestamp and the id of its last item. */
export interface Position {
  at: IsoTimestamp;
  id: string;
}

const positionSchema = z.tuple([z.iso.datetime(), z.string().min(1)]);

/**
 * Opaque to callers (base64url JSON), so its shape can change. Keyset, not offset: a page boundary does not
 * move when rows are inserted or deleted before it, so walking the pages sees every row that existed throughout
 * exactly once.
 */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Result<Position, 'bad_cursor'> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return err('bad_cursor');
  }
  const parsed = positionSchema.safeParse(json);
  return parsed.success ? ok({ at: parsed.data[0], id: parsed.data[1] }) : err('bad_cursor');
}

export function pageSize(request: PageRequest | undefined): number {
  const limit = request?.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new Error(`page limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return limit;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says whether there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, position: (row: R) => Position, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return rows.length > limit && last !== undefined
    ? { items: items.map(map), nextCursor: encodeCursor(position(last)) }
    : { items: items.map(map) };
}
