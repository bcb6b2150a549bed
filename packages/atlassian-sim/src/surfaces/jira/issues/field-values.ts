// Checks one field value the way Jira's field layer does and turns it into what the store keeps. Messages are
// Jira's, keyed by field id in ErrorCollection.errors.
import type { IssueContext } from './issue-context.ts';
import type { FieldDef } from './field-catalogue.ts';
import { PRIORITIES } from './field-catalogue.ts';
import { isAdfDocument } from './adf.ts';
import { storedUser, userRefOf } from './stored-fields.ts';

export type FieldValueResult = { ok: true; value: unknown } | { ok: false; message: string };

export const ADF_REQUIRED = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
export const STRING_REQUIRED = 'Operation value must be a string';
export const SUMMARY_REQUIRED = 'You must specify a summary of the issue.';

const ok = (value: unknown): FieldValueResult => ({ ok: true, value });
const fail = (message: string): FieldValueResult => ({ ok: false, message });

function idOrName(value: unknown, nameKey: 'name' | 'value'): { id?: string; name?: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const out: { id?: string; name?: string } = {};
  if (typeof record['id'] === 'string' || typeof record['id'] === 'number') out.id = String(record['id']);
  if (typeof record[nameKey] === 'string') out.name = record[nameKey];
  return out;
}

export function checkLabels(value: unknown): FieldValueResult {
  if (!Array.isArray(value)) return fail(STRING_REQUIRED);
  const labels: string[] = [];
  for (const label of value) {
    if (typeof label !== 'string') return fail(STRING_REQUIRED);
    // Jira labels are single words: a label with whitespace is refused, not split.
    if (/\s/.test(label)) return fail(`The label '${label}' contains spaces which is invalid.`);
    if (label.length > 255)
      return fail(`The label '${label}' exceeds the maximum length for a single label of 255 characters.`);
    if (!labels.includes(label)) labels.push(label);
  }
  return ok(labels);
}

function checkUser(ctx: IssueContext, field: FieldDef, value: unknown): FieldValueResult {
  if (value === null) return field.id === 'assignee' ? ok(null) : fail(`${field.name} is required.`);
  const ref = userRefOf(value);
  if (ref !== undefined && ctx.jira.userBean(ref) !== undefined) return ok(storedUser(ctx.jira.deployment, ref));
  // Cloud identifies users by accountId only; Data Center by username.
  return fail(
    ctx.jira.deployment === 'cloud' ? `Account ID ${ref ?? ''} does not exist.` : `User '${ref ?? ''}' does not exist.`,
  );
}

/** The stored value for `field`, or Jira's message for why the value is refused. */
export function checkFieldValue(
  ctx: IssueContext,
  field: FieldDef,
  value: unknown,
  projectId: string,
): FieldValueResult {
  if (field.richText) {
    if (value === null) return ok(null);
    // Cloud v3 takes rich text only as an ADF document; v2 and Data Center only as a wiki-markup string.
    if (ctx.adf) return isAdfDocument(value) ? ok(value) : fail(ADF_REQUIRED);
    return typeof value === 'string' ? ok(value) : fail(STRING_REQUIRED);
  }
  switch (field.id) {
    case 'summary':
      if (typeof value !== 'string') return fail(STRING_REQUIRED);
      if (value.trim() === '') return fail(SUMMARY_REQUIRED);
      if (value.length > 255) return fail('Summary must be less than 255 characters.');
      return ok(value);
    case 'labels':
      return checkLabels(value);
    case 'reporter':
    case 'assignee':
      return checkUser(ctx, field, value);
    case 'priority': {
      const wanted = idOrName(value, 'name');
      const priority = PRIORITIES.find(
        (p) =>
          (wanted?.id !== undefined && p.id === wanted.id) ||
          (wanted?.name !== undefined && p.name.toLowerCase() === wanted.name.toLowerCase()),
      );
      return priority ? ok({ id: priority.id, name: priority.name }) : fail('The priority selected is invalid.');
    }
    case 'parent': {
      const wanted = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      const ref =
        typeof wanted['key'] === 'string' ? wanted['key'] : typeof wanted['id'] === 'string' ? wanted['id'] : undefined;
      const parent = ref === undefined ? undefined : ctx.findIssue(ref);
      if (!parent) return fail('Could not find issue by id or key.');
      if (parent.projectId !== projectId) return fail('Sub-tasks must be created in the same project as the parent.');
      return ok({ id: parent.id, key: parent.key });
    }
    default:
      break;
  }
  const custom = field.custom;
  if (!custom) return fail(`Field '${field.id}' cannot be set. It is not on the appropriate screen, or unknown.`);
  if (value === null) return ok(null);
  if (custom.type === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? ok(value) : fail('Operation value must be a number');
  if (custom.type === 'option') {
    const wanted = idOrName(value, 'value');
    const option = custom.options?.find((o) => o.id === wanted?.id || o.value === wanted?.name);
    if (option) return ok({ value: option.value, id: option.id });
    return fail(
      wanted?.name !== undefined
        ? `Option value '${wanted.name}' is not valid`
        : `Option id '${wanted?.id ?? ''}' is not valid`,
    );
  }
  return typeof value === 'string' ? ok(value) : fail(STRING_REQUIRED);
}

/** Whether a value counts as "not given" for a required field. */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Why a comment body is refused (keyed `comment` in ErrorCollection.errors), or undefined when it is fine. */
export function checkCommentBody(ctx: IssueContext, body: unknown): string | undefined {
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === ''))
    return 'Comment body can not be empty!';
  if (ctx.adf)
    return isAdfDocument(body)
      ? body.content.length === 0
        ? 'Comment body can not be empty!'
        : undefined
      : ADF_REQUIRED;
  return typeof body === 'string' ? undefined : STRING_REQUIRED;
}

/** Resolutions of Jira's default schemes (Cloud's four, Data Center's older Fixed / Won't Fix). */
export const RESOLUTIONS = [
  { id: '1', name: 'Fixed' },
  { id: '2', name: "Won't Fix" },
  { id: '10000', name: 'Done' },
  { id: '10001', name: "Won't Do" },
  { id: '10002', name: 'Duplicate' },
  { id: '10003', name: 'Cannot Reproduce' },
] as const;

export function checkResolution(value: unknown): FieldValueResult {
  const wanted = idOrName(value, 'name');
  const resolution = RESOLUTIONS.find(
    (r) => r.id === wanted?.id || r.name.toLowerCase() === wanted?.name?.toLowerCase(),
  );
  return resolution ? ok({ id: resolution.id, name: resolution.name }) : fail('The resolution selected is invalid.');
}
