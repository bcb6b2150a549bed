import { describe, expect, it } from 'vitest';
import { extractErrorMessage, extractMissingPermission } from './error-body.ts';

describe('extractErrorMessage', () => {
  it('reads each family shape', () => {
    const cases: Array<[unknown, string]> = [
      [
        { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
        'Issue does not exist or you do not have permission to see it.',
      ],
      [
        { errorMessages: [], errors: { jql: 'Unbounded JQL queries are not allowed here.' } },
        'jql: Unbounded JQL queries are not allowed here.',
      ],
      [
        {
          errors: [
            { status: 400, code: 'INVALID_REQUEST_PARAMETER', title: 'Invalid limit', detail: 'limit must be <= 250' },
          ],
        },
        'Invalid limit: limit must be <= 250',
      ],
      [
        { message: 'Client must be authenticated to access this resource.', 'status-code': 401 },
        'Client must be authenticated to access this resource.',
      ],
      [{ code: 429, message: 'Too many requests' }, 'Too many requests'],
      [
        { key: 'conflict.lifecycleErrors', context: { accountId: 'a', message: 'User is the last admin' } },
        'conflict.lifecycleErrors: User is the last admin',
      ],
      [{ key: 'forbidden.targetUnverified' }, 'forbidden.targetUnverified'],
      [{ error: 'Forbidden', message: '' }, 'Forbidden'],
    ];
    for (const [body, want] of cases)
      expect(extractErrorMessage(body, JSON.stringify(body), 'application/json')).toBe(want);
  });

  it('uses the first line of a short text body but never HTML', () => {
    expect(
      extractErrorMessage(undefined, 'Basic authentication with passwords is deprecated.\nmore', 'text/plain'),
    ).toBe('Basic authentication with passwords is deprecated.');
    expect(extractErrorMessage(undefined, '<html><body>Oops</body></html>', 'text/html')).toBeUndefined();
    expect(extractErrorMessage(undefined, '', null)).toBeUndefined();
    expect(extractErrorMessage({ unrelated: true }, '{"unrelated":true}', 'application/json')).toBeUndefined();
  });
});

describe('extractMissingPermission', () => {
  it('names the permission when Atlassian does', () => {
    expect(extractMissingPermission('Browse users and groups permission is required to view groups.')).toBe(
      'Browse users and groups',
    );
    expect(extractMissingPermission("You don't have the 'Administer Jira' global permission.")).toBe('Administer Jira');
    expect(extractMissingPermission('Forbidden')).toBeUndefined();
    expect(extractMissingPermission(undefined)).toBeUndefined();
  });
});
