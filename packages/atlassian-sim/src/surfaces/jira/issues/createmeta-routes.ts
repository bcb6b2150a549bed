// Issue types and create metadata: `GET issuetype`, `GET issue/createmeta/{project}/issuetypes[/{issueTypeId}]`.
import type { IssueType, Project } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { RouteContext, Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { issueTypeBean, priorityBean, projectBean } from './issue-beans.ts';
import { createScreen, DEFAULT_PRIORITY, PRIORITIES, type FieldDef } from './field-catalogue.ts';

const CREATEMETA_MAX_RESULTS = 200;

// createmeta is callable anonymously, but only on sites with anonymous browse (API-NOTES §4).
const ANONYMOUS_IF_ALLOWED = { access: 'anonymous-if-site-allows' } as const;

function fieldMeta(
  ctx: IssueContext,
  project: Project,
  issueType: IssueType,
  field: FieldDef,
  required: boolean,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    required,
    schema: field.schema,
    name: field.name,
    key: field.id,
    fieldId: field.id,
  };
  let hasDefaultValue = false;
  switch (field.id) {
    case 'project':
      meta['allowedValues'] = [projectBean(ctx, project)];
      break;
    case 'issuetype':
      meta['allowedValues'] = [issueTypeBean(ctx, issueType)];
      break;
    case 'priority':
      meta['allowedValues'] = PRIORITIES.map((p) => priorityBean(ctx, p));
      meta['defaultValue'] = priorityBean(ctx, DEFAULT_PRIORITY);
      hasDefaultValue = true;
      break;
    case 'reporter':
      meta['autoCompleteUrl'] = `${ctx.apiBase}/user/search?query=`;
      // The reporter defaults to the caller, which is why a required reporter can be left out.
      hasDefaultValue = true;
      break;
    case 'assignee':
      meta['autoCompleteUrl'] = `${ctx.apiBase}/user/assignable/search?project=${project.key}&query=`;
      break;
    case 'labels':
      meta['autoCompleteUrl'] = `${ctx.jira.baseUrl}/rest/api/1.0/labels/suggest?query=`;
      break;
    default:
      if (field.custom?.options) {
        meta['allowedValues'] = field.custom.options.map((o) => ({
          self: `${ctx.jira.baseUrl}/rest/api/2/customFieldOption/${o.id}`,
          value: o.value,
          id: o.id,
        }));
      }
  }
  meta['hasDefaultValue'] = hasDefaultValue;
  meta['operations'] = field.operations;
  return meta;
}

function page(ctx: IssueContext, rc: RouteContext, items: unknown[], cloudKey: 'issueTypes' | 'fields'): Response {
  const startAt = Math.max(0, Number.parseInt(rc.query.get('startAt') ?? '0', 10) || 0);
  const requested = Number.parseInt(rc.query.get('maxResults') ?? '50', 10);
  let maxResults = Number.isFinite(requested) && requested >= 0 ? requested : 50;
  if (maxResults > CREATEMETA_MAX_RESULTS) {
    // Cloud refuses rather than clamps here (the spec's own 400 example); Data Center clamps.
    if (ctx.jira.deployment === 'cloud')
      return jiraError(400, [`Parameter 'maxResults' must not exceed the limit '${CREATEMETA_MAX_RESULTS}'`]);
    maxResults = CREATEMETA_MAX_RESULTS;
  }
  const slice = items.slice(startAt, startAt + maxResults);
  if (ctx.jira.deployment === 'dc') {
    // Data Center pages these as `values` with isLast (its spec mislabels them as single beans).
    return rc.json(200, {
      maxResults,
      startAt,
      total: items.length,
      isLast: startAt + slice.length >= items.length,
      values: slice,
    });
  }
  return rc.json(200, { maxResults, startAt, total: items.length, [cloudKey]: slice });
}

function visibleProject(ctx: IssueContext, rc: RouteContext): Project | Response {
  const ref = rc.params['projectIdOrKey'] ?? '';
  const project = ctx.findProject(ref);
  // A project the caller cannot browse is reported as missing, exactly like an unknown one.
  if (!project || !ctx.canBrowse(ctx.userRef(rc.principal), project)) {
    return jiraError(400, [`No project could be found with ${/^\d+$/.test(ref) ? 'id' : 'key'} '${ref}'.`]);
  }
  return project;
}

export function registerCreatemetaRoutes(router: Router, ctx: IssueContext): void {
  const { api } = ctx;

  // Every issue type of the site; a bare array on cloud and Data Center alike.
  router.get(
    `${api}/issuetype`,
    (rc) =>
      rc.json(
        200,
        ctx.jira.data.issueTypes.map((t) => issueTypeBean(ctx, t)),
      ),
    ANONYMOUS_IF_ALLOWED,
  );

  router.get(
    `${api}/issue/createmeta/:projectIdOrKey/issuetypes`,
    (rc) => {
      const project = visibleProject(ctx, rc);
      if (project instanceof Response) return project;
      const types = project.issueTypeIds.flatMap((id) => ctx.jira.data.issueTypes.filter((t) => t.id === id));
      return page(
        ctx,
        rc,
        types.map((t) => issueTypeBean(ctx, t)),
        'issueTypes',
      );
    },
    ANONYMOUS_IF_ALLOWED,
  );

  router.get(
    `${api}/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId`,
    (rc) => {
      const project = visibleProject(ctx, rc);
      if (project instanceof Response) return project;
      const typeId = rc.params['issueTypeId'] ?? '';
      const issueType = project.issueTypeIds.includes(typeId)
        ? ctx.jira.data.issueTypes.find((t) => t.id === typeId)
        : undefined;
      if (!issueType)
        return jiraError(400, [
          `The issue type with id '${typeId}' does not exist or is not valid for project '${project.key}'.`,
        ]);
      const fields = createScreen(ctx.jira.data, issueType).map(({ field, required }) =>
        fieldMeta(ctx, project, issueType, field, required),
      );
      return page(ctx, rc, fields, 'fields');
    },
    ANONYMOUS_IF_ALLOWED,
  );
}
