// Issue entity properties: `GET issue/{key}/properties`, `GET|PUT|DELETE issue/{key}/properties/{propertyKey}`.
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { touch } from './issue-writes.ts';
import { checkProperty } from './property-rules.ts';
import { jsonBody, visibleIssue } from './route-helpers.ts';
import { takeIssueWrite } from './write-limit.ts';

const missing = (key: string) => jiraError(404, [`The property with key '${key}' does not exist.`]);

export function registerPropertyRoutes(router: Router, ctx: IssueContext): void {
  const base = `${ctx.api}/issue/:issueIdOrKey/properties`;

  router.get(base, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const keys = [...found.issue.properties.keys()].map((key) => ({
      self: `${ctx.apiBase}/issue/${found.issue.key}/properties/${encodeURIComponent(key)}`,
      key,
    }));
    return rc.json(200, { keys });
  });

  router.get(`${base}/:propertyKey`, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const key = rc.params['propertyKey'] ?? '';
    if (!found.issue.properties.has(key)) return missing(key);
    return rc.json(200, { key, value: found.issue.properties.get(key) });
  });

  router.put(`${base}/:propertyKey`, async (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const key = rc.params['propertyKey'] ?? '';
    const problem = checkProperty(key, body.value);
    if (problem) return jiraError(400, [problem]);
    const existed = found.issue.properties.has(key);
    found.issue.properties.set(key, body.value);
    touch(ctx, found.issue);
    // 201 when the property is new, 200 when it replaced a value; no body either way.
    return rc.json(existed ? 200 : 201, '');
  });

  router.delete(`${base}/:propertyKey`, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const key = rc.params['propertyKey'] ?? '';
    if (!found.issue.properties.has(key)) return missing(key);
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    found.issue.properties.delete(key);
    touch(ctx, found.issue);
    return rc.json(204, '');
  });
}
