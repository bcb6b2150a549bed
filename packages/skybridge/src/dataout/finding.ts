import { z } from 'zod';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { jsonErrorPosition } from './json-error-position.ts';

/**
 * A finding: one result from a security or compliance tool that a data-out instance turns into a Jira ticket.
 * Findings arrive from the HTTP API (one object or an array) and from files (a JSON array or JSON Lines); both go
 * through `parseFindings`, which names every bad field with its path, e.g. `[3].severity: must be one of …`.
 */
export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATUSES = ['open', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A JSON value as free properties may hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Finding {
  /** The tool's own id for the finding; with the instance and source it makes the dedup key. */
  id: string;
  title: string;
  severity: FindingSeverity;
  /** Default `open`. A `resolved` finding closes its ticket. */
  status: FindingStatus;
  description?: string;
  /** What the finding is about: a host, an image, a repository, an account. */
  resource?: string;
  /** Where the tool shows the finding (http or https only). */
  url?: string;
  /** Free properties, e.g. `team` or `cvss`; templates and field mappings read them as `properties.<key>`. */
  properties: { [key: string]: JsonValue };
}

/**
 * Limits on one finding. They keep one batch bounded in memory and keep values within what Jira can hold:
 * - `idLength` 512: ids are hashed into the dedup key, so a long id costs nothing downstream.
 * - `titleLength` 1,000: the summary is cut at 255 characters anyway; the rest stays usable in descriptions.
 * - `descriptionLength` 100,000: well above Jira's 32,767, so a long description is shortened and attached
 *   (see limits.ts) rather than refused.
 * - `propertyCount` 100 keys, `propertyKeyLength` 128, `propertyDepth` 5 levels of nesting, and
 *   `propertiesSize` 32,768 characters of JSON: the same as Jira's limit for one issue property value
 *   (Jira Cloud spec, `IssueUpdateDetails.properties`: "The maximum length of an issue property value is 32768
 *   characters"), so the properties of a finding always fit in one issue property.
 */
export const FINDING_LIMITS = {
  idLength: 512,
  titleLength: 1_000,
  descriptionLength: 100_000,
  resourceLength: 2_048,
  urlLength: 2_048,
  propertyCount: 100,
  propertyKeyLength: 128,
  propertyDepth: 5,
  propertiesSize: 32_768,
} as const;

/** At most this many findings in one `parseFindings` call (one API request). */
export const MAX_FINDINGS_PER_BATCH = 1_000;
/** At most this many findings in one file read by `readFindingsText`. */
export const MAX_FINDINGS_PER_FILE = 10_000;

/** One bad field: `field` is its path (`[3].severity`, `properties.team`); `line` is set for files. */
export interface FindingProblem {
  field: string;
  message: string;
  line?: number;
}

/** `line 4: [0].severity: must be …`, the way a person reads it. */
export function describeFindingProblem(problem: FindingProblem): string {
  const at = problem.line === undefined ? '' : `line ${problem.line}: `;
  return problem.field === '' ? `${at}${problem.message}` : `${at}${problem.field}: ${problem.message}`;
}

/** One input item: its position, and the finding or every problem with it. */
export interface FindingItem {
  index: number;
  /** The 1-based line of a JSON Lines file the item came from. */
  line?: number;
  result: Result<Finding, FindingProblem[]>;
}

// Control characters other than tab and line breaks have no place in text and confuse logs and Jira's renderers.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above, line breaks included
const CONTROL_ALL = /[\u0000-\u001f\u007f]/;

function boundedText(max: number, options: { singleLine?: boolean } = {}) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => v.trim().length > 0, 'must not be empty')
    .refine(
      (v) => !(options.singleLine ? CONTROL_ALL : CONTROL).test(v),
      options.singleLine ? 'must not contain control characters or line breaks' : 'must not contain control characters',
    );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const findingSchema = z
  .object({
    id: boundedText(FINDING_LIMITS.idLength, { singleLine: true }),
    title: boundedText(FINDING_LIMITS.titleLength),
    severity: z.enum(FINDING_SEVERITIES),
    status: z.enum(FINDING_STATUSES).default('open'),
    description: z
      .string()
      .max(FINDING_LIMITS.descriptionLength, `must be at most ${FINDING_LIMITS.descriptionLength} characters`)
      .refine((v) => !CONTROL.test(v), 'must not contain control characters')
      .optional(),
    resource: boundedText(FINDING_LIMITS.resourceLength, { singleLine: true }).optional(),
    url: z
      .string()
      .max(FINDING_LIMITS.urlLength, `must be at most ${FINDING_LIMITS.urlLength} characters`)
      .refine(isHttpUrl, 'must be an absolute http or https URL')
      .optional(),
    // Checked by hand (checkProperties) so every bad key is named with its own path.
    properties: z.unknown().optional(),
  })
  .strict();

