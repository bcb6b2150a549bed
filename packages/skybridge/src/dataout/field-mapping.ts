import { z } from 'zod';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { buildAdf } from './adf.ts';
import type { Finding } from './finding.ts';
import { TEXT_FIELD_MAX_LENGTH, cutText } from './limits.ts';
import type { MarkedText } from './marked-text.ts';
import { plainText, valueText } from './marked-text.ts';
import type { TemplateSet } from './templates.ts';
import { findingScope } from './templates.ts';
import { buildWikiMarkup } from './wiki-markup.ts';

/**
 * How an instance fills the Jira fields beyond its built-ins: per field id, a fixed value, a Liquid template, or a
 * field of the finding. `validateMapping` checks a mapping against the create metadata of the instance's project
 * and issue type when the instance is saved; `renderFields` turns it into the `fields` of a create-issue request.
 */

/** One field of `GET /rest/api/{2,3}/issue/createmeta/{project}/issuetypes/{issueTypeId}` (`FieldCreateMetadata`). */
export interface CreateMetaField {
  fieldId: string;
  key?: string;
  name: string;
  required: boolean;
  hasDefaultValue?: boolean;
  schema: { type: string; items?: string; system?: string; custom?: string };
  allowedValues?: readonly unknown[];
}

export type FieldSource =
  { kind: 'fixed'; value: unknown } | { kind: 'template'; template: string } | { kind: 'finding'; path: string };

/** Field id -> where its value comes from. */
export type FieldMapping = Readonly<Record<string, FieldSource>>;

/** The mapping as the API takes it. */
export const fieldMappingSchema = z.record(
  z.string().min(1).max(255),
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), value: z.unknown() }).strict(),
    z.object({ kind: z.literal('template'), template: z.string() }).strict(),
    z.object({ kind: z.literal('finding'), path: z.string().min(1).max(300) }).strict(),
  ]),
);

/** Fields the instance fills itself (its project, issue type and templates); a mapping may not set them. */
export const BUILT_IN_FIELDS = ['summary', 'description', 'project', 'issuetype', 'labels', 'priority'] as const;
const builtIns: ReadonlySet<string> = new Set(BUILT_IN_FIELDS);

export type Deployment = 'cloud' | 'dc';

export interface MappingProblem {
  fieldId: string;
  code: 'missing_required' | 'unknown_field' | 'built_in' | 'bad_path' | 'bad_value' | 'unsupported_type';
  message: string;
}

export interface FieldOptions {
  /** Cloud takes users as `{accountId}` and rich text as ADF; Data Center `{name}` and wiki markup. Default cloud. */
  deployment?: Deployment;
}

/** The name under which a mapped field's template is compiled (see templates.ts `compileTemplates`). */
export function mappingTemplateName(fieldId: string): string {
  return `fields.${fieldId}`;
}

/** The template sources of a mapping, named with `mappingTemplateName`, to compile with the instance's own. */
export function mappingTemplates(mapping: FieldMapping): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const [fieldId, source] of Object.entries(mapping))
    if (source.kind === 'template') sources[mappingTemplateName(fieldId)] = source.template;
  return sources;
}

function label(field: CreateMetaField): string {
  return `"${field.name}" (${field.fieldId})`;
}

const FINDING_FIELDS = new Set(['id', 'title', 'severity', 'status', 'description', 'resource', 'url']);

/** Whether `path` names a finding field: one of its own fields, or `properties.<key>[.<key>…]`. */
export function isFindingPath(path: string): boolean {
  const parts = path.split('.');
  if (parts.length === 1) return FINDING_FIELDS.has(path);
  return parts[0] === 'properties' && parts.slice(1).every((p) => p !== '');
}

