// How issue field values are kept in `Issue.fields` (and so shown by `/_sim/issues`): users as `{accountId}` on
// cloud or `{name}` on Data Center, priorities and options as `{id, name|value}`, rich text as received.
import type { Issue } from '../../../world/types.ts';

export type JiraDeployment = 'cloud' | 'dc';

/** A user as stored: cloud identifies accounts by accountId, Data Center by username. */
export function storedUser(deployment: JiraDeployment, ref: string): Record<string, string> {
  return deployment === 'cloud' ? { accountId: ref } : { name: ref };
}

/** The user ref of a stored user value, whichever way it was written. */
export function userRefOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['accountId', 'name', 'key', 'id']) {
    const ref = record[key];
    if (typeof ref === 'string' && ref !== '') return ref;
  }
  return undefined;
}

/** The reporter ref: seeded issues have none stored, and their creator reported them. */
export function reporterRefOf(issue: Issue): string | undefined {
  return userRefOf(issue.fields['reporter']) ?? (issue.creatorRef === '' ? undefined : issue.creatorRef);
}

export function assigneeRefOf(issue: Issue): string | undefined {
  return userRefOf(issue.fields['assignee']);
}

export function labelsOf(issue: Issue): string[] {
  const labels = issue.fields['labels'];
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
}

export function namedValue(value: unknown, key: 'name' | 'value'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const named = (value as Record<string, unknown>)[key];
  return typeof named === 'string' ? named : undefined;
}

/** Jira's timestamp format: `2021-01-17T12:34:00.000+0000`. */
export function jiraDate(iso: string | number): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}
