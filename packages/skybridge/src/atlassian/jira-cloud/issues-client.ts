import type { ZodType } from 'zod';
import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttpOptions } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type {
  AttachmentInfo,
  AttachmentUpload,
  BulkCreateResult,
  CreateMetaAllowedValue,
  CreateMetaField,
  CreateMetaIssueType,
  CreatedIssue,
  IssueEdit,
  IssueInput,
  JiraIssue,
  JiraIssuesApi,
  JiraResult,
  JiraTransition,
} from '../jira-issues.ts';
import { BULK_CREATE_MAX, plainTextToAdf } from '../jira-issues.ts';
import type { JiraIssuesTransport } from '../jira-issues-transport.ts';
import { createJiraIssuesTransport } from '../jira-issues-transport.ts';
import {
  attachmentListSchema,
  commentSchema,
  createdIssueSchema,
  createdIssuesSchema,
  createMetaFieldPageSchema,
  createMetaIssueTypePageSchema,
  entityPropertySchema,
  issueSchema,
  searchPageSchema,
  transitionsSchema,
} from './issues-schemas.ts';

/**
 * The Jira issue writes data out needs, on Jira Cloud REST v3 (`JiraIssuesApi`). Built from the same options as
 * `createAtlassianHttp` (the base URL is the site or the gateway `…/ex/jira/{cloudId}`; pass the site's shared
 * pacer), because attachments and bulk-create failures need the transport's two extras
 * (`../jira-issues-transport.ts`). Rich text is ADF.
 */

/** createmeta page size: the API's maximum (API-NOTES §2.1), so a walk takes as few requests as it can. */
const CREATEMETA_PAGE = 200;
/** A walk that has not ended after this many pages is not going to: Jira's answers are inconsistent. */
const MAX_PAGES = 100;

const API = '/rest/api/3';

/** Paging fields of an offset page, whichever key holds its items. */
export interface OffsetPage<T> {
  items: T[];
  total?: number | undefined;
  isLast?: boolean | undefined;
}

/**
 * Walks an offset-paged listing to its end: an empty page, `isLast`, or `startAt` reaching `total` ends it. Shared
 * with the Data Center client, whose createmeta pages carry `isLast`.
 */
export async function walkOffsetPages<T>(
  fetchPage: (startAt: number) => Promise<Result<OffsetPage<T>, AtlassianError>>,
): Promise<Result<T[], AtlassianError>> {
  const all: T[] = [];
  for (let page = 0, startAt = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(startAt);
    if (!result.ok) return result;
    const { items, total, isLast } = result.value;
    all.push(...items);
    startAt += items.length;
    if (items.length === 0 || isLast === true || (total !== undefined && startAt >= total)) return ok(all);
  }
  return ok(all);
}

/** `{id, name?, value?}` from whatever object Jira lists as an allowed value; values without an id are dropped. */
export function toAllowedValues(values: readonly unknown[] | undefined): CreateMetaAllowedValue[] | undefined {
  if (values === undefined) return undefined;
  const out: CreateMetaAllowedValue[] = [];
  for (const value of values) {
    if (typeof value !== 'object' || value === null) continue;
    const record = value as Record<string, unknown>;
    if (typeof record['id'] !== 'string') continue;
    const allowed: CreateMetaAllowedValue = { id: record['id'] };
    if (typeof record['name'] === 'string') allowed.name = record['name'];
    if (typeof record['value'] === 'string') allowed.value = record['value'];
    out.push(allowed);
  }
  return out;
}

/** A createmeta field (Cloud `FieldCreateMetadata`, Data Center `FieldMetaBean`) in the shared shape. */
export function toCreateMetaField(field: {
  fieldId: string;
  key?: string | undefined;
  name: string;
  required: boolean;
  hasDefaultValue?: boolean | undefined;
  schema: { type: string; items?: string | undefined; system?: string | undefined; custom?: string | undefined };
  allowedValues?: readonly unknown[] | undefined;
}): CreateMetaField {
  const schema: CreateMetaField['schema'] = { type: field.schema.type };
  if (field.schema.items !== undefined) schema.items = field.schema.items;
  if (field.schema.system !== undefined) schema.system = field.schema.system;
  if (field.schema.custom !== undefined) schema.custom = field.schema.custom;
  const out: CreateMetaField = {
    fieldId: field.fieldId,
    name: field.name,
    required: field.required,
    hasDefaultValue: field.hasDefaultValue ?? false,
    schema,
  };
  if (field.key !== undefined) out.key = field.key;
  const allowed = toAllowedValues(field.allowedValues);
  if (allowed !== undefined) out.allowedValues = allowed;
  return out;
}