/** The value at `path` in a finding, or undefined. Only own properties are read. */
export function findingValue(finding: Finding, path: string): unknown {
  let value: unknown = finding;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Every problem with a mapping for one project and issue type: each required field without a default that neither
 * the mapping nor a built-in fills, mapped ids that are not on the create screen, mappings of built-ins, finding
 * paths that name no finding field, and fixed values the field would refuse (not among its allowed values, by id
 * or name, or of the wrong type). Messages name the field by name and id. Template syntax is checked by compiling
 * `mappingTemplates(mapping)`.
 */
export function validateMapping(
  fields: readonly CreateMetaField[],
  mapping: FieldMapping,
  options: FieldOptions = {},
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const byId = new Map(fields.map((f) => [f.fieldId, f]));
  for (const field of fields) {
    if (!field.required || field.hasDefaultValue === true || builtIns.has(field.fieldId)) continue;
    if (Object.hasOwn(mapping, field.fieldId)) continue;
    problems.push({
      fieldId: field.fieldId,
      code: 'missing_required',
      message: `Field ${label(field)} is required and has no default: map it to a fixed value, a template or a finding field`,
    });
  }
  for (const [fieldId, source] of Object.entries(mapping)) {
    const field = byId.get(fieldId);
    if (builtIns.has(fieldId)) {
      problems.push({
        fieldId,
        code: 'built_in',
        message: `Field ${field ? label(field) : fieldId} is set by the instance itself and cannot be mapped`,
      });
      continue;
    }
    if (field === undefined) {
      problems.push({
        fieldId,
        code: 'unknown_field',
        message: `Field ${fieldId} is not on the create screen of this project and issue type`,
      });
      continue;
    }
    if (!isSupported(field) && source.kind !== 'fixed') {
      problems.push({
        fieldId,
        code: 'unsupported_type',
        message: `Field ${label(field)} has type ${typeName(field)}, which can only be mapped to a fixed value`,
      });
      continue;
    }
    if (source.kind === 'finding' && !isFindingPath(source.path)) {
      problems.push({
        fieldId,
        code: 'bad_path',
        message: `Field ${label(field)} is mapped to "${source.path}", which is not a finding field (use id, title, severity, status, description, resource, url or properties.<key>)`,
      });
    }
    if (source.kind === 'fixed') {
      const value = toFieldValue(field, { kind: 'raw', value: source.value }, options.deployment ?? 'cloud');
      if (!value.ok) problems.push({ fieldId, code: 'bad_value', message: `Field ${label(field)}: ${value.error}` });
    }
  }
  return problems;
}

/**
 * The `fields` of a create-issue request for the mapped fields (built-ins are the caller's). A finding path with
 * no value, or a template rendering empty, leaves the field out; that is a problem only for a required field
 * without a default. `templates` must hold the compiled `mappingTemplates(mapping)`.
 */
export function renderFields(
  fields: readonly CreateMetaField[],
  mapping: FieldMapping,
  finding: Finding,
  templates: TemplateSet,
  options: FieldOptions = {},
): Result<Record<string, unknown>, MappingProblem[]> {
  const deployment = options.deployment ?? 'cloud';
  const byId = new Map(fields.map((f) => [f.fieldId, f]));
  const out: Record<string, unknown> = {};
  const problems: MappingProblem[] = [];
  for (const [fieldId, source] of Object.entries(mapping)) {
    const field = byId.get(fieldId);
    if (field === undefined || builtIns.has(fieldId)) continue; // validateMapping reported it at save time
    let input: FieldInput;
    if (source.kind === 'template') {
      const rendered = templates.render(mappingTemplateName(fieldId), findingScope(finding));
      if (!rendered.ok) {
        problems.push({ fieldId, code: 'bad_value', message: `Field ${label(field)}: ${rendered.error.message}` });
        continue;
      }
      input = { kind: 'text', marked: rendered.value };
    } else {
      input = { kind: 'raw', value: source.kind === 'fixed' ? source.value : findingValue(finding, source.path) };
    }
    if (isEmpty(input)) {
      if (field.required && field.hasDefaultValue !== true)
        problems.push({
          fieldId,
          code: 'missing_required',
          message: `Field ${label(field)} is required but got no value`,
        });
      continue;
    }
    const value = toFieldValue(field, input, deployment);
    if (value.ok) out[fieldId] = value.value;
    else problems.push({ fieldId, code: 'bad_value', message: `Field ${label(field)}: ${value.error}` });
  }
  return problems.length > 0 ? err(problems) : ok(out);
}

/** A field's input: rendered template text, or a value as given (fixed, or read from the finding). */
type FieldInput = { kind: 'text'; marked: MarkedText } | { kind: 'raw'; value: unknown };

function isEmpty(input: FieldInput): boolean {
  if (input.kind === 'text') return plainText(input.marked).trim() === '';
  const v = input.value;
  return (
    v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
  );
}

function typeName(field: CreateMetaField): string {
  return field.schema.type === 'array' ? `array of ${field.schema.items ?? 'unknown'}` : field.schema.type;
}

const SCALAR_TYPES = new Set([
  'string',
  'number',
  'date',
  'datetime',
  'option',
  'priority',
  'user',
  'version',
  'component',
  'group',
]);
const ITEM_TYPES = new Set(['string', 'option', 'user', 'version', 'component', 'group']);

function isSupported(field: CreateMetaField): boolean {
  const { type, items } = field.schema;
  return type === 'array' ? ITEM_TYPES.has(items ?? '') : SCALAR_TYPES.has(type);
}

function isRichText(field: CreateMetaField): boolean {
  // Textarea custom fields and the environment field are rich text: ADF on Cloud, wiki markup on Data Center.
  return field.schema.custom?.endsWith(':textarea') === true || field.schema.system === 'environment';
}

/** Text of an input: a template's plain text, or a scalar as a string. */
function textOf(input: FieldInput): Result<string, string> {
  if (input.kind === 'text') return ok(plainText(input.marked).trim());
  const v = input.value;
  if (typeof v === 'string') return ok(v.trim());
  if (typeof v === 'number' || typeof v === 'boolean') return ok(String(v));
  return err('must be text');
}

/** The items of an array field: an array as given, or text split on line breaks and commas. */
function itemsOf(input: FieldInput): Result<FieldInput[], string> {
  if (input.kind === 'raw' && Array.isArray(input.value))
    return ok(input.value.map((value: unknown) => ({ kind: 'raw', value })));
  const text = textOf(input);
  if (!text.ok) return text;
  return ok(
    text.value
      .split(/[\n,]/)
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => ({ kind: 'raw', value: t })),
  );
}

