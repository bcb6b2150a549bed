// `GET issue/{key}/transitions` and `POST issue/{key}/transitions`.
import { jiraError } from '../../errors.ts';
import type { Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { checkEdit } from './issue-input.ts';
import { checkResolution } from './field-values.ts';
import { addComment, transitionIssue } from './issue-writes.ts';
import { availableTransitions, transitionBean } from './issue-transitions.ts';
import { jsonBody, visibleIssue } from './route-helpers.ts';
import { takeIssueWrite } from './write-limit.ts';

export function registerTransitionRoutes(router: Router, ctx: IssueContext): void {
  const path = `${ctx.api}/issue/:issueIdOrKey/transitions`;

  router.get(path, (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const withFields = (rc.query.get('expand') ?? '').split(',').includes('transitions.fields');
    const only = rc.query.get('transitionId');
    const transitions = availableTransitions(ctx, found.issue).filter((t) => only === null || t.id === only);
    const beans = transitions.map((t) => transitionBean(ctx, t, withFields));
    // Cloud echoes the expandable part ("transitions"); Data Center's TransitionsMetaBean has only the list.
    return rc.json(
      200,
      ctx.jira.deployment === 'cloud' ? { expand: 'transitions', transitions: beans } : { transitions: beans },
    );
  });

  router.post(path, async (rc) => {
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const body = await jsonBody(rc, true);
    if (body instanceof Response) return body;
    const record = typeof body.value === 'object' && body.value !== null ? (body.value as Record<string, unknown>) : {};
    const wanted = record['transition'];
    const id = typeof wanted === 'object' && wanted !== null ? (wanted as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') return jiraError(400, ["Missing 'transition' identifier"]);
    const transition = availableTransitions(ctx, found.issue).find((t) => t.id === String(id));
    if (!transition) return jiraError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
    // Fields and update operations on the transition screen go through the same checks as an edit; resolution is
    // only on transition screens (the spec example resolves with `"resolution":{"name":"Fixed"}`).
    const { resolution, ...fields } = (
      typeof record['fields'] === 'object' && record['fields'] !== null ? record['fields'] : {}
    ) as Record<string, unknown>;
    const edits = checkEdit(ctx, found.issue, found.project, { fields, update: record['update'] ?? {} });
    const checkedResolution = resolution === undefined ? undefined : checkResolution(resolution);
    if (!edits.ok || (checkedResolution && !checkedResolution.ok)) {
      const errors = edits.ok ? {} : edits.errors;
      if (checkedResolution && !checkedResolution.ok) errors['resolution'] = checkedResolution.message;
      return jiraError(400, edits.ok ? [] : edits.errorMessages, errors);
    }
    Object.assign(found.issue.fields, edits.fields);
    transitionIssue(ctx, found.issue, transition);
    if (checkedResolution?.ok && found.issue.fields['resolution'])
      found.issue.fields['resolution'] = checkedResolution.value;
    for (const comment of edits.comments) addComment(ctx, found.issue, found.userRef, comment);
    return rc.json(204, '');
  });
}
