/**
 * Opaque cursors for Confluence Cloud v2 lists. Real cursors are base64 of a small JSON document (for example
 * `{"id":"98445","contentOrder":"id","contentOrderValue":98445}`); clients must treat them as opaque and only ever
 * send back what a `Link` header or `_links.next` gave them. Ours carry the offset, the list they belong to and a
 * checksum, so an edited or foreign cursor is refused with 400 `INVALID_REQUEST_PARAMETER` as Confluence does,
 * instead of silently serving some other page.
 */

interface CursorPayload {
  offset: number;
  scope: string;
  sig: string;
}

function checksum(secret: string, scope: string, offset: number): string {
  // FNV-1a over the secret, scope and offset: not cryptography, just enough that hand-edited cursors fail.
  let h = 2166136261;
  const text = `${secret}|${scope}|${offset}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A cursor for position `offset` of the list identified by `scope` (route plus sort order). */
export function encodeCursor(secret: string, scope: string, offset: number): string {
  const payload: CursorPayload = { offset, scope, sig: checksum(secret, scope, offset) };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The offset a cursor points at, or undefined when it was not issued for this list (tampered, foreign, garbage). */
export function decodeCursor(secret: string, scope: string, cursor: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { offset, scope: cursorScope, sig } = parsed as Partial<CursorPayload>;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  if (cursorScope !== scope || sig !== checksum(secret, scope, offset)) return undefined;
  return offset;
}