function allowedOf(field: CreateMetaField): Record<string, unknown>[] | undefined {
  return field.allowedValues?.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}

/** `{id}` of the allowed value whose id, name or value matches `wanted`, or why none does. */
function matchAllowed(field: CreateMetaField, wanted: string): Result<{ id: string }, string> | undefined {
  const allowed = allowedOf(field);
  if (allowed === undefined || allowed.length === 0) return undefined;
  const lower = wanted.toLowerCase();
  const match = allowed.find(
    (a) =>
      String(a['id']) === wanted ||
      (typeof a['name'] === 'string' && a['name'].toLowerCase() === lower) ||
      (typeof a['value'] === 'string' && a['value'].toLowerCase() === lower),
  );
  if (match !== undefined) return ok({ id: String(match['id']) });
  const names = allowed.map((a) => String(a['name'] ?? a['value'] ?? a['id']));
  const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, …` : names.join(', ');
  return err(`"${wanted}" is not one of its allowed values (${shown})`);
}

/** The wanted id or name of a reference-like input: `"High"`, `{ "id": "2" }`, `{ "name": "High" }`, `{ "value": "x" }`. */
function referenceOf(input: FieldInput): Result<string, string> {
  if (input.kind === 'raw' && typeof input.value === 'object' && input.value !== null && !Array.isArray(input.value)) {
    const record = input.value as Record<string, unknown>;
    for (const key of ['id', 'accountId', 'name', 'value', 'key'])
      if (typeof record[key] === 'string' || typeof record[key] === 'number') return ok(String(record[key]));
    return err('must name an id, name or value');
  }
  return textOf(input);
}

function toFieldValue(field: CreateMetaField, input: FieldInput, deployment: Deployment): Result<unknown, string> {
  const { type, items } = field.schema;
  if (type === 'array') {
    const list = itemsOf(input);
    if (!list.ok) return list;
    const out: unknown[] = [];
    for (const item of list.value) {
      const value = toScalar(field, items ?? '', item, deployment);
      if (!value.ok) return value;
      out.push(value.value);
    }
    return ok(out);
  }
  return toScalar(field, type, input, deployment);
}

function toScalar(
  field: CreateMetaField,
  type: string,
  input: FieldInput,
  deployment: Deployment,
): Result<unknown, string> {
  switch (type) {
    case 'string': {
      if (field.schema.type === 'string' && isRichText(field)) {
        const marked =
          input.kind === 'text' ? input.marked : textOf(input).ok ? valueText(String(input.value)) : undefined;
        if (marked === undefined) return err('must be text');
        return ok(deployment === 'cloud' ? buildAdf(marked) : buildWikiMarkup(marked));
      }
      const text = textOf(input);
      return text.ok ? ok(cutText(text.value.replace(/\s+/g, ' '), TEXT_FIELD_MAX_LENGTH)) : text;
    }
    case 'number': {
      const text = textOf(input);
      const n = text.ok && text.value !== '' ? Number(text.value) : Number.NaN;
      return Number.isFinite(n) ? ok(n) : err('must be a number');
    }
    case 'date': {
      const text = textOf(input);
      const date = text.ok ? /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(text.value) : null;
      if (date === null || Number.isNaN(Date.parse(text.ok ? text.value : '')))
        return err('must be a date (YYYY-MM-DD)');
      return ok(date[1]);
    }
    case 'datetime': {
      const text = textOf(input);
      const time = text.ok && /^\d{4}-\d{2}-\d{2}T/.test(text.value) ? Date.parse(text.value) : Number.NaN;
      if (Number.isNaN(time)) return err('must be an ISO 8601 date and time');
      // Jira's format: 2026-05-01T10:00:00.000+0000.
      return ok(new Date(time).toISOString().replace('Z', '+0000'));
    }
    case 'user': {
      const ref = referenceOf(input);
      if (!ref.ok || ref.value === '') return err('must be a user');
      return ok(deployment === 'cloud' ? { accountId: ref.value } : { name: ref.value });
    }
    case 'option':
    case 'priority':
    case 'version':
    case 'component':
    case 'group': {
      const ref = referenceOf(input);
      if (!ref.ok) return ref;
      const matched = matchAllowed(field, ref.value);
      if (matched !== undefined) return matched;
      // Without allowed values in the metadata, send the name and let Jira decide.
      return ok(type === 'option' ? { value: ref.value } : { name: ref.value });
    }
    default:
      // A fixed value for a type this module does not know is sent as given: the person chose its shape.
      if (input.kind === 'raw' && field.schema.type !== 'array') return ok(input.value);
      return err(`has type ${typeName(field)}, which can only be mapped to a fixed value`);
  }
}
