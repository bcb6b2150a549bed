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

/**
 * One page of any list: its items and the cursor of the next page (undefined on the last).
 *
 * `following`: the cursors of the pages after this one, in order, when the API tells them up front (an offset
 * list with a total, see `pageBeanFollowing`). They may then be fetched at once instead of one after another; the
 * pages are still yielded in order, each with its own `next`, so checkpoints are those of a sequential walk.
 */
export interface ListPage<T> {
  items: T[];
  next: string | undefined;
  following?: string[];
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

/**
 * Caps the requests one walk has in flight. The pacer holds each rate-limit scope to its rate; this keeps one
 * stream from putting more requests on the wire at once than a scope's burst can absorb before the pacer hears
 * (from the responses) that it is near the limit.
 */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createLimiter(concurrency: number): Limiter {
  const max = Math.max(1, Math.floor(concurrency));
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(fn) {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await fn();
      } finally {
        // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

/**
 * A settled-later value that never counts as an unhandled rejection: a prefetched page may fail while nobody is
 * awaiting it yet (or ever, when an earlier page failed first and ended the walk).
 */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The pages of one list from `cursor`, in order. Pages named up front by `following` are fetched up to `ahead` at
 * a time; a cursor chain is followed one page after another (each page names the next). If the list grew while
 * it was read (the last known page still has a `next`), the walk goes on from there.
 */
export async function* readPages<T>(options: {
  fetch: FetchPage<T>;
  cursor: string | undefined;
  signal: AbortSignal;
  limiter: Limiter;
  /** Known pages fetched at once. 0 reads strictly one page after another. */
  ahead: number;
}): AsyncGenerator<ListPage<T>> {
  const { fetch, signal, limiter } = options;
  const get = (cursor: string | undefined) => quiet(limiter.run(() => fetch(cursor, signal)));
  let page = unwrap(await get(options.cursor));
  yield page;
  for (;;) {
    const known = options.ahead > 0 ? (page.following ?? []) : [];
    if (known.length > 0) {
      const started: Array<Promise<Result<ListPage<T>, AtlassianError>>> = [];
      let i = 0;
      for (; i < Math.min(options.ahead, known.length); i++) started.push(get(known[i]));
      for (let k = 0; k < known.length; k++) {
        signal.throwIfAborted();
        const pending = started.shift();
        if (!pending) break;
        if (i < known.length) started.push(get(known[i++]));
        page = unwrap(await pending);
        yield page;
      }
    }
    if (page.next === undefined) return;
    signal.throwIfAborted();
    page = unwrap(await get(page.next));
    // A page reached by its cursor starts no new fan-out: only the first page's `following` is the plan.
    page = { items: page.items, next: page.next };
    yield page;
  }
}

/**
 * Pulls up to `depth` items of `source` ahead of its consumer, so a list that is not being consumed yet (the
 * children of a parent further down the window) is already being fetched. Depth 0 pulls only on demand.
 */
function prefetch<T>(source: AsyncGenerator<T>, depth: number): () => Promise<IteratorResult<T>> {
  const ahead: Array<Promise<IteratorResult<T>>> = [];
  for (let i = 0; i < depth; i++) ahead.push(quiet(source.next()));
  return () => {
    const next = ahead.shift() ?? source.next();
    if (depth > 0) ahead.push(quiet(source.next()));
    return next;
  };
}

/**
 * Requests one stream keeps in flight when its reader asks for concurrency. Eight round trips at once carry a
 * cloud endpoint's 100 requests/s at up to ~80 ms of latency, and stay well inside its burst of 100, so the pacer
 * hears it is near the limit (from the responses) before a 429 can happen.
 */
export const READ_CONCURRENCY = 8;

/** How many requests a walk keeps in flight: 1 (the default) walks strictly one page after another. */
export interface WalkConcurrency {
  concurrency?: number;
}

/** Walks one list. */
export async function* walkList<T>(
  options: {
    phase: string;
    from: SyncCheckpoint | undefined;
    signal: AbortSignal;
    fetch: FetchPage<T>;
    toRecords: (items: T[]) => AccessRecord[];
  } & WalkConcurrency,
): AsyncGenerator<SourcePage> {
  const { phase, signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const pages = readPages({
    fetch: options.fetch,
    cursor: checkPhase(phase, options.from)?.cursor,
    signal,
    limiter: createLimiter(concurrency),
    ahead: concurrency > 1 ? concurrency : 0,
  });
  signal.throwIfAborted();
  // Concurrent walks fetch the next pages while the engine stores this one: a cursor chain then costs one round
  // trip per page, not a round trip plus a database write.
  const next = prefetch(pages, concurrency > 1 ? 2 : 0);
  for (let read = await next(); !read.done; read = await next()) {
    signal.throwIfAborted();
    const page = read.value;
    const records = options.toRecords(page.items);
    if (page.next === undefined) {
      yield { records, checkpoint: 'done' };
      return;
    }
    yield { records, checkpoint: { phase, cursor: page.next } };
  }
}

/** What `walkNested` keeps in `checkpoint.state`. */
interface NestedState {
  /** The parent list's next page cursor; `null` once the last parent page was read; absent before the first. */
  parentsNext?: string | null;
  /** Parent ids still to visit, in order (at most two parent pages); the first is being visited. */
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
 *
 * With `concurrency` > 1 the children of up to 2 x `concurrency` parents are read at once (with at most
 * `concurrency` requests in flight), and the next parent page is fetched before the current one is used up, so
 * the wire never idles at a parent-page boundary. Pages are still yielded in the sequential order, each with the
 * checkpoint a sequential walk would have stored after it: a resume yields exactly what an uninterrupted walk
 * would have. What was fetched ahead and not yet yielded is simply fetched again after a resume.
 */
export async function* walkNested<P, C>(
  options: {
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
  } & WalkConcurrency,
): AsyncGenerator<SourcePage> {
  const { phase, signal } = options;
  const from = checkPhase(phase, options.from);
  const state = readNestedState(from);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const parallel = concurrency > 1;
  const window = parallel ? 2 * concurrency : 1;
  const limiter = createLimiter(concurrency);
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
  // Created on first use, from where the checkpoint left the parent list.
  let parentPages: AsyncGenerator<ListPage<P>> | undefined;
  const nextParentPage = async (): Promise<ListPage<P>> => {
    parentPages ??= readPages({
      fetch: options.parents,
      cursor: state.parentsNext ?? undefined,
      signal,
      limiter,
      ahead: parallel ? concurrency : 0,
    });
    const next = await parentPages.next();
    if (next.done) throw new Error('the parent list ended without a last page');
    return next.value;
  };
  // jobs[i] reads the children of pending[i].
  const jobs: Array<() => Promise<IteratorResult<ListPage<C>>>> = [];
  const fill = () => {
    while (jobs.length < Math.min(window, state.pending.length)) {
      const id = state.pending[jobs.length] ?? '';
      const pages = readPages({
        fetch: (cursor, sig) => options.children(id, cursor, sig),
        cursor: jobs.length === 0 ? childCursor : undefined,
        signal,
        limiter,
        ahead: parallel ? concurrency : 0,
      });
      jobs.push(prefetch(pages, parallel ? 2 : 0));
    }
  };
  for (;;) {
    signal.throwIfAborted();
    // Every pending parent is being read and there is room: bring in the next parent page now.
    if (jobs.length < window && jobs.length === state.pending.length && state.parentsNext !== null) {
      const page = await nextParentPage();
      state.pending.push(...page.items.map(options.parentId));
      state.parentsNext = page.next ?? null;
      if (jobs.length === 0) childCursor = undefined;
      const records = options.parentRecords?.(page.items) ?? [];
      const next = checkpoint();
      fill();
      yield { records, checkpoint: next };
      if (next === 'done') return;
      continue;
    }
    fill();
    const head = jobs[0];
    const current = state.pending[0];
    if (!head || current === undefined) {
      yield { records: [], checkpoint: 'done' };
      return;
    }
    const read = await head();
    if (read.done) throw new Error('a child list ended without a last page');
    const page = read.value;
    const records = options.toRecords(current, page.items);
    if (page.next === undefined) {
      state.pending.shift();
      jobs.shift();
      childCursor = undefined;
    } else {
      childCursor = page.next;
    }
    const next = checkpoint();
    fill();
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

/**
 * The offsets of every page after the first of a Jira PageBean, from its `total` (API-NOTES §2.1: it may be missing
 * or move between pages, so it only plans the fan-out; `isLast` of each page still decides where the walk ends).
 * Only the first page plans: later pages return none.
 */
export function pageBeanFollowing(
  page: {
    startAt?: number | undefined;
    maxResults?: number | undefined;
    total?: number | undefined;
    isLast?: boolean | undefined;
    values: unknown[];
  },
  start: number,
): string[] {
  const size = page.maxResults ?? page.values.length;
  if (start !== 0 || page.isLast === true || page.total === undefined || size <= 0 || page.values.length < size)
    return [];
  const out: string[] = [];
  for (let at = (page.startAt ?? start) + size; at < page.total; at += size) out.push(String(at));
  return out;
}

/** The next offset cursor of a Jira PageBean: `isLast` decides (`total` may be missing or move, API-NOTES §2.1). */
export function nextPageBeanOffset(
  page: { startAt?: number | undefined; isLast?: boolean | undefined; values: unknown[] },
  start: number,
): string | undefined {
  if (page.isLast === true || page.values.length === 0) return undefined;
  return String((page.startAt ?? start) + page.values.length);
}
