import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageSize, toPage } from './pagination.ts';

describe('cursors', () => {
  it('round-trip a position', () => {
    const position = { at: '2026-01-02T03:04:05.678Z', id: 'abc' };
    expect(decodeCursor(encodeCursor(position))).toEqual({ ok: true, value: position });
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['wrong shape', Buffer.from('{"at":"x"}').toString('base64url')],
    ['not a timestamp', Buffer.from('["yesterday","abc"]').toString('base64url')],
    ['empty id', Buffer.from('["2026-01-02T03:04:05.678Z",""]').toString('base64url')],
  ])('refuse %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toEqual({ ok: false, error: 'bad_cursor' });
  });
});

describe('pages', () => {
  it('use the extra row only to know there is a next page', () => {
    const rows = [1, 2, 3].map((n) => ({ at: '2026-01-01T00:00:00.000Z', id: String(n) }));
    const page = toPage(
      rows,
      2,
      (r) => r,
      (r) => r.id,
    );
    expect(page.items).toEqual(['1', '2']);
    expect(page.nextCursor && decodeCursor(page.nextCursor)).toEqual({ ok: true, value: rows[1] });
    expect(
      toPage(
        rows,
        3,
        (r) => r,
        (r) => r.id,
      ),
    ).toEqual({ items: ['1', '2', '3'] });
  });

  it('limit their size', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize({ limit: 500 })).toBe(500);
    expect(() => pageSize({ limit: 0 })).toThrow();
    expect(() => pageSize({ limit: 501 })).toThrow();
  });
});
