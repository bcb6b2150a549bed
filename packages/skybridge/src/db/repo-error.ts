/** Expected failures of a repository call. */
export const REPO_ERROR_CODES = [
  'not_found',
  /** A unique field (named in `field`) already has this value. */
  'duplicate',
  /** The record changed since the caller read it (optimistic concurrency): re-read, re-apply, retry. */
  'stale_version',
  /** The pagination cursor is not one this list produced. */
  'bad_cursor',
] as const;
export type RepoErrorCode = (typeof REPO_ERROR_CODES)[number];

export class RepoError extends Error {
  override readonly name = 'RepoError';
  readonly code: RepoErrorCode;
  /** What the record is (`connection`, `api token`, ...), for messages. */
  readonly entity: string;
  /** The domain field at fault (`name`, `id`) for `duplicate`. */
  readonly field: string | undefined;

  constructor(code: RepoErrorCode, entity: string, field?: string) {
    super(messageFor(code, entity, field));
    this.code = code;
    this.entity = entity;
    this.field = field;
  }

  /** Serialised from an allow-list: the value that collided is never included. */
  toJSON(): { code: RepoErrorCode; message: string; field?: string } {
    return { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) };
  }
}

function messageFor(code: RepoErrorCode, entity: string, field: string | undefined): string {
  switch (code) {
    case 'not_found':
      return `No such ${entity}.`;
    case 'duplicate':
      return `A ${entity} with this ${field ?? 'value'} already exists.`;
    case 'stale_version':
      return `The ${entity} was changed by someone else since it was read; reload it and try again.`;
    case 'bad_cursor':
      return 'The pagination cursor is not valid for this list.';
  }
}
