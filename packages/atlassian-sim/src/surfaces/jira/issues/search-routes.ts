// Search. Cloud: the enhanced `search/jql` (token paging, bounded JQL, ids by default) and the removed `search` (410).
// Data Center: the classic offset-paged `search`.
import type { Issue } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { RouteContext, Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { allFields } from './field-catalogue.ts';
import { listParam, selectFields, type FieldSelection } from './field-selection.ts';
import { expandSet, renderIssue } from './render-issue.ts';
import { runJql } from './run-jql.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';
import { jsonBody } from './route-helpers.ts';

/** search/jql: 5000 per page when only ids/keys are asked for, otherwise 100 (API-NOTES §2.1). */
export const SEARCH_JQL_MAX_IDS = 5000;
export const SEARCH_JQL_MAX_FIELDS = 100;
/** Data Center's `jira.search.views.default.max`. */
export const DC_SEARCH_MAX = 1000;
/** search/jql takes at most 5 properties; the rest are ignored. */
const MAX_PROPERTIES = 5;

const REMOVED_SEARCH =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

// search is callable anonymously on sites with anonymous browse: an expired token then quietly searches as
// anonymous and sees fewer issues (API-NOTES §4).
const ANONYMOUS_IF_ALLOWED = { access: 'anonymous-if-site-allows' } as const;

interface SearchRequest {
  jql: string;
  maxResults: number | undefined;
  startAt: number | undefined;
  nextPageToken: string | undefined;
  fields: string[];
  expand: Set<string>;
  properties: string[];
}

function intOrUndefined(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function fromQuery(rc: RouteContext): SearchRequest {
  return {
    jql: rc.query.get('jql') ?? '',
    maxResults: intOrUndefined(rc.query.get('maxResults')),
    startAt: intOrUndefined(rc.query.get('startAt')),
    nextPageToken: rc.query.get('nextPageToken') ?? undefined,
    fields: listParam(rc.query.getAll('fields')),
    expand: expandSet(rc.query.getAll('expand')),
    properties: listParam(rc.query.getAll('properties')),
  };
}

async function fromBody(rc: RouteContext): Promise<SearchRequest | Response> {
  const body = await jsonBody(rc, false);
  if (body instanceof Response) return body;
  const record = typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>) : {};
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  return {
    jql: typeof record['jql'] === 'string' ? record['jql'] : '',
    maxResults: intOrUndefined(record['maxResults']),
    startAt: intOrUndefined(record['startAt']),
    nextPageToken: typeof record['nextPageToken'] === 'string' ? record['nextPageToken'] : undefined,
    fields: listParam(list(record['fields'])),
    expand: expandSet(list(record['expand'])),
    properties: listParam(list(record['properties'])),
  };
}

/** names/schema go once at the top of a search response, not into every issue. */
function topLevelExpands(
  ctx: IssueContext,
  selection: FieldSelection,
  expand: ReadonlySet<string>,
): Record<string, unknown> {
  const fields = allFields(ctx.jira.data).filter((f) => selection.includes(f));
  const out: Record<string, unknown> = {};
  if (expand.has('names')) out['names'] = Object.fromEntries(fields.map((f) => [f.id, f.name]));
  if (expand.has('schema')) out['schema'] = Object.fromEntries(fields.map((f) => [f.id, f.schema]));
  return out;
}

function perIssueExpand(expand: ReadonlySet<string>): Set<string> {
  return new Set([...expand].filter((e) => e !== 'names' && e !== 'schema'));
}

function searchJql(ctx: IssueContext, rc: RouteContext, request: SearchRequest): Response {
  const selection = selectFields(request.fields, 'id');
  const max = selection.idOrKeyOnly ? SEARCH_JQL_MAX_IDS : SEARCH_JQL_MAX_FIELDS;
  // Larger pages are clamped, not refused: the API "may return fewer items per page" than asked for.
  const maxResults = Math.min(Math.max(1, request.maxResults ?? 50), max);
  let offset = 0;
  let maxIssueId = Number.MAX_SAFE_INTEGER;
  const now = ctx.state.now();
  if (request.nextPageToken !== undefined && request.nextPageToken !== '') {
    const decoded = decodePageToken(request.nextPageToken, now);
    if (!decoded.ok)
      return jiraError(400, [
        decoded.reason === 'expired'
          ? 'The provided next page token has expired.'
          : 'The provided next page token is invalid.',
      ]);
    offset = decoded.token.offset;
    maxIssueId = decoded.token.maxIssueId;
  }
  const run = runJql(ctx, ctx.userRef(rc.principal), request.jql, { requireBounded: true });
  if (!run.ok) return jiraError(400, run.errorMessages);
  const matches = run.issues.filter((i) => Number(i.id) <= maxIssueId);
  if (maxIssueId === Number.MAX_SAFE_INTEGER)
    maxIssueId = ctx.jira.data.issues.reduce((m, i) => Math.max(m, Number(i.id)), 0);
  const page = matches.slice(offset, offset + maxResults);
  const isLast = offset + page.length >= matches.length;
  const onlyId = selection.idOrKeyOnly && !request.fields.includes('key') && request.properties.length === 0;
  const expand = perIssueExpand(request.expand);
  const properties = request.properties.slice(0, MAX_PROPERTIES);
  const issues = page.map((issue: Issue) =>
    onlyId ? { id: issue.id } : renderIssue(ctx, issue, { selection, properties, expand }),
  );
  // No total and no startAt; nextPageToken is absent on the last page.
  const body: Record<string, unknown> = { issues };
  if (!isLast) body['nextPageToken'] = encodePageToken({ offset: offset + page.length, maxIssueId, issuedAt: now });
  body['isLast'] = isLast;
  return rc.json(200, { ...body, ...topLevelExpands(ctx, selection, request.expand) });
}

function searchDc(ctx: IssueContext, rc: RouteContext, request: SearchRequest): Response {
  const startAt = request.startAt ?? 0;
  const maxResults = Math.min(request.maxResults ?? 50, DC_SEARCH_MAX);
  // Data Center allows unbounded queries (an empty jql lists everything the caller can browse).
  const run = runJql(ctx, ctx.userRef(rc.principal), request.jql, { requireBounded: false });
  if (!run.ok) return jiraError(400, run.errorMessages);
  const selection = selectFields(request.fields, '*navigable');
  const expand = perIssueExpand(request.expand);
  const issues = run.issues
    .slice(startAt, startAt + maxResults)
    .map((issue) => renderIssue(ctx, issue, { selection, properties: request.properties, expand }));
  return rc.json(200, {
    expand: 'schema,names',
    startAt,
    maxResults,
    total: run.issues.length,
    issues,
    ...topLevelExpands(ctx, selection, request.expand),
  });
}

export function registerSearchRoutes(router: Router, ctx: IssueContext): void {
  const { api } = ctx;
  if (ctx.jira.deployment === 'dc') {
    router.get(`${api}/search`, (rc) => searchDc(ctx, rc, fromQuery(rc)), ANONYMOUS_IF_ALLOWED);
    router.post(
      `${api}/search`,
      async (rc) => {
        const request = await fromBody(rc);
        return request instanceof Response ? request : searchDc(ctx, rc, request);
      },
      ANONYMOUS_IF_ALLOWED,
    );
    return;
  }
  router.get(`${api}/search/jql`, (rc) => searchJql(ctx, rc, fromQuery(rc)), ANONYMOUS_IF_ALLOWED);
  router.post(
    `${api}/search/jql`,
    async (rc) => {
      const request = await fromBody(rc);
      return request instanceof Response ? request : searchJql(ctx, rc, request);
    },
    ANONYMOUS_IF_ALLOWED,
  );
  // The old offset search was removed from Jira Cloud (CHANGE-2046): 410 Gone with a pointer to search/jql.
  const gone = () => jiraError(410, [REMOVED_SEARCH]);
  router.get(`${api}/search`, gone, ANONYMOUS_IF_ALLOWED);
  router.post(`${api}/search`, gone, ANONYMOUS_IF_ALLOWED);
}
