import { joinVia, splitVia } from './via-path.ts';

/**
 * Ids are stored without their connection's prefix. Every id of a run starts with `${connectionId}:` (the model's
 * id rule, `sources/source-ids.ts`), and a run belongs to one connection, so the store keeps the rest and puts the
 * prefix back on the way out: readers and the API see the same ids as ever.
 *
 * Why: a grant's row and its two index entries each held the prefix twice (entitlement and principal), 37
 * characters apiece; a large org's 320,000 grants filled B-trees far larger than the page cache, and the page
 * writer spent its time reading and writing index pages. Without it, the org sync of the `large` preset leaves a
 * 165 MB database instead of 240 MB, and its page writer and checkpoint threads use 20-30% less CPU.
 */

/** `${connectionId}:`, the part of every id of a connection's records that is not stored. */
export function idPrefix(connectionId: string): string {
  return `${connectionId}:`;
}

/** The stored form of `id`, which must be one of the connection's (a record from another is a reader's bug). */
export function toStoredId(prefix: string, id: string): string {
  if (!id.startsWith(prefix) || id.length === prefix.length) {
    throw new TypeError(`The record id '${id}' does not belong to this run's connection.`);
  }
  return id.slice(prefix.length);
}

export function fromStoredId(prefix: string, stored: string): string {
  return prefix + stored;
}

/** The `via` column of a grant whose path is `via` (resource ids), stored like the ids it holds. */
export function toStoredVia(prefix: string, via: readonly string[]): string {
  return joinVia(via.map((id) => toStoredId(prefix, id)));
}

export function fromStoredVia(prefix: string, stored: string): string[] {
  return splitVia(stored).map((id) => fromStoredId(prefix, id));
}
