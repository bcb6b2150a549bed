// The simulated workflow: Jira's simplified workflow, where every status can be reached from every other through a
// global transition ("Any status -> Done"). A global transition is not offered from its own target status.
import type { Issue, Transition } from '../../../world/types.ts';
import type { IssueContext } from './issue-context.ts';
import { statusBean } from './issue-beans.ts';

export function availableTransitions(ctx: IssueContext, issue: Issue): Transition[] {
  return ctx.jira.data.transitions.filter((t) => t.toStatusId !== issue.statusId);
}

export function transitionBean(
  ctx: IssueContext,
  transition: Transition,
  withFields: boolean,
): Record<string, unknown> {
  const to = ctx.jira.data.statuses.find((s) => s.id === transition.toStatusId);
  if (ctx.jira.deployment === 'dc') {
    // Data Center's TransitionBean: id, name, opsbarSequence, to (and fields when expanded); no is* flags.
    const bean: Record<string, unknown> = {
      id: transition.id,
      name: transition.name,
      opsbarSequence: Number(transition.id),
    };
    if (to) bean['to'] = statusBean(ctx, to);
    if (withFields) bean['fields'] = {};
    return bean;
  }
  const bean: Record<string, unknown> = {
    id: transition.id,
    name: transition.name,
    hasScreen: false,
    isGlobal: true,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    looped: false,
  };
  if (to) bean['to'] = statusBean(ctx, to);
  if (withFields) bean['fields'] = {};
  return bean;
}
