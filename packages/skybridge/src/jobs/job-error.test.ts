import { describe, expect, it } from 'vitest';
import { coerceJobError, jobErrorText, MAX_JOB_ERROR_LENGTH } from './job-error.ts';

class SafeError extends Error {
  readonly code = 'rate_limited';
  toJSON() {
    return { code: this.code, message: 'Atlassian asked us to slow down.' };
  }
}

describe('coerceJobError', () => {
  it('keeps the allow-listed JSON of our own errors', () => {
    expect(coerceJobError(new SafeError('ignored raw message'))).toEqual({
      code: 'rate_limited',
      message: 'Atlassian asked us to slow down.',
    });
  });

  it('never copies the message of a foreign error, which may carry a credential', () => {
    const failure = coerceJobError(new TypeError('fetch failed for https://me:hunter2@example.com/?token=abc'));
    expect(failure).toEqual({ code: 'unexpected', message: 'unexpected failure (TypeError)' });
    expect(JSON.stringify(failure)).not.toContain('hunter2');
  });

  it('copes with thrown non-errors and aborts', () => {
    expect(coerceJobError('secret-string')).toEqual({ code: 'unexpected', message: 'unexpected failure' });
    expect(coerceJobError(new DOMException('x', 'AbortError')).code).toBe('aborted');
  });

  it('bounds the stored text', () => {
    expect(jobErrorText({ code: 'c', message: 'x'.repeat(2000) })).toHaveLength(MAX_JOB_ERROR_LENGTH);
  });
});
