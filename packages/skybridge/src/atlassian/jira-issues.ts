import type { Result } from '../domain/result.ts';
import type { AtlassianError } from './atlassian-error.ts';

/**
 * The Jira write surface data out uses to turn findings into tickets, the same for Jira Cloud
 * (`jira-cloud/issues-client.ts`, REST v3) and Jira Data Center (`jira-dc/issues-client.ts`, REST v2). The two
 * differ on the wire in ways this interface hides:
 * - rich text (description, textarea custom fields, comments) is an ADF document on Cloud and a wiki-markup string
 *   on Data Center: build values with `richText(text)` and never hand-write either format;
 * - createmeta pages are `issueTypes`/`fields` on Cloud and `values` on Data Center;
 * - search pages by `nextPageToken` on Cloud and by `startAt` on Data Center: both are an opaque `cursor` here;
 * - users are `accountId` on Cloud and `name` on Data Center (field values are passed through as given).
 *
 * Retries (API-NOTES §3.1 "Retry only idempotent requests"): reads, PUTs, DELETEs and searches are retried after a
 * timeout or 5xx; creates, bulk creates, comments, transitions and uploads are not, because the first attempt may
 * have taken effect. All of them are retried after a 429, which means Atlassian refused the request unprocessed.
 * A caller that gets `timeout` or `connect` back from a non-idempotent call must find out what happened (search by
 * the issue property it set) before trying again.
 */

/** The largest batch `POST /issue/bulk` takes (API-NOTES §2.1). */
export const BULK_CREATE_MAX = 50;

/** An issue type the credential may create in a project (createmeta). */
export interface CreateMetaIssueType {
  id: string;
  name: string;
  subtask: boolean;
  description?: string;
}

/** One allowed value of a field: an option (`value`), a priority/issue type/project (`name`), ... */
export interface CreateMetaAllowedValue {
  id: string;
  name?: string;
  value?: string;
}

/** A field of a project + issue type's create screen, the same shape for Cloud and Data Center. */
export interface CreateMetaField {
  /** What to send in `fields`: `summary`, `priority`, `customfield_10050`, ... */
  fieldId: string;
  key?: string;
  name: string;
  required: boolean;
  /** A required field with a default (priority, reporter) may be left out of the create body. */
  hasDefaultValue: boolean;
  schema: { type: string; items?: string; system?: string; custom?: string };
  /** Present for fields with a closed set of values (priority, selects, issue type, project). */
  allowedValues?: CreateMetaAllowedValue[];
}

/** `IssueUpdateDetails` as data out builds it. */
export interface IssueInput {
  /** Field id → value in the deployment's format (rich text from `richText`). */
  fields: Readonly<Record<string, unknown>>;
  /** Field id → operations, e.g. `{ labels: [{ add: 'x' }] }`. */
  update?: Readonly<Record<string, readonly unknown[]>>;
  /** Issue properties to set with the issue, atomically (Jira stores them in the same transaction). */
  properties?: Readonly<Record<string, unknown>>;
}

export interface IssueEdit {
  fields?: Readonly<Record<string, unknown>>;
  update?: Readonly<Record<string, readonly unknown[]>>;
}

export interface CreatedIssue {
  id: string;
  key: string;
  self?: string;
}

/** One element of a bulk create that Jira refused, with Jira's ErrorCollection for it. */
export interface BulkCreateFailure {
  /** Index into the batch that was sent. */
  index: number;
  status: number;
  errorMessages: string[];
  /** Field id → message, e.g. `{ customfield_10050: 'Severity is required.' }`. */
  errors: Record<string, string>;
}

/**
 * The outcome of one bulk create: `created` in the order Jira answered, `failed` per element. A total failure is
 * still data (every element in `failed`), because Jira answers it with the same per-element shape.
 */
export interface BulkCreateResult {
  created: CreatedIssue[];
  failed: BulkCreateFailure[];
}

export interface JiraIssue {
  id: string;
  key: string;
  /** The fields asked for, as Jira serialises them. */
  fields: Record<string, unknown>;
  /** The issue properties asked for. */
  properties: Record<string, unknown>;
}

export interface GetIssueOptions {
  /** Field ids; default every field (`*all`). */
  fields?: readonly string[];
  /** Property keys to include; default none. */
  properties?: readonly string[];
}

export interface JiraTransition {
  id: string;
  name: string;
  /** The status the transition leads to. */
  to?: { id: string; name: string; category?: string };
}

