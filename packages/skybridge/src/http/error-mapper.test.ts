import { describe, expect, it } from 'vitest';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-problem.ts';
import {
  API_TOKENS_ERROR_STATUS,
  coerceToProblem,
  INTERNAL_ERROR_MESSAGE,
  problemFromConnectionError,
} from './error-mapper.ts';

describe('error mapper', () => {
  it('keeps only allow-listed fields of a connection error', () => {
    const leaky = {
      code: 'verification_failed' as const,
      message: 'Verification failed.',
      secret: 'should-not-travel',
      atlassian: {
        name: 'AtlassianError' as const,
        code: 'forbidden' as const,
        message: 'Grant it.',
        permission: 'BROWSE',
        stack: 'x',
      },
    };
    expect(problemFromConnectionError(leaky)).toEqual({
      status: 422,
      code: 'verification_failed',
      message: 'Verification failed.',
      atlassian: { code: 'forbidden', message: 'Grant it.', permission: 'BROWSE' },
    });
  });

  it('maps token service codes', () => {
    expect(API_TOKENS_ERROR_STATUS).toEqual({ invalid_input: 400, not_found: 404, duplicate_name: 409 });
  });

  it('coerces thrown values: ApiError as is, HTTPException by status, anything else to a silent 500', () => {
    const problem = { status: 415, code: 'unsupported_media_type' as const, message: 'JSON please.' };
    expect(coerceToProblem(new ApiError(problem))).toEqual({ problem });
    expect(coerceToProblem(new HTTPException(413)).problem).toMatchObject({ status: 413, code: 'payload_too_large' });
    const bug = coerceToProblem(new TypeError('x is undefined; Authorization: Bearer abcdefghijklmnop1234567890'));
    expect(bug.problem).toEqual({ status: 500, code: 'internal', message: INTERNAL_ERROR_MESSAGE });
    expect(bug.summary?.errorName).toBe('TypeError');
    expect(bug.summary?.errorMessage).not.toContain('abcdefghijklmnop1234567890');
    expect(coerceToProblem('a string').problem.status).toBe(500);
  });
});
