// Contract-validation harness: checks a simulated response (success or error) against Atlassian's official OpenAPI
// spec for that product, after applying the known defects recorded in spec-defects.ts.
//
// Ajv note: the workspace pins ajv ^6 (ajv-formats 3 needs Ajv 8, so it cannot be plugged into this Ajv); Ajv 6's
// built-in "fast" formats cover what the specs use (date-time, uri, email, uuid) and accept Atlassian's
// "+0000" offsets. Ajv 6 has no `strict` option; it ignores unknown keywords unless asked not to, which is the same.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { listSpecDefects } from './spec-defects.ts';
import type { SpecDefect } from './spec-defects.ts';

export const SPEC_IDS = [
  'jira-cloud',
  'confluence-cloud',
  'admin',
  'admin-2026-07',
  'jira-dc',
  'confluence-dc',
] as const;
export type SpecId = (typeof SPEC_IDS)[number];

/**
 * What to strip from a concrete path (after the site base) so it lines up with the spec's path keys: the part of the
 * route that each spec puts in its `servers` URL instead of its paths.
 */
export const SPEC_PREFIXES: Readonly<Record<SpecId, string>> = {
  'jira-cloud': '',
  'confluence-cloud': '/wiki/api/v2',
  admin: '',
  'admin-2026-07': '',
  'jira-dc': '/rest',
  'confluence-dc': '',
};

const SPEC_FILES: Readonly<Record<SpecId, string>> = {
  'jira-cloud': 'jira-platform.swagger-v3.v3.json',
  'confluence-cloud': 'confluence-v2.openapi-v2.v3.json',
  admin: 'admin-organization.swagger.v3.json',
  'admin-2026-07': 'admin-organization.swagger.v3.2026-07.json',
  'jira-dc': 'jira-dc-10.3.openapi.json',
  'confluence-dc': 'confluence-dc-10.0.3.openapi.json',
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../../..');
// Only the Apache-licensed Jira platform spec is committed (API-NOTES §1.2 "Licences"); the rest live outside git.
const COMMITTED_SPEC_DIR = path.resolve(HERE, '../../spec');

export function specsDir(): string {
  return process.env['ATLASSIAN_SPECS_DIR'] ?? path.resolve(REPO_ROOT, '../shared/atlassian/specs');
}

export type OpenApiDocument = {
  readonly openapi?: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: {
    readonly schemas?: Readonly<Record<string, unknown>>;
    readonly responses?: Readonly<Record<string, unknown>>;
  };
};

export type OpenApiSpec = { readonly id: SpecId; readonly path: string; readonly document: OpenApiDocument };

/** `spec` is undefined when the file is absent; `path` is where it was looked for, for the skip notice. */
export type SpecLookup = { readonly id: SpecId; readonly path: string; readonly spec: OpenApiSpec | undefined };

// The specs run to megabytes; parse each file once per process.
const specCache = new Map<string, OpenApiSpec>();

export function loadSpec(id: SpecId, options: { specsDir?: string } = {}): SpecLookup {
  const dir = id === 'jira-cloud' ? COMMITTED_SPEC_DIR : (options.specsDir ?? specsDir());
  const file = path.join(dir, SPEC_FILES[id]);
  const cached = specCache.get(file);
  if (cached) return { id, path: file, spec: cached };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { id, path: file, spec: undefined };
    throw error;
  }
  const spec: OpenApiSpec = { id, path: file, document: JSON.parse(text) as OpenApiDocument };
  specCache.set(file, spec);
  return { id, path: file, spec };
}

/** The console line tests print before `describe.skip`, so a missing spec is visible rather than silently green. */
export function specSkipNotice(lookup: SpecLookup): string {
  return `[contract] skipped: ${lookup.id} spec not found at ${lookup.path} (set ATLASSIAN_SPECS_DIR)`;
}

export type ContractResponse = {
  readonly method: string;
  /** Concrete request path after the site base, e.g. `/rest/api/3/project/search`; a query string is ignored. */
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
};

export type ContractResult =
  | {
      readonly ok: true;
      /** The spec (after defects) gives no schema for this response, so nothing was checked. */
      readonly unchecked?: true;
      /** `METHOD template` of the operation matched. */
      readonly operation: string;
      /** The defect entry that replaced or filled in the spec, if any. */
      readonly defect?: SpecDefect;
    }
  | { readonly ok: false; readonly reason: string; readonly errors: readonly string[] };

export type ContractValidator = { validate(response: ContractResponse): ContractResult };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// --- OpenAPI 3.0 schema -> JSON Schema draft-07 ---

