import type { Result } from '../../domain/result.ts';
import { err, ok } from '../../domain/result.ts';
import type { AtlassianError } from '../atlassian-error.ts';
import type { AtlassianHttpOptions } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type { JiraIssue, JiraIssuesApi, JiraResult } from '../jira-issues.ts';
import { plainTextToWiki } from '../jira-issues.ts';
import type { JiraIssuesTransport } from '../jira-issues-transport.ts';
import { createJiraIssuesTransport } from '../jira-issues-transport.ts';
import {
  addsComment,
  assertBulkSize,
  attachmentForm,
  issueBody,
  NO_XSRF_CHECK,
  toAttachments,
  toBulkResult,
  toCreatedIssue,
  toCreateMetaField,
  toCreateMetaIssueType,
  toJiraIssue,
  toTransition,
  walkOffsetPages,
} from '../jira-cloud/issues-client.ts';
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
 * The Jira issue writes data out needs, on Jira Data Center / Server REST v2 (`JiraIssuesApi`). Built from the same
 * options as `createAtlassianHttp` (the instance with its context path, a PAT as Bearer, `rateLimitScope: 'client'`
 * because DC limits per user). Rich text is wiki markup. Needs Jira 8.4+ for the per-project createmeta endpoints
 * (the old `createmeta?expand=projects.issuetypes.fields` was removed in Jira 9).
 */

const API = '/rest/api/2';
/** Data Center clamps createmeta pages at 200 too (the simulator and the DC source agree). */
const CREATEMETA_PAGE = 200;

const voided = async (pending: Promise<Result<unknown, AtlassianError>>): Promise<Result<void, AtlassianError>> => {
  const result = await pending;
  return result.ok ? ok(undefined) : result;
};

export function createJiraDcIssuesApi(options: AtlassianHttpOptions): JiraIssuesApi {
  return jiraDcIssuesApiOver(createJiraIssuesTransport(options));
}

export function jiraDcIssuesApiOver(transport: JiraIssuesTransport): JiraIssuesApi {
  const { http } = transport;
  const issuePath = (key: string) => `${API}${pathOf`/issue/${key}`}`;

  return {
    deployment: 'dc',
    richText: plainTextToWiki,

    async createMetaIssueTypes(projectIdOrKey) {
      const walked = await walkOffsetPages(async (startAt) => {
        const page = await http.get(`${API}${pathOf`/issue/createmeta/${projectIdOrKey}/issuetypes`}`, {
          schema: createMetaIssueTypePageSchema,
          query: { startAt, maxResults: CREATEMETA_PAGE },
        });
        return page.ok ? ok({ items: page.value.values, total: page.value.total, isLast: page.value.isLast }) : page;
      });
      return walked.ok ? ok(walked.value.map(toCreateMetaIssueType)) : walked;
    },

    async createMetaFields(projectIdOrKey, issueTypeId) {
      const walked = await walkOffsetPages(async (startAt) => {
        const page = await http.get(`${API}${pathOf`/issue/createmeta/${projectIdOrKey}/issuetypes/${issueTypeId}`}`, {
          schema: createMetaFieldPageSchema,
          query: { startAt, maxResults: CREATEMETA_PAGE },
        });
        return page.ok ? ok({ items: page.value.values, total: page.value.total, isLast: page.value.isLast }) : page;
      });
      return walked.ok ? ok(walked.value.map(toCreateMetaField)) : walked;
    },

    // Non-idempotent POST: retried after a 429 only (see JiraIssuesApi).
    async createIssue(input) {
      const result = await http.post(`${API}/issue`, issueBody(input), { schema: createdIssueSchema });
      return result.ok ? ok(toCreatedIssue(result.value)) : result;
    },

    async bulkCreate(inputs) {
      assertBulkSize(inputs.length);
      const result = await transport.postKeepingErrorBody(
        `${API}/issue/bulk`,
        { issueUpdates: inputs.map(issueBody) },
        { schema: createdIssuesSchema, errorSchema: createdIssuesSchema },
      );
      if (result.ok) return ok(toBulkResult(result.value, inputs.length));
      if (result.error.error.status === 400 && result.error.body?.errors !== undefined)
        return ok(toBulkResult(result.error.body, inputs.length));
      return err(result.error.error);
    },

    async getIssue(issueIdOrKey, options = {}) {
      const result = await http.get(issuePath(issueIdOrKey), {
        schema: issueSchema,
        query: {
          fields: (options.fields ?? ['*all']).join(','),
          ...(options.properties ? { properties: options.properties.join(',') } : {}),
        },
      });
      return result.ok ? ok(toJiraIssue(result.value)) : result;
    },

    editIssue: (issueIdOrKey, edit) =>
      voided(http.put(issuePath(issueIdOrKey), edit, { ...(addsComment(edit) ? { idempotent: false } : {}) })),

    async addComment(issueIdOrKey, text) {
      // Data Center comment bodies are wiki-markup strings, not ADF.
      const result = await http.post(
        `${issuePath(issueIdOrKey)}/comment`,
        { body: plainTextToWiki(text) },
        { schema: commentSchema },
      );
      return result.ok ? ok({ id: result.value.id }) : result;
    },

    async getTransitions(issueIdOrKey) {
      const result = await http.get(`${issuePath(issueIdOrKey)}/transitions`, { schema: transitionsSchema });
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
        schema: entityPropertySchema,
      });
      return result.ok ? ok(result.value.value) : result;
    },

    async searchByJql(options): JiraResult<{ issues: JiraIssue[]; next?: string }> {
      // The cursor is the next startAt; offset paging can skip or repeat an issue if results change between pages,
      // which a mapping recovery tolerates (it looks for one property value).
      const startAt = options.cursor === undefined ? 0 : Number.parseInt(options.cursor, 10);
      if (!Number.isInteger(startAt) || startAt < 0)
        throw new RangeError('the search cursor is not one this client made');
      const result = await http.post(
        `${API}/search`,
        {
          jql: options.jql,
          startAt,
          maxResults: options.maxResults ?? 50,
          fields: options.fields ?? ['key'],
          ...(options.properties ? { properties: options.properties } : {}),
        },
        { schema: searchPageSchema, idempotent: true },
      );
      if (!result.ok) return result;
      const issues = result.value.issues.map(toJiraIssue);
      const nextStart = result.value.startAt + issues.length;
      return ok(issues.length > 0 && nextStart < result.value.total ? { issues, next: String(nextStart) } : { issues });
    },

    async addAttachment(issueIdOrKey, file) {
      const result = await transport.postForm(`${issuePath(issueIdOrKey)}/attachments`, attachmentForm(file), {
        schema: attachmentListSchema,
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
