// Create and edit bodies (IssueUpdateDetails: fields, update, transition, properties) checked as Jira does: every
// problem is collected into one ErrorCollection, keyed by field id.
import type { Issue, IssueType, Project } from '../../../world/types.ts';
import type { IssueContext } from './issue-context.ts';
import { createScreen, DEFAULT_PRIORITY, findField } from './field-catalogue.ts';
import { checkCommentBody, checkFieldValue, checkLabels, isEmptyValue, SUMMARY_REQUIRED } from './field-values.ts';
import { checkProperty } from './property-rules.ts';
import { storedUser } from './stored-fields.ts';

export interface IssueErrors {
  errorMessages: string[];
  errors: Record<string, string>;
}

export interface CheckedInput {
  project: Project;
  issueType: IssueType;
  /** Field values to store (for edits: only the changed ones). */
  fields: Record<string, unknown>;
  /** Comment bodies from `update.comment[].add`. */
  comments: unknown[];
  properties: { key: string; value: unknown }[];
  /** `transition.id` from a create body. */
  transitionId?: string;
}

export type InputResult = ({ ok: true } & CheckedInput) | ({ ok: false } & IssueErrors);

type Body = Record<string, unknown>;

function asRecord(value: unknown): Body | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : undefined;
}

const notOnScreen = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