export interface SearchOptions {
  /** Must be bounded on Cloud (`project = X AND ...`), or Jira answers 400. */
  jql: string;
  /** Default `['key']`. */
  fields?: readonly string[];
  /** At most 5 on Cloud. Default none. */
  properties?: readonly string[];
  /** Default 50. */
  maxResults?: number;
  /** The previous page's `next`. */
  cursor?: string;
}

export interface SearchPage {
  issues: JiraIssue[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  next?: string;
}

export interface AttachmentUpload {
  filename: string;
  content: string | Uint8Array;
  /** Default `text/plain;charset=utf-8` for string content, `application/octet-stream` otherwise. */
  mimeType?: string;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  size: number;
  mimeType?: string;
}

export type JiraResult<T> = Promise<Result<T, AtlassianError>>;

export interface JiraIssuesApi {
  readonly deployment: 'cloud' | 'dc';
  /** Plain text as this deployment's rich-text value (ADF document on Cloud, escaped wiki markup on Data Center). */
  richText(text: string): unknown;
  /** Every issue type the credential can create in the project (all pages). 400 `bad_request` for a hidden project. */
  createMetaIssueTypes(projectIdOrKey: string): JiraResult<CreateMetaIssueType[]>;
  /** Every field of the project + issue type's create screen (all pages). */
  createMetaFields(projectIdOrKey: string, issueTypeId: string): JiraResult<CreateMetaField[]>;
  /** `POST issue`. Not retried after a timeout. */
  createIssue(input: IssueInput): JiraResult<CreatedIssue>;
  /** `POST issue/bulk` with 1–50 issues (throws RangeError otherwise: batching is the caller's job). */
  bulkCreate(inputs: readonly IssueInput[]): JiraResult<BulkCreateResult>;
  getIssue(issueIdOrKey: string, options?: GetIssueOptions): JiraResult<JiraIssue>;
  /** `PUT issue`. Retried like any PUT, unless it adds a comment through `update`. */
  editIssue(issueIdOrKey: string, edit: IssueEdit): JiraResult<void>;
  /** Adds a plain-text comment (converted with `richText`); returns the comment id. */
  addComment(issueIdOrKey: string, text: string): JiraResult<{ id: string }>;
  /** The transitions available from the issue's current status. */
  getTransitions(issueIdOrKey: string): JiraResult<JiraTransition[]>;
  doTransition(
    issueIdOrKey: string,
    transitionId: string,
    options?: { fields?: Readonly<Record<string, unknown>> },
  ): JiraResult<void>;
  /** `PUT issue/{key}/properties/{propertyKey}`: any JSON up to 32 KB. */
  setIssueProperty(issueIdOrKey: string, propertyKey: string, value: unknown): JiraResult<void>;
  /**
   * `GET issue/{key}/properties/{propertyKey}`. A missing property and a missing (or hidden) issue are both
   * `not_found`, as Jira answers 404 to both.
   */
  getIssueProperty(issueIdOrKey: string, propertyKey: string): JiraResult<unknown>;
  /** One page of a JQL search; `issue.property[key].path = value` finds issues by the property data out set. */
  searchByJql(options: SearchOptions): JiraResult<SearchPage>;
  /** Multipart upload (with `X-Atlassian-Token: no-check`). Not retried after a timeout. */
  addAttachment(issueIdOrKey: string, file: AttachmentUpload): JiraResult<AttachmentInfo[]>;
  /** `DELETE issue`. Retried like any DELETE, so a retry after a lost answer may report `not_found`. */
  deleteIssue(issueIdOrKey: string, options?: { deleteSubtasks?: boolean }): JiraResult<void>;
}

/** An Atlassian Document Format document: what Jira Cloud v3 takes for rich text. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export type AdfNode =
  { type: 'paragraph'; content: AdfNode[] } | { type: 'text'; text: string } | { type: 'hardBreak' };

/**
 * Plain text as ADF: a blank line starts a new paragraph, a single newline is a hard break. ADF forbids empty text
 * nodes, so empty lines and empty paragraphs produce none.
 */
export function plainTextToAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => {
      const content: AdfNode[] = [];
      paragraph.split('\n').forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        if (line !== '') content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
}

/**
 * Plain text as Data Center wiki markup that renders as the same text: every character wiki markup gives a meaning
 * to (`*bold*`, `_italic_`, `{code}`, `[link]`, `|table|`, `!image!`, `-strike-`, `#`/`*` lists, `??cite??`,
 * `^sup^`, `~sub~`, `+under+`) is escaped with a backslash. Line prefixes made of letters (`h1.`, `bq.`) cannot be
 * escaped that way and are left as they are.
 */
export function plainTextToWiki(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\\*_{}[\]|!#^~+?-]/g, (c) => `\\${c}`);
}
