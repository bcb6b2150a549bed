import type { AccessRecord, SyncCheckpoint } from '../../domain/access-model.ts';

/**
 * A source reader walks one connection's Atlassian data page by page and yields access-model records.
 *
 * - Each stream is independent of the others, so the engine may read them concurrently; a stream that needs another
 *   list (group members need the groups) walks that list itself, carrying only the current page's ids.
 * - Each yielded item is ONE page's records plus the checkpoint that resumes right AFTER that page; `'done'` on the
 *   last one. Resuming from a checkpoint yields exactly the records a straight read would have yielded after it.
 * - A failed request (after the http client's retries) is thrown as an `AtlassianError`: the engine keeps the last
 *   checkpoint it stored and can resume from it.
 */
export interface SourceReader {
  /**
   * The stream names, in the order the engine starts them: the longest first. Order is free otherwise: grants are
   * stored without looking up their resources, and effective grants are expanded only once every stream is done.
   */
  streams(): string[];
  /** Reads `stream` from `from` (its start when undefined). Stops, with an `AbortError`, when `signal` aborts. */
  read(stream: string, from: SyncCheckpoint | undefined, signal: AbortSignal): AsyncIterable<SourcePage>;
}

/** One page of a stream. */
export interface SourcePage {
  records: AccessRecord[];
  checkpoint: SyncCheckpoint | 'done';
}
