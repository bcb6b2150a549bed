import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, PAGE_TOKEN_TTL_MS } from './page-token.ts';

describe('page tokens', () => {
  const token = { offset: 14, maxIssueId: 10_250, issuedAt: 1_000 };

  it('round-trips and is opaque (no JSON or offset in clear text)', () => {
    const text = encodePageToken(token);
    expect(text).not.toContain('14');
    expect(decodePageToken(text, 2_000)).toEqual({ ok: true, token });
  });

  it('expires after 7 days', () => {
    expect(decodePageToken(encodePageToken(token), 1_000 + PAGE_TOKEN_TTL_MS + 1)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects tampered or foreign tokens', () => {
    expect(decodePageToken('CAEaAggD', 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(decodePageToken(Buffer.from('[1,-1,0,0]').toString('base64url'), 0)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});
