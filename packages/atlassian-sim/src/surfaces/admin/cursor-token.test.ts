import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor-token.ts';

describe('cursor tokens', () => {
  it('round-trip an offset within their scope as an opaque base64url token', () => {
    for (const offset of [0, 1, 100, 49_900]) {
      const token = encodeCursor('v2-users|org', offset);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor('v2-users|org', token)).toBe(offset);
    }
  });

  it('refuse a token from another scope, a tampered token and garbage', () => {
    const token = encodeCursor('v2-users|org', 100);
    expect(decodeCursor('v2-groups|org', token)).toBeUndefined();
    expect(decodeCursor('v2-users|other-org', token)).toBeUndefined();
    const forged = Buffer.from(
      Buffer.from(token, 'base64url')
        .toString('utf8')
        .replace(/^[0-9a-z]+/, '5'),
      'utf8',
    ).toString('base64url');
    expect(decodeCursor('v2-users|org', forged)).toBeUndefined();
    for (const junk of ['', 'not a token', 'a/b', 'x'.repeat(200)])
      expect(decodeCursor('v2-users|org', junk)).toBeUndefined();
  });
});

describe('pageOf', () => {
  it('gives next and prev offsets except at the ends', () => {
    const all = Array.from({ length: 25 }, (_, i) => i);
    expect(pageOf(all, 0, 10)).toEqual({ items: all.slice(0, 10), offset: 0, nextOffset: 10 });
    expect(pageOf(all, 20, 10)).toEqual({ items: all.slice(20), offset: 20, prevOffset: 10 });
    expect(pageOf(all, 10, 15)).toEqual({ items: all.slice(10), offset: 10, prevOffset: 0 });
  });
});
