import { describe, expect, it } from 'vitest';
import { shrinkage } from './sync-runs.ts';

describe('shrinkage', () => {
  it('reports types that lost more than the threshold', () => {
    expect(shrinkage({ user: 100, group: 10 }, { user: 79, group: 8 }, 0.2)).toEqual({
      user: { from: 100, to: 79, ratio: 0.21 },
    });
  });

  it('counts a type that vanished, whatever the threshold, and ignores growth and derived counts', () => {
    expect(shrinkage({ project: 1, user: 5, effectiveGrants: 100 }, { user: 9, effectiveGrants: 0 }, 1)).toEqual({
      project: { from: 1, to: 0, ratio: 1 },
    });
  });

  it('ignores types that were empty before', () => {
    expect(shrinkage({ team: 0 }, {}, 0.2)).toEqual({});
  });
});