const messages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    return `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  return undefined;
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `properties.team`, or `properties["my key"]` when the key is not a plain name. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Checks free properties and returns a plain-data copy (no prototypes, no shared references). */
function checkProperties(value: unknown, path: string, problems: FindingProblem[]): { [key: string]: JsonValue } {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problems.push({ field: path, message: 'must be an object' });
    return {};
  }
  const keys = Object.keys(value);
  if (keys.length > FINDING_LIMITS.propertyCount) {
    problems.push({ field: path, message: `must have at most ${FINDING_LIMITS.propertyCount} keys` });
    return {};
  }
  const before = problems.length;
  const copy = copyJson(value, path, 1, problems) as { [key: string]: JsonValue };
  if (problems.length > before) return {};
  const size = JSON.stringify(copy).length;
  if (size > FINDING_LIMITS.propertiesSize)
    problems.push({ field: path, message: `must be at most ${FINDING_LIMITS.propertiesSize} characters as JSON` });
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function copyJson(value: unknown, path: string, depth: number, problems: FindingProblem[]): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push({ field: path, message: 'must be a finite number' });
    return value;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth > FINDING_LIMITS.propertyDepth) {
      problems.push({ field: path, message: `nests deeper than ${FINDING_LIMITS.propertyDepth} levels` });
      return null;
    }
    if (Array.isArray(value)) return value.map((item, i) => copyJson(item, childPath(path, i), depth + 1, problems));
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      const keyPath = childPath(path, key);
      if (key.length === 0 || key.length > FINDING_LIMITS.propertyKeyLength || CONTROL_ALL.test(key)) {
        problems.push({
          field: keyPath,
          message: `key must be 1 to ${FINDING_LIMITS.propertyKeyLength} characters without control characters`,
        });
        continue;
      }
      // A `__proto__` key would set the prototype of the copy instead of adding a property.
      if (key === '__proto__') {
        problems.push({ field: keyPath, message: 'is a reserved key' });
        continue;
      }
      out[key] = copyJson(item, keyPath, depth + 1, problems);
    }
    return out;
  }
  problems.push({ field: path, message: 'must be a JSON value' });
  return null;
}

/** Parses one finding; `prefix` is prepended to every field path (`[3]`, or '' for a lone finding). */
export function parseFinding(input: unknown, prefix = ''): Result<Finding, FindingProblem[]> {
  const problems: FindingProblem[] = [];
  const parsed = findingSchema.safeParse(input, { error: messages });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.reduce<string>(
        (p, key) => childPath(p, typeof key === 'number' ? key : String(key)),
        prefix,
      );
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ field: childPath(path, key), message: 'is not a known field' });
        continue;
      }
      if (issue.path.length === 0 && issue.code === 'invalid_type') {
        problems.push({ field: prefix, message: 'must be a finding object' });
        continue;
      }
      problems.push({ field: path, message: issue.message });
    }
  }
  const rawProperties = isPlainObject(input) ? input['properties'] : undefined;
  const properties = checkProperties(rawProperties, childPath(prefix, 'properties'), problems);
  if (!parsed.success || problems.length > 0) return err(problems);
  const { properties: _ignored, ...fields } = parsed.data;
  const finding: Finding = {
    id: fields.id,
    title: fields.title,
    severity: fields.severity,
    status: fields.status,
    properties,
  };
  if (fields.description !== undefined) finding.description = fields.description;
  if (fields.resource !== undefined) finding.resource = fields.resource;
  if (fields.url !== undefined) finding.url = fields.url;
  return ok(finding);
}

/**
 * Parses one finding or an array of findings (up to `MAX_FINDINGS_PER_BATCH`). The whole input is refused only
 * when it is neither, or too long; otherwise each item has its own result, so good findings are not held back by
 * a bad neighbour. Paths are `[i].field` for arrays and `field` for a lone finding.
 */
export function parseFindings(input: unknown): Result<FindingItem[], FindingProblem[]> {
  if (Array.isArray(input)) {
    if (input.length > MAX_FINDINGS_PER_BATCH)
      return err([{ field: '', message: `must hold at most ${MAX_FINDINGS_PER_BATCH} findings` }]);
    return ok(input.map((item, index) => ({ index, result: parseFinding(item, `[${index}]`) })));
  }
  if (typeof input === 'object' && input !== null) return ok([{ index: 0, result: parseFinding(input) }]);
  return err([{ field: '', message: 'must be a finding object or an array of findings' }]);
}

/** The 1-based line of `position` in `text`. */
function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function jsonProblem(text: string): FindingProblem {
  const position = jsonErrorPosition(text);
  return { field: '', message: 'is not valid JSON', line: lineAt(text, position ?? 0) };
}

/**
 * Reads a findings file: a JSON array, one JSON object (possibly pretty-printed), or JSON Lines (one finding per
 * line; blank lines are skipped). JSON Lines problems carry the line number; array items are named by index.
 * The whole file is refused only when a JSON array does not parse (naming the line where it breaks) or the file
 * holds more than `MAX_FINDINGS_PER_FILE` findings; a bad JSON Lines line is a problem of that item alone.
 */
export function readFindingsText(text: string): Result<FindingItem[], FindingProblem[]> {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (start === '') return ok([]);
  if (start.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return err([jsonProblem(body)]);
    }
    if (!Array.isArray(value)) return err([{ field: '', message: 'must be a JSON array of findings' }]);
    if (value.length > MAX_FINDINGS_PER_FILE)
      return err([{ field: '', message: `must hold at most ${MAX_FINDINGS_PER_FILE} findings` }]);
    return ok(value.map((item, index) => ({ index, result: parseFinding(item, `[${index}]`) })));
  }
  if (start.startsWith('{')) {
    // One object spread over several lines is a single finding; anything else is read as JSON Lines below.
    const whole = parseJson(body);
    if (whole.ok) return ok([parsedLine(whole.value, lineAt(body, body.length - start.length), 0)]);
  }
  const items: FindingItem[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineText = (lines[i] ?? '').replace(/\r$/, '');
    if (lineText.trim() === '') continue;
    const line = i + 1;
    if (items.length >= MAX_FINDINGS_PER_FILE)
      return err([{ field: '', message: `must hold at most ${MAX_FINDINGS_PER_FILE} findings`, line }]);
    const value = parseJson(lineText);
    items.push(
      value.ok
        ? parsedLine(value.value, line, items.length)
        : { index: items.length, line, result: err([{ field: '', message: 'is not valid JSON', line }]) },
    );
  }
  return ok(items);
}

function parseJson(text: string): Result<unknown, undefined> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err(undefined);
  }
}

function parsedLine(value: unknown, line: number, index: number): FindingItem {
  const result = parseFinding(value);
  return { index, line, result: result.ok ? result : err(result.error.map((p) => ({ ...p, line }))) };
}
