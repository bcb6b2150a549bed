import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './v2-cursor.ts';
import { tinyUiPath } from './v2-beans.ts';

describe('v2 cursors', () => {
  it('round-trip an offset for the list they were issued for', () => {
    const cursor = encodeCursor('secret', 'spaces|id', 50);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('secret', 'spaces|id', cursor)).toBe(50);
  });

  it('refuse a cursor whose offset was edited', () => {
    const payload = JSON.parse(
      Buffer.from(encodeCursor('secret', 'spaces|id', 50), 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...payload, offset: 75 }), 'utf8').toString('base64url');
    expect(decodeCursor('secret', 'spaces|id', edited)).toBeUndefined();
  });

  it('refuse a cursor from another list, another site, or garbage', () => {
    const cursor = encodeCursor('secret', 'pages|id', 25);
    expect(decodeCursor('secret', 'spaces|id', cursor)).toBeUndefined();
    expect(decodeCursor('other-site', 'pages|id', cursor)).toBeUndefined();
    expect(decodeCursor('secret', 'pages|id', 'not a cursor')).toBeUndefined();
    expect(decodeCursor('secret', 'pages|id', Buffer.from('{"offset":-1}').toString('base64url'))).toBeUndefined();
  });
});

describe('tiny links', () => {
  it('encode the page id as Confluence does', () => {
    // The pair from a real page-after-create payload (API-NOTES §2.3).
    expect(tinyUiPath('2719745')).toBe('/x/AYAp');
  });
});
