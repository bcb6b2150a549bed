import { describe, expect, it } from 'vitest';
import { expiryWarningDue, nextStatus } from './authorization-status.ts';

describe('nextStatus', () => {
  it('turns connected on success and resets the failure count', () => {
    expect(nextStatus({ status: 'failed', consecutiveFailures: 5 }, { type: 'succeeded' })).toEqual({
      status: 'connected',
      consecutiveFailures: 0,
      changed: true,
    });
  });

  it('needs reauthorization on the first authentication failure', () => {
    expect(
      nextStatus({ status: 'connected', consecutiveFailures: 0 }, { type: 'failed', code: 'unauthorized' }),
    ).toMatchObject({ status: 'needs_reauthorization', changed: true });
    expect(
      nextStatus({ status: 'connected', consecutiveFailures: 0 }, { type: 'failed', code: 'authenticated_failed' }),
    ).toMatchObject({ status: 'needs_reauthorization' });
  });

  it('fails after N consecutive failures of any other kind', () => {
    let s = { status: 'connected' as const, consecutiveFailures: 0 } as Parameters<typeof nextStatus>[0];
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      s = nextStatus(s, { type: 'failed', code: 'server_error' });
      seen.push(s.status);
    }
    expect(seen).toEqual(['connected', 'connected', 'failed']);
  });

  it('honours a custom threshold', () => {
    expect(
      nextStatus({ status: 'connected', consecutiveFailures: 0 }, { type: 'failed', code: 'timeout' }, 1).status,
    ).toBe('failed');
  });

  it('needs reauthorization when the recorded expiry passes', () => {
    expect(nextStatus({ status: 'connected', consecutiveFailures: 0 }, { type: 'token_expired' })).toMatchObject({
      status: 'needs_reauthorization',
      changed: true,
    });
  });
});

describe('expiryWarningDue', () => {
  const expires = new Date('2026-12-31T00:00:00Z');
  it.each([
    ['2026-12-01T00:00:00Z', undefined],
    ['2026-12-17T00:00:00Z', 14],
    ['2026-12-24T00:00:00Z', 7],
    ['2026-12-30T12:00:00Z', 1],
    ['2027-01-01T00:00:00Z', undefined],
  ])('at %s warns %s', (now, want) => {
    expect(expiryWarningDue(expires, new Date(now))).toBe(want);
  });
});
