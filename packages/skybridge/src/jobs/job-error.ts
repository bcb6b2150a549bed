/**
 * What a failed job leaves in `last_error` and in events. A handler can throw anything, and a foreign error's
 * message may carry a URL with credentials or a token, so it is never copied. Only errors that serialise
 * themselves from an allow-list (our `XError` classes: a `toJSON()` returning a string `code` and `message`) are
 * trusted with their message; for anything else only the error's class name is kept.
 */

/** Longest `last_error` kept, in characters. */
export const MAX_JOB_ERROR_LENGTH = 500;

export interface JobFailure {
  code: string;
  message: string;
}

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,60}$/;

/** The one place a caught job error becomes a value that may be stored, logged or returned. */
export function coerceJobError(error: unknown): JobFailure {
  if (error instanceof Error && 'toJSON' in error && typeof error.toJSON === 'function') {
    const json: unknown = (error.toJSON as () => unknown).call(error);
    if (typeof json === 'object' && json !== null && 'code' in json && 'message' in json) {
      const { code, message } = json;
      if (typeof code === 'string' && typeof message === 'string') {
        return { code: code.slice(0, 60), message: message.slice(0, MAX_JOB_ERROR_LENGTH) };
      }
    }
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'aborted', message: 'the job was aborted' };
  const name = error instanceof Error && SAFE_NAME.test(error.name) ? error.name : undefined;
  return { code: 'unexpected', message: name === undefined ? 'unexpected failure' : `unexpected failure (${name})` };
}

/** `last_error` text: `code: message`, bounded. */
export function jobErrorText(failure: JobFailure): string {
  return `${failure.code}: ${failure.message}`.slice(0, MAX_JOB_ERROR_LENGTH);
}