export function toCreateMetaIssueType(type: {
  id: string;
  name: string;
  subtask?: boolean | undefined;
  description?: string | undefined;
}): CreateMetaIssueType {
  const out: CreateMetaIssueType = { id: type.id, name: type.name, subtask: type.subtask ?? false };
  if (type.description !== undefined) out.description = type.description;
  return out;
}

/** `IssueUpdateDetails` from the shared input; properties go as Jira's `[{key, value}]` list. */
export function issueBody(input: IssueInput): Record<string, unknown> {
  const body: Record<string, unknown> = { fields: input.fields };
  if (input.update !== undefined) body['update'] = input.update;
  if (input.properties !== undefined)
    body['properties'] = Object.entries(input.properties).map(([key, value]) => ({ key, value }));
  return body;
}

/** Whether an edit adds a comment: such a PUT is not safe to repeat, unlike a plain field edit. */
export function addsComment(edit: IssueEdit): boolean {
  return edit.update !== undefined && 'comment' in edit.update;
}

export function toCreatedIssue(issue: { id: string; key: string; self?: string | undefined }): CreatedIssue {
  return issue.self === undefined
    ? { id: issue.id, key: issue.key }
    : { id: issue.id, key: issue.key, self: issue.self };
}

/** `CreatedIssues` (201 or 400) as created issues and per-element failures. */
export function toBulkResult(
  body: {
    issues?: Array<{ id: string; key: string; self?: string | undefined }> | undefined;
    errors?:
      | Array<{
          status?: number | undefined;
          failedElementNumber?: number | undefined;
          elementErrors?:
            { errorMessages?: string[] | undefined; errors?: Record<string, string> | undefined } | undefined;
        }>
      | undefined;
  },
  batchSize: number,
): BulkCreateResult {
  const created = (body.issues ?? []).map(toCreatedIssue);
  const failed: BulkCreateResult['failed'] = [];
  for (const e of body.errors ?? []) {
    const failure = {
      status: e.status ?? 400,
      errorMessages: e.elementErrors?.errorMessages ?? [],
      errors: e.elementErrors?.errors ?? {},
    };
    // Without an element number the error is about the whole request: every element failed for that reason.
    if (e.failedElementNumber === undefined)
      for (let index = 0; index < batchSize; index++) failed.push({ index, ...failure });
    else failed.push({ index: e.failedElementNumber, ...failure });
  }
  return { created, failed };
}

export function toJiraIssue(issue: {
  id: string;
  key?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  properties?: Record<string, unknown> | undefined;
}): JiraIssue {
  return { id: issue.id, key: issue.key ?? '', fields: issue.fields ?? {}, properties: issue.properties ?? {} };
}

export function toTransition(t: {
  id: string;
  name: string;
  to?: { id: string; name: string; statusCategory?: { key?: string | undefined } | undefined } | undefined;
}): JiraTransition {
  if (!t.to) return { id: t.id, name: t.name };
  const to: NonNullable<JiraTransition['to']> = { id: t.to.id, name: t.to.name };
  if (t.to.statusCategory?.key !== undefined) to.category = t.to.statusCategory.key;
  return { id: t.id, name: t.name, to };
}

/** The multipart form of one upload: a single part named `file`, as Jira requires. */
export function attachmentForm(file: AttachmentUpload): FormData {
  const type =
    file.mimeType ?? (typeof file.content === 'string' ? 'text/plain;charset=utf-8' : 'application/octet-stream');
  const form = new FormData();
  // A copy into a fresh ArrayBuffer: Blob wants ArrayBuffer-backed views, and the caller keeps its own bytes.
  const part = typeof file.content === 'string' ? file.content : new Uint8Array(file.content);
  form.append('file', new Blob([part], { type }), file.filename);
  return form;
}

export function toAttachments(
  list: ReadonlyArray<{ id: string; filename: string; size: number; mimeType?: string | undefined }>,
): AttachmentInfo[] {
  return list.map((a) =>
    a.mimeType === undefined
      ? { id: a.id, filename: a.filename, size: a.size }
      : { id: a.id, filename: a.filename, size: a.size, mimeType: a.mimeType },
  );
}

