import { expect } from 'vitest';
import type { ApiErrorBody } from '../api-problem.ts';
import { errorBodySchema } from '../api-problem.ts';

/**
 * Asserts a response is in the one error shape with the given status and code, and returns its error. The schema
 * is strict, so an extra field anywhere in the body fails the assertion.
 */
export async function expectError(response: Response, status: number, code: string): Promise<ApiErrorBody['error']> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const parsed = errorBodySchema.safeParse(JSON.parse(text));
  expect(parsed.success, `not the error shape: ${text}`).toBe(true);
  const body = JSON.parse(text) as ApiErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}