const COMPOSITION = ['allOf', 'anyOf', 'oneOf'] as const;
// Annotations and OpenAPI-only keywords that JSON Schema would either ignore or misread.
const DROPPED = new Set(['example', 'examples', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly']);
const COMPONENT_REF = '#/components/schemas/';

function convertSchema(schema: unknown, baseId: string): unknown {
  if (!isObject(schema)) return schema;
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    // OpenAPI 3.0 ignores a $ref's siblings; only `nullable` is honoured in practice.
    const converted = { $ref: rewriteRef(ref, baseId) };
    return schema['nullable'] === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
  }
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED.has(keyword) || keyword.startsWith('x-') || keyword === 'nullable' || keyword === 'discriminator') {
      continue;
    }
    if (keyword === 'properties' || keyword === 'patternProperties') {
      out[keyword] = isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convertSchema(sub, baseId)]))
        : value;
    } else if (keyword === 'additionalProperties' || keyword === 'not' || keyword === 'items') {
      out[keyword] = Array.isArray(value)
        ? value.map((sub) => convertSchema(sub, baseId))
        : convertSchema(value, baseId);
    } else if ((COMPOSITION as readonly string[]).includes(keyword)) {
      out[keyword] = Array.isArray(value) ? value.map((sub) => convertSchema(sub, baseId)) : value;
    } else {
      out[keyword] = value;
    }
  }

  // A writeOnly property is only sent in requests, so its `required` does not bind a response.
  const properties = schema['properties'];
  if (Array.isArray(schema['required']) && isObject(properties)) {
    out['required'] = schema['required'].filter(
      (name) => !(typeof name === 'string' && isObject(properties[name]) && properties[name]['writeOnly'] === true),
    );
  }
  // The Jira spec puts `additionalProperties: false` next to allOf/oneOf; draft-07 would then reject every property
  // the composed schemas declare, which OpenAPI tooling does not mean. There is no unevaluatedProperties in draft-07.
  if (out['additionalProperties'] === false && COMPOSITION.some((k) => k in schema)) {
    delete out['additionalProperties'];
  }
  // OpenAPI 3.0 uses draft-04 boolean exclusiveMinimum/Maximum.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    delete out[exclusive];
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      out[exclusive] = schema[bound];
      delete out[bound];
    }
  }
  applyDiscriminator(schema, out, baseId);
  return schema['nullable'] === true ? makeNullable(out) : out;
}

// A discriminator picks exactly one branch by a property value. oneOf alone fails when branches overlap (they are
// open objects), so use anyOf plus an if/then per mapped value that forces the named branch.
function applyDiscriminator(schema: JsonObject, out: JsonObject, baseId: string): void {
  const discriminator = schema['discriminator'];
  const branches = out['oneOf'] ?? out['anyOf'];
  if (!isObject(discriminator) || typeof discriminator['propertyName'] !== 'string' || !Array.isArray(branches)) {
    return;
  }
  const property = discriminator['propertyName'];
  const mapping: Record<string, string> = {};
  for (const branch of Array.isArray(schema['oneOf']) ? schema['oneOf'] : (schema['anyOf'] as unknown[])) {
    // Without an explicit mapping the value is the component's name.
    if (isObject(branch) && typeof branch['$ref'] === 'string')
      mapping[branch['$ref'].split('/').pop() ?? ''] = branch['$ref'];
  }
  if (isObject(discriminator['mapping'])) {
    for (const [value, target] of Object.entries(discriminator['mapping'])) {
      if (typeof target === 'string') mapping[value] = target.startsWith('#') ? target : `${COMPONENT_REF}${target}`;
    }
  }
  out['anyOf'] = branches;
  delete out['oneOf'];
  const rules = Object.entries(mapping).map(([value, target]) => ({
    if: { type: 'object', required: [property], properties: { [property]: { const: value } } },
    then: { $ref: rewriteRef(target, baseId) },
  }));
  out['allOf'] = [...(Array.isArray(out['allOf']) ? out['allOf'] : []), ...rules];
}

