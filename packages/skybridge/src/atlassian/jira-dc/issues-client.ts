import { ok } from '../../domain/result.ts';
import type { AtlassianHttpOptions } from '../http-client.ts';
import { pathOf } from '../http-client.ts';
import type { JiraIssue, JiraIssuesApi, JiraResult } from '../jira-issues.ts';
import { plainTextToWiki } from '../jira-issues.ts';
import type { JiraIssuesTransport } from '../jira-issues-transport.ts';
import { createJiraIssuesTransport } from '../jira-issues-transport.ts';
import {
  sharedIssueCalls,
  toCreateMetaField,
  toCreateMetaIssueType,
  toJiraIssue,
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

export function createJiraDcIssuesApi(options: AtlassianHttpOptions): JiraIssuesApi {
  return jiraDcIssuesApiOver(createJiraIssuesTransport(options));
}

export function jiraDcIssuesApiOver(transport: JiraIssuesTransport): JiraIssuesApi {
  const { http } = transport;
  const issuePath = (key: string) => `${API}${pathOf`/issue/${key}`}`;

  return {
    deployment: 'dc',
    richText: plainTextToWiki,
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

    async addComment(issueIdOrKey, text) {
      // Data Center comment bodies are wiki-markup strings, not ADF.
      const result = await http.post(
        `${issuePath(issueIdOrKey)}/comment`,
        { body: plainTextToWiki(text) },
        { schema: commentSchema },
      );
      return result.ok ? ok({ id: result.value.id }) : result;
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
  };
}
