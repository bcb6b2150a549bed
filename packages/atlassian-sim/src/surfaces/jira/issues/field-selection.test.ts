import { describe, expect, it } from 'vitest';
import { listParam, selectFields } from './field-selection.ts';
import { SYSTEM_FIELDS } from './field-catalogue.ts';

const chosen = (requested: string[], fallback: '*all' | '*navigable' | 'id') =>
  SYSTEM_FIELDS.filter((f) => selectFields(requested, fallback).includes(f)).map((f) => f.id);

describe('selectFields', () => {
  it('uses the endpoint default when nothing is asked for', () => {
    expect(chosen([], 'id')).toEqual([]);
    expect(chosen([], '*all')).toContain('comment');
    expect(chosen([], '*navigable')).not.toContain('comment');
  });

  it('takes named fields, *all minus exclusions, and exclusions alone as navigable minus them', () => {
    expect(chosen(['summary', 'status'], 'id')).toEqual(['summary', 'status']);
    expect(chosen(['*all', '-comment'], 'id')).not.toContain('comment');
    const minusDescription = chosen(['-description'], 'id');
    expect(minusDescription).toContain('summary');
    expect(minusDescription).not.toContain('description');
  });

  it('knows when only ids or keys are wanted', () => {
    expect(selectFields(['id'], 'id').idOrKeyOnly).toBe(true);
    expect(selectFields(['key', 'id'], 'id').idOrKeyOnly).toBe(true);
    expect(selectFields(['summary'], 'id').idOrKeyOnly).toBe(false);
    expect(selectFields(['*all'], 'id').idOrKeyOnly).toBe(false);
  });

  it('splits repeated and comma-separated parameters', () => {
    expect(listParam(['a,b', ' c ', '', 3])).toEqual(['a', 'b', 'c']);
  });
});
