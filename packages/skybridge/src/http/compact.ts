/**
 * Zod's output types mark optional fields `x?: T | undefined`; the service inputs, under
 * `exactOptionalPropertyTypes`, want `x?: T`. `compact` drops undefined properties so the two agree without a cast.
 */
export type Compact<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

export function compact<T extends object>(value: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as Compact<T>;
}