function makeNullable(out: JsonObject): JsonObject {
  const type = out['type'];
  const composed = COMPOSITION.some((k) => k in out) || 'not' in out;
  if (typeof type === 'string' && !composed) {
    const nullable: JsonObject = { ...out, type: [type, 'null'] };
    if (Array.isArray(out['enum']) && !out['enum'].includes(null)) nullable['enum'] = [...out['enum'], null];
    return nullable;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function rewriteRef(ref: string, baseId: string): string {
  return ref.startsWith(COMPONENT_REF) ? `${baseId}#/definitions/${ref.slice(COMPONENT_REF.length)}` : ref;
}

// --- Per-spec runtime: one Ajv, components registered once, validators compiled lazily and memoised ---

type SpecRuntime = {
  readonly ajv: Ajv.Ajv;
  readonly baseId: string;
  readonly compiled: Map<unknown, ValidateFunction>;
};

const runtimes = new WeakMap<OpenApiSpec, SpecRuntime>();

function runtimeFor(spec: OpenApiSpec): SpecRuntime {
  const existing = runtimes.get(spec);
  if (existing) return existing;
  const ajv = new Ajv({
    allErrors: true,
    jsonPointers: true,
    format: 'fast',
    unknownFormats: 'ignore',
    // Third-party specs: a schema quirk must not stop every other response from being checked.
    validateSchema: false,
    extendRefs: 'ignore',
    logger: false,
  });
  const baseId = `https://contract.skybridge.invalid/${spec.id}.json`;
  const definitions = Object.fromEntries(
    Object.entries(spec.document.components?.schemas ?? {}).map(([name, schema]) => [
      name,
      convertSchema(schema, baseId),
    ]),
  );
  ajv.addSchema({ $id: baseId, definitions });
  const runtime: SpecRuntime = { ajv, baseId, compiled: new Map() };
  runtimes.set(spec, runtime);
  return runtime;
}

function compileFor(runtime: SpecRuntime, schema: unknown): ValidateFunction {
  // Keyed by the spec's own schema object, so each response schema is converted and compiled once.
  let validate = runtime.compiled.get(schema);
  if (!validate) {
    validate = runtime.ajv.compile(convertSchema(schema, runtime.baseId) as object);
    runtime.compiled.set(schema, validate);
  }
  return validate;
}

// --- Path templates ---

type Template = { readonly key: string; readonly segments: readonly (string | RegExp)[]; readonly rank: string };

function splitPath(p: string): string[] {
  return p.split('/').filter((segment, i, all) => i > 0 || segment !== '' || all.length === 1);
}

function compileTemplate(key: string): Template {
  const parts = splitPath(key.replace(/\/+$/, ''));
  const segments = parts.map((part) => {
    if (!part.includes('{')) return part;
    const source = part
      .split(/(\{[^}]*\})/)
      .map((piece) => (piece.startsWith('{') ? '[^/]+' : piece.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${source}$`);
  });
  // Lower rank wins: literal (0) beats mixed `{key}-key` (1) beats a whole `{param}` (2), leftmost segment first.
  const rank = parts.map((part) => (!part.includes('{') ? '0' : /^\{[^}]*\}$/.test(part) ? '2' : '1')).join('');
  return { key, segments, rank };
}

function matches(template: Template, segments: readonly string[]): boolean {
  if (template.segments.length !== segments.length) return false;
  return template.segments.every((t, i) => {
    const actual = segments[i] ?? '';
    return typeof t === 'string' ? t === actual : t.test(actual);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// --- Responses ---

const statusRange = (status: number): string => `${Math.floor(status / 100)}XX`;

function defectMatchesStatus(defect: SpecDefect, status: number): boolean {
  return defect.status === undefined || defect.status === status || defect.status === statusRange(status);
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === '*/*';
}

type MediaPick = { readonly schema: unknown } | { readonly undocumented: string } | undefined;

function pickMedia(response: JsonObject, contentType: string | undefined): MediaPick {
  const content = response['content'];
  if (!isObject(content) || Object.keys(content).length === 0) return undefined;
  const wanted = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const family = `${wanted.split('/')[0] ?? ''}/*`;
  const key =
    [wanted, family, '*/*'].find((k) => k in content) ??
    (isJsonMediaType(wanted) ? Object.keys(content).find(isJsonMediaType) : undefined);
  if (key === undefined) return { undocumented: wanted };
  const media = content[key];
  return isObject(media) && media['schema'] !== undefined ? { schema: media['schema'] } : undefined;
}

function formatError(error: ErrorObject): string {
  const at = error.dataPath === '' ? '(root)' : error.dataPath;
  const params = error.params as JsonObject;
  let text = `${at} ${error.message ?? error.keyword}`;
  if (error.keyword === 'additionalProperties') text += `: '${String(params['additionalProperty'])}'`;
  if (error.keyword === 'enum') text += `: ${JSON.stringify(params['allowedValues'])}`;
  return text;
}

export function createContractValidator(spec: OpenApiSpec, options: { prefix?: string } = {}): ContractValidator {
  const prefix = (options.prefix ?? SPEC_PREFIXES[spec.id]).replace(/\/+$/, '');
  const runtime = runtimeFor(spec);
  const document = spec.document;
  const defects = listSpecDefects(spec.id);
  const pathDefects = defects.filter((d) => d.path !== '*');
  const envelopeDefects = defects
    .filter((d) => d.path === '*')
    // An exact status is more specific than a range.
    .sort((a, b) => Number(typeof b.status === 'number') - Number(typeof a.status === 'number'));
  // Defect paths join the spec's keys so that a path the spec misspells can still be matched.
  const templates = [...new Set([...Object.keys(document.paths), ...pathDefects.map((d) => d.path)])].map(
    compileTemplate,
  );

  const hasOperation = (key: string, method: string): boolean =>
    isObject(document.paths[key]?.[method.toLowerCase()]) ||
    pathDefects.some((d) => d.path === key && (d.method === method || d.method === '*'));

  function findTemplate(method: string, concrete: string): Template | undefined {
    const segments = splitPath(concrete.replace(/\/+$/, '')).map(decodeSegment);
    let best: Template | undefined;
    for (const template of templates) {
      if (!matches(template, segments) || !hasOperation(template.key, method)) continue;
      if (!best || template.rank < best.rank) best = template;
    }
    return best;
  }

  function resolveResponse(responses: JsonObject, status: number): JsonObject | undefined {
    // OpenAPI: an explicit code beats a range, and `default` covers whatever is not listed individually.
    const raw = responses[String(status)] ?? responses[statusRange(status)] ?? responses['default'];
    if (!isObject(raw)) return undefined;
    const ref = raw['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/components/responses/')) {
      const target = document.components?.responses?.[ref.slice('#/components/responses/'.length)];
      return isObject(target) ? target : undefined;
    }
    return raw;
  }

  const passed = (operation: string, defect: SpecDefect | undefined, unchecked = false): ContractResult => ({
    ok: true,
    operation,
    ...(unchecked ? { unchecked: true as const } : {}),
    ...(defect ? { defect } : {}),
  });

  function check(validate: ValidateFunction, body: unknown, where: string, defect: SpecDefect | undefined) {
    const operation = where.slice(0, where.lastIndexOf(' '));
    if (validate(body) === true) return passed(operation, defect);
    const errors = [...new Set((validate.errors ?? []).map(formatError))];
    const against = defect?.path === '*' ? 'the error envelope' : defect ? 'the defect override' : 'the spec';
    const failed: ContractResult = {
      ok: false,
      reason: `${where} response does not match ${against}: ${errors.slice(0, 5).join('; ')}`,
      errors,
    };
    return failed;
  }

  function validate(response: ContractResponse): ContractResult {
    const method = response.method.toUpperCase();
    const concretePath = response.path.split(/[?#]/)[0] ?? '';
    const label = `${method} ${concretePath}`;
    if (prefix !== '' && concretePath !== prefix && !concretePath.startsWith(`${prefix}/`)) {
      return { ok: false, reason: `no operation for ${label} (this spec's paths live under ${prefix})`, errors: [] };
    }
    const template = findTemplate(method, concretePath.slice(prefix.length) || '/');
    if (!template) return { ok: false, reason: `no operation for ${label}`, errors: [] };
    const where = `${method} ${template.key} ${response.status}`;
    const operationName = `${method} ${template.key}`;

    const pathDefect = pathDefects.find(
      (d) =>
        d.path === template.key && (d.method === method || d.method === '*') && defectMatchesStatus(d, response.status),
    );
    let operationKey = template.key;
    if (pathDefect) {
      const fix = pathDefect.fix;
      if (fix === 'unchecked') return passed(operationName, pathDefect, true);
      if ('schema' in fix) return check(compileFor(runtime, fix.schema), response.body, where, pathDefect);
      operationKey = fix.specPath;
    }

    const operation = document.paths[operationKey]?.[method.toLowerCase()];
    const responses = isObject(operation) ? operation['responses'] : undefined;
    const documented = isObject(responses) ? resolveResponse(responses, response.status) : undefined;
    if (!documented) {
      return { ok: false, reason: `status ${response.status} not documented for ${label}`, errors: [] };
    }
    if (response.status === 204 && response.body !== undefined && response.body !== null && response.body !== '') {
      return { ok: false, reason: `${where} must have an empty body`, errors: [] };
    }
    const media = pickMedia(documented, response.contentType);
    if (media && 'undocumented' in media) {
      return { ok: false, reason: `content type ${media.undocumented} not documented for ${where}`, errors: [] };
    }
    if (media) return check(compileFor(runtime, media.schema), response.body, where, pathDefect);

    const envelope = envelopeDefects.find(
      (d) => (d.method === method || d.method === '*') && defectMatchesStatus(d, response.status),
    );
    if (envelope && envelope.fix !== 'unchecked' && 'schema' in envelope.fix) {
      return check(compileFor(runtime, envelope.fix.schema), response.body, where, envelope);
    }
    return passed(operationName, pathDefect, true);
  }

  return { validate };
}
