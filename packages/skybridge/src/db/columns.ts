/** Small row<->domain conversions shared by the mappers. */
import type { IsoTimestamp } from './schema.ts';

export function toIso(date: Date): IsoTimestamp {
  // toISOString throws on an invalid date, which is a bug in the caller, not a value to store.
  return date.toISOString();
}

export function fromIso(text: IsoTimestamp): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error('a stored timestamp does not parse');
  return date;
}

/** `{ [key]: value }` if the column is not null, else `{}`: optional domain fields are absent, never undefined. */
export function present<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** For a patch: absent stays absent (leave the column), null clears it, a value sets it. */
export function patchColumn<T, C>(value: T | null | undefined, map: (v: T) => C): C | null | undefined {
  if (value === undefined) return undefined;
  return value === null ? null : map(value);
}

/** Checks an enumerated column on the way out of the database; a foreign value is corruption, hence a throw. */
export function enumValue<T extends string>(values: readonly T[], value: string, column: string): T {
  if (!(values as readonly string[]).includes(value)) throw new Error(`unexpected value in column ${column}`);
  return value as T;
}
