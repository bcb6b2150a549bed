// The `fields` parameter of GET issue and search: `*all`, `*navigable`, field ids, and `-field` exclusions.
import type { FieldDef } from './field-catalogue.ts';

export const FIELD_DEFAULTS = ['*all', '*navigable', 'id'] as const;
export type FieldDefault = (typeof FIELD_DEFAULTS)[number];

export interface FieldSelection {
  /** Field ids to put in `fields`, in catalogue order. */
  includes(field: FieldDef): boolean;
  /** Only `id`/`key` were asked for: search/jql then answers `{id}` per issue and allows 5000 per page. */
  idOrKeyOnly: boolean;
}

/** Splits repeated and comma-separated values (`fields=a,b&fields=c`). */
export function listParam(values: readonly unknown[]): string[] {
  return values
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function selectFields(requested: readonly string[], fallback: FieldDefault): FieldSelection {
  const tokens = requested.length > 0 ? requested : [fallback];
  const positive = tokens.filter((t) => !t.startsWith('-'));
  const excluded = new Set(tokens.filter((t) => t.startsWith('-')).map((t) => t.slice(1)));
  // Exclusions alone mean "the navigable fields except these" (the spec's `-description` example).
  const base = positive.length === 0 ? ['*navigable'] : positive;
  const all = base.includes('*all');
  const navigable = base.includes('*navigable');
  const named = new Set(base.filter((t) => !t.startsWith('*')));
  return {
    includes: (field) => !excluded.has(field.id) && (all || (navigable && field.navigable) || named.has(field.id)),
    idOrKeyOnly: !all && !navigable && [...named].every((t) => t === 'id' || t === 'key'),
  };
}