/** Jira's XSRF guard on multipart endpoints refuses uploads without this header (403 "XSRF check failed"). */
export const NO_XSRF_CHECK = { 'X-Atlassian-Token': 'no-check' } as const;

const voided = async (pending: Promise<Result<unknown, AtlassianError>>): Promise<Result<void, AtlassianError>> => {
  const result = await pending;
  return result.ok ? ok(undefined) : result;
};

/** Throws on a batch Jira would refuse anyway: sizing batches is the caller's job, so a wrong size is a bug. */
export function assertBulkSize(count: number): void {
  if (count < 1 || count > BULK_CREATE_MAX)
    throw new RangeError(`bulk create takes 1 to ${BULK_CREATE_MAX} issues, got ${count}`);
}

/** The response schemas the calls shared by Cloud and Data Center check, each deployment's own. */
export interface SharedCallSchemas {
  createdIssue: ZodType<Parameters<typeof toCreatedIssue>[0]>;
  createdIssues: ZodType<Parameters<typeof toBulkResult>[0]>;
  issue: ZodType<Parameters<typeof toJiraIssue>[0]>;
  transitions: ZodType<{ transitions: Array<Parameters<typeof toTransition>[0]> }>;
  entityProperty: ZodType<{ value?: unknown }>;
  attachmentList: ZodType<Parameters<typeof toAttachments>[0]>;
}

/**
 * The calls that are the same on Jira Cloud (v3) and Data Center (v2) but for the API prefix and the response
 * schemas: create, bulk create, get, edit, transitions, issue properties, attachments and delete. Rich text,
 * createmeta paging and search differ, and stay in each client.
 */
export function sharedIssueCalls(
  transport: JiraIssuesTransport,
  api: string,
  schemas: SharedCallSchemas,
): Pick<
  JiraIssuesApi,
  | 'createIssue'
  | 'bulkCreate'
  | 'getIssue'
  | 'editIssue'
  | 'getTransitions'
  | 'doTransition'
  | 'setIssueProperty'
  | 'getIssueProperty'
  | 'addAttachment'
  | 'deleteIssue'
> {
  const { http } = transport;
  const issuePath = (key: string) => `${api}${pathOf`/issue/${key}`}`;
  return {
    // Non-idempotent POST: the http client retries it after a 429 (refused, nothing created) and never after a
    // timeout, reset or 5xx (it may have created the issue).
    async createIssue(input) {
      const result = await http.post(`${api}/issue`, issueBody(input), { schema: schemas.createdIssue });
      return result.ok ? ok(toCreatedIssue(result.value)) : result;
    },

    async bulkCreate(inputs) {
      assertBulkSize(inputs.length);
      const result = await transport.postKeepingErrorBody(
        `${api}/issue/bulk`,
        { issueUpdates: inputs.map(issueBody) },
        { schema: schemas.createdIssues, errorSchema: schemas.createdIssues },
      );
      if (result.ok) return ok(toBulkResult(result.value, inputs.length));
      // A total failure is a 400 with the same per-element body; any other failure is the call's own.
      if (result.error.error.status === 400 && result.error.body?.errors !== undefined)
        return ok(toBulkResult(result.error.body, inputs.length));
      return err(result.error.error);
    },

    async getIssue(issueIdOrKey, options = {}) {
      const result = await http.get(issuePath(issueIdOrKey), {
        schema: schemas.issue,
        query: {
          fields: (options.fields ?? ['*all']).join(','),
          ...(options.properties ? { properties: options.properties.join(',') } : {}),
        },
      });
      return result.ok ? ok(toJiraIssue(result.value)) : result;
    },

    editIssue: (issueIdOrKey, edit) =>
      voided(http.put(issuePath(issueIdOrKey), edit, { ...(addsComment(edit) ? { idempotent: false } : {}) })),

    async getTransitions(issueIdOrKey) {
      const result = await http.get(`${issuePath(issueIdOrKey)}/transitions`, { schema: schemas.transitions });
      return result.ok ? ok(result.value.transitions.map(toTransition)) : result;
    },

    doTransition: (issueIdOrKey, transitionId, options = {}) =>
      voided(
        http.post(`${issuePath(issueIdOrKey)}/transitions`, {
          transition: { id: transitionId },
          ...(options.fields ? { fields: options.fields } : {}),
        }),
      ),

    setIssueProperty: (issueIdOrKey, propertyKey, value) =>
      voided(http.put(`${issuePath(issueIdOrKey)}${pathOf`/properties/${propertyKey}`}`, value)),

    async getIssueProperty(issueIdOrKey, propertyKey) {
      const result = await http.get(`${issuePath(issueIdOrKey)}${pathOf`/properties/${propertyKey}`}`, {
        schema: schemas.entityProperty,
      });
      return result.ok ? ok(result.value.value) : result;
    },

    async addAttachment(issueIdOrKey, file) {
      const result = await transport.postForm(`${issuePath(issueIdOrKey)}/attachments`, attachmentForm(file), {
        schema: schemas.attachmentList,
        headers: NO_XSRF_CHECK,
      });
      return result.ok ? ok(toAttachments(result.value)) : result;
    },

    deleteIssue: (issueIdOrKey, options = {}) =>
      voided(
        http.delete(issuePath(issueIdOrKey), {
          ...(options.deleteSubtasks ? { query: { deleteSubtasks: true } } : {}),
        }),
      ),
  };
}

