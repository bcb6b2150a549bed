import * as z from 'zod';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';

const tupleSchema = z.array(z.string()).min(1).max(8);

/**
 * A keyset position as an opaque cursor (base64url JSON of the sort key's string values). Keyset rather than
 * offset so walking a million grants costs one index seek per page, and so memory stays one page.
 */
export function encodeKeyset(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The position a cursor holds, checked to have `arity` values. */
export function decodeKeyset(cursor: string, arity: number): Result<string[], 'bad_cursor'> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return err('bad_cursor');
  }
  const parsed = tupleSchema.safeParse(json);
  return parsed.success && parsed.data.length === arity ? ok(parsed.data) : err('bad_cursor');
}
