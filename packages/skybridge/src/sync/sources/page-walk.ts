import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';
import type { Result } from '../../domain/result.ts';
import { ok } from '../../domain/result.ts';
import type { AtlassianError } from '../../atlassian/atlassian-error.ts';
import type { SourcePage } from './source-reader.ts';

/**
 * The two walks every reader is made of, so that checkpointing is written (and tested) once:
 *
 * - `walkList`: one paginated list; the checkpoint's `cursor` is the next page's cursor.
 * - `walkNested`: a paginated parent list and, for each parent, a paginated child list (group → members, project →
 *   roles, space → permissions). The checkpoint carries the parent list's next cursor, the ids of the current parent
 *   page still to visit (at most one page of them, so it stays small however big the org is) and the child cursor.
 *
 * Cursors are opaque strings: an Atlassian cursor token, or an offset written as a number.
 */

/** One page of any list: its items and the cursor of the next page (undefined on the last). */
export interface ListPage<T> {
  items: T[];
  next: string | undefined;
}

export type FetchPage<T> = (
  cursor: string | undefined,
  signal: AbortSignal,
) => Promise<Result<ListPage<T>, AtlassianError>>;

/** The value of a result, or its error thrown: a reader's failure ends the iteration (see `SourceReader`). */
export function unwrap<T>(result: Result<T, AtlassianError>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/** Reads `from` if it belongs to `phase`; a checkpoint of another stream is a caller bug. */
function checkPhase(phase: string, from: SyncCheckpoint | undefined): SyncCheckpoint | undefined {
  if (from && from.phase !== phase) throw new TypeError(`checkpoint of phase ${from.phase} given to ${phase}`);
  return from;
}

/** Walks one list. */
export async function* walkList<T>(options: {
  phase: string;
  from: SyncCheckpoint | undefined;
  signal: AbortSignal;
  fetch: FetchPage<T>;
  toRecords: (items: T[]) => AccessRecord[];
}): AsyncGenerator<SourcePage> {
  const { phase, signal } = options;
  let cursor = checkPhase(phase, options.from)?.cursor;
  for (;;) {
    signal.throwIfAborted();
    const page = unwrap(await options.fetch(cursor, signal));
    const records = options.toRecords(page.items);
    if (page.next === undefined) {
      yield { records, checkpoint: 'done' };
      return;
    }
    cursor = page.next;
    yield { records, checkpoint: { phase, cursor } };
  }
}

/** What `walkNested` keeps in `checkpoint.state`. */
interface NestedState {
  /** The parent list's next page cursor; `null` once the last parent page was read; absent before the first. */
  parentsNext?: string | null;
  /** Parent ids of the current parent page still to visit; the first is being visited. */
  pending: string[];
}

function readNestedState(from: SyncCheckpoint | undefined): NestedState {
  const state = from?.state;
  if (!state) return { pending: [] };
  const pending = Array.isArray(state['pending']) ? state['pending'].filter((p) => typeof p === 'string') : [];
  const next = state['parentsNext'];
  return {
    pending,
    ...(typeof next === 'string' || next === null ? { parentsNext: next } : {}),
  };
}

/**
 * Walks a parent list and each parent's children. `parentRecords` turns a parent page into records (often none:
 * another stream yields the parents themselves); `children` fetches one page of a parent's children.
 */
export async function* walkNested<P, C>(options: {
  phase: string;
  from: SyncCheckpoint | undefined;
  signal: AbortSignal;
  parents: FetchPage<P>;
  parentId: (parent: P) => string;
  parentRecords?: (parents: P[]) => AccessRecord[];
  children: (
    parentId: string,
    cursor: string | undefined,
    signal: AbortSignal,
  ) => Promise<Result<ListPage<C>, AtlassianError>>;
  toRecords: (parentId: string, children: C[]) => AccessRecord[];
}): AsyncGenerator<SourcePage> {
  const { phase, signal } = options;
  const from = checkPhase(phase, options.from);
  const state = readNestedState(from);
  let childCursor = from?.cursor;
  const checkpoint = (): SyncCheckpoint | 'done' => {
    if (state.pending.length === 0 && state.parentsNext === null) return 'done';
    const cp: SyncCheckpoint = {
      phase,
      state: {
        pending: [...state.pending],
        ...(state.parentsNext !== undefined ? { parentsNext: state.parentsNext } : {}),
      },
    };
    if (childCursor !== undefined) cp.cursor = childCursor;
    return cp;
  };
  for (;;) {
    signal.throwIfAborted();
    const current = state.pending[0];
    if (current === undefined) {
      if (state.parentsNext === null) {
        yield { records: [], checkpoint: 'done' };
        return;
      }
      const page = unwrap(await options.parents(state.parentsNext, signal));
      state.pending = page.items.map(options.parentId);
      state.parentsNext = page.next ?? null;
      childCursor = undefined;
      const records = options.parentRecords?.(page.items) ?? [];
      const next = checkpoint();
      yield { records, checkpoint: next };
      if (next === 'done') return;
      continue;
    }
    const page = unwrap(await options.children(current, childCursor, signal));
    const records = options.toRecords(current, page.items);
    if (page.next === undefined) {
      state.pending.shift();
      childCursor = undefined;
    } else {
      childCursor = page.next;
    }
    const next = checkpoint();
    yield { records, checkpoint: next };
    if (next === 'done') return;
  }
}

/** A Confluence v1 offset page (`results`, `nextStart`) as a `ListPage`, its next offset as the cursor. */
export function nextStartPage<T>(
  page: Result<{ results: T[]; nextStart: number | undefined }, AtlassianError>,
): Result<ListPage<T>, AtlassianError> {
  return page.ok ? ok({ items: page.value.results, next: page.value.nextStart?.toString() }) : page;
}

/** An offset cursor as a number (0 when absent). */
export function offsetOf(cursor: string | undefined): number {
  const n = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`not an offset cursor: ${cursor}`);
  return n;
}

/** The next offset cursor of a bare-array page: more may follow only when the page was full. */
export function nextOffset(start: number, count: number, pageSize: number): string | undefined {
  return count >= pageSize && count > 0 ? String(start + count) : undefined;
}

/** The next offset cursor of a Jira PageBean: `isLast` decides (`total` may be missing or move, API-NOTES §2.1). */
export function nextPageBeanOffset(
  page: { startAt?: number | undefined; isLast?: boolean | undefined; values: unknown[] },
  start: number,
): string | undefined {
  if (page.isLast === true || page.values.length === 0) return undefined;
  return String((page.startAt ?? start) + page.values.length);
}
