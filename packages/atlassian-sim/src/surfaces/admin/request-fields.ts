/**
 * Validation of Admin API search requests against the limits the spec declares (`maxItems`, enums, `minimum` /
 * `maximum`). Problems are collected rather than thrown, so one 400 can name every bad field, as Atlassian's
 * `detail` does.
 */

export type FieldSource = Record<string, unknown>;

export interface ListRule {
  max: number;
  allowed?: readonly string[];
  unique?: boolean;
}

export interface FieldReader {
  readonly problems: string[];
  string(name: string): string | undefined;
  boolean(name: string): boolean | undefined;
  integer(name: string, min: number, max: number): number | undefined;
  stringList(name: string, rule: ListRule): string[] | undefined;
  /** A list of objects, each read by `item` (undefined when invalid, then `rule` names what is expected). */
  objectList<T>(
    name: string,
    max: number,
    rule: string,
    item: (value: Record<string, unknown>) => T | undefined,
  ): T[] | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function createFieldReader(source: FieldSource): FieldReader {
  const problems: string[] = [];
  const present = (name: string): boolean => source[name] !== undefined && source[name] !== null;
  return {
    problems,
    string(name) {
      if (!present(name)) return undefined;
      const value = source[name];
      if (typeof value === 'string') return value;
      problems.push(`${name} must be a string`);
      return undefined;
    },
    boolean(name) {
      if (!present(name)) return undefined;
      const value = source[name];
      if (typeof value === 'boolean') return value;
      problems.push(`${name} must be a boolean`);
      return undefined;
    },
    integer(name, min, max) {
      if (!present(name)) return undefined;
      const value = source[name];
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return undefined;
    },
    stringList(name, rule) {
      if (!present(name)) return undefined;
      const value = source[name];
      if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
        problems.push(`${name} must be a list of strings`);
        return undefined;
      }
      if (value.length < 1 || value.length > rule.max) {
        problems.push(`${name} must contain between 1 and ${rule.max} items`);
        return undefined;
      }
      const bad = rule.allowed ? value.filter((v) => !rule.allowed?.includes(v)) : [];
      if (bad.length > 0) {
        problems.push(`${name} has unsupported values: ${bad.join(', ')}`);
        return undefined;
      }
      if (rule.unique && new Set(value).size !== value.length) {
        problems.push(`${name} must not repeat values`);
        return undefined;
      }
      return value;
    },
    objectList<T>(
      name: string,
      max: number,
      rule: string,
      item: (value: Record<string, unknown>) => T | undefined,
    ): T[] | undefined {
      if (!present(name)) return undefined;
      const value = source[name];
      if (!Array.isArray(value) || value.length < 1 || value.length > max || !value.every(isRecord)) {
        problems.push(`${name} must be a list of 1 to ${max} objects`);
        return undefined;
      }
      const results: T[] = [];
      for (const entry of value) {
        const result = item(entry);
        if (result === undefined) {
          problems.push(`${name}: ${rule}`);
          return undefined;
        }
        results.push(result);
      }
      return results;
    },
  };
}

/**
 * Turns query parameters into a field source: list parameters may repeat (`?accountIds=a&accountIds=b`) or be
 * comma-separated, and numbers and booleans are converted so that the same reader checks GET and POST requests.
 */
export function querySource(
  query: URLSearchParams,
  shape: { lists?: readonly string[]; integers?: readonly string[]; booleans?: readonly string[] },
): FieldSource {
  const source: FieldSource = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    const last = values[values.length - 1] ?? '';
    if (shape.lists?.includes(name)) source[name] = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
    else if (shape.integers?.includes(name)) source[name] = /^-?\d+$/.test(last) ? Number(last) : last;
    else if (shape.booleans?.includes(name)) source[name] = last === 'true' ? true : last === 'false' ? false : last;
    else source[name] = last;
  }
  return source;
}

export { isRecord };
