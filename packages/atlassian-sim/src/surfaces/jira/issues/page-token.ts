// search/jql's opaque `nextPageToken`. It carries the offset and the newest issue id at the first page, so issues
// created while a client pages do not shift later pages (nothing skipped or repeated), and the time it was issued:
// Atlassian documents that a token "will expire in 7 days" (API-NOTES §2.1).

export const PAGE_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface PageToken {
  offset: number;
  /** Issues with a higher id were created after the first page and are left out. */
  maxIssueId: number;
  issuedAt: number;
}

export function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([1, token.offset, token.maxIssueId, token.issuedAt])).toString('base64url');
}

export type DecodedToken = { ok: true; token: PageToken } | { ok: false; reason: 'invalid' | 'expired' };

export function decodePageToken(text: string, now: number): DecodedToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== 1 ||
    !parsed.slice(1).every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
  ) {
    return { ok: false, reason: 'invalid' };
  }
  const [, offset, maxIssueId, issuedAt] = parsed as number[];
  const token: PageToken = { offset: offset ?? 0, maxIssueId: maxIssueId ?? 0, issuedAt: issuedAt ?? 0 };
  if (now - token.issuedAt > PAGE_TOKEN_TTL_MS) return { ok: false, reason: 'expired' };
  return { ok: true, token };
}