function refOf(value: unknown, keys: readonly string[]): string | undefined {
  const record = asRecord(value);
  for (const key of keys) {
    const v = record?.[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function checkProperties(raw: unknown, errors: IssueErrors): { key: string; value: unknown }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.errorMessages.push('Properties must be a list of {key, value} objects.');
    return [];
  }
  const out: { key: string; value: unknown }[] = [];
  for (const entry of raw) {
    const record = asRecord(entry);
    const key = typeof record?.['key'] === 'string' ? record['key'] : '';
    const problem = checkProperty(key, record?.['value']);
    if (problem) errors.errorMessages.push(problem);
    else out.push({ key, value: record?.['value'] });
  }
  return out;
}

/**
 * Applies `update` operations (`{"labels":[{"add":"x"},{"remove":"y"}], "summary":[{"set":"..."}]}`) on top of
 * the values already decided, field by field.
 */
function applyUpdates(
  ctx: IssueContext,
  update: Body,
  current: (id: string) => unknown,
  fields: Record<string, unknown>,
  comments: unknown[],
  allowed: (id: string) => boolean,
  projectId: string,
  errors: IssueErrors,
): void {
  for (const [id, ops] of Object.entries(update)) {
    if (!Array.isArray(ops)) {
      errors.errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    if (id === 'comment') {
      for (const op of ops) {
        const add = asRecord(asRecord(op)?.['add']);
        const problem = add ? checkCommentBody(ctx, add['body']) : 'Comment body can not be empty!';
        if (problem) errors.errors['comment'] = problem;
        else comments.push(add?.['body']);
      }
      continue;
    }
    const field = findField(ctx.jira.data, id);
    if (!field || !allowed(id)) {
      errors.errors[id] = notOnScreen(id);
      continue;
    }
    let value = id in fields ? fields[id] : current(id);
    for (const op of ops) {
      const record = asRecord(op) ?? {};
      const [verb] = Object.keys(record);
      const operand = verb === undefined ? undefined : record[verb];
      if (verb === undefined || !field.operations.includes(verb)) {
        errors.errors[id] = `The operation '${verb ?? ''}' is not supported by the field '${id}'.`;
        break;
      }
      if (id === 'labels') {
        const labels = Array.isArray(value) ? (value as string[]) : [];
        const checked = checkLabels(verb === 'set' ? operand : [operand]);
        if (!checked.ok) {
          errors.errors[id] = checked.message;
          break;
        }
        const given = checked.value as string[];
        value =
          verb === 'set'
            ? given
            : verb === 'add'
              ? [...labels, ...given.filter((l) => !labels.includes(l))]
              : labels.filter((l) => !given.includes(l));
        continue;
      }
      const checked = checkFieldValue(ctx, field, operand, projectId);
      if (!checked.ok) {
        errors.errors[id] = checked.message;
        break;
      }
      value = checked.value;
    }
    fields[id] = value;
  }
}

export function checkCreate(ctx: IssueContext, callerRef: string | undefined, rawBody: unknown): InputResult {
  const body = asRecord(rawBody) ?? {};
  const given = asRecord(body['fields']) ?? {};
  const result: IssueErrors = { errorMessages: [], errors: {} };

  const projectRef = refOf(given['project'], ['id', 'key']);
  const project = projectRef === undefined ? undefined : ctx.findProject(projectRef);
  // A project the caller cannot browse is reported exactly like one that does not exist.
  const visibleProject = project && !project.archived && ctx.canBrowse(callerRef, project) ? project : undefined;
  if (!visibleProject) result.errors['project'] = 'Specify a valid project ID or key';

  const typeRef = refOf(given['issuetype'], ['id']);
  const typeName = refOf(given['issuetype'], ['name']);
  let issueType: IssueType | undefined;
  if (typeRef === undefined && typeName === undefined) result.errors['issuetype'] = 'Specify an issue type';
  else {
    issueType = ctx.jira.data.issueTypes.find((t) =>
      typeRef !== undefined ? t.id === typeRef : t.name.toLowerCase() === typeName?.toLowerCase(),
    );
    if (!issueType || (visibleProject && !visibleProject.issueTypeIds.includes(issueType.id))) {
      result.errors['issuetype'] = 'The issue type selected is invalid.';
      issueType = undefined;
    }
  }

  const fields: Record<string, unknown> = {};
  const comments: unknown[] = [];
  if (visibleProject && issueType) {
    const screen = createScreen(ctx.jira.data, issueType);
    const onScreen = new Set(screen.map((s) => s.field.id));
    for (const [id, value] of Object.entries(given)) {
      if (id === 'project' || id === 'issuetype') continue;
      const field = findField(ctx.jira.data, id);
      if (!field || !onScreen.has(id)) {
        result.errors[id] = notOnScreen(id);
        continue;
      }
      const checked = checkFieldValue(ctx, field, value, visibleProject.id);
      if (checked.ok) fields[id] = checked.value;
      else result.errors[id] = checked.message;
    }
    const update = asRecord(body['update']);
    if (update)
      applyUpdates(
        ctx,
        update,
        () => undefined,
        fields,
        comments,
        (id) => onScreen.has(id),
        visibleProject.id,
        result,
      );
    // Reporter defaults to the caller, as on Jira's create screen.
    if (fields['reporter'] === undefined && callerRef !== undefined)
      fields['reporter'] = storedUser(ctx.jira.deployment, callerRef);
    // Priority has a default (createmeta says `hasDefaultValue: true`): left out, the scheme's default applies.
    const priorityField = screen.find((s) => s.field.id === 'priority')?.field;
    if (fields['priority'] === undefined && given['priority'] === undefined && priorityField !== undefined) {
      const fallback = checkFieldValue(ctx, priorityField, { id: DEFAULT_PRIORITY.id }, visibleProject.id);
      if (fallback.ok) fields['priority'] = fallback.value;
    }
    for (const { field, required } of screen) {
      if (!required || field.id === 'project' || field.id === 'issuetype' || result.errors[field.id] !== undefined)
        continue;
      if (isEmptyValue(fields[field.id]))
        result.errors[field.id] = field.id === 'summary' ? SUMMARY_REQUIRED : `${field.name} is required.`;
    }
  } else if (given['summary'] === undefined || isEmptyValue(given['summary'])) {
    result.errors['summary'] = SUMMARY_REQUIRED;
  }

  const properties = checkProperties(body['properties'], result);
  const transition = asRecord(body['transition']);
  const transitionId = refOf(transition, ['id']);
  if (result.errorMessages.length > 0 || Object.keys(result.errors).length > 0 || !visibleProject || !issueType)
    return { ok: false, ...result };
  return {
    ok: true,
    project: visibleProject,
    issueType,
    fields,
    comments,
    properties,
    ...(transitionId !== undefined ? { transitionId } : {}),
  };
}

export function checkEdit(ctx: IssueContext, issue: Issue, project: Project, rawBody: unknown): InputResult {
  const body = asRecord(rawBody) ?? {};
  const given = asRecord(body['fields']) ?? {};
  const result: IssueErrors = { errorMessages: [], errors: {} };
  let issueType = ctx.jira.data.issueTypes.find((t) => t.id === issue.issueTypeId);
  const typeRef = refOf(given['issuetype'], ['id']);
  if (typeRef !== undefined && typeRef !== issue.issueTypeId) {
    const wanted = ctx.jira.data.issueTypes.find((t) => t.id === typeRef);
    if (!wanted || !project.issueTypeIds.includes(wanted.id))
      result.errors['issuetype'] = 'The issue type selected is invalid.';
    else issueType = wanted;
  }
  if (!issueType) return { ok: false, errorMessages: ['The issue type of this issue no longer exists.'], errors: {} };
  // The edit screen is the create screen without project (moving issues is a different operation).
  const onScreen = new Set(
    createScreen(ctx.jira.data, issueType)
      .map((s) => s.field.id)
      .filter((id) => id !== 'project'),
  );
  const fields: Record<string, unknown> = {};
  const comments: unknown[] = [];
  for (const [id, value] of Object.entries(given)) {
    if (id === 'issuetype') continue;
    const field = findField(ctx.jira.data, id);
    if (!field || !onScreen.has(id)) {
      result.errors[id] = notOnScreen(id);
      continue;
    }
    if (id === 'summary' && isEmptyValue(value)) {
      result.errors[id] = SUMMARY_REQUIRED;
      continue;
    }
    const checked = checkFieldValue(ctx, field, value, project.id);
    if (!checked.ok) result.errors[id] = checked.message;
    else if (issueType.requiredFields.includes(id) && isEmptyValue(checked.value))
      result.errors[id] = `${field.name} is required.`;
    else fields[id] = checked.value;
  }
  const update = asRecord(body['update']);
  if (update)
    applyUpdates(
      ctx,
      update,
      (id) => issue.fields[id],
      fields,
      comments,
      (id) => onScreen.has(id),
      project.id,
      result,
    );
  if (result.errorMessages.length > 0 || Object.keys(result.errors).length > 0) return { ok: false, ...result };
  return { ok: true, project, issueType, fields, comments, properties: [] };
}
