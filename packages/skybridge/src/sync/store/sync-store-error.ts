/** Expected failures of the sync store. Messages name no value a caller passed in (ids may be user input). */
export const SYNC_STORE_ERROR_CODES = [
  /** No run with this id. */
  'run_not_found',
  /** The run is not in a state that allows this (writing to a finished run, accepting a run that is not suspicious). */
  'invalid_state',
  /** The connection already has a running run: at most one at a time. */
  'already_running',
  /** Two runs of different connections cannot be diffed: their ids never match. */
  'different_connections',
  /** The pagination cursor is not one this list produced. */
  'bad_cursor',
] as const;
export type SyncStoreErrorCode = (typeof SYNC_STORE_ERROR_CODES)[number];

export class SyncStoreError extends Error {
  override readonly name = 'SyncStoreError';
  readonly code: SyncStoreErrorCode;

  /** `message` must be fixed text or built from our own ids and statuses, never from Atlassian data. */
  constructor(code: SyncStoreErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** Serialised from an allow-list. */
  toJSON(): { code: SyncStoreErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
