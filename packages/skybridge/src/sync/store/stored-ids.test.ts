import { describe, expect, it } from 'vitest';
import { fromStoredId, fromStoredVia, idPrefix, toStoredId, toStoredVia } from './stored-ids.ts';
import { VIA_SEPARATOR } from './via-path.ts';

describe('stored ids', () => {
  const prefix = idPrefix('c1');

  it('drops the connection prefix on the way in and puts it back on the way out', () => {
    expect(toStoredId(prefix, 'c1:group:g1:member')).toBe('group:g1:member');
    expect(fromStoredId(prefix, 'group:g1:member')).toBe('c1:group:g1:member');
  });

  it('stores a path id by id, and an empty path as the empty string', () => {
    const stored = toStoredVia(prefix, ['c1:group:outer', 'c1:group:inner']);
    expect(stored).toBe(['group:outer', 'group:inner'].join(VIA_SEPARATOR));
    expect(fromStoredVia(prefix, stored)).toEqual(['c1:group:outer', 'c1:group:inner']);
    expect(toStoredVia(prefix, [])).toBe('');
    expect(fromStoredVia(prefix, '')).toEqual([]);
  });

  it("refuses an id that is not the connection's, naming it", () => {
    expect(() => toStoredId(prefix, 'c2:user:u1')).toThrow(/'c2:user:u1' does not belong/);
    // A prefix of the prefix is not enough: `c1` must be followed by its separator.
    expect(() => toStoredId(idPrefix('c'), 'c1:user:u1')).toThrow(/does not belong/);
    expect(() => toStoredId(prefix, 'c1:')).toThrow(/does not belong/);
    expect(() => toStoredVia(prefix, ['c1:group:g', 'c9:group:h'])).toThrow(/'c9:group:h'/);
  });
});