/** The Jira Cloud issue writes over a transport built from `options` (see `createJiraIssuesTransport`). */
export function createJiraCloudIssuesApi(options: AtlassianHttpOptions): JiraIssuesApi {
  return jiraCloudIssuesApiOver(createJiraIssuesTransport(options));
}

export function jiraCloudIssuesApiOver(transport: JiraIssuesTransport): JiraIssuesApi {
  const { http } = transport;
  const issuePath = (key: string) => `${API}${pathOf`/issue/${key}`}`;

  return {
    deployment: 'cloud',
    richText: plainTextToAdf,
    ...sharedIssueCalls(transport, API, {
      createdIssue: createdIssueSchema,
      createdIssues: createdIssuesSchema,
      issue: issueSchema,
      transitions: transitionsSchema,
      entityProperty: entityPropertySchema,
      attachmentList: attachmentListSchema,
    }),

    async createMetaIssueTypes(projectIdOrKey) {
      const walked = await walkOffsetPages(async (startAt) => {
        const page = await http.get(`${API}${pathOf`/issue/createmeta/${projectIdOrKey}/issuetypes`}`, {
          schema: createMetaIssueTypePageSchema,
          query: { startAt, maxResults: CREATEMETA_PAGE },
        });
        return page.ok ? ok({ items: page.value.issueTypes, total: page.value.total }) : page;
      });
      return walked.ok ? ok(walked.value.map(toCreateMetaIssueType)) : walked;
    },

    async createMetaFields(projectIdOrKey, issueTypeId) {
      const walked = await walkOffsetPages(async (startAt) => {
        const page = await http.get(`${API}${pathOf`/issue/createmeta/${projectIdOrKey}/issuetypes/${issueTypeId}`}`, {
          schema: createMetaFieldPageSchema,
          query: { startAt, maxResults: CREATEMETA_PAGE },
        });
        return page.ok ? ok({ items: page.value.fields, total: page.value.total }) : page;
      });
      return walked.ok ? ok(walked.value.map(toCreateMetaField)) : walked;
    },

    async addComment(issueIdOrKey, text) {
      const result = await http.post(
        `${issuePath(issueIdOrKey)}/comment`,
        { body: plainTextToAdf(text) },
        { schema: commentSchema },
      );
      return result.ok ? ok({ id: result.value.id }) : result;
    },

    async searchByJql(options): JiraResult<{ issues: JiraIssue[]; next?: string }> {
      // POST keeps long JQL out of the URL; a search changes nothing, so it is marked safe to retry.
      const result = await http.post(
        `${API}/search/jql`,
        {
          jql: options.jql,
          fields: options.fields ?? ['key'],
          maxResults: options.maxResults ?? 50,
          ...(options.properties ? { properties: options.properties } : {}),
          ...(options.cursor ? { nextPageToken: options.cursor } : {}),
        },
        { schema: searchPageSchema, idempotent: true },
      );
      if (!result.ok) return result;
      const issues = result.value.issues.map(toJiraIssue);
      const next = result.value.nextPageToken;
      return ok(next === undefined || next === '' ? { issues } : { issues, next });
    },
  };
}
